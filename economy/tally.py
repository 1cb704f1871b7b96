"""Tally rules: what an entry is worth, and the ledger as rows for an export."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterable
from dataclasses import dataclass

from economy.conversions import GiftLike, check_amount, check_count, diamonds_for
from economy.limits import MAX_AMOUNT
from economy.rates import RateCard
from economy.storage import Entry, GuildSettings, LedgerStore, Recorded

LEDGER_COLUMNS = (
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


@dataclass(frozen=True)
class EntryValue:
    """What one tally entry records: the gift (None for raw diamonds), count, coins, diamonds."""

    gift_name: str | None
    count: int
    coins: int
    diamonds: int


def value_gifts(gift: GiftLike, count: int, rates: RateCard) -> EntryValue:
    """`count` of `gift` as a tally entry: its coins and the diamonds they give."""
    count = check_count(count)
    coins = gift.coins * count
    return EntryValue(gift.name, count, coins, diamonds_for(coins, rates))


def value_diamonds(diamonds: int) -> EntryValue:
    """Diamonds recorded as they are (no gift): 1..MAX_AMOUNT."""
    check_amount(diamonds, "diamonds", 1, MAX_AMOUNT)
    return EntryValue(None, 1, 0, diamonds)


async def record(
    ledger: LedgerStore, guild_id: int, recipient_id: int, sender_id: int, value: EntryValue
) -> Recorded:
    """Store a valued entry; returns it with the recipient's new total."""
    return await ledger.add_entry(
        guild_id,
        recipient_id,
        sender_id,
        gift_name=value.gift_name,
        count=value.count,
        coins=value.coins,
        diamonds=value.diamonds,
    )


async def record_gifts(
    ledger: LedgerStore,
    guild_id: int,
    recipient_id: int,
    sender_id: int,
    gift: GiftLike,
    count: int,
    rates: RateCard,
) -> Recorded:
    """Record `count` of `gift` received by `recipient_id`, valued with `rates`."""
    value = value_gifts(gift, count, rates)
    return await record(ledger, guild_id, recipient_id, sender_id, value)


async def record_diamonds(
    ledger: LedgerStore, guild_id: int, recipient_id: int, sender_id: int, diamonds: int
) -> Recorded:
    """Record diamonds received as they are (no gift)."""
    return await record(ledger, guild_id, recipient_id, sender_id, value_diamonds(diamonds))


def entry_status(entry: Entry) -> str:
    """`active`, `undone` or `archived`."""
    if entry.undone:
        return "undone"
    if entry.archived is not None:
        return "archived"
    return "active"


def inert_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text starting = + - @ (or tab/CR) gets a `'`."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def ledger_row(entry: Entry) -> list[object]:
    """One export row, in `LEDGER_COLUMNS` order, safe to open in a spreadsheet."""
    cells: list[object] = [
        entry.id,
        entry.created_at.isoformat(),
        entry.recipient_id,
        entry.sender_id,
        entry.gift_name if entry.gift_name is not None else "",
        entry.count,
        entry.coins,
        entry.diamonds,
        entry_status(entry),
        entry.archived if entry.archived is not None else "",
    ]
    return [inert_cell(cell) for cell in cells]


async def ledger_csv(entries: AsyncIterable[Entry]) -> tuple[bytes, int]:
    """The ledger as UTF-8 CSV (with a BOM so spreadsheets read emoji right) and its row count."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LEDGER_COLUMNS)
    rows = 0
    async for entry in entries:
        writer.writerow(ledger_row(entry))
        rows += 1
    return buffer.getvalue().encode("utf-8-sig"), rows


def may_record_for_others(settings: GuildSettings | None, *, is_manager: bool) -> bool:
    """Whether someone may record gifts another member received: managers always, others
    when the server allows everyone (`/settings tally-others`)."""
    return is_manager or (settings is not None and settings.tally_others == "everyone")
