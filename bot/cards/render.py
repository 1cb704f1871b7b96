"""Card rendering: pure functions from a card to PNG bytes, and async wrappers.

The synchronous functions are pure (same card and fonts, same bytes) and take 10-40 ms.
The async wrappers run them on one dedicated worker thread, so the event loop is never
blocked and renders never compete with each other for the two cores (they queue instead).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from PIL import Image

from bot.cards import avatars, text
from bot.cards.flow import draw_money_flow
from bot.cards.fonts import Fonts, default_fonts
from bot.cards.leaderboard import draw_leaderboard
from bot.cards.models import GroupCard, LeaderboardCard, MoneyFlowCard, PersonalCard
from bot.cards.paint import encode_png
from bot.cards.personal import draw_group, draw_personal

Card = TypeVar("Card", LeaderboardCard, PersonalCard, GroupCard, MoneyFlowCard)

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cards")


def _png(draw: Callable[[Card, Fonts], Image.Image], card: Card, fonts: Fonts | None) -> bytes:
    return encode_png(draw(card, fonts or default_fonts()))


def render_leaderboard(card: LeaderboardCard, fonts: Fonts | None = None) -> bytes:
    """PNG bytes of a leaderboard card (up to 25 rows drawn)."""
    return _png(draw_leaderboard, card, fonts)


def render_personal(card: PersonalCard, fonts: Fonts | None = None) -> bytes:
    """PNG bytes of one member's card."""
    return _png(draw_personal, card, fonts)


def render_group(card: GroupCard, fonts: Fonts | None = None) -> bytes:
    """PNG bytes of a group's card."""
    return _png(draw_group, card, fonts)


def render_money_flow(card: MoneyFlowCard, fonts: Fonts | None = None) -> bytes:
    """PNG bytes of the where-the-money-goes card."""
    return _png(draw_money_flow, card, fonts)


async def _off_loop(
    render: Callable[[Card, Fonts | None], bytes], card: Card, fonts: Fonts | None
) -> bytes:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor, render, card, fonts)


async def render_leaderboard_async(card: LeaderboardCard, fonts: Fonts | None = None) -> bytes:
    return await _off_loop(render_leaderboard, card, fonts)


async def render_personal_async(card: PersonalCard, fonts: Fonts | None = None) -> bytes:
    return await _off_loop(render_personal, card, fonts)


async def render_group_async(card: GroupCard, fonts: Fonts | None = None) -> bytes:
    return await _off_loop(render_group, card, fonts)


async def render_money_flow_async(card: MoneyFlowCard, fonts: Fonts | None = None) -> bytes:
    return await _off_loop(render_money_flow, card, fonts)


async def warm_up(fonts: Fonts | None = None) -> None:
    """Find the OS fonts and read their character maps on the worker (at start-up)."""
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(_executor, lambda: (fonts or default_fonts()).warm_up())


def clear_caches() -> None:
    """Forget laid-out text and decoded avatars: the next render starts cold (benchmarks)."""
    text.clear_caches()
    avatars.CACHE.clear()
