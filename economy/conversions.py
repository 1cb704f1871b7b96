"""Pure conversions along the chain: money -> coins -> gift -> diamonds -> payout.

Coins and diamonds are `int`; money is `Decimal` and is never rounded here (it is rounded
once, when displayed, by `economy.money.format_money`). Arithmetic runs in an 80-digit
decimal context, so sums and products of in-range inputs are exact; quotients that do not
terminate (a custom coin price, an exchange, a price per coin) keep 28 significant digits.

Purchase plans live in `economy.purchase` (re-exported here). What a gift cost the viewer is
its coins times the store's reference price per coin (`viewer_cost`); a converted amount can
say which dated exchange rates it used (`converted`).

Bounds (`OutOfRange` outside them): gift counts 1..`MAX_COUNT`; coins to buy 1..`MAX_AMOUNT`;
diamonds and views 0..`MAX_AMOUNT` (0 is a valid, trivial question); a goal
`MIN_GOAL_USD`..`MAX_AMOUNT` USD; amounts to convert 0..`MAX_CONVERT` (wider, because
computed prices in rupiah exceed 10^12).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from functools import wraps
from typing import ParamSpec, Protocol, TypeVar

from economy.arithmetic import EXACT, PLAIN, ceil_div
from economy.errors import InvalidValue, OutOfRange
from economy.limits import MAX_AMOUNT, MAX_BALANCE, MAX_CONVERT, MAX_COUNT, MIN_GOAL_USD
from economy.model import Figure
from economy.purchase import Purchase as Purchase
from economy.purchase import TooFewPacks as TooFewPacks
from economy.purchase import cheapest_purchase as cheapest_purchase
from economy.purchase import plan_purchase
from economy.rates import Availability, RateCard, Store
from economy.stores import CoinPrice

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _exact(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `func` in the 80-digit decimal context."""

    @wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(EXACT):
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
class ViewerCost:
    """What coins cost the viewer at a store's reference price per coin (not a plan).

    Render the amount with the price it assumes and its source: "about USD 0.0152 (65 coins
    for USD 0.99, <source>, <as_of>)".
    """

    coins: int
    amount: Decimal  # coins x price / per coins, in `currency`, unrounded
    currency: str
    price: CoinPrice  # the store's reference price, with source and date
    store_key: str


@dataclass(frozen=True)
class GiftValue:
    """What `count` of a gift is worth to the creator and cost the viewer.

    `viewer_cost` is the coins at the store's reference price; `plan` is how to buy them
    (or why there is no plan).
    """

    gift: GiftLike
    count: int
    coins: int
    diamonds: Decimal
    gross_usd: Decimal
    net_usd: Decimal
    viewer_cost: ViewerCost
    plan: Purchase | TooFewPacks


@dataclass(frozen=True)
class Payout:
    """What a diamond balance cashes out to, and how far it is from the minimum."""

    diamonds: Decimal
    gross_usd: Decimal
    cut_usd: Decimal
    net_usd: Decimal
    minimum_usd: Decimal
    minimum_diamonds: int
    diamonds_to_minimum: Decimal
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
    availability: Availability  # where the program runs or ran, with its own source


@dataclass(frozen=True)
class Converted:
    """An amount in another currency, with the dated exchange rates it used.

    `basis` lists each rate used (none when the currencies are the same): render e.g.
    "≈ Rp268 (ECB, 2026-10-06)" from `figure.source` and `figure.as_of`.
    """

    amount: Decimal
    from_currency: str
    to_currency: str
    basis: tuple[Figure, ...]


@dataclass(frozen=True)
class Goal:
    """What it takes to net `net_usd`: diamonds, coins and (optionally) gifts."""

    net_usd: Decimal
    diamonds: int
    coins: int
    gift: GiftLike | None
    gift_count: int | None


# --- coins, diamonds, payout --------------------------------------------------------------


def _diamonds(coins: int, rates: RateCard) -> Decimal:
    return coins * rates.diamonds_per_coin.value


@_exact
def diamonds_for(coins: int, rates: RateCard) -> Decimal:
    """Diamonds a creator gets for `coins` spent, exactly (0.5 for one Rose at 0.5 a coin):
    nothing is lost to rounding, so any entries add up to what one entry of them gives."""
    return _diamonds(_check_whole(coins, "coins", 0), rates)


def _payout_parts(diamonds: Decimal | int, rates: RateCard) -> tuple[Decimal, Decimal, Decimal]:
    gross = diamonds * rates.usd_per_diamond.value
    cut = gross * rates.cashout_cut.value
    return gross, cut, gross - cut


def _least(at_least: Callable[[int], bool], estimate: int) -> int:
    """The smallest k >= 0 with `at_least(k)` (monotone), searched from a close estimate."""
    k = max(0, estimate)
    while k > 0 and at_least(k - 1):
        k -= 1
    while not at_least(k):
        k += 1
    return k


@_exact
def payout(diamonds: Decimal | int, rates: RateCard) -> Payout:
    """Cash-out value of `diamonds`, progress to the minimum and days under the daily cap.

    Any balance the bot can hold is valued (a group's sum included): only negative or
    non-finite amounts are refused.
    """
    diamonds = check_amount(diamonds, "diamonds", 0, MAX_BALANCE)
    gross, cut, net = _payout_parts(diamonds, rates)
    per = rates.usd_per_diamond.value
    minimum_usd = rates.minimum_withdrawal_usd.value
    minimum = _least(lambda d: d * per >= minimum_usd, math.ceil(minimum_usd / per))
    reached = diamonds > 0 and diamonds >= minimum
    progress = Decimal(1) if minimum == 0 else min(Decimal(1), PLAIN.divide(diamonds, minimum))
    days = math.ceil(net / rates.daily_cap_usd.value) if reached else 0
    return Payout(
        diamonds=diamonds,
        gross_usd=gross,
        cut_usd=cut,
        net_usd=net,
        minimum_usd=minimum_usd,
        minimum_diamonds=minimum,
        diamonds_to_minimum=max(Decimal(0), minimum - diamonds),
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
        availability=found.availability,
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
        gift_count = max(1, ceil_div(coins, _gift_coins(gift)))
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
        viewer_cost=_viewer_cost(coins, store),
        plan=plan_purchase(coins, store),
    )


@_exact
def viewer_cost(gift: GiftLike, count: int, store: Store) -> ViewerCost:
    """What `count` x `gift` cost the viewer in `store`: coins x its reference price per coin."""
    return _viewer_cost(_gift_coins(gift) * check_count(count), store)


@_exact
def coins_cost(coins: int, store: Store) -> ViewerCost:
    """What `coins` coins cost the viewer in `store` at its reference price per coin."""
    return _viewer_cost(_check_whole(coins, "coins", 1), store)


def _viewer_cost(coins: int, store: Store) -> ViewerCost:
    price = store.reference_price
    amount = PLAIN.divide(coins * price.price, price.coins)
    return ViewerCost(coins, amount, store.currency, price, store.key)


@_exact
def convert(
    amount: Decimal | int, from_currency: str, to_currency: str, rates: RateCard
) -> Decimal:
    """`amount` in `from_currency` expressed in `to_currency`, through USD (unrounded)."""
    return converted(amount, from_currency, to_currency, rates).amount


@_exact
def converted(
    amount: Decimal | int, from_currency: str, to_currency: str, rates: RateCard
) -> Converted:
    """`amount` in `from_currency` expressed in `to_currency` through USD, with the rates used."""
    value = check_amount(amount, maximum=MAX_CONVERT)
    source, target = from_currency.strip().upper(), to_currency.strip().upper()
    if source == target:
        return Converted(value, source, target, ())
    basis = tuple(
        figure
        for figure in (rates.fx_figure(source), rates.fx_figure(target))
        if figure is not None
    )
    result = PLAIN.divide(value * rates.fx_rate(target), rates.fx_rate(source))
    return Converted(result, source, target, basis)
