"""Quotes: amounts rounded once for display, breakdowns in two currencies, the money flow, the
models compared, and the exchange rates a quote used."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from economy.catalog import default_catalog
from economy.comparison import compare_models
from economy.conversions import converted
from economy.flow import money_flow
from economy.money import for_display
from economy.quotes import coins_quote, exchange_used, gift_quote, payout_parts, payout_quote
from economy.rates import default_presets

D = Decimal
TIKTOK = default_presets()["tiktok"]
GUIDES = default_presets()["guides"]


@pytest.mark.parametrize(
    ("amount", "currency", "shown", "extra"),
    [
        (D("0.01523076923"), "USD", D("0.015"), 1),  # a Rose in the US app
        (D("0.005"), "USD", D("0.005"), 1),  # one diamond
        (D("0.05"), "USD", D("0.05"), 0),  # exact in cents
        (D("0.0999"), "USD", D("0.10"), 0),
        (D("15.2307"), "USD", D("15.23"), 0),
        (D("242.857"), "IDR", D("243"), 0),
        (D("0.243"), "IDR", D("0.24"), 2),
        (D("0"), "USD", D("0.00"), 0),
    ],
)
def test_one_amount_keeps_two_significant_digits_under_ten_cents(
    amount: Decimal, currency: str, shown: Decimal, extra: int
) -> None:
    rounded = for_display(amount, currency)
    assert (rounded.value, rounded.extra_digits) == (shown, extra)


@settings(max_examples=200, deadline=None)
@given(
    diamonds=st.integers(min_value=0, max_value=10**9),
    currency=st.sampled_from(["USD", "IDR", "BRL", "EUR", "GBP"]),
    card=st.sampled_from([TIKTOK, GUIDES]),
)
def test_payout_parts_add_up_in_both_currencies(diamonds: int, currency: str, card) -> None:
    quote = payout_quote(diamonds, card, currency)
    paid = quote.payout
    rate = converted(D(1), "USD", currency, card).amount
    exact = {
        "USD": (paid.gross_usd, paid.cut_usd),
        currency: (paid.gross_usd * rate, paid.cut_usd * rate),
    }
    for shown in (quote.parts.usd, quote.parts.beside):
        if shown is None:
            continue
        assert shown.gross.value == shown.cut.value + shown.net.value
        gross, cut = exact[shown.currency]
        for part, value in ((shown.gross, gross), (shown.cut, cut), (shown.net, gross - cut)):
            step = D(1).scaleb(part.value.as_tuple().exponent)  # the last digit shown
            assert abs(part.value - value) <= step, (shown.currency, part, value)
    assert (quote.parts.beside is None) == (currency == "USD")


def test_the_money_flow_of_a_galaxy_in_the_us_app() -> None:
    galaxy = default_catalog().get("galaxy")
    flow = gift_quote(galaxy, 1, TIKTOK, "app", "US", "USD").flow
    assert flow is not None
    assert (flow.paid.value, flow.kept.value, flow.gross.value) == (D("15.23"), D("10.23"), 5)
    assert (flow.cut.value, flow.net.value) == (0, 5)
    assert flow.kept_share + flow.cut_share + flow.net_share == 1
    guides = gift_quote(galaxy, 1, GUIDES, "app", "US", "USD").flow
    assert guides is not None and (guides.cut.value, guides.net.value) == (D("1.25"), D("1.25"))


@pytest.mark.parametrize(("gift", "region"), [("galaxy", "US"), ("lion", "BR"), ("yacht", "ID")])
def test_what_gifts_cost_reads_as_what_their_coins_cost(gift: str, region: str) -> None:
    catalog = default_catalog()
    found = catalog.get(gift)
    quote = gift_quote(found, 2, TIKTOK, "app", region, "USD")
    assert quote.viewer == coins_quote(quote.coins, TIKTOK, catalog, "app", region).viewer
    cost = quote.viewer.cost  # in the store's currency; the flow is in USD
    paid = converted(cost.amount, cost.currency, "USD", TIKTOK).amount
    assert quote.flow is not None and quote.flow.paid == for_display(paid, "USD")


@pytest.mark.parametrize("currency", ["USD", "IDR", "BRL", "EUR"])
@pytest.mark.parametrize("card", [TIKTOK, GUIDES], ids=["tiktok", "guides"])
def test_the_money_flow_shows_the_gross_cut_and_net_of_the_text(currency: str, card) -> None:
    quote = gift_quote(default_catalog().get("lion"), 3, card, "app", "US", currency)
    text = quote.parts.usd if quote.parts.beside is None else quote.parts.beside
    assert quote.flow is not None
    assert (quote.flow.gross, quote.flow.cut, quote.flow.net) == (text.gross, text.cut, text.net)
    assert exchange_used(quote.flow) == exchange_used(quote.parts)  # a US store: paid in USD


def test_no_flow_when_the_creator_would_get_more_than_the_viewer_paid() -> None:
    generous = TIKTOK.with_override("usd_per_diamond", D("0.05"), "a blog", date(2026, 1, 1))
    assert money_flow(D("15.23"), "USD", D("50"), D("0"), "USD", generous) is None
    assert money_flow(D("0"), "USD", D("0"), D("0"), "USD", TIKTOK) is None


def test_the_models_side_by_side_differ_four_times() -> None:
    comparison = compare_models(default_presets())
    assert [model.preset for model in comparison.models] == ["tiktok", "guides"]
    tiktok, guides = comparison.models
    assert (tiktok.diamonds, tiktok.net_usd) == (1000, 5)
    assert (guides.diamonds, guides.net_usd) == (500, D("1.25"))
    assert comparison.ratio == 4
    assert comparison.coin_price.coins == 65 and comparison.coin_price.price == D("0.99")


def test_a_quote_names_each_exchange_rate_it_used_once() -> None:
    galaxy = default_catalog().get("galaxy")
    in_usd = gift_quote(galaxy, 1, TIKTOK, "app", "US", "USD")
    assert exchange_used(in_usd) == ()
    in_idr = gift_quote(galaxy, 1, TIKTOK, "app", "US", "IDR")
    [idr] = exchange_used(in_idr)
    assert (idr.source, idr.as_of) == ("ECB", date(2026, 10, 6))
    in_brazil = gift_quote(galaxy, 1, TIKTOK, "app", "BR", "IDR")
    assert {f.value for f in exchange_used(in_brazil)} == {
        TIKTOK.fx["IDR"].value,
        TIKTOK.fx["BRL"].value,
    }
    parts = payout_parts(D(5), D(0), D(5), "IDR", TIKTOK)
    assert exchange_used(parts) == (TIKTOK.fx["IDR"],)
