"""Tally goals: amounts as stored, dates people type, progress with the server's rates; and the
bars of a board."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from economy.boards import board_fractions, share_of
from economy.conversions import payout
from economy.errors import OutOfRange
from economy.goals import GoalOutOfRange
from economy.rates import default_presets
from economy.storage import Goal, GoalStanding, GoalTarget
from economy.tally_goals import (
    GoalDateError,
    WholeDiamondsOnly,
    goal_amount,
    goal_progress,
    parse_due,
)

GUIDES = default_presets()["guides"]  # USD 0.005 a diamond, 50% cut at cash-out
TODAY = date(2026, 11, 25)


def standing(amount: str, currency: str | None, diamonds: int, due: date | None = None):
    stored = Goal(
        1, 5, GoalTarget.member(7), Decimal(amount), currency, due, 0, 7,
        datetime(2026, 11, 1, tzinfo=UTC), None,
    )  # fmt: skip
    return GoalStanding(stored, Decimal(diamonds))


def test_a_diamond_goal_counts_diamonds_and_days() -> None:
    progress = goal_progress(standing("50000", None, 12_500, date(2026, 12, 5)), GUIDES, TODAY)
    assert (progress.target_diamonds, progress.diamonds) == (50_000, 12_500)
    assert progress.fraction == Decimal("0.25") and not progress.reached
    assert progress.to_go == 37_500 and progress.days_left == 10
    assert progress.target_money is None and progress.money is None
    late = goal_progress(standing("100", None, 100, date(2026, 11, 20)), GUIDES, TODAY)
    assert late.reached and late.fraction == 1 and late.to_go == 0 and late.days_left == -5


def test_a_money_goal_takes_home_the_amount_after_the_cut() -> None:
    progress = goal_progress(standing("50.00", "USD", 10_000), GUIDES, TODAY)
    assert progress.target_diamonds == 20_000  # 20,000 x $0.005 = $100 gross, $50 home
    assert payout(progress.target_diamonds, GUIDES).net_usd >= Decimal(50)
    assert progress.money is not None and progress.money.amount == Decimal(25)
    assert progress.fraction == Decimal("0.5")
    rupiah = goal_progress(standing("800000", "IDR", 0), GUIDES, TODAY)
    assert rupiah.target_money is not None and rupiah.target_money.currency == "IDR"
    net = payout(rupiah.target_diamonds, GUIDES).net_usd * GUIDES.fx_rate("IDR")
    assert (
        net >= 800_000 > payout(rupiah.target_diamonds - 1, GUIDES).net_usd * GUIDES.fx_rate("IDR")
    )


def test_goal_amounts_as_stored() -> None:
    assert goal_amount(Decimal(5000), "diamonds", "BRL", GUIDES) == (Decimal(5000), None)
    assert goal_amount(Decimal("120.50"), "money", "brl", GUIDES) == (Decimal("120.50"), "BRL")
    with pytest.raises(WholeDiamondsOnly):
        goal_amount(Decimal("10.5"), "diamonds", "USD", GUIDES)
    with pytest.raises(OutOfRange):
        goal_amount(Decimal(0), "diamonds", "USD", GUIDES)
    with pytest.raises(GoalOutOfRange):
        goal_amount(Decimal("0.001"), "money", "USD", GUIDES)


@pytest.mark.parametrize("typed", ["2026-11-24", "31/12/2026", "2026-02-30", "soon", "2100-01-01"])
def test_goal_dates_must_be_real_and_ahead(typed: str) -> None:
    with pytest.raises(GoalDateError) as refused:
        parse_due(typed, TODAY)
    assert refused.value.params["latest"] == "2036-12-02"  # MAX_GOAL_DAYS (3,660) from today


def test_goal_dates_people_type() -> None:
    assert parse_due(" 2026-12-31 ", TODAY) == date(2026, 12, 31)
    assert parse_due("2026-11-25", TODAY) == TODAY
    assert parse_due("", TODAY) is None and parse_due(None, TODAY) is None
    assert parse_due("2036-12-02", TODAY) == date(2036, 12, 2)  # the last day accepted


def test_bars_are_shares_of_the_top() -> None:
    assert board_fractions([Decimal(200), 100, 0]) == [1, Decimal("0.5"), 0]
    assert board_fractions([]) == []
    assert board_fractions([5], top=20) == [Decimal("0.25")]
    assert share_of(30, 0) == 0 and share_of(-1, 10) == 0 and share_of(50, 10) == 1
