"""Conversions with the seed documents' numbers, what gifts cost the viewer, and the bounds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from economy.conversions import (
    MAX_AMOUNT,
    MAX_COUNT,
    Purchase,
    TooFewPacks,
    cheapest_purchase,
    check_amount,
    check_count,
    coins_cost,
    convert,
    diamonds_for,
    gift_value,
    goal,
    payout,
    viewer_cost,
    views_estimate,
)
from economy.errors import InvalidValue, NotFound, OutOfRange
from economy.money import format_money
from economy.rates import RateCard, Store, default_presets
from tests.support.economy import plain_gift

TODAY = date(2026, 11, 22)
GUIDES = default_presets()["guides"]
TIKTOK = default_presets()["tiktok"]
GALAXY = plain_gift("Galaxy", 1000)
LION = plain_gift("Lion", 29_999)
ROSE = plain_gift("Rose", 1)
STORES = {store.key: store for store in GUIDES.stores}


# --- the seed documents' numbers ----------------------------------------------------------


def test_a_thousand_diamonds_are_five_dollars_gross_and_two_fifty_net() -> None:
    result = payout(1000, GUIDES)
    assert (result.gross_usd, result.cut_usd, result.net_usd) == (5, Decimal("2.5"), Decimal("2.5"))
    assert format_money(result.gross_usd, "USD") == "$5.00"
    assert format_money(result.net_usd, "USD") == "$2.50"


def test_twenty_thousand_diamonds_reach_the_hundred_dollar_minimum() -> None:
    reached = payout(20_000, GUIDES)
    assert reached.minimum_diamonds == 20_000
    assert reached.reached and reached.diamonds_to_minimum == 0 and reached.progress == 1
    assert reached.gross_usd == 100 and reached.net_usd == 50
    assert reached.days_to_cash_out == 1
    short = payout(19_999, GUIDES)
    assert not short.reached
    assert short.diamonds_to_minimum == 1
    assert short.progress == Decimal("0.99995")
    assert short.days_to_cash_out == 0


def test_payout_progress_and_the_daily_cap() -> None:
    assert payout(10_000, GUIDES).progress == Decimal("0.5")
    nothing = payout(0, GUIDES)
    assert (nothing.net_usd, nothing.progress, nothing.reached) == (0, 0, False)
    # 1,000,000 diamonds net USD 2,500: three days at USD 1,000 a day
    assert payout(1_000_000, GUIDES).days_to_cash_out == 3
    assert payout(800_000, GUIDES).days_to_cash_out == 2  # exactly USD 2,000 net
    # tiktok: no cut, so 20,000 diamonds net the full USD 100
    assert payout(20_000, TIKTOK).net_usd == 100


def test_a_hundred_coins_make_fifty_diamonds() -> None:
    assert diamonds_for(100, GUIDES) == 50
    assert diamonds_for(100, TIKTOK) == 100


def test_diamonds_are_exact_never_rounded() -> None:
    assert gift_value(LION, 1, GUIDES, STORES["app/US"]).diamonds == Decimal("14999.5")
    assert gift_value(ROSE, 1, GUIDES, STORES["app/US"]).diamonds == Decimal("0.5")
    one, two = (gift_value(ROSE, 1, GUIDES, STORES["app/US"]).diamonds for _ in range(2))
    assert one + two == gift_value(ROSE, 2, GUIDES, STORES["app/US"]).diamonds == 1


def test_a_million_views_pay_twenty_to_thirty_dollars_in_the_creator_fund() -> None:
    estimate = views_estimate(1_000_000, "creator-fund", GUIDES)
    assert (estimate.low_usd, estimate.high_usd) == (20, 30)
    assert "seed 002" in estimate.source and estimate.as_of == date(2023, 12, 16)
    assert estimate.availability.status == "ended"
    assert estimate.availability.ended_on == date(2023, 12, 16)
    rewards = views_estimate(1_000_000, "creator-rewards", GUIDES)
    assert (rewards.low_usd, rewards.high_usd) == (400, 1000)
    assert "US" in rewards.availability.countries and rewards.availability.check_in_app
    assert views_estimate(0, "creator-fund", GUIDES).high_usd == 0
    with pytest.raises(NotFound):
        views_estimate(1000, "partner-program", GUIDES)


def test_two_galaxies_under_guides() -> None:
    value = gift_value(GALAXY, 2, GUIDES, STORES["app/US"])
    assert (value.coins, value.diamonds) == (2000, 1000)
    assert (value.gross_usd, value.net_usd) == (5, Decimal("2.5"))
    # what the viewer paid: 2,000 coins at the US app's 65 coins for USD 0.99
    assert value.viewer_cost.amount == Decimal(2000) * Decimal("0.99") / 65
    assert format_money(value.viewer_cost.amount, "USD") == "$30.46"
    # how to buy them: three packs (31 x 65 would cost USD 0.28 less, in 28 more purchases)
    assert isinstance(value.plan, Purchase)
    assert [(b.coins, q) for b, q in value.plan.bundles] == [(1321, 1), (660, 1), (65, 1)]
    assert value.plan.price == Decimal("30.97")


def test_what_a_gift_cost_the_viewer_in_every_store() -> None:
    rose = viewer_cost(ROSE, 1, STORES["app/US"])
    assert rose.amount.quantize(Decimal("0.0001")) == Decimal("0.0152")  # USD 0.99 / 65
    assert (rose.currency, rose.price.coins, rose.price.price) == ("USD", 65, Decimal("0.99"))
    assert rose.price.source and rose.price.as_of <= date(2026, 11, 25)
    web = viewer_cost(GALAXY, 1, STORES["web/US"])
    assert format_money(web.amount, "USD") == "$10.57"  # 1,000 x 0.74 / 70
    assert viewer_cost(GALAXY, 1, STORES["app/ID"]).amount.quantize(Decimal(1)) == 242_857
    brazil = gift_value(GALAXY, 1, GUIDES, STORES["app/BR"])
    assert brazil.viewer_cost.amount == 63  # 1,000 x R$1,89 / 30
    assert isinstance(brazil.plan, TooFewPacks)  # one known pack: no plan invented
    assert coins_cost(65, STORES["app/US"]).amount == Decimal("0.99")


def test_two_galaxies_under_one_to_one() -> None:
    value = gift_value(GALAXY, 2, TIKTOK, STORES["app/US"])
    assert (value.coins, value.diamonds) == (2000, 2000)
    assert value.gross_usd == value.net_usd == 10


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    coins=st.integers(1, 44_999),
    count=st.integers(1, MAX_COUNT - 1),
    key=st.sampled_from(sorted(STORES)),
    rates=st.sampled_from([GUIDES, TIKTOK]),
)
def test_more_gifts_never_cost_or_earn_less(
    coins: int, count: int, key: str, rates: RateCard
) -> None:
    gift = plain_gift("Some gift", coins)
    one, more = (gift_value(gift, c, rates, STORES[key]) for c in (count, count + 1))
    assert more.coins > one.coins
    assert more.diamonds >= one.diamonds
    assert more.net_usd >= one.net_usd
    assert more.viewer_cost.amount > one.viewer_cost.amount
    # a plan's price alone may drop (3,301 coins: 2 x 1,321 + 660 for USD 49.97, three
    # purchases, where 3,300 is one USD 49.99 pack); the planning cost never does
    first, then = (cheapest_purchase(value.coins, STORES[key]) for value in (one, more))
    assert planning_cost(then, STORES[key]) >= planning_cost(first, STORES[key])
    assert then.coins_received >= more.coins


def planning_cost(purchase: Purchase, store: Store) -> Decimal:
    """Price plus the smallest pack's price per purchase: what plans are ranked by."""
    return purchase.price + purchase.purchases * min(b.price for b in store.bundles)


ODD = GUIDES.with_override("usd_per_diamond", Decimal("0.0037"), "test", TODAY).with_override(
    "cashout_cut", Decimal("0.33"), "test", TODAY
)
ODD = ODD.with_override("diamonds_per_coin", Decimal("0.7"), "test", TODAY)


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(1, 100_000_000),
    rates=st.sampled_from([GUIDES, TIKTOK, ODD]),
    gift_coins=st.none() | st.integers(1, 44_999),
)
def test_goal_round_trips_to_the_fewest_diamonds_and_coins(
    cents: int, rates: RateCard, gift_coins: int | None
) -> None:
    target = Decimal(cents) / 100
    gift = plain_gift("Some gift", gift_coins) if gift_coins else None
    result = goal(target, rates, gift)
    assert payout(result.diamonds, rates).net_usd >= target
    assert payout(result.diamonds - 1, rates).net_usd < target
    assert diamonds_for(result.coins, rates) >= result.diamonds
    assert diamonds_for(result.coins - 1, rates) < result.diamonds
    if gift is not None:
        assert result.gift_count is not None
        assert gift.coins * result.gift_count >= result.coins
        assert gift.coins * (result.gift_count - 1) < result.coins


def test_goal_examples() -> None:
    hundred = goal(Decimal(100), GUIDES, GALAXY)
    # USD 100 net = USD 200 gross = 40,000 diamonds = 80,000 coins = 80 Galaxies
    assert (hundred.diamonds, hundred.coins, hundred.gift_count) == (40_000, 80_000, 80)
    assert goal(Decimal(100), TIKTOK).coins == 20_000
    assert goal(Decimal("0.01"), GUIDES, LION).gift_count == 1


# --- currency -----------------------------------------------------------------------------


def test_convert_through_usd() -> None:
    rates = GUIDES.with_fx("BRL", Decimal(5), "test", TODAY).with_fx(
        "IDR", Decimal(16_000), "test", TODAY
    )
    assert convert(Decimal(10), "BRL", "IDR", rates) == 32_000  # 10 BRL = 2 USD = 32,000 IDR
    assert convert(Decimal(100), "USD", "brl", rates) == 500
    assert convert(Decimal(500), "BRL", "USD", rates) == 100
    assert convert(Decimal("12.34"), "EUR", "EUR", rates) == Decimal("12.34")
    assert convert(0, "USD", "IDR", rates) == 0
    # the rupiah price of the largest gift order still converts (it is above 10^12)
    order = gift_value(plain_gift("TikTok Universe", 44_999), MAX_COUNT, rates, STORES["app/ID"])
    assert isinstance(order.plan, Purchase) and order.plan.price > MAX_AMOUNT
    assert convert(order.plan.price, "IDR", "USD", rates) > 0
    with pytest.raises(NotFound):
        convert(Decimal(1), "USD", "XAU", rates)


# --- bounds -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, -1, MAX_COUNT + 1, 10**18])
def test_counts_out_of_range(count: int) -> None:
    with pytest.raises(OutOfRange) as err:
        check_count(count)
    assert "between 1 and 1000000" in str(err.value)
    with pytest.raises(OutOfRange):
        gift_value(GALAXY, count, GUIDES, STORES["app/US"])


def test_counts_at_the_edges_and_of_the_wrong_type() -> None:
    assert check_count(1) == 1 and check_count(MAX_COUNT) == MAX_COUNT
    for bad in (1.5, True, "3", None):
        with pytest.raises(InvalidValue):
            check_count(bad)
    biggest = gift_value(plain_gift("TikTok Universe", 44_999), MAX_COUNT, GUIDES, STORES["app/US"])
    assert biggest.coins == 44_999_000_000


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda: coins_cost(0, STORES["app/US"]), "coins"),
        (lambda: coins_cost(MAX_AMOUNT + 1, STORES["app/US"]), "coins"),
        (lambda: payout(-1, GUIDES), "diamonds"),
        (lambda: payout(10**18 + 1, GUIDES), "diamonds"),
        (lambda: views_estimate(-5, "creator-fund", GUIDES), "views"),
        (lambda: goal(Decimal(0), GUIDES), "amount"),
        (lambda: goal(Decimal("-10"), GUIDES), "amount"),
        (lambda: convert(Decimal(-1), "USD", "EUR", GUIDES), "amount"),
        (lambda: convert(Decimal(10) ** 16, "USD", "EUR", GUIDES), "amount"),
        (lambda: diamonds_for(-1, GUIDES), "coins"),
    ],
)
def test_amounts_out_of_range(call: Any, what: str) -> None:
    with pytest.raises(OutOfRange) as err:
        call()
    assert err.value.params["what"] == what


def test_check_amount() -> None:
    assert check_amount(Decimal("2.5")) == Decimal("2.5")
    assert check_amount(MAX_AMOUNT) == MAX_AMOUNT
    with pytest.raises(InvalidValue):
        check_amount(Decimal("NaN"))
    with pytest.raises(InvalidValue):
        check_amount(2.5)


@pytest.mark.parametrize("bad", [Decimal(5), 2.5, True, "5"])
def test_coins_and_views_must_be_whole_numbers(bad: Any) -> None:
    calls = [
        lambda: diamonds_for(bad, GUIDES),
        lambda: views_estimate(bad, "creator-fund", GUIDES),
        lambda: coins_cost(bad, STORES["app/US"]),
    ]
    for call in calls:
        with pytest.raises(InvalidValue, match="whole number"):
            call()


@pytest.mark.parametrize("bad", [2.5, True, "5", Decimal("NaN")])
def test_a_balance_must_be_a_number(bad: Any) -> None:
    with pytest.raises(InvalidValue):
        payout(bad, GUIDES)


def test_any_balance_pays_out_fractions_included() -> None:
    assert payout(Decimal("0.5"), GUIDES).gross_usd == Decimal("0.0025")
    huge = payout(10**16, GUIDES)  # a whole group's total, past any one entry's bound
    assert huge.gross_usd == Decimal(5 * 10**13)
