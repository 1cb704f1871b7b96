"""Payout goals: a goal typed in the user's currency, and the gifts that reach it.

A gift is suggested for a goal only if `count` of it reaches the goal and `count - 1` does not
while one alone stays within the goal: so a USD 2.50 goal lists 2 x Galaxy, not 1 x TikTok
Universe (20 times the goal). The smallest candidate gift that alone nets more than the goal
is named separately ("a single X would pay Y instead").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

from economy.arithmetic import EXACT, ceil_div
from economy.conversions import (
    GiftLike,
    Goal,
    check_amount,
    diamonds_for,
    goal,
    payout,
)
from economy.errors import InvalidValue, Money, OutOfRange
from economy.limits import MAX_AMOUNT, MIN_GOAL_USD
from economy.money import currency_digits
from economy.rates import RateCard


class GoalOutOfRange(OutOfRange):
    """A goal outside the accepted range, the bounds expressed in the currency it was typed in.

    `value`, `minimum`, `maximum` are raw Decimals in `currency` (the minimum rounded up, the
    maximum down, to the currency's digits, so the bounds shown are themselves accepted); the
    message params are the same amounts as `Money`, so the refusal reads in that currency.
    """

    def __init__(self, value: Decimal, minimum: Decimal, maximum: Decimal, currency: str) -> None:
        super().__init__("goal", value, minimum, maximum)
        self.value, self.minimum, self.maximum, self.currency = value, minimum, maximum, currency
        self.params.update(
            value=Money(value, currency),
            minimum=Money(minimum, currency),
            maximum=Money(maximum, currency),
            currency=currency,
        )


@dataclass(frozen=True)
class GiftRoute:
    """`count` x `gift` and what they net (at least the goal, for a suggested route)."""

    gift: GiftLike
    count: int
    coins: int
    net_usd: Decimal


@dataclass(frozen=True)
class GoalGifts:
    """What a goal takes, the gifts that reach it, and the single bigger gift.

    Render each route as "count x gift (nets X)", fewest gifts first, then "a single <bigger>
    would net <bigger.net_usd> instead" when `bigger` is set.
    """

    goal: Goal
    routes: tuple[GiftRoute, ...]  # fewest gifts first
    bigger: GiftRoute | None  # the smallest candidate whose one gift nets more than the goal


def goal_limits(currency: str, rates: RateCard) -> tuple[Decimal, Decimal]:
    """The smallest and largest goal accepted in `currency` (rounded to its digits, inwards)."""
    code = currency.strip().upper()
    per_usd = rates.fx_rate(code)
    step = Decimal(1).scaleb(-currency_digits(code))
    with localcontext(EXACT):
        low = (MIN_GOAL_USD * per_usd).quantize(step, rounding=ROUND_CEILING)
        high = (MAX_AMOUNT * per_usd).quantize(step, rounding=ROUND_FLOOR)
    return low, high


def goal_usd(amount: Decimal | int, currency: str, rates: RateCard) -> Decimal:
    """A goal typed in `currency`, in USD; `GoalOutOfRange` (bounds in `currency`) outside
    `goal_limits`, `InvalidValue` if it is not a finite number."""
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        raise InvalidValue("amount", "must be a number")
    value = Decimal(amount)
    if not value.is_finite():
        raise InvalidValue("amount", "must be a finite number")
    code = currency.strip().upper()
    low, high = goal_limits(code, rates)
    if not low <= value <= high:
        raise GoalOutOfRange(value, low, high, code)
    with localcontext(EXACT):
        usd = value if code == "USD" else EXACT.divide(value, rates.fx_rate(code))
    return check_amount(usd, "amount", MIN_GOAL_USD)


def goal_gifts(
    net_usd: Decimal | int, rates: RateCard, candidates: Iterable[GiftLike]
) -> GoalGifts:
    """The goal, each candidate gift that reaches it without a gift's worth too much, and the
    smallest candidate that alone nets more (see the module rule)."""
    target = goal(net_usd, rates)
    routes: list[GiftRoute] = []
    bigger: GiftRoute | None = None
    seen: set[str] = set()
    for gift in candidates:
        if gift.name in seen or gift.coins <= 0:
            continue
        seen.add(gift.name)
        one = _route(gift, 1, rates)
        if one.net_usd > target.net_usd:
            if bigger is None or (gift.coins, gift.name) < (bigger.gift.coins, bigger.gift.name):
                bigger = one
            continue
        count = max(1, ceil_div(target.coins, gift.coins))
        routes.append(_route(gift, count, rates))
    routes.sort(key=lambda route: (route.count, -route.gift.coins, route.gift.name))
    return GoalGifts(target, tuple(routes), bigger)


def _route(gift: GiftLike, count: int, rates: RateCard) -> GiftRoute:
    coins = gift.coins * count
    return GiftRoute(gift, count, coins, payout(diamonds_for(coins, rates), rates).net_usd)
