"""Money and number display: rounding happens here, once, and nowhere else.

Locales arrive as Discord locale strings (`en-US`, `pt-BR`, `id`) and are mapped to Babel
locales; an unknown locale falls back to English.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import format_currency, format_decimal, parse_pattern
from babel.numbers import format_percent as babel_format_percent

SUPPORTED_CURRENCIES: tuple[str, ...] = ("USD", "IDR", "BRL", "EUR", "GBP", "INR", "PHP", "MXN")

_FALLBACK_LOCALE = "en"
_LOCALE_CURRENCY = {"id": "IDR", "pt_BR": "BRL"}
_CURRENCY_REGION = {"IDR": "ID", "BRL": "BR", "GBP": "GB"}
_PERCENT_STEP = Decimal("0.0001")  # fractions shown to 0.01 %
UNIT_PRICE_EXTRA_DIGITS = 2  # `format_money(..., extra_digits=)` for prices per coin


def _locale_tag(discord_locale: str | None) -> str:
    """A Discord locale string in Babel's spelling (`pt-BR` -> `pt_BR`); "" when missing."""
    return str(discord_locale or "").strip().replace("-", "_")


@lru_cache(maxsize=64)
def babel_locale(locale: str | None) -> Locale:
    """The Babel locale for a Discord locale string (`pt-BR` -> `pt_BR`); English if unknown."""
    tag = _locale_tag(locale)
    if tag:
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError, TypeError):
            pass
    return Locale.parse(_FALLBACK_LOCALE)


def currency_digits(code: str) -> int:
    """Decimal places people use for `code` (Babel/CLDR cash digits: IDR 0, USD 2, JPY 0)."""
    fractions = get_global("currency_fractions")
    return int(fractions.get(code.upper(), fractions["DEFAULT"])[2])


def round_money(amount: Decimal | int, currency: str, extra_digits: int = 0) -> Decimal:
    """`amount` rounded half-up to the currency's digits (the one rounding step)."""
    step = Decimal(1).scaleb(-(currency_digits(currency) + extra_digits))
    return Decimal(amount).quantize(step, rounding=ROUND_HALF_UP)


def format_money(
    amount: Decimal | int, currency: str, locale: str | None = "en", *, extra_digits: int = 0
) -> str:
    """`amount` in `currency`, rounded once and written the locale's way (`$1,234.56`).

    `extra_digits` shows more than the currency's usual decimals, for unit prices
    (`$0.0152` a coin) that would otherwise all round to the same cent.
    """
    code = currency.upper()
    digits = currency_digits(code) + extra_digits
    rounded = round_money(amount, code, extra_digits)
    where = babel_locale(locale)
    pattern = where.currency_formats["standard"]
    if pattern.frac_prec != (digits, digits):
        pattern = parse_pattern(pattern.pattern)
        pattern.frac_prec = (digits, digits)
    return format_currency(rounded, code, format=pattern, locale=where, currency_digits=False)


def format_number(n: int | Decimal, locale: str | None = "en") -> str:
    """A plain number with the locale's grouping (`1,234,567` / `1.234.567`)."""
    if type(n) is int:  # coin prices and counts repeat on every autocomplete keystroke
        return _format_int(n, locale)
    return format_decimal(n, locale=babel_locale(locale), decimal_quantization=False)


@lru_cache(maxsize=4096)
def _format_int(n: int, locale: str | None) -> str:
    return format_decimal(n, locale=babel_locale(locale), decimal_quantization=False)


def format_percent(fraction: Decimal | int, locale: str | None = "en") -> str:
    """A fraction as a percentage (`0.5` -> `50%`), to at most two decimals of a percent."""
    rounded = Decimal(fraction).quantize(_PERCENT_STEP, rounding=ROUND_HALF_UP).normalize()
    return babel_format_percent(rounded, locale=babel_locale(locale), decimal_quantization=False)


def currency_for_locale(discord_locale: str | None) -> str:
    """The currency a user of this Discord locale most likely thinks in (`id` -> IDR)."""
    return _LOCALE_CURRENCY.get(_locale_tag(discord_locale), "USD")


def region_for_currency(currency: str) -> str:
    """The store region that sells coins in `currency` (IDR -> ID, BRL -> BR, GBP -> GB)."""
    return _CURRENCY_REGION.get(currency.upper(), "US")
