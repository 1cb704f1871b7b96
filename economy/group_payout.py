"""A group's payout: the platform's cut, the agency's cut, and shares that add up exactly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from economy.conversions import Payout, check_amount, convert, payout
from economy.money import currency_digits
from economy.quotes import Shown, usd
from economy.rates import RateCard
from economy.splits import split_proportionally
from economy.storage import MemberTotal
from economy.storage.ledger import to_milli

PERCENT = Decimal(100)


@dataclass(frozen=True)
class GroupPayout:
    """What the group's diamonds pay, after the platform's and the agency's cut, and who
    gets what: `shares` (member id -> amount in `currency`) add up exactly to `net_local`."""

    diamonds: Decimal
    payout: Payout
    gross: Shown
    platform_cut: Shown
    platform_fraction: Decimal
    agency_cut: Shown
    agency_fraction: Decimal
    net: Shown  # the shares' sum in `currency`, with USD beside
    currency: str
    shares: dict[int, Decimal]


def net_shown(local: Decimal, currency: str, net_usd: Decimal) -> Shown:
    """The split total in `currency`, with the unrounded USD net beside it."""
    if currency == "USD":
        return Shown(local, currency)
    return Shown(local, currency, net_usd, "USD")


def agency_fraction(percent: Decimal | None, rates: RateCard) -> Decimal:
    """The agency cut as a fraction: `percent` (0-100) when given, else the card's default."""
    if percent is None:
        return rates.agency_cut_default.value
    return check_amount(percent, "agency cut", 0, 100) / PERCENT


def split_payout(
    members: Sequence[MemberTotal], rates: RateCard, currency: str, agency: Decimal
) -> GroupPayout:
    """Split the group's net (after both cuts) by diamonds, to the unit of `currency`."""
    diamonds = sum((m.diamonds_received for m in members), Decimal(0))
    result = payout(diamonds, rates)
    agency_usd = result.net_usd * agency
    net_usd = result.net_usd - agency_usd
    local = net_usd if currency == "USD" else convert(net_usd, "USD", currency, rates)
    quantum = Decimal(1).scaleb(-currency_digits(currency))
    weights = {m.user_id: to_milli(m.diamonds_received) for m in members}
    shares = split_proportionally(local, weights, quantum)
    return GroupPayout(
        diamonds=diamonds,
        payout=result,
        gross=usd(result.gross_usd, currency, rates),
        platform_cut=usd(result.cut_usd, currency, rates),
        platform_fraction=rates.cashout_cut.value,
        agency_cut=usd(agency_usd, currency, rates),
        agency_fraction=agency,
        net=net_shown(sum(shares.values(), Decimal(0)), currency, net_usd),
        currency=currency,
        shares=shares,
    )
