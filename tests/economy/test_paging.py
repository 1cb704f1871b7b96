"""Paging: pages are clamped, complete and never overlap."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from economy.errors import InvalidValue
from economy.paging import Page, paginate


def test_a_middle_page() -> None:
    page = paginate(range(10), 2, 3)
    assert page == Page(items=(3, 4, 5), page=2, pages=4, total=10, per_page=3)
    assert page.offset == 3
    assert page.has_previous and page.has_next


def test_the_last_page_may_be_short() -> None:
    page = paginate("abcdefg", 3, 3)
    assert page.items == ("g",)
    assert page.has_previous and not page.has_next


def test_an_empty_listing_has_one_empty_page() -> None:
    page = paginate([], 5, 10)
    assert (page.items, page.page, page.pages, page.total) == ((), 1, 1, 0)
    assert not page.has_previous and not page.has_next


@pytest.mark.parametrize(("asked", "shown"), [(-3, 1), (0, 1), (1, 1), (4, 4), (5, 4), (10**9, 4)])
def test_page_number_is_clamped(asked: int, shown: int) -> None:
    assert paginate(range(10), asked, 3).page == shown


@pytest.mark.parametrize("per_page", [0, -1])
def test_per_page_must_be_positive(per_page: int) -> None:
    with pytest.raises(InvalidValue):
        paginate(range(3), 1, per_page)


@given(
    items=st.lists(st.integers(), max_size=60),
    per_page=st.integers(min_value=1, max_value=15),
    page=st.integers(min_value=-5, max_value=20),
)
def test_any_page_is_within_bounds(items: list[int], per_page: int, page: int) -> None:
    result = paginate(items, page, per_page)
    assert 1 <= result.page <= result.pages
    assert result.total == len(items)
    assert len(result.items) <= per_page
    assert result.items == tuple(items[result.offset : result.offset + per_page])
    assert (result.pages - 1) * per_page < max(len(items), 1) <= result.pages * per_page


@given(items=st.lists(st.integers(), max_size=60), per_page=st.integers(min_value=1, max_value=15))
def test_all_pages_together_are_the_listing(items: list[int], per_page: int) -> None:
    pages = paginate(items, 1, per_page).pages
    joined = [item for n in range(1, pages + 1) for item in paginate(items, n, per_page).items]
    assert joined == items
