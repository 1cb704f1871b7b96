"""Quotes: every figure one answer shows, computed here so that rendering only formats.

A quote takes the question's plain inputs (a gift and a count, an amount of coins or
diamonds, a goal) plus the server's rate card and display currency, and returns frozen values.
Money a user reads in two currencies comes as `Shown`: the amount and its conversion beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from economy.catalog import Catalog, Gift
from economy.conversions import (
    GiftLike,
    Goal,
    Payout,
    Purchase,
    ViewsEstimate,
    cheapest_purchase,
    convert,
    diamonds_for,
    gift_value,
    goal,
    payout,
    views_estimate,
)
from economy.rates import RateCard, StoreChoice

SHOWCASE_SIZE = 4  # gifts /coins says the coins buy
GOAL_EXAMPLES = 4  # gifts /payout goal counts the goal in, when none is asked for


@dataclass(frozen=True)
class Shown:
    """An amount in `currency`, and the same amount in `beside_currency` (None: same)."""

    amount: Decimal
    currency: str
    beside: Decimal | None = None
    beside_currency: str | None = None


def shown(amount: Decimal, currency: str, beside_currency: str, rates: RateCard) -> Shown:
    """`amount` in `currency` with its conversion to `beside_currency` when that differs."""
    if currency.upper() == beside_currency.upper():
        return Shown(amount, currency)
    other = convert(amount, currency, beside_currency, rates)
    return Shown(amount, currency, other, beside_currency)


def usd(amount: Decimal, currency: str, rates: RateCard) -> Shown:
    """A USD amount with the display currency beside it."""
    return shown(amount, "USD", currency, rates)


@dataclass(frozen=True)
class PurchaseQuote:
    """How a viewer gets some coins in one store, and what it costs in both currencies."""

    purchase: Purchase
    choice: StoreChoice
    price: Shown
    price_per_coin: Decimal  # in the store's currency


def purchase_quote(coins: int, choice: StoreChoice, rates: RateCard) -> PurchaseQuote:
    """The cheapest purchase of `coins` in the chosen store, priced with USD beside it."""
    purchase = cheapest_purchase(coins, choice.store)
    price = shown(purchase.price, purchase.currency, "USD", rates)
    return PurchaseQuote(purchase, choice, price, purchase.price_per_coin)


@dataclass(frozen=True)
class GiftQuote:
    """`/gift value`: what `count` of a gift cost the viewer and pay the creator."""

    gift: Gift
    count: int
    coins: int
    diamonds: Decimal
    gross: Shown
    net: Shown
    cashout_cut: Decimal  # fraction
    viewer: PurchaseQuote


def gift_quote(
    gift: Gift, count: int, rates: RateCard, store: str, region: str, currency: str
) -> GiftQuote:
    """Coins, diamonds, gross and net for the creator, and what the viewer paid in the `store`
    (`app` or `web`) of `region` (else the US one)."""
    choice = rates.store_for(store, region)
    value = gift_value(gift, count, rates, choice.store)
    return GiftQuote(
        gift=gift,
        count=value.count,
        coins=value.coins,
        diamonds=value.diamonds,
        gross=usd(value.gross_usd, currency, rates),
        net=usd(value.net_usd, currency, rates),
        cashout_cut=rates.cashout_cut.value,
        viewer=purchase_quote(value.coins, choice, rates),
    )


@dataclass(frozen=True)
class CoinsQuote:
    """`/coins`: the cheapest purchase of an amount and featured gifts it buys."""

    coins: int
    viewer: PurchaseQuote
    buys: tuple[tuple[Gift, int], ...]  # (gift, how many), priciest first

    @property
    def extra_coins(self) -> int:
        """Coins the purchase gives beyond the amount asked."""
        return self.viewer.purchase.coins_received - self.coins


def affordable(
    gifts: Iterable[Gift], coins: int, limit: int = SHOWCASE_SIZE
) -> list[tuple[Gift, int]]:
    """Up to `limit` of `gifts` that `coins` buy, priciest first, with how many of each."""
    within = sorted((g for g in gifts if g.coins <= coins), key=lambda g: -g.coins)
    return [(gift, coins // gift.coins) for gift in within[:limit]]


def coins_quote(
    coins: int, rates: RateCard, catalog: Catalog, store: str, region: str
) -> CoinsQuote:
    """The cheapest way to buy `coins` in the `store` of `region` (else the US one), and what
    they buy."""
    viewer = purchase_quote(coins, rates.store_for(store, region), rates)
    return CoinsQuote(coins, viewer, tuple(affordable(catalog.featured, coins)))


@dataclass(frozen=True)
class PayoutQuote:
    """`/diamonds` and `/tally show`: gross, cut and net of a balance, and the minimum."""

    payout: Payout
    gross: Shown
    cut: Shown
    net: Shown
    cashout_cut: Decimal  # fraction
    minimum: Shown


def payout_quote(diamonds: Decimal | int, rates: RateCard, currency: str) -> PayoutQuote:
    """What `diamonds` cash out to, with the minimum withdrawal, in both currencies."""
    result = payout(diamonds, rates)
    return PayoutQuote(
        payout=result,
        gross=usd(result.gross_usd, currency, rates),
        cut=usd(result.cut_usd, currency, rates),
        net=usd(result.net_usd, currency, rates),
        cashout_cut=rates.cashout_cut.value,
        minimum=usd(result.minimum_usd, currency, rates),
    )


@dataclass(frozen=True)
class ViewsQuote:
    """One program's low-high pay for a number of views."""

    estimate: ViewsEstimate
    low: Shown
    high: Shown


def views_quotes(
    views: int, programs: Sequence[str], rates: RateCard, currency: str
) -> list[ViewsQuote]:
    """`/payout views`: the pay range in each asked program."""
    quotes = []
    for program in programs:
        estimate = views_estimate(views, program, rates)
        quotes.append(
            ViewsQuote(
                estimate,
                usd(estimate.low_usd, currency, rates),
                usd(estimate.high_usd, currency, rates),
            )
        )
    return quotes


@dataclass(frozen=True)
class GoalQuote:
    """`/payout goal`: what it takes to take home an amount typed in the display currency."""

    amount: Shown  # as typed, with USD beside
    goal: Goal
    gifts: tuple[tuple[Gift, int], ...]  # (gift, how many reach the goal)


def spread_by_price(gifts: Iterable[Gift], count: int) -> list[Gift]:
    """`count` gifts from cheapest to priciest, evenly spaced by rank."""
    ordered = sorted(gifts, key=lambda g: g.coins)
    if len(ordered) <= count:
        return ordered
    step = (len(ordered) - 1) / (count - 1)
    return [ordered[round(i * step)] for i in range(count)]


def goal_quote(
    amount: Decimal, currency: str, rates: RateCard, catalog: Catalog, gift: Gift | None
) -> GoalQuote:
    """Diamonds, coins and gifts to net `amount` (in `currency`) after every cut."""
    net_usd = convert(amount, currency, "USD", rates)
    result = goal(net_usd, rates, gift)
    candidates = [gift] if gift is not None else spread_by_price(catalog.featured, GOAL_EXAMPLES)
    counts = tuple((g, goal(net_usd, rates, g).gift_count or 0) for g in candidates)
    return GoalQuote(shown(amount, currency, "USD", rates), result, counts)


def single_gift_value(gift: GiftLike, rates: RateCard, currency: str) -> tuple[Decimal, Shown]:
    """One of `gift`: the diamonds it gives and their gross value (a custom gift's preview)."""
    diamonds = diamonds_for(gift.coins, rates)
    return diamonds, usd(payout(diamonds, rates).gross_usd, currency, rates)
