"""Money display: Babel formats per locale, and amounts are rounded once, half-up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from economy.money import (
    SUPPORTED_CURRENCIES,
    currency_digits,
    currency_for_locale,
    format_money,
    format_number,
    format_percent,
    region_for_currency,
    round_money,
)

NBSP = "\xa0"


def test_usd_in_english() -> None:
    assert format_money(Decimal("1234.56"), "USD", "en") == "$1,234.56"
    assert format_money(Decimal("1234.56"), "USD", "en-US") == "$1,234.56"
    assert format_money(Decimal(5), "USD") == "$5.00"


def test_brl_in_brazilian_portuguese() -> None:
    text = format_money(Decimal("1234.56"), "BRL", "pt-BR")
    assert text == f"R${NBSP}1.234,56"  # Babel puts a no-break space after the symbol
    assert text.replace(NBSP, " ") == "R$ 1.234,56"


def test_rupiah_has_no_decimals() -> None:
    assert format_money(Decimal("1234567.89"), "IDR", "id") == "Rp1.234.568"
    assert format_money(Decimal("1234567.49"), "IDR", "id") == "Rp1.234.567"
    assert format_money(Decimal("17000"), "IDR", "en") == "IDR17,000"
    assert currency_digits("IDR") == 0
    assert round_money(Decimal("16999.5"), "IDR") == Decimal(17000)


def test_rounding_happens_once_and_half_up() -> None:
    assert round_money(Decimal("2.675"), "USD") == Decimal("2.68")
    assert format_money(Decimal("2.675"), "USD") == "$2.68"
    assert format_money(Decimal("0.005"), "USD") == "$0.01"
    assert format_money(Decimal("0.0049999"), "USD") == "$0.00"
    assert format_money(Decimal("-2.675"), "USD") == "-$2.68"
    # a custom web price (70 coins at 0.99/70 a coin) shows as the bundle price
    assert format_money(70 * (Decimal("0.99") / 70), "USD") == "$0.99"


def test_every_supported_currency_formats_in_every_bot_locale() -> None:
    assert SUPPORTED_CURRENCIES == ("USD", "IDR", "BRL", "EUR", "GBP", "INR", "PHP", "MXN")
    for code in SUPPORTED_CURRENCIES:
        for locale in ("en", "id", "pt-BR"):
            text = format_money(Decimal("1234.5"), code, locale)
            digits = "".join(ch for ch in text if ch.isdigit())
            assert digits == ("1235" if code == "IDR" else "123450"), text
        assert currency_digits(code) == (0 if code == "IDR" else 2)


def test_other_locales_and_unknown_ones() -> None:
    assert format_money(Decimal("1234.5"), "EUR", "de").replace(NBSP, " ") == "1.234,50 €"
    assert format_money(Decimal("1234.56"), "USD", "xx-YY") == "$1,234.56"
    assert format_money(Decimal("1234.56"), "USD", None) == "$1,234.56"
    assert format_money(Decimal("1234.56"), "USD", "") == "$1,234.56"


def test_numbers_and_percentages() -> None:
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(1234567, "pt-BR") == "1.234.567"
    assert format_number(1234567, "id") == "1.234.567"
    assert format_number(Decimal("0.02"), "en") == "0.02"
    for _ in range(2):  # repeated (cached) ints stay per locale
        assert [format_number(44_999, loc) for loc in ("en", "pt-BR")] == ["44,999", "44.999"]
    assert format_percent(Decimal("0.5"), "en") == "50%"
    assert format_percent(Decimal("0.125"), "pt-BR").replace(NBSP, " ") == "12,5%"
    assert format_percent(Decimal(1) / 3, "en") == "33.33%"
    assert format_percent(0, "en") == "0%"


@pytest.mark.parametrize(
    ("locale", "currency"),
    [("id", "IDR"), ("pt-BR", "BRL"), ("en-US", "USD"), ("en-GB", "USD"), ("es-ES", "USD")],
)
def test_currency_for_locale(locale: str, currency: str) -> None:
    assert currency_for_locale(locale) == currency


def test_currency_for_missing_locale_and_regions() -> None:
    assert currency_for_locale(None) == "USD"
    assert [region_for_currency(c) for c in ("IDR", "BRL", "GBP", "USD", "EUR", "inr")] == [
        "ID",
        "BR",
        "GB",
        "US",
        "US",
        "US",
    ]


def test_unit_prices_keep_two_more_decimals() -> None:
    per_coin = Decimal("15.84") / Decimal(1040)
    assert format_money(per_coin, "USD", "en") == "$0.02"
    assert format_money(per_coin, "USD", "en", extra_digits=2) == "$0.0152"
    assert format_money(Decimal("242.857"), "IDR", "id", extra_digits=2) == "Rp242,86"
