"""Money display: Babel formats per locale, and amounts are rounded once, half-up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from economy.money import (
    MAX_EXTRA_DIGITS,
    SUPPORTED_CURRENCIES,
    breakdown,
    currency_digits,
    currency_for_locale,
    format_money,
    format_number,
    format_percent,
    region_for_currency,
    round_money,
    split_for_display,
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


# --- breakdowns that add up as displayed --------------------------------------------------

LOCALES = ("en", "id", "pt-BR")


@pytest.mark.parametrize("locale", LOCALES)
def test_three_diamonds_show_what_they_are_worth(locale: str) -> None:
    # /diamonds amount:3 under seed: gross USD 0.015, cut and net USD 0.0075 each
    shown = breakdown(Decimal("0.015"), Decimal("0.0075"), Decimal("0.0075"), "USD")
    assert (shown.gross.value, shown.cut.value, shown.net.value) == (
        Decimal("0.015"),
        Decimal("0.0075"),
        Decimal("0.0075"),
    )
    texts = [text.replace(NBSP, " ") for text in shown.formatted(locale)]
    expected = {
        "en": ["$0.015", "$0.0075", "$0.0075"],
        "id": ["US$0,015", "US$0,0075", "US$0,0075"],
        "pt-BR": ["US$ 0,015", "US$ 0,0075", "US$ 0,0075"],
    }
    assert texts == expected[locale]


@pytest.mark.parametrize("locale", LOCALES)
def test_half_a_cent_shows_as_half_a_cent(locale: str) -> None:
    one = breakdown(Decimal("0.005"), Decimal("0.0025"), Decimal("0.0025"), "USD")
    gross = one.formatted(locale)[0].replace(NBSP, " ")
    assert gross == {"en": "$0.005", "id": "US$0,005", "pt-BR": "US$ 0,005"}[locale]
    assert format_money(Decimal("0.005"), "USD", locale) != gross  # the plain cents round it


@pytest.mark.parametrize("locale", LOCALES)
def test_rounded_parts_add_up_to_the_rounded_total(locale: str) -> None:
    # 89.2 rupiah split evenly: 44.6 + 44.6 would show 45 + 45 = 90 against a total of 89
    rupiah = breakdown(Decimal("89.2"), Decimal("44.6"), Decimal("44.6"), "IDR")
    assert (rupiah.gross.value, rupiah.cut.value, rupiah.net.value) == (89, 44, 45)
    gross, cut, net = (text.replace(NBSP, " ") for text in rupiah.formatted(locale))
    assert (gross, cut, net) == {
        "en": ("IDR89", "IDR44", "IDR45"),
        "id": ("Rp89", "Rp44", "Rp45"),
        "pt-BR": ("IDR 89", "IDR 44", "IDR 45"),
    }[locale]
    reais = breakdown(Decimal("10.005"), Decimal("3.3350"), Decimal("6.6700"), "BRL")
    assert reais.gross.value == reais.cut.value + reais.net.value == Decimal("10.01")
    assert (
        reais.formatted(locale)[0]
        .replace(NBSP, " ")
        .endswith("10,01" if locale != "en" else "10.01")
    )


@settings(max_examples=300, deadline=None)
@given(
    gross=st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False),
    share=st.fractions(min_value=0, max_value=1),
    currency=st.sampled_from(SUPPORTED_CURRENCIES),
)
def test_breakdowns_always_add_up(gross: Decimal, share: Fraction, currency: str) -> None:
    cut = (gross * share.numerator / share.denominator) if share.denominator else gross
    net = gross - cut
    shown = breakdown(gross, cut, net, currency)
    assert shown.gross.value == shown.cut.value + shown.net.value
    step = Decimal(1).scaleb(-(currency_digits(currency) + MAX_EXTRA_DIGITS))
    for part, exact in ((shown.gross, gross), (shown.cut, cut), (shown.net, net)):
        assert abs(part.value - exact) <= max(step, Decimal(1).scaleb(-currency_digits(currency)))
        shown_step = Decimal(1).scaleb(-(currency_digits(currency) + part.extra_digits))
        assert part.value == part.value.quantize(shown_step)  # formatting shows it exactly


def test_inconsistent_breakdowns_are_refused() -> None:
    with pytest.raises(ValueError, match="sum of its parts"):
        breakdown(Decimal(5), Decimal(1), Decimal(1), "USD")
    with pytest.raises(ValueError, match="0 or more"):
        breakdown(Decimal(-1), Decimal(-1), Decimal(0), "USD")


@given(
    st.lists(st.decimals(0, 10**6, places=6, allow_nan=False), min_size=1, max_size=6),
    st.sampled_from(["USD", "IDR", "BRL", "JPY"]),
)
def test_any_number_of_parts_add_up_as_shown(parts: list[Decimal], currency: str) -> None:
    total, shown = split_for_display(sum(parts, Decimal(0)), parts, currency)
    assert sum((part.value for part in shown), Decimal(0)) == total.value
    unit = Decimal(1).scaleb(-currency_digits(currency))
    for exact, part in zip(parts, shown, strict=True):
        assert abs(part.value - exact) <= unit  # each part within one unit of its exact value
