"""Split an amount between people by weight, so the shares add up to the cent."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext

from economy.arithmetic import EXACT
from economy.errors import InvalidValue


def split_proportionally(
    total: Decimal, weights: Mapping[int, int], quantum: Decimal
) -> dict[int, Decimal]:
    """Shares of `total` proportional to `weights`, in whole multiples of `quantum`.

    `total` is first rounded (half-up) to a multiple of `quantum`; each share is the floor of
    its exact proportion and the leftover quanta go one each to the largest remainders (ties:
    smaller id). The shares sum exactly to the rounded total and each is within one quantum
    of its exact proportion. All-zero weights split equally; no weights give `{}`. A negative
    total is split like its absolute value, then negated.
    """
    if not weights:
        return {}
    quantum = _check_quantum(quantum)
    for who, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            raise InvalidValue("weight", f"{who}: must be a whole number, 0 or more")
    with localcontext(EXACT):
        units = (Decimal(total) / quantum).to_integral_value(rounding=ROUND_HALF_UP)
        sign = -1 if units < 0 else 1
        shares = _split_units(abs(int(units)), _effective(weights))
        return {who: sign * share * quantum for who, share in shares.items()}


def _check_quantum(quantum: Decimal) -> Decimal:
    value = Decimal(quantum)
    if not value.is_finite() or value <= 0:
        raise InvalidValue("quantum", "must be greater than 0")
    return value


def _effective(weights: Mapping[int, int]) -> dict[int, int]:
    """The weights, or equal weights when they are all zero."""
    if any(weights.values()):
        return dict(weights)
    return dict.fromkeys(weights, 1)


def _split_units(units: int, weights: dict[int, int]) -> dict[int, int]:
    """Largest-remainder split of `units` whole quanta (exact integer arithmetic)."""
    whole = sum(weights.values())
    shares = {who: units * weight // whole for who, weight in weights.items()}
    leftover = units - sum(shares.values())
    by_remainder = sorted(weights, key=lambda who: (-(units * weights[who] % whole), who))
    for who in by_remainder[:leftover]:
        shares[who] += 1
    return shares
