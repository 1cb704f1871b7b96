"""Card rendering: pure, synchronous functions from a card to PNG bytes.

Same card and fonts, same bytes. They take 5-60 ms of CPU, and Pillow holds the GIL for
tens of milliseconds at a time while it does, so the bot calls them through the async
wrappers in `bot.cards.worker`, which run them in another process.
"""

from __future__ import annotations

from collections.abc import Callable
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


def _png(draw: Callable[[Card, Fonts], Image.Image], card: Card, fonts: Fonts | None) -> bytes:
    return encode_png(draw(card, fonts or default_fonts()))


def render_leaderboard(card: LeaderboardCard, fonts: Fonts | None = None) -> bytes:
    """PNG bytes of a leaderboard card (up to 25 rows drawn)."""
    return _png(draw_leaderboard, card, fonts)


def render_personal(card: PersonalCard, fonts: Fonts | None = None) -> bytes:
    """PNG bytes of one member's card."""
    return _png(draw_personal, card, fonts)


def render_group(card: GroupCard, fonts: Fonts | None = None) -> bytes:
    """PNG bytes of a group's card (up to 10 member rows drawn)."""
    return _png(draw_group, card, fonts)


def render_money_flow(card: MoneyFlowCard, fonts: Fonts | None = None) -> bytes:
    """PNG bytes of the where-the-money-goes card."""
    return _png(draw_money_flow, card, fonts)


def clear_caches() -> None:
    """Forget laid-out text and decoded avatars: the next render starts cold (benchmarks)."""
    text.clear_caches()
    avatars.CACHE.clear()


def warm_up() -> None:
    """Find the OS fonts and read their character maps now (about a second with many)."""
    default_fonts().warm_up()
