"""Argument checks every storage backend makes before it writes or reads."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from economy.errors import AlreadyExists, InvalidValue, LimitReached, LooksLike, OutOfRange
from economy.limits import MAX_AMOUNT, MAX_COUNT, MAX_PAGE
from economy.names import clean_name, look_key, name_key
from economy.storage.ledger import to_milli


def check_range(what: str, value: int, minimum: int, maximum: int) -> None:
    """OutOfRange unless `value` is an int with minimum <= value <= maximum."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(what, "must be a whole number")
    if not minimum <= value <= maximum:
        raise OutOfRange(what, value, minimum, maximum)


def check_page(offset: int, limit: int) -> None:
    """Programming errors in paging arguments."""
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"need offset >= 0 and 1 <= limit <= {MAX_PAGE}")


def check_entry(gift_name: str | None, count: int, coins: int, diamonds: Decimal | int) -> int:
    """The checks of a new tally line; returns its diamonds in stored thousandths."""
    if gift_name is not None and not gift_name.strip():
        raise InvalidValue("gift name", "must not be empty")
    check_range("count", count, 1, MAX_COUNT)
    check_range("coins", coins, 0, MAX_AMOUNT)
    if not 0 <= diamonds <= MAX_AMOUNT:
        raise OutOfRange("diamonds", diamonds, 0, MAX_AMOUNT)
    return to_milli(diamonds)


def stored_text(text: str, limit: int | None = None) -> str:
    """A name from Discord or a caller as both backends keep it: NUL characters dropped
    (PostgreSQL's text cannot hold one, so SQLite does not keep them either), then cut to
    `limit` characters."""
    return text.replace("\x00", "")[:limit]


def group_key(name: str) -> str:
    """The lookup key of a typed group name; BadName when no group could be called that."""
    return name_key(clean_name(name, "group name"))


def check_new_name(
    existing: Sequence[Sequence[str]], clean: str, what: str, limit: tuple[str, int]
) -> None:
    """Refuse a new name (already cleaned) among the server's (name, name_key) rows:
    AlreadyExists when taken, LooksLike when it only looks the same, LimitReached when the
    server has `limit` = (what, how many) already. Call it inside the write that adds it."""
    key, looks = name_key(clean), look_key(clean)
    for name, existing_key in existing:
        if existing_key == key:
            raise AlreadyExists(what, clean)
        if look_key(name) == looks:
            raise LooksLike(what, clean, name)
    if len(existing) >= limit[1]:
        raise LimitReached(*limit)
