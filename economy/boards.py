"""Bars on a board: each value as a share of the board's top value, for pictures."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def share_of(value: Decimal | int, top: Decimal | int) -> Decimal:
    """`value` as a fraction of `top`, in [0, 1] (0 when `top` is not above zero)."""
    if top <= 0 or value <= 0:
        return Decimal(0)
    return min(Decimal(1), Decimal(value) / Decimal(top))


def board_fractions(
    values: Sequence[Decimal | int], top: Decimal | int | None = None
) -> list[Decimal]:
    """Each value as a share of `top` (default: the largest value): the top row's bar is full."""
    highest = max(values, default=Decimal(0)) if top is None else top
    return [share_of(value, highest) for value in values]
