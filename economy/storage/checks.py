"""Argument checks every storage backend makes before it writes or reads."""

from __future__ import annotations

from economy.errors import InvalidValue, OutOfRange
from economy.limits import MAX_PAGE


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
