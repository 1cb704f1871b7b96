"""How /tally reads (and the labels /group shares): people, gifters, periods, entries,
pages, and the embeds of add, show and history."""

from __future__ import annotations

import discord

from bot.context import Ask
from bot.errors import UserError
from bot.render import answer
from bot.text import safe
from commands._payout_render import add_payout_fields
from economy.paging import page_count
from economy.quotes import PayoutQuote, exchange_used
from economy.storage import By, Entry, Gifter, LeaderboardRow, MemberTally, Period, Recorded

HISTORY_PER_PAGE = 10


def require_person(user: discord.abc.User) -> discord.abc.User:
    """Refuse bots (tallies are for people); former members are fine (their rows remain)."""
    if user.bot:
        raise UserError("error.is_a_bot", name=user.name)
    return user


def mention(user_id: int) -> str:
    """`<@id>`: shown as the member's name in embeds, never a ping (embeds do not ping)."""
    return f"<@{user_id}>"


def display_name(user: discord.abc.User) -> str:
    """The name people see, made inert for titles and text."""
    return safe(user.display_name)


def period_label(ask: Ask, period: Period) -> str:
    return ask.t(f"tally.period.{period}")


def entry_what(ask: Ask, gift_name: str | None, count: int) -> str:
    """`**Rose** × 5`, or `raw diamonds` for an entry recorded as diamonds."""
    if gift_name is None:
        return ask.t("tally.raw_diamonds")
    return ask.t("tally.gift_count", gift=safe(gift_name), count=ask.number(count))


def add_page_field(ask: Ask, embed: discord.Embed, page: int, pages: int) -> None:
    if pages > 1:
        embed.add_field(
            name="\u200b", value=ask.t("common.page", page=page, pages=pages), inline=False
        )


def gifter_label(ask: Ask, gifter: Gifter) -> str:
    """A member as a mention (never pings), a TikTok name as inert bold text."""
    if gifter.user_id is not None:
        return mention(gifter.user_id)
    return ask.t("tally.gifter_tiktok", name=safe(gifter.name))


def board_label(ask: Ask, row: LeaderboardRow) -> str:
    if row.user_id is not None:
        return mention(row.user_id)
    return ask.t("tally.gifter_tiktok", name=safe(row.name or "?"))


def board_line(ask: Ask, row: LeaderboardRow, by: By) -> str:
    """`**#2** @member · 1,000 diamonds` (received) or `... · 1 coin` (gifted)."""
    unit = "tally.diamonds" if by == "received" else "tally.coins"
    value = ask.number(row.value)
    return ask.t(
        "tally.leaderboard.line",
        rank=ask.number(row.rank),
        member=board_label(ask, row),
        value=ask.t(unit, plural=row.value, diamonds=value, coins=value),
    )


def added_embed(ask: Ask, recorded: Recorded) -> discord.Embed:
    entry = recorded.entry
    if entry.gift_name is None:
        line = ask.t(
            "tally.add.line_raw",
            plural=entry.diamonds,
            diamonds=ask.number(entry.diamonds),
            member=mention(entry.recipient_id),
        )
    else:
        what = entry_what(ask, entry.gift_name, entry.count)
        line = ask.t("tally.add.line", what=what, member=mention(entry.recipient_id))
    lines = [line]
    if entry.gifter is not None:
        lines.append(ask.t("tally.add.from", gifter=gifter_label(ask, entry.gifter)))
    if entry.recorder_id != entry.recipient_id:
        lines.append(ask.t("tally.add.by", member=mention(entry.recorder_id)))
    lines.append(ask.t("tally.add.undo_hint"))
    embed = answer(ask, ask.t("tally.add.title"), "\n".join(lines))
    embed.add_field(
        name=ask.t("tally.add.diamonds"), value=f"+{ask.number(entry.diamonds)}", inline=True
    )
    if entry.coins:
        embed.add_field(name=ask.t("tally.add.coins"), value=ask.number(entry.coins))
    embed.add_field(
        name=ask.t("tally.add.total"),
        value=ask.t(
            "tally.diamonds",
            plural=recorded.recipient_total,
            diamonds=ask.number(recorded.recipient_total),
        ),
    )
    return embed


def undone_embed(ask: Ask, entry: Entry) -> discord.Embed:
    """What an undo took off."""
    description = ask.t(
        "tally.undo.line" if entry.gift_name is not None else "tally.undo.line_raw",
        what=entry_what(ask, entry.gift_name, entry.count),
        member=mention(entry.recipient_id),
        plural=entry.diamonds,
        diamonds=ask.number(entry.diamonds),
    )
    return answer(ask, ask.t("tally.undo.title"), description)


def show_embed(ask: Ask, name: str, tally: MemberTally, quote: PayoutQuote) -> discord.Embed:
    """A member's totals, payout (`quote`: of their all-time diamonds), top gifts and what
    they sent."""
    summary = tally.all_time
    embed = answer(ask, ask.t("tally.show.title", name=name), exchange=exchange_used(quote))
    embed.add_field(name=ask.t("tally.show.received"), value=ask.number(summary.diamonds_received))
    rank = (
        ask.t("tally.show.rank_value", rank=ask.number(summary.rank_received))
        if summary.rank_received is not None
        else ask.t("tally.show.unranked")
    )
    embed.add_field(name=ask.t("tally.show.rank"), value=rank)
    embed.add_field(
        name=ask.t("tally.show.recent"),
        value=ask.t(
            "tally.show.recent_value",
            month=ask.number(tally.month.diamonds_received),
            week=ask.number(tally.week.diamonds_received),
        ),
    )
    add_payout_fields(ask, embed, quote)
    lines = [
        ask.t(
            "tally.show.gift_line",
            what=entry_what(ask, g.gift_name, g.count),
            plural=g.diamonds,
            diamonds=ask.number(g.diamonds),
        )
        for g in tally.top_gifts
    ]
    embed.add_field(
        name=ask.t("tally.show.top_gifts"),
        value="\n".join(lines) or ask.t("tally.show.no_gifts"),
        inline=False,
    )
    embed.add_field(name=ask.t("tally.show.given"), value=ask.number(summary.coins_given))
    return embed


def history_embed(
    ask: Ask, name: str, entries: list[Entry], count: int, page: int
) -> discord.Embed:
    """One page of a member's received entries, newest first."""
    lines = [
        ask.t(
            "tally.history.line" if e.gifter else "tally.history.line_no_gifter",
            when=discord.utils.format_dt(e.created_at, "d"),
            what=entry_what(ask, e.gift_name, e.count),
            plural=e.diamonds,
            diamonds=ask.number(e.diamonds),
            gifter=gifter_label(ask, e.gifter) if e.gifter else "",
            recorder=mention(e.recorder_id),
        )
        for e in entries
    ]
    embed = answer(
        ask,
        ask.t("tally.history.title", plural=count, name=name, total=ask.number(count)),
        "\n".join(lines) or ask.t("tally.history.empty"),
    )
    add_page_field(ask, embed, page, page_count(count, HISTORY_PER_PAGE))
    return embed
