"""The shipped models side by side: what each assumes, and what the same gift pays under each.

`/about` and the "How is this worked out?" button explain them in words; every number they
show comes from here (so from the rate cards), never from the sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from economy.arithmetic import PLAIN
from economy.conversions import diamonds_for, payout
from economy.model import Figure
from economy.rates import DEFAULT_PRESET, FALLBACK_REGION, PRESET_NAMES, RateCard
from economy.stores import CoinPrice

EXAMPLE_COINS = 1_000  # the example gift: a Galaxy


@dataclass(frozen=True)
class ModelSummary:
    """One model's assumptions, and what `coins` sent pay under it."""

    preset: str
    diamonds_per_coin: Figure
    usd_per_diamond: Figure
    cashout_cut: Figure
    coins: int
    diamonds: Decimal
    gross_usd: Decimal
    net_usd: Decimal
    creator_per_coin_usd: Decimal  # what one coin sent ends up paying the creator


@dataclass(frozen=True)
class Comparison:
    """The models (the default first), what a coin costs the viewer, and how far apart the
    models' take-home pay is (`ratio`: the highest net over the lowest)."""

    models: tuple[ModelSummary, ...]
    coin_price: CoinPrice  # the US app's reference price per coin
    ratio: Decimal


def summarise(card: RateCard, coins: int = EXAMPLE_COINS) -> ModelSummary:
    """What `card` assumes, and what `coins` sent pay the creator under it."""
    diamonds = diamonds_for(coins, card)
    result = payout(diamonds, card)
    return ModelSummary(
        preset=card.preset,
        diamonds_per_coin=card.diamonds_per_coin,
        usd_per_diamond=card.usd_per_diamond,
        cashout_cut=card.cashout_cut,
        coins=coins,
        diamonds=diamonds,
        gross_usd=result.gross_usd,
        net_usd=result.net_usd,
        creator_per_coin_usd=PLAIN.divide(result.net_usd, coins),
    )


def compare_models(presets: Mapping[str, RateCard], coins: int = EXAMPLE_COINS) -> Comparison:
    """The shipped presets side by side (the default first), for `coins` sent."""
    order = sorted(PRESET_NAMES, key=lambda name: name != DEFAULT_PRESET)
    models = tuple(summarise(presets[name], coins) for name in order if name in presets)
    nets = [model.net_usd for model in models if model.net_usd > 0]
    ratio = PLAIN.divide(max(nets), min(nets)) if nets else Decimal(1)
    default = presets[DEFAULT_PRESET]
    return Comparison(models, default.store("app", FALLBACK_REGION).reference_price, ratio)
