"""Helpers shared by /tally and /group: option checks, labels, the confirm view, the CSV."""

from __future__ import annotations

import contextlib
import csv
import io
import math
from collections.abc import AsyncIterable, Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.context import Ask
from bot.i18n import t
from bot.render import safe
from bot.tree import UserError, report_error
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

CONFIRM_TIMEOUT_SECONDS = 60.0
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
        raise UserError("error.is_a_bot", name=discord.utils.escape_mentions(user.name))
    return user


def check_choice(value: str, allowed: tuple[str, ...]) -> str:
    """A choice option must be one of its choices (Discord checks; a stale client may not)."""
    if value not in allowed:
        shown = discord.utils.escape_mentions(discord.utils.escape_markdown(str(value)))[:60]
        raise UserError("error.bad_option", value=shown)
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


# -- confirmation ----------------------------------------------------------------------------

EmbedMaker = Callable[[discord.Interaction], Awaitable[discord.Embed]]


class ConfirmView(discord.ui.View):
    """Confirm / Cancel buttons only the caller may press; they expire to "nothing changed"."""

    def __init__(
        self,
        owner_id: int,
        *,
        locale: str,
        confirm_label: str,
        on_confirm: EmbedMaker,
        cancelled: discord.Embed,
        timed_out: discord.Embed,
        timeout: float | None = None,
    ) -> None:
        super().__init__(timeout=CONFIRM_TIMEOUT_SECONDS if timeout is None else timeout)
        self.owner_id = owner_id
        self.locale = locale
        self.on_confirm = on_confirm
        self.cancelled = cancelled
        self.timed_out = timed_out
        self.origin: discord.Interaction | None = None
        self.finished = False
        self.confirm.label = confirm_label
        self.cancel.label = t(locale, "tally.cancel_button")

    async def start(self, interaction: discord.Interaction, embed: discord.Embed) -> None:
        self.origin = interaction
        await interaction.response.send_message(embed=embed, view=self)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            t(interaction.locale, "common.only_caller"), ephemeral=True
        )
        return False

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger, custom_id="confirm:yes")
    async def confirm(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        if self.finished:
            return
        self.finished = True
        try:
            embed = await self.on_confirm(interaction)
        except BaseException:
            self.finished = False
            raise
        self.stop()
        await interaction.response.edit_message(embed=embed, view=None)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary, custom_id="confirm:no")
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        if self.finished:
            return
        self.finished = True
        self.stop()
        await interaction.response.edit_message(embed=self.cancelled, view=None)

    async def on_timeout(self) -> None:
        if self.finished:
            return
        self.finished = True
        if self.origin is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.origin.edit_original_response(embed=self.timed_out, view=None)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report_error(interaction, error)


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
