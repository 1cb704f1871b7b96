"""Tallies as pictures: the cards of /tally leaderboard, /tally show and /group show, built
from what economy computed (every figure formatted here, drawn by `bot.cards` in its worker
process), plus the text answer kept beside them for screen readers.

`style: text` answers with the text alone; a card that cannot be drawn (the worker died)
leaves the text answer as it is.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

import discord
from discord import app_commands

from bot.cards import (
    CardRow,
    CardWorkerError,
    GroupCard,
    LeaderboardCard,
    PersonalCard,
    Progress,
    Stat,
    render_group_async,
    render_leaderboard_async,
    render_personal_async,
)
from bot.client import GiftBot
from bot.context import Ask
from commands._goal_render import goal_bar
from economy.boards import board_fractions, share_of
from economy.quotes import PayoutQuote, Shown
from economy.storage import By, Group, LeaderboardRow, MemberTally, MemberTotal
from economy.tally_goals import GoalProgress

log = logging.getLogger(__name__)

Card = TypeVar("Card")
STYLE_CHOICES = [
    app_commands.Choice(name="Picture and text", value="card"),
    app_commands.Choice(name="Text only", value="text"),
]
STYLE_DESCRIPTION = "Picture and text, or text only (default: picture)"
GROUP_CARD_ROWS = 10


def wants_card(style: app_commands.Choice[str] | None) -> bool:
    """Pictures unless the reader asked for text only."""
    return style is None or style.value != "text"


async def picture(
    render: Callable[[Card], Awaitable[bytes]], card: Card, filename: str, alt: str
) -> discord.File | None:
    """The card as an attachment, or None when it could not be drawn (the text still goes)."""
    try:
        png = await render(card)
    except (CardWorkerError, OSError, ValueError) as error:
        log.warning("Card %s not drawn: %r", filename, error)
        return None
    return discord.File(io.BytesIO(png), filename=filename, description=alt[:1000])


def show_in(embed: discord.Embed, file: discord.File | None) -> None:
    """Put the attached card inside the embed, under its text."""
    if file is not None:
        embed.set_image(url=f"attachment://{file.filename}")


async def people_pictures(
    bot: GiftBot,
    guild_id: int,
    user_ids: Iterable[int],
    present: Sequence[discord.abc.User] = (),
) -> tuple[dict[int, str], dict[int, bytes]]:
    """Names and avatars for people on a card: as seen at their last write, and fresher for
    the people this interaction carries (the caller, resolved members)."""
    wanted = set(user_ids) | {user.id for user in present}
    seen = await bot.storage.ledger.names(guild_id, wanted)
    names = {user_id: s.name for user_id, s in seen.items()}
    addresses: dict[int, str | None] = {user_id: s.avatar for user_id, s in seen.items()}
    for user in present:
        names[user.id] = user.display_name
        addresses[user.id] = user.display_avatar.url
    return names, await bot.avatars.fetch({k: v for k, v in addresses.items() if k in wanted})


def local(ask: Ask, amount: Shown) -> str:
    """A USD amount shown in the reader's currency when it has one beside it."""
    if amount.beside is not None and amount.beside_currency is not None:
        return ask.money(amount.beside, amount.beside_currency)
    return ask.money(amount.amount, amount.currency)


def take_home(ask: Ask, quote: PayoutQuote) -> str:
    """The net of a payout in the reader's currency, as the text answer shows it."""
    parts = quote.parts.beside or quote.parts.usd
    return ask.shown_part(parts.net, parts.currency)


def diamonds_text(ask: Ask, diamonds: Decimal | int) -> str:
    return ask.t("card.diamonds", diamonds=ask.number(diamonds))


def value_text(ask: Ask, by: By, value: Decimal | int) -> str:
    if by == "received":
        return diamonds_text(ask, value)
    return ask.t("card.coins", plural=value, coins=ask.number(value))


def person_name(ask: Ask, user_id: int | None, stored: str | None, names: Mapping[int, str]) -> str:
    """A member's name as last seen, a TikTok name as typed, else a placeholder."""
    if user_id is None:
        return stored or "?"
    return names.get(user_id) or stored or ask.t("card.member", digits=str(user_id)[-4:])


def board_row(
    ask: Ask,
    by: By,
    row: LeaderboardRow,
    fraction: Decimal,
    names: Mapping[int, str],
    pictures: Mapping[int, bytes],
    viewer_id: int,
) -> CardRow:
    return CardRow(
        rank=row.rank,
        name=person_name(ask, row.user_id, row.name, names),
        value_text=value_text(ask, by, row.value),
        fraction=float(fraction),
        avatar_png=pictures.get(row.user_id) if row.user_id is not None else None,
        detail_text=ask.t("card.tiktok") if row.user_id is None else "",
        highlight=row.user_id == viewer_id,
        rank_text=ask.number(row.rank) if row.rank >= 1000 else "",
    )


def board_card(
    ask: Ask,
    title: str,
    by: By,
    rows: Sequence[LeaderboardRow],
    viewer: LeaderboardRow | None,
    viewer_id: int,
    names: Mapping[int, str],
    pictures: Mapping[int, bytes],
) -> LeaderboardCard:
    """A leaderboard: its rows, and the viewer's own row pinned under them when not among
    them."""
    fractions = board_fractions([row.value for row in rows])
    card_rows = tuple(
        board_row(ask, by, row, fraction, names, pictures, viewer_id)
        for row, fraction in zip(rows, fractions, strict=True)
    )
    pinned = None
    if viewer is not None and all(row.key != viewer.key for row in rows):
        top = rows[0].value if rows else viewer.value
        fraction = share_of(viewer.value, top)
        pinned = board_row(ask, by, viewer, fraction, names, pictures, viewer_id)
    return LeaderboardCard(
        title=title,
        subtitle=ask.t(f"card.board_{by}"),
        rows=card_rows,
        footer=ask.footer(),
        pinned=pinned,
        pinned_label=ask.t("tally.leaderboard.you"),
        empty_text=ask.t("tally.leaderboard.empty"),
    )


def minimum_bar(ask: Ask, quote: PayoutQuote) -> Progress:
    """The way to the minimum withdrawal."""
    result = quote.payout
    note = (
        ask.t("card.can_cash_out")
        if result.reached
        else ask.t(
            "goal.to_go",
            plural=result.diamonds_to_minimum,
            diamonds=ask.number(result.diamonds_to_minimum),
        )
    )
    return Progress(
        ask.t("card.to_minimum", minimum=local(ask, quote.minimum)),
        ask.t(
            "card.of_diamonds",
            diamonds=ask.number(result.diamonds),
            target=ask.number(result.minimum_diamonds),
        ),
        float(result.progress),
        note,
    )


def personal_card(
    ask: Ask,
    name: str,
    tally: MemberTally,
    quote: PayoutQuote,
    goal: GoalProgress | None,
    avatar: bytes | None,
) -> PersonalCard:
    """A member's periods, the way to cashing out and to their goal."""
    summary = tally.all_time

    def stat(label: str, diamonds: Decimal, entries: int) -> Stat:
        return Stat(label, diamonds_text(ask, diamonds), ask.t("card.entries", entries=entries))

    rank = (
        ask.t("card.rank", rank=ask.number(summary.rank_received))
        if summary.rank_received is not None
        else ask.t("tally.show.unranked")
    )
    given = ask.t("card.given", plural=summary.coins_given, coins=ask.number(summary.coins_given))
    progress = [minimum_bar(ask, quote)]
    if goal is not None:
        progress.append(goal_bar(ask, goal))
    return PersonalCard(
        title=ask.t("card.personal_title"),
        name=name,
        subtitle=f"{rank} · {given}",
        stats=(
            stat(ask.t("card.week"), tally.week.diamonds_received, tally.week.entries_received),
            stat(ask.t("card.month"), tally.month.diamonds_received, tally.month.entries_received),
            stat(ask.t("card.all_time"), summary.diamonds_received, summary.entries_received),
        ),
        progress=tuple(progress),
        footer=ask.footer(),
        avatar_png=avatar,
    )


def group_card(
    ask: Ask,
    group: Group,
    members: Sequence[MemberTotal],
    quote: PayoutQuote,
    goal: GoalProgress | None,
    names: Mapping[int, str],
    pictures: Mapping[int, bytes],
) -> GroupCard:
    """A group's totals, its goal and its top members."""
    top = members[:GROUP_CARD_ROWS]
    fractions = board_fractions([m.diamonds_received for m in top])
    rows = tuple(
        CardRow(
            rank=position,
            name=person_name(ask, member.user_id, None, names),
            value_text=diamonds_text(ask, member.diamonds_received),
            fraction=float(fraction),
            avatar_png=pictures.get(member.user_id),
        )
        for position, (member, fraction) in enumerate(zip(top, fractions, strict=True), 1)
    )
    return GroupCard(
        title=group.name,
        subtitle=ask.t("card.group_subtitle"),
        stats=(
            Stat(ask.t("group.show.members"), ask.number(len(members))),
            Stat(ask.t("card.all_time"), diamonds_text(ask, quote.payout.diamonds)),
            Stat(
                ask.t("card.take_home"),
                take_home(ask, quote),
                ask.t("card.after_cut", cut=ask.percent(quote.cashout_cut)),
            ),
        ),
        goal=goal_bar(ask, goal) if goal is not None else None,
        rows=rows,
        footer=ask.footer(),
        rows_label=ask.t("card.top_members"),
    )


async def board_picture(
    interaction: discord.Interaction[GiftBot],
    ask: Ask,
    guild_id: int,
    title: str,
    by: By,
    rows: Sequence[LeaderboardRow],
    viewer: LeaderboardRow | None,
) -> discord.File | None:
    """A leaderboard's card, with the names and avatars of the people on it."""
    people = [row.user_id for row in (*rows, viewer) if row is not None and row.user_id]
    names, pictures = await people_pictures(
        interaction.client, guild_id, people, [interaction.user]
    )
    card = board_card(ask, title, by, rows, viewer, interaction.user.id, names, pictures)
    return await picture(render_leaderboard_async, card, "leaderboard.png", ask.t("card.alt_board"))


async def personal_picture(
    interaction: discord.Interaction[GiftBot],
    ask: Ask,
    person: discord.abc.User,
    tally: MemberTally,
    quote: PayoutQuote,
    goal: GoalProgress | None,
) -> discord.File | None:
    """A member's card, with their avatar as Discord shows it now."""
    pictures = await interaction.client.avatars.fetch({person.id: person.display_avatar.url})
    card = personal_card(ask, person.display_name, tally, quote, goal, pictures.get(person.id))
    return await picture(render_personal_async, card, "tally.png", ask.t("card.alt_personal"))


async def group_picture(
    interaction: discord.Interaction[GiftBot],
    ask: Ask,
    group: Group,
    members: Sequence[MemberTotal],
    quote: PayoutQuote,
    goal: GoalProgress | None,
) -> discord.File | None:
    """A group's card, with the names and avatars of its top members."""
    top = [member.user_id for member in members[:GROUP_CARD_ROWS]]
    present = [interaction.user] if interaction.user.id in top else []
    names, pictures = await people_pictures(interaction.client, group.guild_id, top, present)
    card = group_card(ask, group, members, quote, goal, names, pictures)
    return await picture(render_group_async, card, "group.png", ask.t("card.alt_group"))
