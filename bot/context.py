"""What one interaction assumes: who asks, in which language, with which server's figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import discord

from bot.i18n import has, normalise_locale, t
from bot.text import format_day, format_value
from bot.translator import command_texts
from economy.catalog import Catalog, GiftMatch
from economy.model import Figure
from economy.money import (
    UNIT_PRICE_EXTRA_DIGITS,
    DisplayAmount,
    currency_for_locale,
    for_display,
    format_money,
    format_number,
    format_percent,
    region_for_currency,
)
from economy.profiles import SERVER_OVERRIDE_SOURCE, Profile
from economy.quotes import Parts, Shown
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
    # How the gift names typed in this interaction's options were resolved (in order); an
    # answer says so when one was only the closest match or shares its name with others.
    gift_matches: list[GiftMatch] = field(default_factory=list, compare=False)

    @property
    def rates(self) -> RateCard:
        return self.profile.rates

    @property
    def catalog(self) -> Catalog:
        return self.profile.catalog

    @property
    def region(self) -> str:
        return region_for_currency(self.currency)

    def t(self, key: str, /, *, plural: int | Decimal | None = None, **params: object) -> str:
        return t(self.locale, key, plural=plural, **params)

    def count(self, key: str, n: int | Decimal) -> str:
        """`1 coin`, `2 coins`, `1.000.000 de moedas`: the plural message `key` (with an `{n}`
        placeholder) in the form CLDR gives `n`, and `n` written the locale's way."""
        return self.t(key, plural=n, n=self.number(n))

    def number(self, value: int | Decimal) -> str:
        return format_number(value, self.locale)

    def date(self, day: date) -> str:
        """A day the locale's way: `Oct 6, 2026`, `6 Okt 2026`, `6 de out. de 2026`."""
        return format_day(day, self.locale)

    def shown(self, amount: Shown) -> str:
        """An amount with its conversion beside it: `$5.00 (≈ Rp89,204)`; an amount under ten
        cents keeps two significant digits (`$0.015`)."""
        text = self.amount(amount.amount, amount.currency)
        if amount.beside is not None and amount.beside_currency is not None:
            text += f" (≈ {self.amount(amount.beside, amount.beside_currency)})"
        return text

    def amount(self, value: Decimal, currency: str) -> str:
        """One amount rounded once for display (`economy.money.for_display`)."""
        rounded = for_display(value, currency)
        return format_money(rounded.value, currency, self.locale, extra_digits=rounded.extra_digits)

    def shown_part(self, part: DisplayAmount, currency: str) -> str:
        """An amount already rounded for display (a breakdown's part), written exactly."""
        return format_money(part.value, currency, self.locale, extra_digits=part.extra_digits)

    def parts(self, parts: Parts) -> tuple[str, str, str]:
        """Gross, cut and net, each with the display currency beside: they add up as shown."""
        gross, cut, net = parts.usd.formatted(self.locale)
        if parts.beside is None:
            return gross, cut, net
        local_gross, local_cut, local_net = parts.beside.formatted(self.locale)
        return f"{gross} (≈ {local_gross})", f"{cut} (≈ {local_cut})", f"{net} (≈ {local_net})"

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

    def preset_name(self, preset: str) -> str:
        """A preset in words: `TikTok's model`, `creator guides' model` (never its id)."""
        key = f"common.model.{preset}"
        return self.t(key) if has(key) else preset

    def model_name(self) -> str:
        """The model this answer's figures follow, said as a preset's name, and whether the
        server changed some of its figures."""
        name = self.preset_name(self.rates.preset)
        if self.profile.changed_figures:
            name = self.t("common.model_changed", model=name)
        return name

    def exchange_basis(self, rates: Iterable[Figure]) -> str:
        """`ECB, Oct 6, 2026`: where the exchange rates used come from and their day."""
        seen: list[str] = []
        for figure in rates:
            if figure.source == SERVER_OVERRIDE_SOURCE:
                text = self.t("common.fx_server", day=self.date(figure.as_of))
            else:
                text = self.t("common.fx_source", source=figure.source, day=self.date(figure.as_of))
            if text not in seen:
                seen.append(text)
        return "; ".join(seen)

    def footer(self, exchange: Iterable[Figure] = ()) -> str:
        """The assumptions behind every figure in an answer: the model and its date, the
        gift catalog's date, the exchange rates used (if any), and where it is explained."""
        parts = [
            self.t("common.footer.estimate"),
            self.t("common.footer.model", model=self.model_name(), day=self.date(self.rates.as_of)),
            self.t("common.footer.catalog", day=self.date(self.catalog.as_of)),
        ]
        basis = self.exchange_basis(exchange)
        if basis:
            parts.append(self.t("common.footer.exchange", basis=basis))
        about = command_texts().get(self.locale, {}).get("about.name", "about")
        parts.append(self.t("common.footer.about", command=f"/{about}"))
        parts.append(self.t("common.footer.not_affiliated"))
        return " · ".join(parts)


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
