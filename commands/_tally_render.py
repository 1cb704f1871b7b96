"""Helpers shared by /tally and /group: option checks, labels, paging, the CSV export."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import AsyncIterable

import discord
from discord import app_commands

from bot.context import Ask
from bot.render import safe
from bot.tree import UserError
from economy.conversions import MAX_AMOUNT, MAX_COUNT
from economy.errors import OutOfRange
from economy.storage import Entry
from economy.storage.base import BY_VALUES, PERIOD_VALUES, By, Period

GUILD_CONTEXTS = app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)

BY_CHOICES = [
    app_commands.Choice(name="Diamonds received", value="received"),
    app_commands.Choice(name="Coins sent", value="sent"),
]
PERIOD_CHOICES = [
    app_commands.Choice(name="All time", value="all"),
    app_commands.Choice(name="This month", value="month"),
    app_commands.Choice(name="This week", value="week"),
]

CSV_COLUMNS = (
    "entry_id",
    "created_at_utc",
    "recipient_id",
    "sender_id",
    "gift",
    "count",
    "coins",
    "diamonds",
    "status",
    "archive_id",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# -- guards --------------------------------------------------------------------------------


def require_person(user: discord.abc.User) -> discord.abc.User:
    """Refuse bots (tallies are for people); former members are fine (their rows remain)."""
    if user.bot:
        raise UserError("error.is_a_bot", name=safe(user.name))
    return user


def check_choice(value: str, allowed: tuple[str, ...]) -> str:
    """A choice option must be one of its choices (Discord checks; a stale client may not)."""
    if value not in allowed:
        raise UserError("error.bad_option", value=safe(str(value))[:60])
    return value


def check_by(value: str) -> By:
    return check_choice(value, BY_VALUES)  # type: ignore[return-value]


def check_period(value: str) -> Period:
    return check_choice(value, PERIOD_VALUES)  # type: ignore[return-value]


def check_count(ask: Ask, count: int) -> int:
    """1..1,000,000 gifts in one entry (Discord enforces the range; this is the backstop)."""
    if not 1 <= count <= MAX_COUNT:
        raise OutOfRange("count", count, ask.number(1), ask.number(MAX_COUNT))
    return count


def check_diamonds(ask: Ask, amount: int) -> int:
    """1..10^12 raw diamonds in one entry."""
    if not 1 <= amount <= MAX_AMOUNT:
        raise OutOfRange("diamonds", amount, ask.number(1), ask.number(MAX_AMOUNT))
    return amount


# -- labels --------------------------------------------------------------------------------


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


def page_count(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def add_page_field(ask: Ask, embed: discord.Embed, page: int, pages: int) -> None:
    if pages > 1:
        embed.add_field(
            name="\u200b", value=ask.t("common.page", page=page, pages=pages), inline=False
        )


# -- export ----------------------------------------------------------------------------------


def inert_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text starting = + - @ (or tab/CR) gets a `'`."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def entry_row(entry: Entry) -> list[object]:
    if entry.undone:
        status = "undone"
    elif entry.archived is not None:
        status = "archived"
    else:
        status = "active"
    cells: list[object] = [
        entry.id,
        entry.created_at.isoformat(),
        entry.recipient_id,
        entry.sender_id,
        entry.gift_name if entry.gift_name is not None else "",
        entry.count,
        entry.coins,
        entry.diamonds,
        status,
        entry.archived if entry.archived is not None else "",
    ]
    return [inert_cell(cell) for cell in cells]


async def ledger_csv(entries: AsyncIterable[Entry]) -> tuple[bytes, int]:
    """The ledger as UTF-8 CSV (with a BOM so spreadsheets read emoji right) and its row count."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    rows = 0
    async for entry in entries:
        writer.writerow(entry_row(entry))
        rows += 1
    return buffer.getvalue().encode("utf-8-sig"), rows
