"""Where viewers buy coins: each store's known packs, custom amounts and reference coin price.

Prices are exact decimals in the store's currency. A price per coin is always written as a
price per so many coins (`0.99` per `65`), so it stays exact; `price_per_coin` gives the
28-digit quotient for display.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from economy.arithmetic import PLAIN
from economy.model import ExactDecimal, Frozen, Sourced


class Bundle(Frozen):
    """A coin pack: so many coins for a price in the store's currency."""

    coins: int = Field(gt=0)
    price: ExactDecimal = Field(gt=0)

    @property
    def price_per_coin(self) -> Decimal:
        """`price / coins`, to 28 significant digits."""
        return PLAIN.divide(self.price, self.coins)


class CoinPrice(Bundle, Sourced):
    """A store's reference price per coin, written as `price` per `coins`, with its source.

    It prices what a gift cost the viewer (coins x this price): the price of the pack most
    viewers buy, not of any particular purchase.
    """


class Store(Sourced):
    """Where coins are bought: known packs, optionally custom amounts, and a reference price.

    A custom amount of c coins (`custom_min_coins` <= c <= `custom_max_coins`, no maximum if
    None) costs c * `custom_rate.price` / `custom_rate.coins`; larger amounts are bought as
    several custom amounts. `too_few_packs` marks a store whose known packs are too few to
    plan a purchase honestly (plans there say so instead of inventing one).
    """

    name: Literal["app", "web"]
    region: str = Field(pattern=r"^[A-Z]{2}$")
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    bundles: tuple[Bundle, ...]
    custom_rate: Bundle | None = None
    custom_min_coins: int = Field(default=1, gt=0)
    custom_max_coins: int | None = Field(default=None, gt=0)
    reference_price: CoinPrice
    too_few_packs: bool = False

    @field_validator("bundles")
    @classmethod
    def _bundles_valid(cls, bundles: tuple[Bundle, ...]) -> tuple[Bundle, ...]:
        if not bundles:
            raise ValueError("a store needs at least one bundle")
        coins = [bundle.coins for bundle in bundles]
        if len(set(coins)) != len(coins):
            raise ValueError("two bundles have the same number of coins")
        return tuple(sorted(bundles, key=lambda bundle: bundle.coins))

    @model_validator(mode="after")
    def _custom_limits(self) -> Store:
        if self.custom_max_coins is not None and self.custom_max_coins < 2 * self.custom_min_coins:
            # any larger amount must split into custom amounts that are each within the limits
            raise ValueError("custom_max_coins must be at least twice custom_min_coins")
        return self

    @property
    def sells_custom(self) -> bool:
        """Whether the store also sells custom amounts (at `custom_rate`, within the limits)."""
        return self.custom_rate is not None

    @property
    def custom_price_per_coin(self) -> Decimal | None:
        """Price of one custom coin (28 significant digits; exact maths uses `custom_rate`)."""
        return None if self.custom_rate is None else self.custom_rate.price_per_coin

    @property
    def key(self) -> str:
        """`name/region`, e.g. `app/US`."""
        return f"{self.name}/{self.region}"
