"""Splitting an amount by weight: shares add up to the cent and stay near the exact share."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from economy.errors import InvalidValue
from economy.splits import split_proportionally

CENT = Decimal("0.01")


def test_three_ways_the_extra_cent_goes_to_the_smallest_id() -> None:
    shares = split_proportionally(Decimal(100), {3: 1, 1: 1, 2: 1}, CENT)
    assert shares == {1: Decimal("33.34"), 2: Decimal("33.33"), 3: Decimal("33.33")}


def test_weights_and_largest_remainder() -> None:
    # 10.00 by 2:1 -> 6.666... and 3.333...: the larger remainder (6.666) gets the cent
    assert split_proportionally(Decimal(10), {10: 2, 20: 1}, CENT) == {
        10: Decimal("6.67"),
        20: Decimal("3.33"),
    }
    # 1.00 by 7:2:1 is exact
    assert split_proportionally(Decimal(1), {1: 7, 2: 2, 3: 1}, CENT) == {
        1: Decimal("0.70"),
        2: Decimal("0.20"),
        3: Decimal("0.10"),
    }


def test_total_is_rounded_half_up_to_the_quantum_first() -> None:
    shares = split_proportionally(Decimal("10.005"), {1: 1, 2: 1}, CENT)
    assert shares == {1: Decimal("5.01"), 2: Decimal("5.00")}
    assert sum(shares.values()) == Decimal("10.01")


def test_whole_rupiah() -> None:
    shares = split_proportionally(Decimal("1000.4"), {5: 1, 6: 1, 7: 1}, Decimal(1))
    assert shares == {5: 334, 6: 333, 7: 333}


def test_zero_and_empty_weights() -> None:
    assert split_proportionally(Decimal(9), {1: 0, 2: 0, 3: 0}, CENT) == {
        1: Decimal(3),
        2: Decimal(3),
        3: Decimal(3),
    }
    assert split_proportionally(Decimal(9), {1: 0, 2: 4}, CENT) == {1: 0, 2: Decimal(9)}
    assert split_proportionally(Decimal(9), {}, CENT) == {}


def test_negative_total_mirrors_the_positive_one() -> None:
    shares = split_proportionally(Decimal(-100), {1: 1, 2: 1, 3: 1}, CENT)
    assert shares == {1: Decimal("-33.34"), 2: Decimal("-33.33"), 3: Decimal("-33.33")}


def test_bad_weights_and_quantum() -> None:
    with pytest.raises(InvalidValue):
        split_proportionally(Decimal(1), {1: -1, 2: 2}, CENT)
    with pytest.raises(InvalidValue):
        split_proportionally(Decimal(1), {1: 1.5}, CENT)  # type: ignore[dict-item]
    for quantum in (Decimal(0), Decimal(-1), Decimal("NaN")):
        with pytest.raises(InvalidValue):
            split_proportionally(Decimal(1), {1: 1}, quantum)


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(0, 10**12),
    weights=st.dictionaries(st.integers(1, 10**18), st.integers(0, 10**6), min_size=1, max_size=12),
    quantum=st.sampled_from([Decimal("0.01"), Decimal(1), Decimal("0.05"), Decimal(100)]),
)
def test_shares_sum_exactly_and_stay_within_a_quantum(
    cents: int, weights: dict[int, int], quantum: Decimal
) -> None:
    total = Decimal(cents) / 1000  # three decimals: rounding to the quantum matters
    shares = split_proportionally(total, weights, quantum)
    units = (total / quantum).to_integral_value(rounding=ROUND_HALF_UP)
    rounded = units * quantum
    assert set(shares) == set(weights)
    assert sum(shares.values()) == rounded
    whole = sum(weights.values())
    for who, share in shares.items():
        assert share >= 0
        assert (share / quantum) == (share / quantum).to_integral_value()
        exact = (
            Fraction(rounded) * weights[who] / whole if whole else Fraction(rounded) / len(weights)
        )
        assert abs(Fraction(share) - exact) < Fraction(quantum)
