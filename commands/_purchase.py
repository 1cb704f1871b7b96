"""How buying coins reads: what coins cost at the store's price per coin, and, apart, the packs
one would actually buy (or why the bot has no plan for that store)."""

from __future__ import annotations

from bot.context import Ask
from bot.i18n import has
from economy.quotes import ViewerQuote
from economy.rates import Store, StoreChoice
from economy.stores import Bundle


def region_name(ask: Ask, region: str) -> str:
    """`Indonesia` for `ID`, in the asker's language; the code itself when we have no name."""
    key = f"coins.region.{region}"
    return ask.t(key) if has(key) else region


def store_name(ask: Ask, store: Store) -> str:
    """`app store, Indonesia`."""
    return ask.t(
        "coins.store",
        store=ask.t(f"coins.store_{store.name}"),
        region=region_name(ask, store.region),
    )


def pack_text(ask: Ask, pack: Bundle, currency: str) -> str:
    """`65 coins for $0.99`."""
    return ask.t(
        "coins.pack",
        coins=ask.count("common.coin_count", pack.coins),
        price=ask.money(pack.price, currency),
    )


def fallback_note(ask: Ask, choice: StoreChoice) -> str:
    """A line saying the asked region has no such store, so another region's prices are used
    (empty when it has)."""
    if not choice.fell_back:
        return ""
    return "\n" + ask.t(
        "coins.fallback",
        store=ask.t(f"coins.store_{choice.store.name}"),
        wanted=region_name(ask, choice.wanted_region),
        used=region_name(ask, choice.store.region),
    )


def describe_cost(ask: Ask, viewer: ViewerQuote) -> str:
    """`about $15.23 · at 65 coins for $0.99 (Nov 25, 2026) · app store, United States`: the
    coins at the store's price per coin, the price it assumes and where."""
    store = viewer.choice.store
    text = ask.t(
        "coins.cost",
        cost=ask.shown(viewer.cost),
        price=pack_text(ask, viewer.reference, store.currency),
        day=ask.date(viewer.reference.as_of),
        store=store_name(ask, store),
    )
    return text + fallback_note(ask, viewer.choice)


def describe_plan(ask: Ask, viewer: ViewerQuote) -> str:
    """`$15.97 · 1 × 660 + 1 × 330 + 1 × 65 · 3 purchases`: the fewest purchases at the best
    price; or, for a store with too few known packs, that there is no plan, and its packs."""
    store = viewer.choice.store
    if viewer.plan is None:
        known = ", ".join(pack_text(ask, pack, store.currency) for pack in store.bundles)
        return ask.t("coins.too_few", store=store_name(ask, store), packs=known)
    purchase = viewer.plan.purchase
    parts = [f"{ask.number(qty)} × {ask.number(bundle.coins)}" for bundle, qty in purchase.bundles]
    if purchase.custom_coins:
        parts.append(ask.t("coins.custom_amount", coins=ask.number(purchase.custom_coins)))
    return ask.t(
        "coins.plan",
        price=ask.shown(viewer.plan.price),
        packs=" + ".join(parts),
        purchases=ask.count("common.purchase_count", purchase.purchases),
    )
