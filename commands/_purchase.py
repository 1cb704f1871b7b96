"""How a coin purchase reads: the bundles, the price, the price per coin, and where."""

from __future__ import annotations

from bot.context import Ask
from bot.i18n import has
from economy.conversions import Purchase
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


def describe_purchase(
    ask: Ask, purchase: Purchase, store: Store, wanted_region: str | None = None
) -> str:
    """`$26.97 · 6 × 330 + 1 × 65 · app store, United States`.

    When `wanted_region` has no such store (so `store` is the US fallback), a second line says
    so.
    """
    parts = [f"{ask.number(qty)} × {ask.number(bundle.coins)}" for bundle, qty in purchase.bundles]
    if purchase.custom_coins:
        parts.append(ask.t("coins.custom_amount", coins=ask.number(purchase.custom_coins)))
    text = f"{ask.money(purchase.price, purchase.currency)} · {' + '.join(parts)} · "
    text += store_name(ask, store)
    if wanted_region and wanted_region.upper() != store.region:
        text += "\n" + ask.t(
            "coins.fallback",
            store=ask.t(f"coins.store_{store.name}"),
            wanted=region_name(ask, wanted_region.upper()),
            used=region_name(ask, store.region),
        )
    return text
