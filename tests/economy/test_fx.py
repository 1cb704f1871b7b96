"""Reference rates: stored as JSON, applied to rate cards, and named by every converted amount."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from economy.catalog import default_catalog
from economy.conversions import convert, converted
from economy.ecb import read_ecb_file
from economy.errors import DataFileError, InvalidValue, NotFound
from economy.fx import ReferenceRates
from economy.profiles import SERVER_OVERRIDE_SOURCE, build_profile, with_newer_rates
from economy.rates import FX_CURRENCIES, default_presets, load_presets
from economy.storage import GuildSettings

FILES = Path(__file__).parent / "ecb"
GUIDES = default_presets()["guides"]
D = Decimal


def ecb(day: date) -> ReferenceRates:
    data = (FILES / "eurofxref-hist-90d.xml").read_bytes()
    return read_ecb_file(data, "eurofxref-hist-90d.xml", day=day, today=date(2026, 11, 25))


def test_json_round_trip_is_exact() -> None:
    rates = ecb(date(2026, 10, 5))
    text = rates.to_json()
    assert json.loads(text)["eur_rates"]["IDR"] == "20069.89"  # strings, never floats
    assert ReferenceRates.from_json(text) == rates
    assert ReferenceRates.from_json(text.encode()) == rates


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{not json", "not valid JSON"),
        ('{"as_of": "2026-10-06", "origin": "x", "eur_rates": {"GBP": "0.8"}}', "no USD rate"),
        ('{"as_of": "2026-10-06", "origin": "x", "eur_rates": {"USD": 1.12}}', "as strings"),
        ('{"as_of": "2026-10-06", "origin": "x", "eur_rates": {"USD": "-1"}}', "above 0"),
        ('{"as_of": "2026-10-06", "origin": "x", "eur_rates": {"USD": "1", "EUR": "1"}}', "base"),
        ('{"as_of": "someday", "origin": "x", "eur_rates": {"USD": "1.1"}}', "as_of"),
    ],
)
def test_stored_text_that_is_not_valid_is_refused(text: str, why: str) -> None:
    with pytest.raises(DataFileError) as err:
        ReferenceRates.from_json(text, "guild settings row 7")
    assert str(err.value).startswith("guild settings row 7: ")
    assert why in str(err.value)


def test_the_shipped_rates_are_the_ecb_rates_of_6_october_2026() -> None:
    assert set(FX_CURRENCIES) <= set(GUIDES.fx)
    for code in FX_CURRENCIES:
        figure = GUIDES.fx[code]
        assert (figure.source, figure.as_of) == ("ECB", date(2026, 10, 6))
        assert figure.note is not None and "EUR->USD 1.1269" in figure.note
    # fx_rates.md section A, USD->X: EUR->X / EUR->USD to six significant digits
    assert {code: str(GUIDES.fx_rate(code)) for code in FX_CURRENCIES} == {
        "IDR": "17840.8",
        "BRL": "4.96859",
        "EUR": "0.887390",
        "GBP": "0.753217",
        "INR": "96.4251",
        "PHP": "62.7403",
        "MXN": "17.9445",
    }
    # the shipped card's rates are what the ECB's own daily file gives
    daily = read_ecb_file((FILES / "eurofxref-daily.xml").read_bytes(), "eurofxref-daily.xml")
    assert all(GUIDES.fx_rate(code) == daily.per_usd(code) for code in FX_CURRENCIES)


def test_newer_rates_replace_the_card_rates_and_server_overrides_still_win() -> None:
    newer = ecb(date(2026, 10, 5))  # stands for a file newer than what ships
    card = GUIDES.with_reference_rates(newer)
    assert set(card.fx) == set(GUIDES.fx)  # the file's 29 currencies do not all join the card
    assert card.fx["IDR"].as_of == date(2026, 10, 5)
    assert card.fx_rate("IDR") == D("17913.1")  # 20069.89 / 1.1204 = 17913.13...
    assert card.fx_rate("IDR") != GUIDES.fx_rate("IDR")
    assert card.with_reference_rates(newer, ["JPY"]).fx["JPY"].as_of == date(2026, 10, 5)
    presets = {name: card.with_reference_rates(newer) for name, card in default_presets().items()}
    settings = GuildSettings(fx_overrides={"IDR": "16000"}, currency="IDR")
    profile = build_profile(settings, [], default_catalog(), presets, as_of=date(2026, 11, 1))
    assert profile.rates.fx_rate("IDR") == 16000
    assert profile.rates.fx["IDR"].source == SERVER_OVERRIDE_SOURCE
    assert profile.rates.fx["BRL"].as_of == date(2026, 10, 5)


def test_rates_missing_from_a_reference_keep_their_dated_figure() -> None:
    only_usd = ReferenceRates(as_of=date(2026, 10, 7), eur_rates={"USD": D("1.2")}, origin="x")
    card = GUIDES.with_reference_rates(only_usd)
    assert card.fx["EUR"].as_of == date(2026, 10, 7)  # EUR needs only EUR->USD
    assert card.fx["IDR"] == GUIDES.fx["IDR"]  # still the 2026-10-06 figure, saying so


def test_a_converted_amount_names_the_rates_it_used() -> None:
    rupiah = converted(D("0.015"), "USD", "IDR", GUIDES)
    assert rupiah.amount == D("0.015") * GUIDES.fx_rate("IDR")
    assert [(f.source, f.as_of) for f in rupiah.basis] == [("ECB", date(2026, 10, 6))]
    cross = converted(D(10), "brl", "IDR", GUIDES)
    assert [f.source for f in cross.basis] == ["ECB", "ECB"]
    assert cross.amount == convert(D(10), "BRL", "IDR", GUIDES)
    assert converted(D(5), "EUR", "EUR", GUIDES).basis == ()
    overridden = GUIDES.with_fx("IDR", D(16000), SERVER_OVERRIDE_SOURCE, date(2026, 11, 20))
    basis = converted(D(1), "USD", "IDR", overridden).basis
    assert [(f.source, f.as_of) for f in basis] == [("server override", date(2026, 11, 20))]
    assert GUIDES.fx_figure("USD") is None
    with pytest.raises(NotFound):
        converted(D(1), "USD", "XAU", GUIDES)


def test_a_rate_file_without_its_ecb_rates_is_refused(tmp_path: Path) -> None:
    packaged = Path(__file__).resolve().parents[2] / "economy" / "data" / "rates.json"
    data = json.loads(packaged.read_text(encoding="utf-8"))
    del data["shared"]["fx_reference"]["eur_rates"]["PHP"]
    path = tmp_path / "rates.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataFileError, match="fx_reference has no rate for PHP"):
        load_presets(path)
    with pytest.raises(InvalidValue):
        GUIDES.with_fx("IDR", D(0), "x", date(2026, 11, 20))


def test_loaded_rates_replace_only_rates_of_an_older_day() -> None:
    presets = default_presets()
    newer = ReferenceRates(
        as_of=date(2026, 10, 20),
        eur_rates={"USD": Decimal("1.15"), "IDR": Decimal("20700")},
        origin="eurofxref-daily.xml",
    )
    updated = with_newer_rates(presets, newer)
    for name, card in updated.items():
        assert card.fx["IDR"].value == 18_000 and card.fx["IDR"].as_of == date(2026, 10, 20)
        assert card.fx["BRL"] == presets[name].fx["BRL"]  # not in the file: its own day stays
    older = newer.model_copy(update={"as_of": date(2026, 2, 20)})
    assert with_newer_rates(presets, older) == presets
