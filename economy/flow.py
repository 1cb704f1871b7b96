"""Where the viewer's money goes: what they paid, split into what the app store and TikTok keep
before the creator's diamonds, the cut at cash-out, and what the creator takes home.

All parts are in one display currency and rounded for display so that they add up as shown:
paid = kept + gross and gross = cut + net. The shares (fractions of what was paid) are exact,
for drawing a proportional bar. `converted_parts` is the one conversion of a payout's gross,
cut and net out of USD (`quotes.payout_parts` shows it too).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from economy.arithmetic import PLAIN
from economy.conversions import converted
from economy.model import Figure
from economy.money import Breakdown, DisplayAmount, breakdown, exactly, for_display
from economy.rates import RateCard


@dataclass(frozen=True)
class MoneyFlow:
    """The viewer's payment, as displayed in `currency`: `paid = kept + gross`,
    `gross = cut + net`; `*_share` are fractions of `paid` (exact, not rounded)."""

    currency: str
    paid: DisplayAmount
    kept: DisplayAmount  # the app store's and TikTok's part, before the creator's diamonds
    gross: DisplayAmount
    cut: DisplayAmount
    net: DisplayAmount
    kept_share: Decimal
    cut_share: Decimal
    net_share: Decimal
    basis: tuple[Figure, ...]  # the dated exchange rates used


@dataclass(frozen=True)
class ConvertedParts:
    """A payout's gross and cut, given in USD, in another currency: unrounded (`gross`, `cut`,
    `net`) and as displayed (`displayed`, adding up), with the dated exchange rates used."""

    gross: Decimal
    cut: Decimal
    displayed: Breakdown
    basis: tuple[Figure, ...]

    @property
    def net(self) -> Decimal:
        return self.gross - self.cut


def converted_parts(
    gross_usd: Decimal, cut_usd: Decimal, currency: str, rates: RateCard
) -> ConvertedParts:
    """`gross_usd` and `cut_usd` in `currency` (net: their difference), rounded to add up."""
    gross = converted(gross_usd, "USD", currency, rates)
    cut = converted(cut_usd, "USD", currency, rates)
    displayed = breakdown(gross.amount, cut.amount, gross.amount - cut.amount, gross.to_currency)
    return ConvertedParts(gross.amount, cut.amount, displayed, gross.basis)


def money_flow(
    paid: Decimal,
    paid_currency: str,
    gross_usd: Decimal,
    cut_usd: Decimal,
    currency: str,
    rates: RateCard,
) -> MoneyFlow | None:
    """The flow of `paid` (in `paid_currency`) to a creator grossing `gross_usd`, of which
    `cut_usd` goes at cash-out, in `currency`; None when nothing was paid or the figures make
    the creator's gross more than the viewer paid (a server's own figures can)."""
    code = currency.upper()
    paid_local = converted(paid, paid_currency, code, rates)
    parts = converted_parts(gross_usd, cut_usd, code, rates)
    if paid_local.amount <= 0 or parts.gross > paid_local.amount:
        return None
    inner = parts.displayed
    shown_paid = for_display(paid_local.amount, code)
    kept = shown_paid.value - inner.gross.value
    if kept < 0:
        return None
    whole = paid_local.amount
    basis = tuple(dict.fromkeys((*paid_local.basis, *parts.basis)))
    return MoneyFlow(
        currency=code,
        paid=shown_paid,
        kept=exactly(kept, code),
        gross=inner.gross,
        cut=inner.cut,
        net=inner.net,
        kept_share=PLAIN.divide(whole - parts.gross, whole),
        cut_share=PLAIN.divide(parts.cut, whole),
        net_share=PLAIN.divide(parts.net, whole),
        basis=basis,
    )
