"""Tally goals: a member's or a group's target in diamonds, or in money to take home in the
server's currency, by an optional date; and how far along it is.

A money goal is kept as typed (amount and currency) and turned into diamonds with the
server's rates whenever progress is shown: the diamonds whose payout, after the cash-out cut,
takes home at least the amount (`conversions.goal`). Progress counts what was received after
the goal was set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from economy.boards import share_of
from economy.conversions import check_amount, convert, goal, payout
from economy.errors import EconomyError
from economy.goals import goal_usd
from economy.limits import MAX_AMOUNT, MIN_GOAL_USD
from economy.quotes import Shown
from economy.rates import RateCard
from economy.storage import Goal, GoalStanding

GoalUnit = Literal["diamonds", "money"]
GOAL_UNITS: tuple[GoalUnit, ...] = ("diamonds", "money")
MAX_GOAL_DAYS = 3660  # a goal's date is at most about ten years ahead
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class GoalDateError(EconomyError):
    """A goal's date that is not a date, already past, or too far ahead."""

    key = "goal.bad_date"

    def __init__(self, typed: str, latest: date) -> None:
        super().__init__(f"{typed!r} is not a date from today to {latest}", typed=typed)
        self.params["latest"] = latest.isoformat()


class WholeDiamondsOnly(EconomyError):
    """A diamond goal with a fraction of a diamond."""

    key = "goal.whole"

    def __init__(self, typed: Decimal) -> None:
        super().__init__(f"{typed} is not a whole number of diamonds", typed=typed)


@dataclass(frozen=True)
class GoalProgress:
    """How far a goal is: the diamonds it takes at today's rates and those received towards
    it. A money goal also has its amount and what the diamonds received take home, both in
    the goal's currency. `days_left` is None without a date, negative once it has passed."""

    goal: Goal
    target_diamonds: Decimal
    diamonds: Decimal
    fraction: Decimal
    reached: bool
    to_go: Decimal
    target_money: Shown | None
    money: Shown | None
    days_left: int | None


def parse_due(typed: str | None, today: date) -> date | None:
    """`YYYY-MM-DD` from today up to MAX_GOAL_DAYS ahead; None when nothing was typed."""
    if typed is None or not typed.strip():
        return None
    latest = today + timedelta(days=MAX_GOAL_DAYS)
    found = _DATE.fullmatch(typed.strip())
    try:
        due = date(int(found[1]), int(found[2]), int(found[3])) if found else None
    except ValueError:
        due = None
    if due is None or not today <= due <= latest:
        raise GoalDateError(typed[:40], latest)
    return due


def goal_amount(
    amount: Decimal, unit: GoalUnit, currency: str, rates: RateCard
) -> tuple[Decimal, str | None]:
    """A typed goal as stored: whole diamonds (1..MAX_AMOUNT) with no currency, or money in
    `currency` within the goal limits of /payout goal."""
    if unit == "diamonds":
        diamonds = check_amount(amount, "diamonds", 1, MAX_AMOUNT)
        if diamonds != diamonds.to_integral_value():
            raise WholeDiamondsOnly(diamonds)
        return diamonds, None
    goal_usd(amount, currency, rates)  # refuses amounts outside the limits, in `currency`
    return amount, currency.upper()


def target_diamonds(stored: Goal, rates: RateCard) -> Decimal:
    """The diamonds a goal takes with today's rates."""
    if stored.currency is None:
        return stored.amount
    net_usd = convert(stored.amount, stored.currency, "USD", rates)
    return Decimal(goal(max(net_usd, MIN_GOAL_USD), rates).diamonds)


def goal_progress(standing: GoalStanding, rates: RateCard, today: date) -> GoalProgress:
    """A goal's progress at `today` with the server's rates."""
    stored, diamonds = standing.goal, standing.diamonds
    target = target_diamonds(stored, rates)
    target_money = money = None
    if stored.currency is not None:
        target_money = Shown(stored.amount, stored.currency)
        taken_home = convert(payout(diamonds, rates).net_usd, "USD", stored.currency, rates)
        money = Shown(taken_home, stored.currency)
    days_left = (stored.due_on - today).days if stored.due_on is not None else None
    return GoalProgress(
        goal=stored,
        target_diamonds=target,
        diamonds=diamonds,
        fraction=share_of(diamonds, target),
        reached=diamonds >= target,
        to_go=max(Decimal(0), target - diamonds),
        target_money=target_money,
        money=money,
        days_left=days_left,
    )
