"""Tally rules: what an entry is worth, who gave it, who may record it, and the ledger as rows
for an export."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from economy.conversions import GiftLike, check_amount, check_count, diamonds_for
from economy.errors import OutOfRange
from economy.limits import MAX_AMOUNT, MAX_COUNT
from economy.names import clean_tiktok_name
from economy.rates import RateCard
from economy.storage import Entry, Gifter, GuildSettings, LedgerStore, Recorded, Seen

LEDGER_COLUMNS = (
    "entry_id",
    "created_at_utc",
    "recipient_id",
    "gifter_id",
    "gifter_name",
    "recorded_by",
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
    """What one tally entry records: the gift (None for raw diamonds), count, coins, and the
    exact diamonds they give."""

    gift_name: str | None
    count: int
    coins: int
    diamonds: Decimal


@dataclass(frozen=True)
class Who:
    """The people of one write: who received, who gave (None: not said), who recorded it,
    and the names Discord showed for them."""

    recipient_id: int
    recorder_id: int
    gifter: Gifter | None = None
    seen: tuple[Seen, ...] = ()


def value_gifts(gift: GiftLike, count: int, rates: RateCard) -> EntryValue:
    """`count` of `gift` as a tally entry: its coins and the exact diamonds they give."""
    count = check_count(count)
    coins = gift.coins * count
    return EntryValue(gift.name, count, coins, diamonds_for(coins, rates))


def parse_count(typed: str) -> int:
    """A count typed as text (a form field): digits, with spaces or the `,` `.` `_` people
    group thousands with; 1..MAX_COUNT, else `OutOfRange` naming what was typed."""
    digits = "".join(c for c in typed.strip() if c not in " ,._\u00a0\u202f")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 9:
        raise OutOfRange("count", typed.strip()[:20], 1, MAX_COUNT)
    return check_count(int(digits))


def value_diamonds(diamonds: int) -> EntryValue:
    """Diamonds recorded as they are (no gift): 1..MAX_AMOUNT."""
    check_amount(diamonds, "diamonds", 1, MAX_AMOUNT)
    return EntryValue(None, 1, 0, Decimal(diamonds))


def tiktok_gifter(raw: str) -> Gifter:
    """A gifter typed as a TikTok name (bounded and normalised; shown inert, never pinging)."""
    return Gifter.tiktok(clean_tiktok_name(raw))


async def record(ledger: LedgerStore, guild_id: int, who: Who, value: EntryValue) -> Recorded:
    """Store a valued entry; returns it with the recipient's new total."""
    return await ledger.add_entry(
        guild_id,
        who.recipient_id,
        who.recorder_id,
        gifter=who.gifter,
        gift_name=value.gift_name,
        count=value.count,
        coins=value.coins,
        diamonds=value.diamonds,
        seen=who.seen,
    )


async def record_gifts(
    ledger: LedgerStore, guild_id: int, who: Who, gift: GiftLike, count: int, rates: RateCard
) -> Recorded:
    """Record `count` of `gift` received by `who.recipient_id`, valued with `rates`."""
    return await record(ledger, guild_id, who, value_gifts(gift, count, rates))


async def record_diamonds(ledger: LedgerStore, guild_id: int, who: Who, diamonds: int) -> Recorded:
    """Record diamonds received as they are (no gift)."""
    return await record(ledger, guild_id, who, value_diamonds(diamonds))


def entry_status(entry: Entry) -> str:
    """`active`, `undone` or `archived`."""
    if entry.undone:
        return "undone"
    if entry.archived is not None:
        return "archived"
    return "active"


def inert_text(value: str) -> str:
    """A CSV cell a spreadsheet will not run: text starting = + - @ (or tab/CR) gets a `'`."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def ledger_row(entry: Entry) -> list[object]:
    """One export row, in `LEDGER_COLUMNS` order, safe to open in a spreadsheet (the two
    text cells people type, gift and gifter names, are made inert; the rest are numbers,
    dates and fixed words)."""
    gifter = entry.gifter
    return [
        entry.id,
        entry.created_at.isoformat(),
        entry.recipient_id,
        gifter.user_id if gifter and gifter.user_id is not None else "",
        inert_text(gifter.name) if gifter else "",
        entry.recorder_id,
        inert_text(entry.gift_name) if entry.gift_name is not None else "",
        entry.count,
        entry.coins,
        entry.diamonds,
        entry_status(entry),
        entry.archived if entry.archived is not None else "",
    ]


def may_record_for_others(settings: GuildSettings | None, *, is_manager: bool) -> bool:
    """Whether someone may record gifts another member received: managers always, others
    when the server allows everyone (`/settings tally-others`)."""
    return is_manager or (settings is not None and settings.tally_others == "everyone")
