"""The "Where the viewer's money goes" picture under a /gift value answer: store price, TikTok's
and the app store's part, the creator's diamonds, the cut at cash-out, what the creator takes
home. Every figure comes from the quote's `MoneyFlow`; the card only draws them.

The text answer goes out first; the picture is drawn in the card worker process (never on the
event loop) after the handler returns (`GiftBot.later`) and added to the same message when it
is ready. The same card is drawn once: recent PNGs are kept (the same gift, count, store and
server figures give the same card). When `MAX_WAITING` pictures are already waiting (a burst),
new answers go without one rather than get a picture minutes late; a picture that cannot be
drawn in time is left out (logged). Either way the answer stands.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections import OrderedDict

import discord

from bot.cards.models import FlowSegment, FlowStage, MoneyFlowCard
from bot.cards.worker import CardWorkerError, render_money_flow_async
from bot.client import GiftBot
from bot.context import Ask
from bot.respond import attach
from commands._purchase import store_name
from economy.quotes import GiftQuote, exchange_used

FILE_NAME = "money-flow.png"
RENDER_TIMEOUT = 10.0  # seconds: the first render also starts the worker process
CACHED_CARDS = 256
MAX_WAITING = 20  # pictures waiting to be drawn before new answers go without one

log = logging.getLogger(__name__)
_drawn: OrderedDict[MoneyFlowCard, bytes] = OrderedDict()


def flow_card(ask: Ask, quote: GiftQuote) -> MoneyFlowCard | None:
    """The card of a gift quote, in the asker's language and display currency; None when the
    figures make no flow (nothing paid, or a creator paid more than the viewer)."""
    flow = quote.flow
    if flow is None:
        return None
    money = ask.shown_part
    code = flow.currency
    stages = (
        FlowStage(ask.t("gift.flow.paid"), money(flow.paid, code)),
        FlowStage(ask.t("gift.flow.coins"), ask.number(quote.coins)),
        FlowStage(ask.t("gift.flow.diamonds"), ask.number(quote.diamonds)),
        FlowStage(ask.t("gift.flow.gross"), money(flow.gross, code)),
        FlowStage(ask.t("gift.flow.net"), money(flow.net, code)),
    )
    parts = [(ask.t("gift.flow.kept"), flow.kept, flow.kept_share)]
    if flow.cut.value:  # no cut at cash-out (TikTok's model): no segment for it
        parts.append((ask.t("gift.flow.cut"), flow.cut, flow.cut_share))
    parts.append((ask.t("gift.flow.take_home"), flow.net, flow.net_share))
    segments = [
        FlowSegment(label, money(amount, code), float(share), ask.percent(share))
        for label, amount, share in parts
    ]
    return MoneyFlowCard(
        title=ask.t("gift.flow.title"),
        subtitle=ask.t(
            "gift.flow.subtitle",
            gift=quote.gift.name,
            count=ask.number(quote.count),
            store=store_name(ask, quote.viewer.choice.store),
        ),
        total_label=ask.t("gift.flow.paid_label"),
        total_text=money(flow.paid, code),
        stages=stages,
        segments=tuple(segments),
        footer=ask.footer(exchange_used(quote)),
    )


async def draw(card: MoneyFlowCard) -> bytes | None:
    """The card's PNG, from the recent ones or drawn in the worker; None if it failed."""
    cached = _drawn.get(card)
    if cached is not None:
        _drawn.move_to_end(card)
        return cached
    try:
        png = await asyncio.wait_for(render_money_flow_async(card), RENDER_TIMEOUT)
    except (TimeoutError, CardWorkerError, OSError) as error:
        log.warning("Money-flow card not drawn: %r", error)
        return None
    except Exception:  # the picture is extra: whatever breaks it, the answer stands
        log.exception("Money-flow card not drawn")
        return None
    _drawn[card] = png
    while len(_drawn) > CACHED_CARDS:
        _drawn.popitem(last=False)
    return png


def with_picture(embed: discord.Embed, png: bytes, alt: str) -> discord.File:
    """Show `png` as the embed's picture; the file to send with it (`alt`: its text)."""
    embed.set_image(url=f"attachment://{FILE_NAME}")
    return discord.File(io.BytesIO(png), filename=FILE_NAME, description=alt)


def add_picture_later(
    interaction: discord.Interaction[GiftBot],
    ask: Ask,
    quote: GiftQuote,
    embed: discord.Embed,
    view: discord.ui.View | None,
) -> None:
    """After the answer (`embed`, `view`) is sent: draw the quote's card and add it to it."""
    card = flow_card(ask, quote)
    bot = interaction.client
    if card is None:
        return
    if card not in _drawn and bot.pending_later >= MAX_WAITING:
        log.info("Money-flow card skipped: %d pictures are waiting", bot.pending_later)
        return
    bot.later(_add_picture(interaction, card, embed, view))


async def _add_picture(
    interaction: discord.Interaction[GiftBot],
    card: MoneyFlowCard,
    embed: discord.Embed,
    view: discord.ui.View | None,
) -> None:
    png = await draw(card)
    if png is not None:
        file = with_picture(embed, png, card.title)
        await attach(interaction, embed=embed, file=file, view=view)
