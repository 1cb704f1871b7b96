"""The arithmetic every figure shares: two decimal contexts and integer ceiling division.

Money is computed in `EXACT` (80 significant digits: sums and products of in-range amounts
never round); a quotient that does not terminate (a price per coin, an exchange, a share)
keeps 28 significant digits (`PLAIN.divide`). Rounding for display is `economy.money`'s.
"""

from __future__ import annotations

from decimal import Context, DivisionByZero, InvalidOperation, Overflow

EXACT = Context(prec=80, traps=[InvalidOperation, DivisionByZero, Overflow])
PLAIN = Context(prec=28)


def ceil_div(numerator: int, denominator: int) -> int:
    """`ceil(numerator / denominator)` in exact integer arithmetic (denominator > 0)."""
    return -(-numerator // denominator)
