"""Split a sequence into numbered pages (for embeds that list many rows)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from economy.arithmetic import ceil_div
from economy.errors import InvalidValue

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing; `page` is 1-based and always within `1..pages`."""

    items: tuple[T, ...]
    page: int
    pages: int
    total: int
    per_page: int

    @property
    def offset(self) -> int:
        """How many items come before this page (for numbering rows)."""
        return (self.page - 1) * self.per_page

    @property
    def has_previous(self) -> bool:
        """True unless this is the first page."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """True unless this is the last page."""
        return self.page < self.pages


def page_count(total: int, per_page: int) -> int:
    """Pages needed for `total` items; an empty listing still has one (empty) page."""
    return max(1, ceil_div(total, per_page))


def paginate(items: Iterable[T], page: int, per_page: int) -> Page[T]:
    """The `page`-th page (clamped into `1..pages`) of `items`, `per_page` at a time."""
    if per_page < 1:
        raise InvalidValue("per_page", f"{per_page} is below 1")
    rows = tuple(items)
    pages = page_count(len(rows), per_page)
    current = min(max(page, 1), pages)
    start = (current - 1) * per_page
    return Page(rows[start : start + per_page], current, pages, len(rows), per_page)
