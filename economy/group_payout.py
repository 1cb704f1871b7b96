"""A group's payout: the platform's cut, the agency's cut, and shares that add up exactly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from economy.conversions import Payout, check_amount, converted, payout
from economy.model import Figure
from economy.money import DisplayAmount, currency_digits, split_for_display
from economy.rates import RateCard
from economy.splits import split_proportionally
from economy.storage import MemberTotal
from economy.storage.ledger import to_milli

PERCENT = Decimal(100)
# gross, the platform's cut, the agency's cut, the net to share
Four = tuple[DisplayAmount, DisplayAmount, DisplayAmount, DisplayAmount]


@dataclass(frozen=True)
class GroupParts:
    """Gross = the platform's cut + the agency's cut + the net to share, as displayed, in
    whole units of `currency` (amounts to pay out), and in USD beside (None when `currency`
    is USD); each column adds up exactly on screen. `basis`: the dated rates used."""

    currency: str
    local: Four
    usd: Four | None
    basis: tuple[Figure, ...]


@dataclass(frozen=True)
class GroupPayout:
    """What the group's diamonds pay, after the platform's and the agency's cut, and who
    gets what: `shares` (member id -> amount in `currency`) add up exactly to the net shown."""

    diamonds: Decimal
    payout: Payout
    platform_fraction: Decimal
    agency_fraction: Decimal
    parts: GroupParts
    currency: str
    shares: dict[int, Decimal]


def agency_fraction(percent: Decimal | None, rates: RateCard) -> Decimal:
    """The agency cut as a fraction: `percent` (0-100) when given, else the card's default."""
    if percent is None:
        return rates.agency_cut_default.value
    return check_amount(percent, "agency cut", 0, 100) / PERCENT


def _four(shown: tuple[DisplayAmount, ...], total: DisplayAmount) -> Four:
    platform, agency, net = shown
    return total, platform, agency, net


def group_parts(
    gross_usd: Decimal, platform_usd: Decimal, agency_usd: Decimal, currency: str, rates: RateCard
) -> GroupParts:
    """The four amounts rounded once, to whole units, so each column adds up as shown."""
    net_usd = gross_usd - platform_usd - agency_usd
    total, shown = split_for_display(
        gross_usd, (platform_usd, agency_usd, net_usd), "USD", to_unit=True
    )
    in_usd = _four(shown, total)
    code = currency.upper()
    if code == "USD":
        return GroupParts(code, in_usd, None, ())
    gross = converted(gross_usd, "USD", code, rates)
    platform = converted(platform_usd, "USD", code, rates).amount
    agency = converted(agency_usd, "USD", code, rates).amount
    net = gross.amount - platform - agency
    total, shown = split_for_display(gross.amount, (platform, agency, net), code, to_unit=True)
    return GroupParts(code, _four(shown, total), in_usd, gross.basis)


def split_payout(
    members: Sequence[MemberTotal], rates: RateCard, currency: str, agency: Decimal
) -> GroupPayout:
    """Split the group's net (after both cuts), as shown, by diamonds, to the unit of
    `currency`."""
    diamonds = sum((m.diamonds_received for m in members), Decimal(0))
    result = payout(diamonds, rates)
    agency_usd = result.net_usd * agency
    parts = group_parts(result.gross_usd, result.cut_usd, agency_usd, currency, rates)
    unit = Decimal(1).scaleb(-currency_digits(parts.currency))
    weights = {m.user_id: to_milli(m.diamonds_received) for m in members}
    shares = split_proportionally(parts.local[3].value, weights, unit)
    return GroupPayout(
        diamonds=diamonds,
        payout=result,
        platform_fraction=rates.cashout_cut.value,
        agency_fraction=agency,
        parts=parts,
        currency=parts.currency,
        shares=shares,
    )
