"""Conversions with the seed documents' numbers, exact cheapest purchases and their bounds."""

from __future__ import annotations

import itertools
import math
import time
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from economy.catalog import Gift
from economy.conversions import (
    MAX_AMOUNT,
    MAX_COUNT,
    Purchase,
    cheapest_purchase,
    check_amount,
    check_count,
    convert,
    diamonds_for,
    gift_value,
    goal,
    payout,
    views_estimate,
)
from economy.errors import InvalidValue, NotFound, OutOfRange
from economy.money import format_money
from economy.rates import Bundle, RateCard, Store, default_presets


def make_gift(name: str, coins: int) -> Gift:
    return Gift(name=name, coins=coins, gift_id=None, aliases=(), streakable=False)


TODAY = date(2026, 11, 22)
SEED = default_presets()["seed"]
ONE_TO_ONE = default_presets()["one-to-one"]
GALAXY = make_gift("Galaxy", 1000)
LION = make_gift("Lion", 29_999)
ROSE = make_gift("Rose", 1)
STORES = {store.key: store for store in SEED.stores}


def bundles_of(purchase: Purchase) -> list[tuple[int, int]]:
    return [(bundle.coins, quantity) for bundle, quantity in purchase.bundles]


def exact_price(purchase: Purchase, store: Store) -> Fraction:
    """The purchase's price recomputed exactly from what it buys."""
    total = sum((Fraction(b.price) * q for b, q in purchase.bundles), Fraction(0))
    if purchase.custom_coins:
        assert store.custom_rate is not None
        total += Fraction(store.custom_rate.price) * purchase.custom_coins / store.custom_rate.coins
    return total


def assert_consistent(purchase: Purchase, store: Store) -> None:
    """What a viewer gets is what the purchase says: coins, custom limits, price."""
    received = sum(b.coins * q for b, q in purchase.bundles) + purchase.custom_coins
    assert purchase.coins_received == received >= purchase.coins_requested
    assert all(q > 0 for _, q in purchase.bundles)
    if purchase.custom_coins:
        assert store.custom_min_coins <= purchase.custom_coins
        assert store.custom_max_coins is None or purchase.custom_coins <= store.custom_max_coins
    assert abs(Fraction(purchase.price) - exact_price(purchase, store)) < Fraction(1, 10**20)
    assert purchase.currency == store.currency


# --- the seed documents' numbers ----------------------------------------------------------


def test_a_thousand_diamonds_are_five_dollars_gross_and_two_fifty_net() -> None:
    result = payout(1000, SEED)
    assert (result.gross_usd, result.cut_usd, result.net_usd) == (5, Decimal("2.5"), Decimal("2.5"))
    assert format_money(result.gross_usd, "USD") == "$5.00"
    assert format_money(result.net_usd, "USD") == "$2.50"


def test_twenty_thousand_diamonds_reach_the_hundred_dollar_minimum() -> None:
    reached = payout(20_000, SEED)
    assert reached.minimum_diamonds == 20_000
    assert reached.reached and reached.diamonds_to_minimum == 0 and reached.progress == 1
    assert reached.gross_usd == 100 and reached.net_usd == 50
    assert reached.days_to_cash_out == 1
    short = payout(19_999, SEED)
    assert not short.reached
    assert short.diamonds_to_minimum == 1
    assert short.progress == Decimal("0.99995")
    assert short.days_to_cash_out == 0


def test_payout_progress_and_the_daily_cap() -> None:
    assert payout(10_000, SEED).progress == Decimal("0.5")
    nothing = payout(0, SEED)
    assert (nothing.net_usd, nothing.progress, nothing.reached) == (0, 0, False)
    # 1,000,000 diamonds net USD 2,500: three days at USD 1,000 a day
    assert payout(1_000_000, SEED).days_to_cash_out == 3
    assert payout(800_000, SEED).days_to_cash_out == 2  # exactly USD 2,000 net
    # one-to-one: no cut, so 20,000 diamonds net the full USD 100
    assert payout(20_000, ONE_TO_ONE).net_usd == 100


def test_a_hundred_coins_make_fifty_diamonds() -> None:
    assert diamonds_for(100, SEED) == 50
    assert diamonds_for(100, ONE_TO_ONE) == 100


def test_diamonds_are_floored_once_per_entry() -> None:
    assert gift_value(LION, 1, SEED, STORES["app/US"]).diamonds == 14_999  # 29,999 x 0.5
    assert gift_value(ROSE, 1, SEED, STORES["app/US"]).diamonds == 0
    assert gift_value(ROSE, 3, SEED, STORES["app/US"]).diamonds == 1  # floor(1.5), not 3 x 0


def test_a_million_views_pay_twenty_to_thirty_dollars_in_the_creator_fund() -> None:
    estimate = views_estimate(1_000_000, "creator-fund", SEED)
    assert (estimate.low_usd, estimate.high_usd) == (20, 30)
    assert "seed 002" in estimate.source and estimate.as_of == date(2023, 12, 16)
    rewards = views_estimate(1_000_000, "creator-rewards", SEED)
    assert (rewards.low_usd, rewards.high_usd) == (400, 1000)
    assert views_estimate(0, "creator-fund", SEED).high_usd == 0
    with pytest.raises(NotFound):
        views_estimate(1000, "partner-program", SEED)


def test_two_galaxies_under_seed() -> None:
    value = gift_value(GALAXY, 2, SEED, STORES["app/US"])
    assert (value.coins, value.diamonds) == (2000, 1000)
    assert (value.gross_usd, value.net_usd) == (5, Decimal("2.5"))
    # the viewer paid for at least 2,000 coins: 31 x 65 = 2,015 coins for USD 30.69 beats
    # 6 x 330 + 65 (USD 30.93), 5 x 330 + 6 x 65 (USD 30.89) and 1,320 + 660 + 65 (USD 30.97)
    assert bundles_of(value.purchase) == [(65, 31)]
    assert value.purchase.price == Decimal("30.69")


def test_two_galaxies_under_one_to_one() -> None:
    value = gift_value(GALAXY, 2, ONE_TO_ONE, STORES["app/US"])
    assert (value.coins, value.diamonds) == (2000, 2000)
    assert value.gross_usd == value.net_usd == 10


# --- cheapest purchase: worked examples ---------------------------------------------------


@pytest.mark.parametrize(
    ("coins", "bundles", "price"),
    [
        (1, [(65, 1)], "0.99"),
        (66, [(65, 2)], "1.98"),  # two 65s (USD 1.98) beat one 330 (USD 4.99)
        (300, [(65, 5)], "4.95"),  # 325 coins for 4.95 undercut the better-rate 330 bundle
        (330, [(330, 1)], "4.99"),
        (331, [(65, 6)], "5.94"),  # 6 x 65 beats 330 + 65 (5.98) and 2 x 330 (9.98)
        (660, [(330, 2)], "9.98"),  # two 330s are a cent cheaper than the 660 bundle
        (1000, [(65, 16)], "15.84"),  # vs 3 x 330 + 65 = 15.96, 1,320 = 19.99
    ],
)
def test_app_us_examples(coins: int, bundles: list[tuple[int, int]], price: str) -> None:
    purchase = cheapest_purchase(coins, STORES["app/US"])
    assert bundles_of(purchase) == bundles
    assert purchase.price == Decimal(price)
    assert purchase.custom_coins == 0
    assert_consistent(purchase, STORES["app/US"])


def test_web_custom_amounts() -> None:
    web = STORES["web/US"]
    thousand = cheapest_purchase(1000, web)  # custom at 0.99/70 a coin: no coins wasted
    assert (thousand.custom_coins, thousand.bundles, thousand.coins_received) == (1000, (), 1000)
    assert format_money(thousand.price, "USD") == "$14.14"  # 1,400 bundle: 19.99; 700+350: 14.98
    seventy = cheapest_purchase(70, web)  # a tie with 70 custom coins: the bundle is found first
    assert (bundles_of(seventy), seventy.price) == ([(70, 1)], Decimal("0.99"))
    ten = cheapest_purchase(10, web)  # custom amounts start at 30 coins
    assert (ten.custom_coins, ten.coins_received) == (30, 30)
    assert format_money(ten.price, "USD") == "$0.42"
    for purchase in (thousand, seventy, ten):
        assert_consistent(purchase, web)


def test_web_beyond_the_custom_maximum() -> None:
    web = STORES["web/US"]
    purchase = cheapest_purchase(2_500_001, web)
    assert purchase.coins_received == 2_500_001
    assert exact_price(purchase, web) == Fraction(99, 100) * 2_500_001 / 70
    assert purchase.custom_coins <= 2_500_000
    assert_consistent(purchase, web)


def test_regional_examples() -> None:
    gb = STORES["app/GB"]
    # 247 x 65 = 16,055 coins for GBP 219.83: just under the 16,500 bundle (219.99)
    assert bundles_of(cheapest_purchase(16_000, gb)) == [(65, 247)]
    # 248 x 65 would cost 220.72, so past 16,055 coins the big bundle wins
    assert bundles_of(cheapest_purchase(16_100, gb)) == [(16500, 1)]
    indonesia = STORES["app/ID"]
    # 1,400 + 2 x 70 and 22 x 70 both give 1,540 coins for Rp374.000: fewer bundles wins
    purchase = cheapest_purchase(1500, indonesia)
    assert (bundles_of(purchase), purchase.price) == ([(1400, 1), (70, 2)], Decimal(374_000))
    assert format_money(purchase.price, "IDR", "id") == "Rp374.000"
    brazil = cheapest_purchase(31, STORES["app/BR"])
    assert (bundles_of(brazil), brazil.price) == ([(30, 2)], Decimal("3.78"))


@pytest.mark.parametrize("key", sorted(STORES))
def test_a_trillion_coins_is_fast_and_exact(key: str) -> None:
    store = STORES[key]
    started = time.perf_counter()
    purchase = cheapest_purchase(MAX_AMOUNT, store)
    assert time.perf_counter() - started < 0.5
    assert_consistent(purchase, store)
    best_rate = min(Fraction(b.price) / b.coins for b in store.bundles)
    if store.custom_rate is not None:
        best_rate = min(best_rate, Fraction(store.custom_rate.price) / store.custom_rate.coins)
    # never below the best rate, and within one largest bundle of it
    floor = best_rate * MAX_AMOUNT
    assert (
        floor
        <= exact_price(purchase, store)
        <= floor + max(Fraction(b.price) for b in store.bundles)
    )


# --- cheapest purchase: against brute force -----------------------------------------------


@cache
def brute_force_table(key: str, limit: int) -> tuple[Fraction, ...]:
    """Cheapest price for every N in 1..limit, trying every bundle combination."""
    store = STORES[key]
    ranges = [range(math.ceil(limit / b.coins) + 1) for b in store.bundles]
    combos = [
        (
            sum(b.coins * q for b, q in zip(store.bundles, counts, strict=True)),
            sum((Fraction(b.price) * q for b, q in zip(store.bundles, counts, strict=True))),
        )
        for counts in itertools.product(*ranges)
    ]
    rate = store.custom_rate
    table = []
    for n in range(1, limit + 1):
        best: Fraction | None = None
        for coins, price in combos:
            if coins < n:
                if rate is None:
                    continue
                custom = max(store.custom_min_coins, n - coins)
                if store.custom_max_coins is not None and custom > store.custom_max_coins:
                    continue
                price += Fraction(rate.price) * custom / rate.coins
            if best is None or price < best:
                best = price
        assert best is not None
        table.append(best)
    return tuple(table)


@pytest.mark.parametrize("key", sorted(STORES))
def test_never_beaten_by_brute_force_up_to_400_coins(key: str) -> None:
    store = STORES[key]
    table = brute_force_table(key, 400)
    for n in range(1, 401):
        purchase = cheapest_purchase(n, store)
        assert exact_price(purchase, store) == table[n - 1], n
        assert_consistent(purchase, store)


def cheapest_by_dp(n: int, store: Store) -> Fraction:
    """Independent exact DP: cheapest price for at least n coins (plus one custom amount)."""
    top = n + max(b.coins for b in store.bundles)
    best: list[Fraction | None] = [Fraction(0)] + [None] * top
    for x in range(1, top + 1):
        for b in store.bundles:
            before = best[x - b.coins] if x >= b.coins else None
            if before is not None:
                price = before + Fraction(b.price)
                current = best[x]
                if current is None or price < current:
                    best[x] = price
    options = [p for p in best[n:] if p is not None]
    rate = store.custom_rate
    if rate is not None:
        for x, p in enumerate(best[:n]):
            custom = max(store.custom_min_coins, n - x)
            fits = store.custom_max_coins is None or custom <= store.custom_max_coins
            if p is not None and fits:
                options.append(p + Fraction(rate.price) * custom / rate.coins)
    return min(options)


@pytest.mark.parametrize("coins", [16_055, 16_056, 32_555, 33_001, 49_999])
def test_large_amounts_in_gb_match_a_full_dp(coins: int) -> None:
    store = STORES["app/GB"]
    assert exact_price(cheapest_purchase(coins, store), store) == cheapest_by_dp(coins, store)


@st.composite
def stores(draw: st.DrawFn) -> Store:
    """Small random stores, with and without custom amounts, to test the bulk reduction."""
    coins = draw(st.lists(st.integers(1, 40), min_size=1, max_size=4, unique=True))
    bundles = tuple(Bundle(coins=c, price=Decimal(draw(st.integers(1, 600))) / 100) for c in coins)
    custom: dict[str, Any] = {}
    if draw(st.booleans()):
        low = draw(st.integers(1, 20))
        high = draw(st.none() | st.integers(low, low + 60))
        rate = Bundle(coins=draw(st.integers(1, 9)), price=Decimal(draw(st.integers(1, 150))) / 100)
        custom = {"custom_rate": rate, "custom_min_coins": low, "custom_max_coins": high}
    return Store(
        name="web",
        region="US",
        currency="USD",
        bundles=bundles,
        source="test",
        as_of=TODAY,
        **custom,
    )


@settings(max_examples=200, deadline=None)
@given(store=stores(), n=st.integers(1, 1500))
def test_random_stores_match_a_full_dp(store: Store, n: int) -> None:
    purchase = cheapest_purchase(n, store)
    assert_consistent(purchase, store)
    assert exact_price(purchase, store) == cheapest_by_dp(n, store)


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    coins=st.integers(1, 44_999),
    count=st.integers(1, MAX_COUNT - 1),
    key=st.sampled_from(sorted(STORES)),
    rates=st.sampled_from([SEED, ONE_TO_ONE]),
)
def test_more_gifts_never_cost_or_earn_less(
    coins: int, count: int, key: str, rates: RateCard
) -> None:
    gift = make_gift("Some gift", coins)
    one, more = (gift_value(gift, c, rates, STORES[key]) for c in (count, count + 1))
    assert more.coins > one.coins
    assert more.diamonds >= one.diamonds
    assert more.net_usd >= one.net_usd
    assert more.purchase.price >= one.purchase.price
    assert more.purchase.coins_received >= more.coins


ODD = SEED.with_override("usd_per_diamond", Decimal("0.0037"), "test", TODAY).with_override(
    "cashout_cut", Decimal("0.33"), "test", TODAY
)
ODD = ODD.with_override("diamonds_per_coin", Decimal("0.7"), "test", TODAY)


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(1, 100_000_000),
    rates=st.sampled_from([SEED, ONE_TO_ONE, ODD]),
    gift_coins=st.none() | st.integers(1, 44_999),
)
def test_goal_round_trips_to_the_fewest_diamonds_and_coins(
    cents: int, rates: RateCard, gift_coins: int | None
) -> None:
    target = Decimal(cents) / 100
    gift = make_gift("Some gift", gift_coins) if gift_coins else None
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
    hundred = goal(Decimal(100), SEED, GALAXY)
    # USD 100 net = USD 200 gross = 40,000 diamonds = 80,000 coins = 80 Galaxies
    assert (hundred.diamonds, hundred.coins, hundred.gift_count) == (40_000, 80_000, 80)
    assert goal(Decimal(100), ONE_TO_ONE).coins == 20_000
    assert goal(Decimal("0.01"), SEED, LION).gift_count == 1


# --- currency -----------------------------------------------------------------------------


def test_convert_through_usd() -> None:
    rates = SEED.with_fx("BRL", Decimal(5), "test", TODAY).with_fx(
        "IDR", Decimal(16_000), "test", TODAY
    )
    assert convert(Decimal(10), "BRL", "IDR", rates) == 32_000  # 10 BRL = 2 USD = 32,000 IDR
    assert convert(Decimal(100), "USD", "brl", rates) == 500
    assert convert(Decimal(500), "BRL", "USD", rates) == 100
    assert convert(Decimal("12.34"), "EUR", "EUR", rates) == Decimal("12.34")
    assert convert(0, "USD", "IDR", rates) == 0
    # the rupiah price of the largest gift order still converts (it is above 10^12)
    order = gift_value(make_gift("TikTok Universe", 44_999), MAX_COUNT, rates, STORES["app/ID"])
    assert order.purchase.price > MAX_AMOUNT
    assert convert(order.purchase.price, "IDR", "USD", rates) > 0
    with pytest.raises(NotFound):
        convert(Decimal(1), "USD", "XAU", rates)


# --- bounds -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, -1, MAX_COUNT + 1, 10**18])
def test_counts_out_of_range(count: int) -> None:
    with pytest.raises(OutOfRange) as err:
        check_count(count)
    assert "between 1 and 1000000" in str(err.value)
    with pytest.raises(OutOfRange):
        gift_value(GALAXY, count, SEED, STORES["app/US"])


def test_counts_at_the_edges_and_of_the_wrong_type() -> None:
    assert check_count(1) == 1 and check_count(MAX_COUNT) == MAX_COUNT
    for bad in (1.5, True, "3", None):
        with pytest.raises(InvalidValue):
            check_count(bad)
    biggest = gift_value(make_gift("TikTok Universe", 44_999), MAX_COUNT, SEED, STORES["app/US"])
    assert biggest.coins == 44_999_000_000


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda: cheapest_purchase(0, STORES["app/US"]), "coins"),
        (lambda: cheapest_purchase(MAX_AMOUNT + 1, STORES["app/US"]), "coins"),
        (lambda: payout(-1, SEED), "diamonds"),
        (lambda: payout(10**18, SEED), "diamonds"),
        (lambda: views_estimate(-5, "creator-fund", SEED), "views"),
        (lambda: goal(Decimal(0), SEED), "amount"),
        (lambda: goal(Decimal("-10"), SEED), "amount"),
        (lambda: convert(Decimal(-1), "USD", "EUR", SEED), "amount"),
        (lambda: convert(Decimal(10) ** 16, "USD", "EUR", SEED), "amount"),
        (lambda: diamonds_for(-1, SEED), "coins"),
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
def test_coins_diamonds_and_views_must_be_whole_numbers(bad: Any) -> None:
    calls = [
        lambda: diamonds_for(bad, SEED),
        lambda: payout(bad, SEED),
        lambda: views_estimate(bad, "creator-fund", SEED),
        lambda: cheapest_purchase(bad, STORES["app/US"]),
    ]
    for call in calls:
        with pytest.raises(InvalidValue, match="whole number"):
            call()
