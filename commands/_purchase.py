"""How a coin purchase reads: the bundles, the price, the price per coin, and where."""

from __future__ import annotations

from bot.context import Ask
from bot.i18n import has
from economy.quotes import PurchaseQuote
from economy.rates import Store


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


def describe_purchase(ask: Ask, quote: PurchaseQuote) -> str:
    """`$26.97 · 6 × 330 + 1 × 65 · app store, United States`.

    When the asked region has no such store (so another region's prices are used), a second
    line says so.
    """
    purchase, store = quote.purchase, quote.choice.store
    parts = [f"{ask.number(qty)} × {ask.number(bundle.coins)}" for bundle, qty in purchase.bundles]
    if purchase.custom_coins:
        parts.append(ask.t("coins.custom_amount", coins=ask.number(purchase.custom_coins)))
    text = f"{ask.shown(quote.price)} · {' + '.join(parts)} · {store_name(ask, store)}"
    if quote.choice.fell_back:
        text += "\n" + ask.t(
            "coins.fallback",
            store=ask.t(f"coins.store_{store.name}"),
            wanted=region_name(ask, quote.choice.wanted_region),
            used=region_name(ask, store.region),
        )
    return text
