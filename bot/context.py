"""What one interaction assumes: who asks, in which language, with which server's figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import discord

from bot.i18n import normalise_locale, t
from bot.text import format_value
from economy.catalog import Catalog
from economy.money import (
    UNIT_PRICE_EXTRA_DIGITS,
    currency_for_locale,
    format_money,
    format_number,
    format_percent,
    region_for_currency,
)
from economy.profiles import Profile
from economy.quotes import Shown
from economy.rates import RateCard

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

    def shown(self, amount: Shown) -> str:
        """An amount with its conversion beside it: `$5.00 (≈ Rp83,000)`."""
        text = format_money(amount.amount, amount.currency, self.locale)
        if amount.beside is not None and amount.beside_currency is not None:
            text += f" (≈ {format_money(amount.beside, amount.beside_currency, self.locale)})"
        return text

    def money(self, amount: Decimal, currency: str) -> str:
        """An amount in one currency, rounded once to its usual digits."""
        return format_money(amount, currency, self.locale)

    def unit_price(self, amount: Decimal, currency: str) -> str:
        """A price per coin, with two more decimals than money usually shows."""
        return format_money(amount, currency, self.locale, extra_digits=UNIT_PRICE_EXTRA_DIGITS)

    def value(self, raw: object) -> str:
        """A raw value (label, quantity, range, person, number, user text) as the user reads it."""
        return str(format_value(raw, self.locale))

    def percent(self, fraction: Decimal) -> str:
        """A fraction as a percentage: `50%`."""
        return format_percent(fraction, self.locale)

    def footer(self) -> str:
        """The assumptions behind every figure in the answer."""
        return self.t(
            "common.footer",
            preset=self.rates.preset,
            rates_as_of=self.rates.as_of.isoformat(),
            catalog_as_of=self.catalog.as_of.isoformat(),
        )


async def ask_for(interaction: discord.Interaction[GiftBot]) -> Ask:
    """The interaction's Ask, built once and kept on the interaction."""
    cached = interaction.extras.get(ASK_KEY)
    if isinstance(cached, Ask):
        return cached
    profile = await interaction.client.profiles.get(interaction.guild_id)
    locale = normalise_locale(interaction.locale)
    if interaction.guild_id is not None:
        currency = profile.currency or "USD"
    else:
        currency = currency_for_locale(str(interaction.locale))
    ask = Ask(locale=locale, guild_id=interaction.guild_id, profile=profile, currency=currency)
    interaction.extras[ASK_KEY] = ask
    return ask


async def ask_for_server(bot: GiftBot, guild_id: int, locale: str) -> Ask:
    """What the bot's own posts in a server assume (no interaction): the server's figures and
    currency, in `locale`."""
    profile = await bot.profiles.get(guild_id)
    return Ask(normalise_locale(locale), guild_id, profile, profile.currency or "USD")
