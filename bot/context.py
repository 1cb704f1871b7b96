"""What one interaction assumes: who asks, in which language, with which server's figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import discord

from bot.i18n import normalise_locale, t
from economy.catalog import Catalog
from economy.conversions import convert
from economy.money import (
    UNIT_PRICE_EXTRA_DIGITS,
    currency_for_locale,
    format_money,
    format_number,
    region_for_currency,
)
from economy.profiles import Profile
from economy.rates import RateCard, Store

if TYPE_CHECKING:
    from bot.client import GiftBot

ASK_KEY = "tiktok_gift_bot.ask"


@dataclass(frozen=True)
class Ask:
    """The locale, figures and currency one answer uses, with the formatting that follows."""

    locale: str
    guild_id: int | None
    profile: Profile
    currency: str

    @property
    def rates(self) -> RateCard:
        return self.profile.rates

    @property
    def catalog(self) -> Catalog:
        return self.profile.catalog

    @property
    def region(self) -> str:
        return region_for_currency(self.currency)

    def t(self, key: str, /, **params: object) -> str:
        return t(self.locale, key, **params)

    def number(self, value: int | Decimal) -> str:
        return format_number(value, self.locale)

    def usd(self, amount: Decimal) -> str:
        """A USD amount, with the local currency beside it when that is not USD."""
        return self._with_beside(amount, "USD", self.currency)

    def money(self, amount: Decimal, currency: str) -> str:
        """An amount in its own currency, with USD beside it when that differs."""
        return self._with_beside(amount, currency, "USD")

    def _with_beside(self, amount: Decimal, currency: str, beside: str) -> str:
        text = format_money(amount, currency, self.locale)
        if beside != currency:
            other = convert(amount, currency, beside, self.rates)
            text += f" (≈ {format_money(other, beside, self.locale)})"
        return text

    def unit_price(self, amount: Decimal, currency: str) -> str:
        """A price per coin, with two more decimals than money usually shows."""
        return format_money(amount, currency, self.locale, extra_digits=UNIT_PRICE_EXTRA_DIGITS)

    def store(self, name: str, region: str | None = None) -> Store:
        """The store to price coins in: the asked or local region, else the US one."""
        wanted = region or self.region
        regions = [wanted] if wanted == "US" else [wanted, "US"]
        for candidate in regions:
            for store in self.rates.stores:
                if store.name == name and store.region == candidate:
                    return store
        return self.rates.store(name, wanted)

    def footer(self) -> str:
        """The assumptions behind every figure in the answer."""
        return self.t(
            "common.footer",
            preset=self.rates.preset,
            rates_as_of=rates_as_of(self.rates).isoformat(),
            catalog_as_of=self.catalog.as_of.isoformat(),
        )


def rates_as_of(rates: RateCard) -> date:
    """The newest date among the scalar figures: how fresh the rate card is."""
    figures = (
        rates.diamonds_per_coin,
        rates.usd_per_diamond,
        rates.cashout_cut,
        rates.minimum_withdrawal_usd,
        rates.daily_cap_usd,
    )
    return max(figure.as_of for figure in figures)


async def ask_for(interaction: discord.Interaction) -> Ask:
    """The interaction's Ask, built once and kept on the interaction."""
    cached = interaction.extras.get(ASK_KEY)
    if cached is not None:
        return cached
    bot: GiftBot = interaction.client  # type: ignore[assignment]
    assert bot.profiles is not None
    profile = await bot.profiles.get(interaction.guild_id)
    locale = normalise_locale(interaction.locale)
    if interaction.guild_id is not None:
        currency = profile.currency or "USD"
    else:
        currency = currency_for_locale(str(interaction.locale))
    ask = Ask(locale=locale, guild_id=interaction.guild_id, profile=profile, currency=currency)
    interaction.extras[ASK_KEY] = ask
    return ask
