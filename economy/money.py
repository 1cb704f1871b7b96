"""Money and number display: rounding happens here, once, and nowhere else.

Locales arrive as Discord locale strings (`en-US`, `pt-BR`, `id`) and are mapped to Babel
locales; an unknown locale falls back to English.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
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
MAX_EXTRA_DIGITS = 4  # a breakdown shows at most this many decimals beyond the currency's
SMALL_AMOUNT_DIGITS = 2  # significant digits an amount under one cent (or rupiah) keeps


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
    return _format_decimal_text(str(n), locale)  # gift values repeat on every /tally add


@lru_cache(maxsize=4096)
def _format_int(n: int, locale: str | None) -> str:
    return format_decimal(n, locale=babel_locale(locale), decimal_quantization=False)


@lru_cache(maxsize=4096)
def _format_decimal_text(text: str, locale: str | None) -> str:
    """Keyed by the Decimal's text, not its value: `5.0` and `5` are equal Decimals but are
    written differently."""
    return format_decimal(Decimal(text), locale=babel_locale(locale), decimal_quantization=False)


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


@dataclass(frozen=True)
class DisplayAmount:
    """An amount rounded for display: show it with `format_money(value, currency, locale,
    extra_digits=extra_digits)` (the fewest decimals that write `value` exactly)."""

    value: Decimal
    extra_digits: int


@dataclass(frozen=True)
class Breakdown:
    """Gross, cut and net as displayed: `gross.value == cut.value + net.value` exactly."""

    currency: str
    gross: DisplayAmount
    cut: DisplayAmount
    net: DisplayAmount

    def formatted(self, locale: str | None = "en") -> tuple[str, str, str]:
        """(gross, cut, net) written the locale's way."""
        gross, cut, net = (
            format_money(part.value, self.currency, locale, extra_digits=part.extra_digits)
            for part in (self.gross, self.cut, self.net)
        )
        return gross, cut, net


def for_display(amount: Decimal | int, currency: str) -> DisplayAmount:
    """One amount rounded once for display: half-up to the currency's digits, unless those
    would keep fewer than `SMALL_AMOUNT_DIGITS` significant digits of a non-zero amount (under
    ten cents, ten rupiah): then to that many (a Rose in the US app, USD 0.01523..., shows as
    $0.015, not $0.02; USD 0.005 as $0.005; USD 0.05 as $0.05)."""
    code = currency.upper()
    value = Decimal(amount)
    digits = currency_digits(code)
    decimals = digits
    if 0 < abs(value) < Decimal(1).scaleb(1 - digits):
        decimals = min(max(digits, _decimals_to_show(abs(value))), digits + MAX_EXTRA_DIGITS)
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return _display_amount(rounded, digits)


def breakdown(
    gross: Decimal | int, cut: Decimal | int, net: Decimal | int, currency: str
) -> Breakdown:
    """Display values of gross = cut + net that still add up once rounded (`split_for_display`,
    a tie going to net)."""
    total, (shown_cut, shown_net) = split_for_display(gross, (cut, net), currency)
    return Breakdown(currency.upper(), total, shown_cut, shown_net)


def split_for_display(
    total: Decimal | int, parts: Sequence[Decimal | int], currency: str, *, to_unit: bool = False
) -> tuple[DisplayAmount, tuple[DisplayAmount, ...]]:
    """Display values of total = sum(parts) that still add up once rounded.

    Rounding: to the currency's digits, or, when those would keep fewer than
    `SMALL_AMOUNT_DIGITS` significant digits of a non-zero amount (under ten cents, ten
    rupiah), to enough decimals that it keeps that many (fewer when it is exact with fewer:
    USD 0.005 shows as $0.005, USD 0.015 as $0.015), at most `MAX_EXTRA_DIGITS` more. The
    total is rounded half-up; each part is rounded down and the units left over go to the
    largest remainders (a tie to the later part), so the rounded parts add up to the rounded
    total exactly. Amounts must be 0 or more, with total = sum(parts) (to a relative 1e-20,
    so amounts converted at 28 significant digits pass). `to_unit`: always to the currency's
    digits (amounts to pay out: no fraction of a cent).
    """
    code = currency.upper()
    whole = Decimal(total)
    pieces = [Decimal(part) for part in parts]
    if not pieces or not all(a.is_finite() and a >= 0 for a in [whole, *pieces]):
        raise ValueError("the total and its parts must be finite amounts of 0 or more")
    if abs(whole - sum(pieces, Decimal(0))) > Decimal("1e-20") * max(Decimal(1), whole):
        raise ValueError("the total must equal the sum of its parts")
    digits = currency_digits(code)
    decimals = digits
    for amount in [] if to_unit else [whole, *pieces]:
        if 0 < amount < Decimal(1).scaleb(1 - digits):
            decimals = max(decimals, _decimals_to_show(amount))
    step = Decimal(1).scaleb(-min(decimals, digits + MAX_EXTRA_DIGITS))
    rounded = whole.quantize(step, rounding=ROUND_HALF_UP)
    floors = [piece.quantize(step, rounding=ROUND_FLOOR) for piece in pieces]
    left = int((rounded - sum(floors, Decimal(0))) / step)  # 0 .. len(parts)
    later_first = sorted(range(len(pieces)), reverse=True)
    by_remainder = sorted(later_first, key=lambda i: pieces[i] - floors[i], reverse=True)
    for index in by_remainder[: max(0, min(len(pieces), left))]:
        floors[index] += step
    floors[-1] = rounded - sum(floors[:-1], Decimal(0))  # only moves if the sum was off
    return _display_amount(rounded, digits), tuple(_display_amount(part, digits) for part in floors)


def exactly(value: Decimal, currency: str) -> DisplayAmount:
    """An already rounded amount, shown with every decimal it has (at least the currency's)."""
    return _display_amount(value, currency_digits(currency))


def _decimals_to_show(amount: Decimal) -> int:
    """Decimals that show `amount` exactly or to `SMALL_AMOUNT_DIGITS` significant digits."""
    exact = max(0, -amount.normalize().as_tuple().exponent)  # type: ignore[operator]
    significant = SMALL_AMOUNT_DIGITS - 1 - amount.adjusted()
    return min(exact, significant)


def _display_amount(value: Decimal, digits: int) -> DisplayAmount:
    exact = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
    return DisplayAmount(value, max(0, exact - digits))
