"""Text the user reads: user text made inert, and raw values formatted the locale's way.

The one place a raw value (a number, a quantity with its unit, a range, a label to translate,
a person) becomes text, used by every answer and every refusal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

import discord
from babel.dates import format_date
from babel.lists import format_list

from bot.i18n import has, normalise_locale, t
from economy.errors import Label, Money, Person, Quantity, Span
from economy.money import babel_locale, format_money, format_number, format_percent

ECHO_LIMIT = 60  # characters of user text a refusal repeats back


@runtime_checkable
class Told(Protocol):
    """A value that says itself in the reader's language (the bot made it: no user text)."""

    def text(self, locale: object) -> str: ...


def safe(text: str) -> str:
    """User text made inert: no markdown, no mentions."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def visible(text: str) -> str:
    """`text` with control and invisible formatting characters shown as `?` (emoji joiners
    are kept)."""
    return "".join("?" if _hidden(char) else char for char in text)


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} and char != "\u200d"


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """User text cut to `limit` characters (with an ellipsis), hidden characters shown, inert."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return safe(visible(cut))


def _number(value: int | Decimal, locale: object) -> str:
    """A number the locale's way; one too big to group is written as is."""
    try:
        return format_number(value, str(locale))
    except ArithmeticError:
        return f"{value:.6g}"


def format_day(day: date, locale: object) -> str:
    """A day the locale's way (CLDR medium): `Oct 6, 2026`, `6 Okt 2026`, `6 de out. de 2026`."""
    return _format_day(day, normalise_locale(locale))


@lru_cache(maxsize=1024)
def _format_day(day: date, locale: str) -> str:
    """Kept: most answers carry today's date (their footer), ~25 us each through Babel."""
    return format_date(day, "medium", locale=babel_locale(locale))


def country_list(codes: Sequence[str], locale: object) -> str:
    """`the United States, the United Kingdom and Germany` the locale's way (CLDR names and
    list pattern); a code CLDR does not name stays as it is."""
    where = babel_locale(normalise_locale(locale))
    names = [where.territories.get(code, code) for code in codes]
    return format_list(names, locale=where)


def format_quantity(quantity: Quantity, locale: object) -> str:
    """`50%`, `0.005 USD`, `1,000 coins` or a plain number, the locale's way."""
    value = quantity.value
    if quantity.unit == "percent":
        return format_percent(value, str(locale))
    number = format_number(value, str(locale))
    if quantity.unit == "usd":
        return t(locale, "common.usd_amount", amount=number)
    if quantity.unit == "coins":
        return t(locale, "common.coin_count", plural=value, n=number)
    return number


def format_span(span: Span, locale: object) -> str:
    """`from 0 to 100`, `above 0 and at most 1`, `from 0% to below 100%`."""
    low, high = format_quantity(span.low, locale), format_quantity(span.high, locale)
    shape = "above" if span.low_open else "below" if span.high_open else "closed"
    return t(locale, f"common.range.{shape}", low=low, high=high)


def format_value(value: object, locale: object) -> object:
    """One raw error value as the user reads it."""
    match value:
        case bool():
            return value
        case str():
            return shorten(value)
        case int() | Decimal():
            return _number(value, locale)
        case Label(key=key, params=params):
            if not has(key):
                return shorten(key.rsplit(".", 1)[-1])
            shown: dict[str, Any] = {k: format_value(v, locale) for k, v in params.items()}
            return t(locale, key, **shown)
        case Quantity():
            return format_quantity(value, locale)
        case Money(value=amount, currency=currency):
            try:
                return format_money(amount, currency, str(locale))
            except ArithmeticError:  # too big to round to the cent: written as is
                return f"{_number(amount, locale)} {currency}"
        case Span():
            return format_span(value, locale)
        case Person(user_id=user_id):
            return f"<@{user_id}>"
        case Told():
            return value.text(locale)
        case list() | tuple():
            return ", ".join(str(format_value(item, locale)) for item in value) or "-"
        case _:
            return shorten(str(value))
