"""Economy values as the economy tests build and read them: plain gifts, the names in a
list of gifts, the packs in a purchase plan."""

from __future__ import annotations

from collections.abc import Iterable

from economy.catalog import Gift
from economy.purchase import Purchase


def plain_gift(name: str, coins: int = 777, aliases: tuple[str, ...] = ()) -> Gift:
    """A gift as a server adds one: no TikTok id, no streaks (777 coins unless said)."""
    return Gift(name=name, coins=coins, gift_id=None, aliases=aliases, streakable=False)


def names(gifts: Iterable[Gift]) -> list[str]:
    """The gifts' names, in their order."""
    return [g.name for g in gifts]


def bundles_of(purchase: Purchase) -> list[tuple[int, int]]:
    """A purchase plan as (coins in the pack, how many of it) pairs."""
    return [(bundle.coins, quantity) for bundle, quantity in purchase.bundles]
