"""Payout goals: gifts that reach a goal without a gift's worth too much, and goals in rupiah."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from economy.catalog import default_catalog
from economy.conversions import MAX_AMOUNT, diamonds_for, payout
from economy.errors import InvalidValue, Money, OutOfRange
from economy.goals import GoalOutOfRange, goal_gifts, goal_limits, goal_usd
from economy.rates import default_presets
from tests.support.economy import plain_gift

GUIDES = default_presets()["guides"]
TIKTOK = default_presets()["tiktok"]
FEATURED = default_catalog().featured
D = Decimal


def nets(coins: int) -> Decimal:
    return payout(diamonds_for(coins, GUIDES), GUIDES).net_usd


def test_a_two_fifty_goal_lists_galaxies_not_a_tiktok_universe() -> None:
    result = goal_gifts(D("2.50"), GUIDES, FEATURED)
    names = [route.gift.name for route in result.routes]
    assert "TikTok Universe" not in names  # one would be 20 times the goal
    first = result.routes[0]
    assert (first.gift.name, first.count, first.net_usd) == ("Galaxy", 2, D("2.5"))
    assert [route.count for route in result.routes] == sorted(r.count for r in result.routes)
    assert result.bigger is not None  # the smallest gift that alone nets more than USD 2.50
    assert (result.bigger.count, result.bigger.net_usd > D("2.50")) == (1, True)
    smaller_bigger = [g for g in FEATURED if nets(g.coins) > D("2.50")]
    assert result.bigger.gift.coins == min(g.coins for g in smaller_bigger)


@settings(max_examples=150, deadline=None)
@given(
    cents=st.integers(1, 10_000_000),
    sizes=st.lists(st.integers(1, 44_999), min_size=1, max_size=8, unique=True),
)
def test_every_route_reaches_the_goal_and_one_gift_fewer_does_not(
    cents: int, sizes: list[int]
) -> None:
    target = D(cents) / 100
    candidates = [plain_gift(f"Gift {coins}", coins) for coins in sizes]
    result = goal_gifts(target, GUIDES, candidates)
    for route in result.routes:
        assert route.net_usd == nets(route.coins) >= target
        assert nets(route.gift.coins * (route.count - 1)) < target
        assert nets(route.gift.coins) <= target  # no single gift bigger than the goal
    bigger = [c for c in candidates if nets(c.coins) > target]
    assert len(result.routes) + len(bigger) == len(candidates)
    if bigger:
        assert result.bigger is not None
        assert result.bigger.gift.coins == min(c.coins for c in bigger)
        assert result.bigger.net_usd == nets(result.bigger.gift.coins)
    else:
        assert result.bigger is None


def test_a_gift_worth_exactly_the_goal_is_a_route() -> None:
    result = goal_gifts(D("2.50"), GUIDES, [plain_gift("Galaxy", 1000), plain_gift("Double", 2000)])
    assert [(r.gift.name, r.count) for r in result.routes] == [("Double", 1), ("Galaxy", 2)]
    assert result.bigger is None
    repeated = goal_gifts(D(1), TIKTOK, [plain_gift("Rose", 1), plain_gift("Rose", 1)])
    assert [(r.gift.name, r.count) for r in repeated.routes] == [("Rose", 200)]


def test_a_goal_typed_in_rupiah() -> None:
    low, high = goal_limits("IDR", GUIDES)
    assert low == 179  # USD 0.01 at Rp17,840.80 a dollar, rounded up to a whole rupiah
    assert high == (MAX_AMOUNT * GUIDES.fx_rate("IDR")).to_integral_value(rounding="ROUND_FLOOR")
    usd = goal_usd(D(178_408), "IDR", GUIDES)
    assert usd.quantize(D("0.0001")) == D("10.0000")
    assert goal_usd(low, "idr", GUIDES) >= D("0.01")  # the minimum shown is itself accepted
    assert goal_usd(D("2.50"), "USD", GUIDES) == D("2.50")


@pytest.mark.parametrize(("amount", "currency"), [(D(178), "IDR"), (D(0), "BRL"), (D(-5), "USD")])
def test_goals_out_of_range_carry_bounds_in_the_typed_currency(
    amount: Decimal, currency: str
) -> None:
    with pytest.raises(GoalOutOfRange) as err:
        goal_usd(amount, currency, GUIDES)
    low, high = goal_limits(currency, GUIDES)
    assert isinstance(err.value, OutOfRange)
    assert err.value.params == {
        "what": "goal",
        "value": Money(amount, currency),
        "minimum": Money(low, currency),
        "maximum": Money(high, currency),
        "currency": currency,
    }
    assert (err.value.minimum, err.value.maximum, err.value.currency) == (low, high, currency)


def test_brl_bounds_and_bad_amounts() -> None:
    low, _ = goal_limits("BRL", GUIDES)
    assert low == D("0.05")  # USD 0.01 = R$ 0.0497, rounded up to the centavo
    for bad in (D("NaN"), 2.5, True, "5"):
        with pytest.raises(InvalidValue):
            goal_usd(bad, "BRL", GUIDES)  # type: ignore[arg-type]
