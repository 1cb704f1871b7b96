"""How a coin purchase reads: the bundles, the price, the price per coin."""

from __future__ import annotations

from bot.context import Ask
from economy.conversions import Purchase
from economy.rates import Store


def describe_purchase(ask: Ask, purchase: Purchase, store: Store) -> str:
    """`$26.97 · 6 × 330 + 1 × 65 · app store, US`."""
    parts = [f"{ask.number(qty)} × {ask.number(bundle.coins)}" for bundle, qty in purchase.bundles]
    if purchase.custom_coins:
        parts.append(ask.t("coins.custom_amount", coins=ask.number(purchase.custom_coins)))
    where = ask.t("coins.store", store=ask.t(f"coins.store_{store.name}"), region=store.region)
    return f"{ask.money(purchase.price, purchase.currency)} · {' + '.join(parts)} · {where}"
