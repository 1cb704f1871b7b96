"""Pure conversions along the chain: money -> coins -> gift -> diamonds -> payout.

Coins and diamonds are `int`; money is `Decimal` and is never rounded here (it is rounded
once, when displayed, by `economy.money.format_money`). Arithmetic runs in an 80-digit
decimal context, so sums and products of in-range inputs are exact; quotients that do not
terminate (a custom coin price, an exchange, a price per coin) keep 28 significant digits.

Bounds (`OutOfRange` outside them): gift counts 1..`MAX_COUNT`; coins to buy 1..`MAX_AMOUNT`;
diamonds and views 0..`MAX_AMOUNT` (0 is a valid, trivial question); a goal
`MIN_GOAL_USD`..`MAX_AMOUNT` USD; amounts to convert 0..`MAX_CONVERT` (wider, because
computed prices in rupiah exceed 10^12).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow, localcontext
from functools import lru_cache, wraps
from typing import ParamSpec, Protocol, TypeVar

from economy.errors import InvalidValue, OutOfRange
from economy.limits import MAX_AMOUNT, MAX_CONVERT, MAX_COUNT, MIN_GOAL_USD
from economy.rates import Bundle, RateCard, Store

_CONTEXT = Context(prec=80, traps=[InvalidOperation, DivisionByZero, Overflow])
_PLAIN = Context(prec=28)  # for quotients that do not terminate
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _exact(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `func` in the 80-digit decimal context."""

    @wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(_CONTEXT):
            return func(*args, **kwargs)

    return wrapper


class GiftLike(Protocol):
    """What conversions need of a gift: its name and coin price."""

    @property
    def name(self) -> str: ...

    @property
    def coins(self) -> int: ...


# --- bounds -------------------------------------------------------------------------------


def check_count(count: object, what: str = "count") -> int:
    """`count` as an int in 1..MAX_COUNT, else `OutOfRange` (`InvalidValue` if not whole)."""
    return _check_whole(count, what, 1, MAX_COUNT)


def check_amount(
    amount: object,
    what: str = "amount",
    minimum: Decimal | int = 0,
    maximum: Decimal | int = MAX_AMOUNT,
) -> Decimal:
    """`amount` (int or Decimal) as a Decimal in minimum..maximum, else `OutOfRange`."""
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        raise InvalidValue(what, "must be a number")
    value = Decimal(amount)
    if not value.is_finite():
        raise InvalidValue(what, "must be a finite number")
    if not minimum <= value <= maximum:
        raise OutOfRange(what, amount, minimum, maximum)
    return value


def _check_whole(amount: object, what: str, minimum: int, maximum: int = MAX_AMOUNT) -> int:
    """`amount` as an int in minimum..maximum, else `OutOfRange` (`InvalidValue` if not whole)."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidValue(what, "must be a whole number")
    if not minimum <= amount <= maximum:
        raise OutOfRange(what, amount, minimum, maximum)
    return amount


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Purchase:
    """The cheapest way to buy at least `coins_requested` coins in one store."""

    coins_requested: int
    coins_received: int
    bundles: tuple[tuple[Bundle, int], ...]  # (bundle, quantity), largest bundle first
    custom_coins: int  # coins bought as a custom amount (0 if none)
    price: Decimal  # in `currency`, unrounded
    currency: str
    price_per_coin: Decimal  # price / coins_received

    @property
    def coins_over(self) -> int:
        """Coins received beyond the request."""
        return self.coins_received - self.coins_requested

    @property
    def bundle_count(self) -> int:
        """How many bundles are bought (the custom amount not counted)."""
        return sum(quantity for _, quantity in self.bundles)


@dataclass(frozen=True)
class GiftValue:
    """What `count` of a gift is worth to the creator and cost the viewer."""

    gift: GiftLike
    count: int
    coins: int
    diamonds: int
    gross_usd: Decimal
    net_usd: Decimal
    purchase: Purchase


@dataclass(frozen=True)
class Payout:
    """What a diamond balance cashes out to, and how far it is from the minimum."""

    diamonds: int
    gross_usd: Decimal
    cut_usd: Decimal
    net_usd: Decimal
    minimum_usd: Decimal
    minimum_diamonds: int
    diamonds_to_minimum: int
    progress: Decimal  # 0..1 towards the minimum
    reached: bool
    days_to_cash_out: int  # days the daily cap spreads the net over (0 if not reached)


@dataclass(frozen=True)
class ViewsEstimate:
    """The low-high pay range for a number of views in one program."""

    views: int
    program: str
    low_usd: Decimal
    high_usd: Decimal
    low_per_1000: Decimal
    high_per_1000: Decimal
    source: str
    as_of: date


@dataclass(frozen=True)
class Goal:
    """What it takes to net `net_usd`: diamonds, coins and (optionally) gifts."""

    net_usd: Decimal
    diamonds: int
    coins: int
    gift: GiftLike | None
    gift_count: int | None


# --- coins, diamonds, payout --------------------------------------------------------------


def _diamonds(coins: int, rates: RateCard) -> int:
    return math.floor(coins * rates.diamonds_per_coin.value)


@_exact
def diamonds_for(coins: int, rates: RateCard) -> int:
    """Diamonds a creator gets for `coins` spent in one entry (floored once, on the total)."""
    return _diamonds(_check_whole(coins, "coins", 0), rates)


def _payout_parts(diamonds: int, rates: RateCard) -> tuple[Decimal, Decimal, Decimal]:
    gross = diamonds * rates.usd_per_diamond.value
    cut = gross * rates.cashout_cut.value
    return gross, cut, gross - cut


def _ceil_div(numerator: int, denominator: int) -> int:
    """`ceil(numerator / denominator)` in exact integer arithmetic (denominator > 0)."""
    return -(-numerator // denominator)


def _least(at_least: Callable[[int], bool], estimate: int) -> int:
    """The smallest k >= 0 with `at_least(k)` (monotone), searched from a close estimate."""
    k = max(0, estimate)
    while k > 0 and at_least(k - 1):
        k -= 1
    while not at_least(k):
        k += 1
    return k


@_exact
def payout(diamonds: int, rates: RateCard) -> Payout:
    """Cash-out value of `diamonds`, progress to the minimum and days under the daily cap."""
    diamonds = _check_whole(diamonds, "diamonds", 0)
    gross, cut, net = _payout_parts(diamonds, rates)
    per = rates.usd_per_diamond.value
    minimum_usd = rates.minimum_withdrawal_usd.value
    minimum = _least(lambda d: d * per >= minimum_usd, math.ceil(minimum_usd / per))
    reached = diamonds > 0 and diamonds >= minimum
    progress = Decimal(1) if minimum == 0 else min(Decimal(1), _PLAIN.divide(diamonds, minimum))
    days = math.ceil(net / rates.daily_cap_usd.value) if reached else 0
    return Payout(
        diamonds=diamonds,
        gross_usd=gross,
        cut_usd=cut,
        net_usd=net,
        minimum_usd=minimum_usd,
        minimum_diamonds=minimum,
        diamonds_to_minimum=max(0, minimum - diamonds),
        progress=progress,
        reached=reached,
        days_to_cash_out=days,
    )


@_exact
def views_estimate(views: int, program: str, rates: RateCard) -> ViewsEstimate:
    """Pay range for `views` in `program` (`creator-fund` or `creator-rewards`)."""
    views = _check_whole(views, "views", 0)
    found = rates.views_range(program)
    thousands = Decimal(views) / 1000
    return ViewsEstimate(
        views=views,
        program=program,
        low_usd=thousands * found.low_per_1000,
        high_usd=thousands * found.high_per_1000,
        low_per_1000=found.low_per_1000,
        high_per_1000=found.high_per_1000,
        source=found.source,
        as_of=found.as_of,
    )


@_exact
def goal(net_usd: Decimal | int, rates: RateCard, gift: GiftLike | None = None) -> Goal:
    """The fewest diamonds (and coins, and gifts) whose payout nets at least `net_usd`."""
    target = check_amount(net_usd, "amount", MIN_GOAL_USD)
    per_diamond = rates.usd_per_diamond.value * (1 - rates.cashout_cut.value)
    diamonds = _least(
        lambda d: _payout_parts(d, rates)[2] >= target, math.ceil(target / per_diamond)
    )
    coins = _least(
        lambda c: _diamonds(c, rates) >= diamonds,
        math.ceil(diamonds / rates.diamonds_per_coin.value),
    )
    gift_count = None
    if gift is not None:
        gift_count = max(1, _ceil_div(coins, _gift_coins(gift)))
    return Goal(target, diamonds, coins, gift, gift_count)


def _gift_coins(gift: GiftLike) -> int:
    if gift.coins <= 0:
        raise InvalidValue("gift", f"{gift.name} has no coin price")
    return gift.coins


@_exact
def gift_value(gift: GiftLike, count: int, rates: RateCard, store: Store) -> GiftValue:
    """`count` x `gift`: coins, diamonds, gross/net USD and what the viewer paid in `store`."""
    count = check_count(count)
    coins = _gift_coins(gift) * count
    diamonds = _diamonds(coins, rates)
    gross, _, net = _payout_parts(diamonds, rates)
    return GiftValue(
        gift=gift,
        count=count,
        coins=coins,
        diamonds=diamonds,
        gross_usd=gross,
        net_usd=net,
        purchase=cheapest_purchase(coins, store),
    )


@_exact
def convert(
    amount: Decimal | int, from_currency: str, to_currency: str, rates: RateCard
) -> Decimal:
    """`amount` in `from_currency` expressed in `to_currency`, through USD (unrounded)."""
    value = check_amount(amount, maximum=MAX_CONVERT)
    source, target = from_currency.upper(), to_currency.upper()
    if source == target:
        return value
    return _PLAIN.divide(value * rates.fx_rate(target), rates.fx_rate(source))


# --- cheapest purchase --------------------------------------------------------------------
#
# Minimise (price, coins over, purchases) to get AT LEAST n coins from unbounded bundles plus,
# where the store sells them, one custom amount c (custom_min_coins <= c <= custom_max_coins).
#
# Reduction. Let b* be the bundle with the lowest price per coin (ties: the most coins). In an
# optimal purchase every other bundle i appears fewer than L_i times, where L_i is the least
# of:
#   * best.coins / gcd(i.coins, best.coins): that many copies of i have exactly the coins of
#     i.coins / gcd copies of b*, which cost no more (b* has the best rate) and are fewer
#     bundles (b* is the largest among equal rates), so swapping them is strictly better;
#   * the least k with ceil(k * i.coins / best.coins) * best.price < k * i.price: k copies of
#     i can be swapped for enough b* to cover the same coins for strictly less money.
# Also, there are fewer than best.coins other bundles in all (pigeonhole: among best.coins of
# them some sub-multiset sums to a multiple of best.coins, and swapping it for b* is strictly
# better as above). No swap touches the custom amount. So the other bundles sum to at most
#   Y_max = min(sum_i (L_i - 1) * i.coins, (best.coins - 1) * max_i i.coins),
# a bound independent of n (16,055 coins for app/GB, 4,225 for app/US, 2,380 for app/ID, 0 for
# web/US and app/BR). An exact DP over the other bundles for every sum y <= Y_max is computed
# once per store; for each reachable y the number q of b* follows in closed form: the least q
# covering n without a custom amount, or, with one, the cost is convex piecewise-linear in q,
# so only the interval ends and the kink where the custom amount hits its minimum can be
# optimal. Each call is O(number of reachable y).


@dataclass(frozen=True)
class _Plan:
    """Per-store precomputation; costs are exact ints (see `_plan`)."""

    best: int  # index of b* in store.bundles
    cost: tuple[int, ...]  # cost of each bundle, in plan units
    custom_cost: int  # cost of one custom coin, in plan units (0 if none)
    reach: tuple[tuple[int, int, int], ...]  # (y, cost, bundles) for each reachable y
    last: tuple[int, ...]  # last[y]: index of the bundle added last to reach y (-1: none)


def _cheaper_rate(a: Bundle, b: Bundle) -> bool:
    """Whether `a` has a lower price per coin than `b` (ties: more coins)."""
    left, right = a.price * b.coins, b.price * a.coins
    return left < right or (left == right and a.coins > b.coins)


def _copies_limit(bundle: Bundle, best: Bundle) -> int:
    """L_i: an optimal purchase holds fewer than this many copies of `bundle`."""
    cap = best.coins // math.gcd(bundle.coins, best.coins)
    for k in range(1, cap):
        if _ceil_div(k * bundle.coins, best.coins) * best.price < k * bundle.price:
            return k
    return cap


def _decimals(value: Decimal) -> int:
    return max(0, -int(value.normalize().as_tuple().exponent))


@lru_cache(maxsize=64)
def _plan(store: Store) -> _Plan:
    """Exact integer costs and the DP over other bundles for one store.

    One plan unit is 10**-d / r of the currency, where d is the most decimals of any price and
    r the coins per `custom_rate.price` (1 without custom amounts): then a bundle costs
    price * 10**d * r units and a custom coin `custom_rate.price` * 10**d units, all ints.
    """
    with localcontext(_CONTEXT):
        bundles = store.bundles
        rate = store.custom_rate
        prices = [b.price for b in bundles] + ([rate.price] if rate else [])
        scale = max(_decimals(p) for p in prices)
        per = rate.coins if rate else 1
        cost = tuple(int(b.price.scaleb(scale)) * per for b in bundles)
        custom_cost = int(rate.price.scaleb(scale)) if rate else 0
        best = 0
        for index, bundle in enumerate(bundles):
            if _cheaper_rate(bundle, bundles[best]):
                best = index
        others = [i for i in range(len(bundles)) if i != best]
        y_max = sum(
            (_copies_limit(bundles[i], bundles[best]) - 1) * bundles[i].coins for i in others
        )
        if others:  # pigeonhole: fewer than best.coins other bundles in all
            y_max = min(y_max, (bundles[best].coins - 1) * max(bundles[i].coins for i in others))
        reach, last = _dp(bundles, others, cost, y_max)
        return _Plan(best, cost, custom_cost, reach, last)


def _dp(
    bundles: tuple[Bundle, ...], others: list[int], cost: tuple[int, ...], y_max: int
) -> tuple[tuple[tuple[int, int, int], ...], tuple[int, ...]]:
    """Cheapest (cost, bundles) for every exact sum y <= y_max of bundles other than b*."""
    price: list[int | None] = [0] + [None] * y_max
    count = [0] * (y_max + 1)
    last = [-1] * (y_max + 1)
    for y in range(1, y_max + 1):
        for i in others:
            before = y - bundles[i].coins
            if before < 0:
                continue
            base = price[before]
            if base is None:
                continue
            key = (base + cost[i], count[before] + 1)
            current = price[y]
            if current is None or key < (current, count[y]):
                price[y], count[y], last[y] = key[0], key[1], i
    reach = tuple((y, p, count[y]) for y, p in enumerate(price) if p is not None)
    return reach, tuple(last)


def _custom_qs(n: int, y: int, best_coins: int, store: Store) -> Iterator[int]:
    """Numbers of b* worth trying when a custom amount tops up to n."""
    if y >= n:
        return
    high = (n - y - 1) // best_coins  # bundles alone stay below n
    low = 0
    if store.custom_max_coins is not None:
        low = max(0, _ceil_div(n - store.custom_max_coins - y, best_coins))
    if low > high:
        return
    kink = (n - store.custom_min_coins - y) // best_coins
    yield from sorted({low, high, *(q for q in (kink, kink + 1) if low <= q <= high)})


def _options(n: int, y: int, best_coins: int, store: Store) -> list[tuple[int, int]]:
    """(copies of b*, custom coins) worth trying on top of other bundles summing to y."""
    options = [(max(0, _ceil_div(n - y, best_coins)), 0)]
    if store.sells_custom:
        for q in _custom_qs(n, y, best_coins, store):
            options.append((q, max(store.custom_min_coins, n - y - q * best_coins)))
    return options


@_exact
def cheapest_purchase(coins: int, store: Store) -> Purchase:
    """The exact cheapest way to get at least `coins` coins in `store`.

    Ties go to fewer coins over, then fewer purchases (bundles plus a custom amount).
    """
    n = _check_whole(coins, "coins", 1)
    plan = _plan(store)
    best_coins = store.bundles[plan.best].coins
    best_cost = plan.cost[plan.best]
    choice: tuple[tuple[int, int, int], int, int, int] | None = None
    for y, y_cost, y_count in plan.reach:
        for q, custom in _options(n, y, best_coins, store):
            key = (
                q * best_cost + y_cost + custom * plan.custom_cost,
                q * best_coins + y + custom - n,
                q + y_count + (custom > 0),
            )
            if choice is None or key < choice[0]:
                choice = (key, y, q, custom)
    if choice is None:  # y = 0 is always reachable
        raise RuntimeError(f"no purchase plan for {n} coins in {store.key}")
    return _purchase(n, store, plan, *choice[1:])


def _purchase(n: int, store: Store, plan: _Plan, y: int, q: int, custom: int) -> Purchase:
    quantities = [0] * len(store.bundles)
    quantities[plan.best] = q
    while y > 0:
        index = plan.last[y]
        quantities[index] += 1
        y -= store.bundles[index].coins
    chosen = tuple(
        (bundle, quantity)
        for bundle, quantity in sorted(
            zip(store.bundles, quantities, strict=True), key=lambda pair: -pair[0].coins
        )
        if quantity
    )
    price = sum((bundle.price * quantity for bundle, quantity in chosen), Decimal(0))
    if custom and store.custom_rate is not None:
        price += _PLAIN.divide(custom * store.custom_rate.price, store.custom_rate.coins)
    received = sum(bundle.coins * quantity for bundle, quantity in chosen) + custom
    return Purchase(
        coins_requested=n,
        coins_received=received,
        bundles=chosen,
        custom_coins=custom,
        price=price,
        currency=store.currency,
        price_per_coin=_PLAIN.divide(price, received),
    )
