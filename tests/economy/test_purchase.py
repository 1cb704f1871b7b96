"""Purchase plans: a handful of purchases at the best price, proved against brute force."""

from __future__ import annotations

import itertools
import math
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from economy.conversions import coins_cost
from economy.errors import InvalidValue, OutOfRange
from economy.limits import MAX_AMOUNT
from economy.purchase import (
    Purchase,
    TooFewPacks,
    cheapest_purchase,
    plan_purchase,
    prepare_stores,
)
from economy.rates import Bundle, CoinPrice, Store, default_presets
from tests.support.economy import bundles_of

TODAY = date(2026, 11, 25)
STORES = {store.key: store for store in default_presets()["guides"].stores}
US = STORES["app/US"]
Key = tuple[Fraction, int, int]  # (price + lambda x purchases, purchases, coins over)


@cache
def lam(store: Store) -> Fraction:
    """The planning cost of one purchase: the price of the store's smallest pack."""
    return min(Fraction(bundle.price) for bundle in store.bundles)


def custom_price(store: Store, coins: int) -> Fraction:
    assert store.custom_rate is not None
    return Fraction(store.custom_rate.price) * coins / store.custom_rate.coins


def custom_purchases(store: Store, coins: int) -> int:
    if coins == 0:
        return 0
    return 1 if store.custom_max_coins is None else math.ceil(coins / store.custom_max_coins)


def exact_price(purchase: Purchase, store: Store) -> Fraction:
    """The purchase's price recomputed exactly from what it buys."""
    total = sum((Fraction(b.price) * q for b, q in purchase.bundles), Fraction(0))
    return total + (custom_price(store, purchase.custom_coins) if purchase.custom_coins else 0)


def key_of(purchase: Purchase, store: Store) -> Key:
    price = exact_price(purchase, store)
    return (price + lam(store) * purchase.purchases, purchase.purchases, purchase.coins_over)


def assert_consistent(purchase: Purchase, store: Store) -> None:
    """What a viewer gets is what the purchase says: coins, custom limits, price."""
    received = sum(b.coins * q for b, q in purchase.bundles) + purchase.custom_coins
    assert purchase.coins_received == received >= purchase.coins_requested
    assert all(q > 0 for _, q in purchase.bundles)
    assert purchase.custom_purchases == custom_purchases(store, purchase.custom_coins)
    if purchase.custom_coins:
        assert store.custom_min_coins * purchase.custom_purchases <= purchase.custom_coins
    exact = exact_price(purchase, store)  # a custom price is a quotient: 28 significant digits
    assert abs(Fraction(purchase.price) - exact) <= exact / 10**27
    assert purchase.currency == store.currency


# --- the rule, on the US app --------------------------------------------------------------


def test_a_yacht_is_a_handful_of_big_packs() -> None:
    yacht = cheapest_purchase(20_000, US)  # it was 48 x 330 + 64 x 65: 112 purchases
    assert bundles_of(yacht) == [(16500, 1), (3300, 1), (330, 1)]
    assert yacht.purchases == 3 and yacht.price == Decimal("304.97")
    universe = cheapest_purchase(44_999, US)
    assert universe.purchases <= 8 and universe.coins_over < 65


def test_a_rose_buys_the_smallest_pack_never_the_largest() -> None:
    rose = cheapest_purchase(1, US)
    assert (bundles_of(rose), rose.price, rose.coins_over) == ([(65, 1)], Decimal("0.99"), 64)


@pytest.mark.parametrize(
    ("coins", "bundles", "price"),
    [
        (66, [(65, 2)], "1.98"),
        (330, [(330, 1)], "4.99"),
        # 16 x 65 costs USD 15.84 but 13 more purchases: each must save a pack's USD 0.99
        (1000, [(660, 1), (330, 1), (65, 1)], "15.97"),
        (2000, [(1321, 1), (660, 1), (65, 1)], "30.97"),  # was 31 x 65
        (16_500, [(16500, 1)], "249.99"),
    ],
)
def test_app_us_examples(coins: int, bundles: list[tuple[int, int]], price: str) -> None:
    purchase = cheapest_purchase(coins, US)
    assert (bundles_of(purchase), purchase.price) == (bundles, Decimal(price))
    assert purchase.custom_coins == 0
    assert_consistent(purchase, US)


def test_the_web_sells_any_amount_in_one_purchase_up_to_its_maximum() -> None:
    web = STORES["web/US"]
    thousand = cheapest_purchase(1000, web)
    assert (thousand.bundles, thousand.custom_coins, thousand.purchases) == ((), 1000, 1)
    assert exact_price(thousand, web) == Fraction(74, 100) * 1000 / 70
    ten = cheapest_purchase(10, web)  # custom amounts start at 30 coins
    assert (ten.custom_coins, ten.coins_received) == (30, 30)
    big = cheapest_purchase(1_200_000, web)  # at most 500,000 coins a purchase
    assert (big.custom_coins, big.custom_purchases, big.coins_over) == (1_200_000, 3, 0)
    for purchase in (thousand, ten, big):
        assert_consistent(purchase, web)


def test_stores_with_too_few_known_packs_offer_no_plan() -> None:
    for key, known in [("app/BR", [30]), ("app/GB", [65, 6607])]:
        assert isinstance(plan_purchase(1000, STORES[key]), TooFewPacks), key
        assert [pack.coins for pack in STORES[key].bundles] == known  # the packs listed
        rate = STORES[key].reference_price  # what the coins cost there instead
        assert coins_cost(1000, STORES[key]).amount == Decimal(1000) * rate.price / rate.coins
    assert coins_cost(1000, STORES["app/BR"]).amount == Decimal(63)  # not 34 x 30
    for key in ("app/US", "web/US", "app/ID"):
        assert isinstance(plan_purchase(1000, STORES[key]), Purchase)


@pytest.mark.parametrize("key", sorted(STORES))
def test_a_trillion_coins_is_planned_no_worse_than_the_best_pack_alone(key: str) -> None:
    store = STORES[key]
    purchase = cheapest_purchase(MAX_AMOUNT, store)
    assert_consistent(purchase, store)
    rates = [Fraction(b.price) / b.coins for b in store.bundles]
    if store.custom_rate is not None:
        rates.append(Fraction(store.custom_rate.price) / store.custom_rate.coins)
    assert exact_price(purchase, store) >= min(rates) * MAX_AMOUNT
    for bundle in store.bundles:  # the plan beats buying any one pack over and over
        copies = math.ceil(MAX_AMOUNT / bundle.coins)
        assert key_of(purchase, store)[0] <= copies * (Fraction(bundle.price) + lam(store))


# --- against brute force ------------------------------------------------------------------


def best_key(store: Store, n: int, combos: list[tuple[int, Fraction, int]]) -> Key:
    """The best (objective, purchases, over) for n coins among bundle combos, plus custom."""
    best: Key | None = None
    for coins, price, count in combos:
        custom = 0
        if coins < n:
            if store.custom_rate is None:
                continue
            custom = max(store.custom_min_coins, n - coins)
            price += custom_price(store, custom)
        purchases = count + custom_purchases(store, custom)
        key = (price + lam(store) * purchases, purchases, coins + custom - n)
        if best is None or key < best:
            best = key
    assert best is not None
    return best


@cache
def brute_force_table(key: str, limit: int) -> tuple[Key, ...]:
    """The best key for every n in 1..limit, trying every bundle combination."""
    store = STORES[key]
    ranges = [range(math.ceil(limit / b.coins) + 1) for b in store.bundles]
    combos = [
        (
            sum(b.coins * q for b, q in zip(store.bundles, counts, strict=True)),
            sum((Fraction(b.price) * q for b, q in zip(store.bundles, counts, strict=True))),
            sum(counts),
        )
        for counts in itertools.product(*ranges)
    ]
    return tuple(best_key(store, n, combos) for n in range(1, limit + 1))


@pytest.mark.parametrize("key", sorted(STORES))
def test_brute_force_agrees_up_to_400_coins(key: str) -> None:
    store = STORES[key]
    table = brute_force_table(key, 400)
    for n in range(1, 401):
        purchase = cheapest_purchase(n, store)
        assert key_of(purchase, store) == table[n - 1], n
        assert_consistent(purchase, store)


@cache
def exact_totals(store: Store, top: int) -> tuple[tuple[int, int] | None, ...]:
    """For every exact coin total x <= top, the best (objective x scale, purchases) of packs."""
    scale = scale_of(store)
    costs = [(b.coins, int((Fraction(b.price) + lam(store)) * scale)) for b in store.bundles]
    best: list[tuple[int, int] | None] = [(0, 0)] + [None] * top
    for x in range(1, top + 1):
        for coins, cost in costs:
            before = best[x - coins] if x >= coins else None
            if before is not None:
                option = (before[0] + cost, before[1] + 1)
                current = best[x]
                if current is None or option < current:
                    best[x] = option
    return tuple(best)


@cache
def scale_of(store: Store) -> int:
    """A common denominator of every price, so the DP runs on integers."""
    prices = [Fraction(b.price) for b in store.bundles]
    if store.custom_rate is not None:
        prices.append(custom_price(store, 1))
    return math.lcm(*(price.denominator for price in prices))


def best_by_dp(n: int, store: Store, top: int | None = None) -> Key:
    """Independent exact DP over exact coin totals: the best key for at least n coins."""
    scale = scale_of(store)
    table = exact_totals(store, top or n + max(b.coins for b in store.bundles))
    keys: list[Key] = [
        (Fraction(v[0], scale), v[1], x - n)
        for x, v in enumerate(table[n : n + max(b.coins for b in store.bundles)], start=n)
        if v is not None
    ]
    if store.custom_rate is not None:
        for x, v in enumerate(table[:n]):
            if v is not None:
                custom = max(store.custom_min_coins, n - x)
                k = custom_purchases(store, custom)
                cost = Fraction(v[0], scale) + custom_price(store, custom) + lam(store) * k
                keys.append((cost, v[1] + k, x + custom - n))
    return min(keys)


@pytest.mark.parametrize("coins", [16_499, 16_501, 32_555, 33_001, 49_999, 66_000])
def test_large_amounts_in_the_us_app_match_a_full_dp(coins: int) -> None:
    top = 66_000 + 16_500  # one table for every case
    assert key_of(cheapest_purchase(coins, US), US) == best_by_dp(coins, US, top)


@st.composite
def stores(draw: st.DrawFn) -> Store:
    """Small random stores, with and without custom amounts, to test the reduction."""
    coins = draw(st.lists(st.integers(1, 40), min_size=1, max_size=4, unique=True))
    bundles = tuple(Bundle(coins=c, price=Decimal(draw(st.integers(1, 600))) / 100) for c in coins)
    custom: dict[str, Any] = {}
    if draw(st.booleans()):
        low = draw(st.integers(1, 20))
        high = draw(st.none() | st.integers(2 * low, 2 * low + 400))
        rate = Bundle(coins=draw(st.integers(1, 9)), price=Decimal(draw(st.integers(1, 150))) / 100)
        custom = {"custom_rate": rate, "custom_min_coins": low, "custom_max_coins": high}
    reference = CoinPrice(coins=1, price=Decimal("0.01"), source="test", as_of=TODAY)
    return Store(
        name="web",
        region="US",
        currency="USD",
        bundles=bundles,
        reference_price=reference,
        source="test",
        as_of=TODAY,
        **custom,
    )


@settings(max_examples=300, deadline=None)
@given(store=stores(), n=st.integers(1, 1500))
def test_random_stores_match_a_full_dp(store: Store, n: int) -> None:
    purchase = cheapest_purchase(n, store)
    assert_consistent(purchase, store)
    assert key_of(purchase, store) == best_by_dp(n, store)


def test_ties_go_to_fewer_purchases() -> None:
    # a 14-coin pack costs exactly what 14 custom coins do plus one purchase: 99 coins as
    # 7 packs + 1 custom coin or 6 packs + 15 custom coins cost the same; the second buys less often
    store = Store(
        name="web",
        region="US",
        currency="USD",
        bundles=(Bundle(coins=14, price=Decimal("0.01")),),
        custom_rate=Bundle(coins=7, price=Decimal("0.01")),
        custom_min_coins=1,
        custom_max_coins=15,
        reference_price=CoinPrice(coins=14, price=Decimal("0.01"), source="test", as_of=TODAY),
        source="test",
        as_of=TODAY,
    )
    purchase = cheapest_purchase(99, store)
    assert (bundles_of(purchase), purchase.custom_coins, purchase.purchases) == ([(14, 6)], 15, 7)
    assert key_of(purchase, store) == best_by_dp(99, store)


# --- bounds and data ----------------------------------------------------------------------


@pytest.mark.parametrize("coins", [0, -1, MAX_AMOUNT + 1])
def test_coins_out_of_range(coins: int) -> None:
    for plan in (cheapest_purchase, plan_purchase):
        with pytest.raises(OutOfRange) as err:
            plan(coins, US)
        assert err.value.params["what"] == "coins"


@pytest.mark.parametrize("bad", [Decimal(5), 2.5, True, "5"])
def test_coins_must_be_whole_numbers(bad: Any) -> None:
    with pytest.raises(InvalidValue, match="whole number"):
        cheapest_purchase(bad, US)


def test_custom_limits_that_cannot_split_a_large_amount_are_refused() -> None:
    data = STORES["web/US"].model_dump()
    data.update(custom_min_coins=30, custom_max_coins=59)  # 60 coins: 2 x 30, but 89?
    with pytest.raises(ValidationError, match="at least twice custom_min_coins"):
        Store.model_validate(data)


def test_prepared_stores_plan_the_same() -> None:
    store = STORES["app/ID"].model_copy(update={"note": "a copy: planned from scratch"})
    prepare_stores([store])
    assert cheapest_purchase(1500, store) == cheapest_purchase(1500, STORES["app/ID"])
    # 1,400 + 2 x 70 (Rp374.000) beats 1,400 + 350 (Rp425.000): one purchase fewer saves
    # Rp51.000, more than the Rp17.000 a purchase is worth
    assert bundles_of(cheapest_purchase(1500, store)) == [(1400, 1), (70, 2)]
