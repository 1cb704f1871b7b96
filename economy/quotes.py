"""Quotes: every figure one answer shows, computed here so that rendering only formats.

A quote takes the question's plain inputs (a gift and a count, an amount of coins or
diamonds, a goal) plus the server's rate card and display currency, and returns frozen values.
Money a user reads in two currencies comes as `Shown`: the amount, its conversion beside it,
and the dated exchange rates that conversion used. Gross, cut and net come as `Parts`, rounded
so that they add up on screen in both currencies. `exchange_used(quote)` lists every dated
rate a quote's converted amounts used, for the answer's footer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from economy.catalog import Catalog, Gift
from economy.conversions import (
    GiftLike,
    Goal,
    Payout,
    Purchase,
    TooFewPacks,
    ViewerCost,
    ViewsEstimate,
    cheapest_purchase,
    coins_cost,
    converted,
    diamonds_for,
    gift_value,
    payout,
    views_estimate,
)
from economy.flow import MoneyFlow, converted_parts, money_flow
from economy.goals import GiftRoute, goal_gifts, goal_usd
from economy.model import Figure
from economy.money import Breakdown, breakdown
from economy.purchase import plan_purchase
from economy.rates import Availability, CoinPrice, RateCard, StoreChoice

SHOWCASE_SIZE = 4  # gifts /coins says the coins buy
GOAL_EXAMPLES = 4  # gift routes /payout goal shows, the fewest gifts first


@dataclass(frozen=True)
class Shown:
    """An amount in `currency`, and the same amount in `beside_currency` (None: same), with
    the dated exchange rates the conversion used (`basis`)."""

    amount: Decimal
    currency: str
    beside: Decimal | None = None
    beside_currency: str | None = None
    basis: tuple[Figure, ...] = ()


def shown(amount: Decimal, currency: str, beside_currency: str, rates: RateCard) -> Shown:
    """`amount` in `currency` with its conversion to `beside_currency` when that differs."""
    if currency.upper() == beside_currency.upper():
        return Shown(amount, currency)
    other = converted(amount, currency, beside_currency, rates)
    return Shown(amount, currency, other.amount, other.to_currency, other.basis)


def usd(amount: Decimal, currency: str, rates: RateCard) -> Shown:
    """A USD amount with the display currency beside it."""
    return shown(amount, "USD", currency, rates)


@dataclass(frozen=True)
class Parts:
    """Gross, cut and net of a payout as displayed: `usd.gross == usd.cut + usd.net` exactly,
    and the same in the display currency (`beside`, None when that is USD)."""

    usd: Breakdown
    beside: Breakdown | None
    basis: tuple[Figure, ...]


def payout_parts(
    gross_usd: Decimal, cut_usd: Decimal, net_usd: Decimal, currency: str, rates: RateCard
) -> Parts:
    """Gross, cut and net in USD and in `currency`, each rounded to add up as shown."""
    in_usd = breakdown(gross_usd, cut_usd, net_usd, "USD")
    if currency.upper() == "USD":
        return Parts(in_usd, None, ())
    beside = converted_parts(gross_usd, cut_usd, currency, rates)
    return Parts(in_usd, beside.displayed, beside.basis)


_QUOTE_MODULES = frozenset({__name__, "economy.group_payout"})  # where quotes are defined


def exchange_used(*quotes: object) -> tuple[Figure, ...]:
    """Every dated exchange rate the `Shown`, `Parts` and `MoneyFlow` values inside `quotes`
    (quote dataclasses, and lists or tuples of them) used, each once, in the order found."""
    found: list[Figure] = []

    def visit(value: object) -> None:
        if isinstance(value, Shown | Parts | MoneyFlow):
            found.extend(figure for figure in value.basis if figure not in found)
        elif isinstance(value, tuple | list):
            for item in value:
                visit(item)
        elif type(value).__module__ in _QUOTE_MODULES and dataclasses.is_dataclass(value):
            for item in dataclasses.fields(value):
                visit(getattr(value, item.name))

    for quote in quotes:
        visit(quote)
    return tuple(found)


# --- what the viewer pays -----------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseQuote:
    """A plan to buy coins in one store (the fewest purchases at the best price), priced in
    the store's currency with USD beside."""

    purchase: Purchase
    choice: StoreChoice
    price: Shown
    price_per_coin: Decimal  # in the store's currency


def purchase_quote(
    coins: int, choice: StoreChoice, rates: RateCard, purchase: Purchase | None = None
) -> PurchaseQuote:
    """The plan to buy `coins` in the chosen store (`purchase` when already planned), priced
    with USD beside."""
    if purchase is None:
        purchase = cheapest_purchase(coins, choice.store)
    price = shown(purchase.price, purchase.currency, "USD", rates)
    return PurchaseQuote(purchase, choice, price, purchase.price_per_coin)


@dataclass(frozen=True)
class ViewerQuote:
    """What coins cost the viewer: coins x the store's price per coin (`cost`, in the store's
    currency with USD beside), and, apart, the packs one would actually buy (`plan`; None
    when the store has too few known packs to plan with)."""

    coins: int
    cost: Shown
    reference: CoinPrice  # the price per coin assumed, with its source and date
    per_coin: Shown  # one coin at that price
    choice: StoreChoice
    plan: PurchaseQuote | None


def viewer_quote(
    choice: StoreChoice, rates: RateCard, cost: ViewerCost, plan: Purchase | TooFewPacks
) -> ViewerQuote:
    """What coins cost the viewer in the chosen store (`cost`, from `coins_cost` or
    `gift_value`), and how to buy them there (`plan`, from `plan_purchase`), with USD beside."""
    coins = cost.coins
    per_coin = cost.price.price_per_coin
    return ViewerQuote(
        coins=coins,
        cost=shown(cost.amount, cost.currency, "USD", rates),
        reference=cost.price,
        per_coin=shown(per_coin, cost.currency, "USD", rates),
        choice=choice,
        plan=purchase_quote(coins, choice, rates, plan) if isinstance(plan, Purchase) else None,
    )


# --- /gift value, /coins, /diamonds -------------------------------------------------------


@dataclass(frozen=True)
class GiftQuote:
    """`/gift value`: what `count` of a gift cost the viewer and pay the creator, and where
    the viewer's money goes (`flow`, None when the figures do not make one)."""

    gift: Gift
    count: int
    coins: int
    diamonds: Decimal
    parts: Parts
    cashout_cut: Decimal  # fraction
    viewer: ViewerQuote
    flow: MoneyFlow | None


def gift_quote(
    gift: Gift, count: int, rates: RateCard, store: str, region: str, currency: str
) -> GiftQuote:
    """Coins, diamonds, gross, cut and net for the creator, and what the viewer paid in the
    `store` (`app` or `web`) of `region` (else the US one)."""
    choice = rates.store_for(store, region)
    value = gift_value(gift, count, rates, choice.store)
    cut_usd = value.gross_usd - value.net_usd
    paid = value.viewer_cost
    viewer = viewer_quote(choice, rates, paid, value.plan)
    return GiftQuote(
        gift=gift,
        count=value.count,
        coins=value.coins,
        diamonds=value.diamonds,
        parts=payout_parts(value.gross_usd, cut_usd, value.net_usd, currency, rates),
        cashout_cut=rates.cashout_cut.value,
        viewer=viewer,
        flow=money_flow(paid.amount, paid.currency, value.gross_usd, cut_usd, currency, rates),
    )


@dataclass(frozen=True)
class CoinsQuote:
    """`/coins`: what an amount of coins costs, how to buy it, and featured gifts it buys."""

    coins: int
    viewer: ViewerQuote
    buys: tuple[tuple[Gift, int], ...]  # (gift, how many), priciest first

    @property
    def extra_coins(self) -> int:
        """Coins the plan gives beyond the amount asked (0 without a plan)."""
        plan = self.viewer.plan
        return 0 if plan is None else plan.purchase.coins_received - self.coins


def affordable(
    gifts: Iterable[Gift], coins: int, limit: int = SHOWCASE_SIZE
) -> list[tuple[Gift, int]]:
    """Up to `limit` of `gifts` that `coins` buy, priciest first, with how many of each."""
    within = sorted((g for g in gifts if g.coins <= coins), key=lambda g: -g.coins)
    return [(gift, coins // gift.coins) for gift in within[:limit]]


def coins_quote(
    coins: int, rates: RateCard, catalog: Catalog, store: str, region: str
) -> CoinsQuote:
    """What `coins` cost in the `store` of `region` (else the US one), and what they buy."""
    choice = rates.store_for(store, region)
    cost = coins_cost(coins, choice.store)
    viewer = viewer_quote(choice, rates, cost, plan_purchase(coins, choice.store))
    return CoinsQuote(coins, viewer, tuple(affordable(catalog.featured, coins)))


@dataclass(frozen=True)
class PayoutQuote:
    """`/diamonds` and `/tally show`: gross, cut and net of a balance, and the minimum."""

    payout: Payout
    parts: Parts
    cashout_cut: Decimal  # fraction
    minimum: Shown
    daily_cap: Shown


def payout_quote(diamonds: Decimal | int, rates: RateCard, currency: str) -> PayoutQuote:
    """What `diamonds` cash out to, with the minimum withdrawal, in both currencies."""
    result = payout(diamonds, rates)
    return PayoutQuote(
        payout=result,
        parts=payout_parts(result.gross_usd, result.cut_usd, result.net_usd, currency, rates),
        cashout_cut=rates.cashout_cut.value,
        minimum=usd(result.minimum_usd, currency, rates),
        daily_cap=usd(rates.daily_cap_usd.value, currency, rates),
    )


# --- /payout views, /payout goal ----------------------------------------------------------


@dataclass(frozen=True)
class ViewsQuote:
    """One program's low-high pay for a number of views, and where it runs or ran."""

    estimate: ViewsEstimate
    low: Shown
    high: Shown

    @property
    def availability(self) -> Availability:
        return self.estimate.availability


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
class RouteQuote:
    """`count` x `gift`, the coins they cost, and what they net the creator."""

    gift: GiftLike
    count: int
    coins: int
    net: Shown  # USD, display currency beside


@dataclass(frozen=True)
class GoalQuote:
    """`/payout goal`: what it takes to take home an amount typed in the display currency:
    the diamonds and coins, the gifts that reach it without a gift's worth too much (fewest
    first), and the single bigger gift that alone nets more (`bigger`)."""

    amount: Shown  # as typed, with USD beside
    goal: Goal
    routes: tuple[RouteQuote, ...]
    bigger: RouteQuote | None


def goal_quote(
    amount: Decimal, currency: str, rates: RateCard, catalog: Catalog, gift: Gift | None
) -> GoalQuote:
    """Diamonds, coins and gifts to net `amount` (typed in `currency`) after every cut.

    A goal outside the accepted range is refused in the currency it was typed in
    (`GoalOutOfRange`). Without a `gift`, the featured gifts are the candidates, and the
    `GOAL_EXAMPLES` routes with the fewest gifts are shown.
    """
    net_usd = goal_usd(amount, currency, rates)
    candidates: Sequence[Gift] = [gift] if gift is not None else list(catalog.featured)
    found = goal_gifts(net_usd, rates, candidates)
    routes = found.routes[:GOAL_EXAMPLES]  # the fewest gifts first
    return GoalQuote(
        amount=shown(amount, currency, "USD", rates),
        goal=found.goal,
        routes=tuple(_route(route, currency, rates) for route in routes),
        bigger=None if found.bigger is None else _route(found.bigger, currency, rates),
    )


def _route(route: GiftRoute, currency: str, rates: RateCard) -> RouteQuote:
    return RouteQuote(route.gift, route.count, route.coins, usd(route.net_usd, currency, rates))


def single_gift_value(gift: GiftLike, rates: RateCard, currency: str) -> tuple[Decimal, Shown]:
    """One of `gift`: the diamonds it gives and their gross value (a custom gift's preview)."""
    diamonds = diamonds_for(gift.coins, rates)
    return diamonds, usd(payout(diamonds, rates).gross_usd, currency, rates)
