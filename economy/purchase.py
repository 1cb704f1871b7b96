"""Purchase plans: the fewest purchases at the best price for at least n coins in one store.

The rule. Every purchase (a pack, or a custom amount on the web) carries, for planning only,
a cost equal to the price of the store's smallest pack, lambda. A plan minimises

    price + lambda x purchases,

then has fewer purchases, then fewer coins over. In words: one more purchase must save at least
the price of the smallest pack. So a Yacht (20,000 coins) in the US app is a handful of big
packs, not 112 small ones, and a Rose (1 coin) still buys the smallest pack, never the largest.
The price reported is the real price; lambda only ranks plans.

Custom amounts (web) cost `custom_rate.price` per `custom_rate.coins`, each purchase between
`custom_min_coins` and `custom_max_coins`; U custom coins are bought as ceil(U / max)
purchases (the store validator guarantees such a split exists).

How it is exact and fast (all costs are integers in "plan units", see `_units`). Let b* be
the pack with the lowest cost per coin counting lambda (ties: the most coins), and call the
other packs of a plan its "others" S (coins y). Swapping any sub-multiset of S for a strictly
better set of packs covering at least its coins improves the plan and leaves the custom
amount alone, so in an optimal plan every sub-multiset of S is itself an optimal cover of its
coins. `_candidates` enumerates the multisets of other packs with that property (checked on
every prefix, in a canonical order, against an exact covering DP), keeps per coin total y the
best one, and drops any y beaten by a larger y that is no dearer and has no more purchases
(such a y could be swapped in). For US app data that leaves 340 candidates, found once per
store. Per request, each candidate's number of b* and custom amount follow in closed form
(`_choices`), so a request costs O(candidates) whatever n is (up to 10^12).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache

from economy.arithmetic import EXACT, PLAIN, ceil_div
from economy.errors import DataFileError, InvalidValue, OutOfRange
from economy.limits import MAX_AMOUNT
from economy.stores import Bundle, Store

MAX_CANDIDATES = 100_000  # a store whose packs need more is refused as bad data
_SHIFT = 1 << 32  # (cost, purchases) packed into one int: cost * _SHIFT + purchases


@dataclass(frozen=True)
class Purchase:
    """A plan to buy at least `coins_requested` coins in one store."""

    coins_requested: int
    coins_received: int
    bundles: tuple[tuple[Bundle, int], ...]  # (pack, quantity), largest pack first
    custom_coins: int  # coins bought as custom amounts (0 if none)
    custom_purchases: int  # how many custom amounts they are bought as
    price: Decimal  # in `currency`, unrounded
    currency: str
    price_per_coin: Decimal  # price / coins_received

    @property
    def coins_over(self) -> int:
        """Coins received beyond the request."""
        return self.coins_received - self.coins_requested

    @property
    def bundle_count(self) -> int:
        """How many packs are bought (custom amounts not counted)."""
        return sum(quantity for _, quantity in self.bundles)

    @property
    def purchases(self) -> int:
        """Every purchase: packs plus custom amounts."""
        return self.bundle_count + self.custom_purchases


@dataclass(frozen=True)
class TooFewPacks:
    """No plan: the store's known packs are too few to plan a purchase honestly.

    Render "too few known packs in <store>" with the store's packs (`Store.bundles`); what
    the coins cost at its reference price is `conversions.coins_cost`.
    """


def plan_purchase(coins: int, store: Store) -> Purchase | TooFewPacks:
    """The plan to show a user: `cheapest_purchase`, unless the store has too few known packs."""
    n = check_coins(coins)
    if store.too_few_packs:
        return TooFewPacks()
    return cheapest_purchase(n, store)


def cheapest_purchase(coins: int, store: Store) -> Purchase:
    """The best plan (see the module rule) for at least `coins` coins, in any store.

    Callers that show a plan to users call `plan_purchase`, which refuses stores with too few
    known packs.
    """
    n = check_coins(coins)
    with localcontext(EXACT):
        plan = _plan(store)
        return _purchase(n, store, plan, *_best(n, plan))


def prepare_stores(stores: Iterable[Store]) -> None:
    """Do the stores' one-off planning work now (about 0.04 s for the US app, once per store),
    in a thread at start-up, so that no request pays for it on the event loop."""
    for store in stores:
        _plan(store)


def check_coins(coins: object) -> int:
    """`coins` as an int in 1..MAX_AMOUNT, else `OutOfRange` (`InvalidValue` if not whole)."""
    if isinstance(coins, bool) or not isinstance(coins, int):
        raise InvalidValue("coins", "must be a whole number")
    if not 1 <= coins <= MAX_AMOUNT:
        raise OutOfRange("coins", coins, 1, MAX_AMOUNT)
    return coins


# --- per-store precomputation -------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """A store in plan units, and the candidate sets of other packs."""

    coins: tuple[int, ...]  # coins of each pack (store.bundles order)
    cost: tuple[int, ...]  # planning cost of each pack: price + lambda
    best: int  # index of b*
    lam: int  # lambda, the per-purchase planning cost
    custom: int  # price of one custom coin (0: no custom amounts)
    custom_min: int
    custom_max: int | None
    reach: tuple[tuple[int, int, int, tuple[int, ...]], ...]  # (y, cost, purchases, counts)


def _decimals(value: Decimal) -> int:
    return max(0, -int(value.normalize().as_tuple().exponent))


@lru_cache(maxsize=64)
def _plan(store: Store) -> _Plan:
    """One plan unit is 10**-d / r of the currency, d the most decimals of any price and r the
    coins per `custom_rate.price` (1 without custom amounts): then a pack costs
    price * 10**d * r units and a custom coin `custom_rate.price` * 10**d units, all ints."""
    rate = store.custom_rate
    prices = [bundle.price for bundle in store.bundles] + ([rate.price] if rate else [])
    scale = max(_decimals(price) for price in prices)
    per = rate.coins if rate else 1
    base = [int(bundle.price.scaleb(scale)) * per for bundle in store.bundles]
    lam = min(base)
    coins = tuple(bundle.coins for bundle in store.bundles)
    cost = tuple(price + lam for price in base)
    best = 0
    for index in range(len(coins)):  # lowest cost per coin; ties: the most coins
        left, right = cost[index] * coins[best], cost[best] * coins[index]
        if left < right or (left == right and coins[index] > coins[best]):
            best = index
    reach = _candidates(coins, cost, best, store.key)
    custom = int(rate.price.scaleb(scale)) if rate else 0
    return _Plan(
        coins, cost, best, lam, custom, store.custom_min_coins, store.custom_max_coins, reach
    )


class _Cover:
    """Exact cheapest (cost, purchases), packed, to get at least x coins from packs alone."""

    def __init__(self, coins: tuple[int, ...], cost: tuple[int, ...]) -> None:
        self._items = [(c, k * _SHIFT + 1) for c, k in zip(coins, cost, strict=True)]
        self._table = [0]

    def __call__(self, x: int) -> int:
        table, items = self._table, self._items
        for t in range(len(table), x + 1):
            best = -1
            for c, packed in items:
                value = packed + (table[t - c] if t > c else 0)
                if best < 0 or value < best:
                    best = value
            table.append(best)
        return table[x]


def _candidates(
    coins: tuple[int, ...], cost: tuple[int, ...], best: int, key: str
) -> tuple[tuple[int, int, int, tuple[int, ...]], ...]:
    """Every coin total y of other packs that can be part of an optimal plan (see module)."""
    cover = _Cover(coins, cost)
    others = [i for i in range(len(coins)) if i != best]
    found: dict[int, tuple[int, tuple[int, ...]]] = {0: (0, (0,) * len(coins))}
    layer = [(0, 0, (0,) * len(coins), 0)]  # (y, packed cost, counts, smallest index allowed)
    while layer:
        following = []
        for y, packed, counts, start in layer:
            for i in others:
                if i < start:
                    continue
                y2, packed2 = y + coins[i], packed + cost[i] * _SHIFT + 1
                if packed2 > cover(y2):
                    continue  # a strictly better cover of y2 coins exists
                counts2 = (*counts[:i], counts[i] + 1, *counts[i + 1 :])
                following.append((y2, packed2, counts2, i))
                if y2 not in found or packed2 < found[y2][0]:
                    found[y2] = (packed2, counts2)
        if len(found) > MAX_CANDIDATES:
            raise DataFileError(f"store {key}: its packs are too many or too alike to plan with")
        layer = following
    return _undominated(found)


def _undominated(
    found: dict[int, tuple[int, tuple[int, ...]]],
) -> tuple[tuple[int, int, int, tuple[int, ...]], ...]:
    """Drop every y beaten by a larger y that costs no more and needs no more purchases."""
    kept: list[tuple[int, int, int, tuple[int, ...]]] = []
    cheapest: dict[int, int] = {}  # purchases -> lowest cost among larger y kept so far
    for y in sorted(found, reverse=True):
        packed, counts = found[y]
        cost, purchases = divmod(packed, _SHIFT)
        beaten = any(
            low <= cost and (low < cost or k < purchases)
            for k, low in cheapest.items()
            if k <= purchases
        )
        if not beaten:
            kept.append((y, cost, purchases, counts))
            cheapest[purchases] = min(cost, cheapest.get(purchases, cost))
    return tuple(sorted(kept))


# --- per request --------------------------------------------------------------------------


def _best(n: int, plan: _Plan) -> tuple[tuple[int, ...], int, int]:
    """(counts of other packs, copies of b*, custom coins) of the best plan for n coins."""
    b, c = plan.coins[plan.best], plan.cost[plan.best]
    choice: tuple[tuple[int, int, int], tuple[int, ...], int, int] | None = None
    for y, y_cost, y_count, counts in plan.reach:
        for q, custom in _choices(n - y, plan):
            k = _custom_purchases(custom, plan)
            key = (
                q * c + y_cost + custom * plan.custom + k * plan.lam,
                q + y_count + k,
                q * b + y + custom - n,
            )
            if choice is None or key < choice[0]:
                choice = (key, counts, q, custom)
    if choice is None:  # y = 0 is always a candidate
        raise RuntimeError(f"no purchase plan for {n} coins")
    return choice[1], choice[2], choice[3]


def _custom_purchases(custom: int, plan: _Plan) -> int:
    if custom == 0:
        return 0
    return 1 if plan.custom_max is None else ceil_div(custom, plan.custom_max)


def _choices(m: int, plan: _Plan) -> Iterator[tuple[int, int]]:
    """(copies of b*, custom coins) worth trying when other packs leave m coins to cover."""
    b = plan.coins[plan.best]
    if m <= 0:
        yield 0, 0
        return
    yield ceil_div(m, b), 0
    if not plan.custom:
        return
    top = (m - 1) // b  # the most b* that still leave a custom amount to buy
    kink = (m - plan.custom_min) // b  # the most b* that leave at least custom_min coins
    if kink + 1 <= top:  # past the kink the custom amount is custom_min, so fewer b* is best
        yield max(0, kink + 1), plan.custom_min
    if kink >= 0:
        for q in _custom_qs(m, min(kink, top), plan):
            yield q, m - q * b


def _custom_qs(m: int, last: int, plan: _Plan) -> set[int]:
    """Copies of b* in 0..last (custom amount m - q*b >= custom_min) worth trying.

    With f(q) = q*C + custom*(m - q*b) + lam*ceil((m - q*b)/max): if each b* costs less than
    its coins bought as custom (delta < 0), more b* is always better: q = last; if exactly as
    much (delta = 0), every q with as few custom purchases as `last` costs the same, and the
    fewest b* among them makes the fewest purchases. Otherwise
    write kappa for the number of custom purchases; the fewest b* for kappa purchases is
    q(kappa) = ceil((m - kappa*max)/b), and f(q(kappa)) = A + kappa*sigma + wobble, with
    sigma = lam - delta*max/b and 0 <= wobble < delta, periodic in kappa with period
    p = b/gcd(b, max). So the best kappa is within min(p, ceil(delta/|sigma|)) of the end
    sigma favours (both ends when sigma = 0, a whole period).
    """
    b, c = plan.coins[plan.best], plan.cost[plan.best]
    delta = c - plan.custom * b
    if plan.custom_max is None or delta < 0:
        return {0, last}
    cap = plan.custom_max
    if delta == 0:  # f is lowest at `last`, and as low from the fewest b* with as many customs
        return {0, last, max(0, ceil_div(m - ceil_div(m - last * b, cap) * cap, b))}
    low, high = ceil_div(m - last * b, cap), ceil_div(m, cap)
    sigma_b = plan.lam * b - delta * cap  # sigma * b
    period = b // math.gcd(b, cap)
    width = period if sigma_b == 0 else min(period, ceil_div(delta * b, abs(sigma_b)))
    kappas = {low, high}
    if sigma_b >= 0:
        kappas.update(range(low, min(high, low + width)))
    if sigma_b <= 0:
        kappas.update(range(max(low, high - width), high))
    return {min(last, max(0, ceil_div(m - kappa * cap, b))) for kappa in kappas}


def _purchase(
    n: int, store: Store, plan: _Plan, counts: tuple[int, ...], q: int, custom: int
) -> Purchase:
    quantities = list(counts)
    quantities[plan.best] += q
    chosen = tuple(
        (bundle, quantity)
        for bundle, quantity in sorted(
            zip(store.bundles, quantities, strict=True), key=lambda pair: -pair[0].coins
        )
        if quantity
    )
    price = sum((bundle.price * quantity for bundle, quantity in chosen), Decimal(0))
    if custom and store.custom_rate is not None:
        price += PLAIN.divide(custom * store.custom_rate.price, store.custom_rate.coins)
    received = sum(bundle.coins * quantity for bundle, quantity in chosen) + custom
    return Purchase(
        coins_requested=n,
        coins_received=received,
        bundles=chosen,
        custom_coins=custom,
        custom_purchases=_custom_purchases(custom, plan),
        price=price,
        currency=store.currency,
        price_per_coin=PLAIN.divide(price, received),
    )
