"""The rate card: shipped figures, sources and dates, overrides and data-file validation."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from economy.errors import DataFileError, InvalidValue, NotFound
from economy.rates import (
    DEFAULT_PRESET,
    OVERRIDABLE_FIGURES,
    PRESET_NAMES,
    Figure,
    RateCard,
    default_presets,
    get_preset,
    load_presets,
)

PACKAGED = Path(__file__).resolve().parents[2] / "economy" / "data" / "rates.json"
D = Decimal
TODAY = date(2026, 11, 25)  # when the research notes were collected
SCALARS = (
    "diamonds_per_coin",
    "usd_per_diamond",
    "cashout_cut",
    "minimum_withdrawal_usd",
    "daily_cap_usd",
    "agency_cut_default",
)


@pytest.fixture
def guides() -> RateCard:
    return default_presets()["guides"]


def raw() -> dict[str, Any]:
    return json.loads(PACKAGED.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "rates.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- shipped figures ----------------------------------------------------------------------


def test_presets_are_the_documented_ones() -> None:
    presets = default_presets()
    assert PRESET_NAMES == ("tiktok", "guides")
    assert DEFAULT_PRESET == "tiktok"
    assert set(PRESET_NAMES) <= set(presets)
    assert all(presets[name].preset == name for name in PRESET_NAMES)


def test_seed_figures_match_the_seed_documents(guides: RateCard) -> None:
    assert guides.diamonds_per_coin.value == Decimal("0.5")
    assert guides.usd_per_diamond.value == Decimal("0.005")
    assert guides.cashout_cut.value == Decimal("0.5")
    assert guides.minimum_withdrawal_usd.value == Decimal("100")
    assert guides.daily_cap_usd.value == Decimal("1000")
    assert guides.agency_cut_default.value == 0
    assert "seed 001" in guides.diamonds_per_coin.source


def test_tiktok_follows_the_gift_api_and_wallet_page() -> None:
    card = default_presets()["tiktok"]
    assert card.diamonds_per_coin.value == 1
    assert "diamond_count" in card.diamonds_per_coin.source
    assert card.diamonds_per_coin.as_of == date(2024, 1, 5)
    assert card.usd_per_diamond.value == Decimal("0.005")
    assert "TikTokLive" in card.usd_per_diamond.source
    assert card.cashout_cut.value == 0
    assert "does not charge any fee" in card.cashout_cut.source  # TikTok's wallet page
    assert card.daily_cap_usd.value == 1000
    assert "maximum $1,000 per calendar day" in card.daily_cap_usd.source
    minimum = card.minimum_withdrawal_usd
    assert minimum.source.startswith("unofficial") and "names no number" in minimum.source


def test_views_programs(guides: RateCard) -> None:
    fund, rewards = guides.views["creator-fund"], guides.views["creator-rewards"]
    assert (fund.low_per_1000, fund.high_per_1000) == (Decimal("0.02"), Decimal("0.03"))
    assert "seed 002" in fund.source
    assert fund.note is not None and "2023-12-16" in fund.note and "0.04" in fund.note
    assert (rewards.low_per_1000, rewards.high_per_1000) == (Decimal("0.40"), Decimal("1.00"))


def test_where_each_views_program_runs_or_ran(guides: RateCard) -> None:
    fund = guides.views["creator-fund"].availability
    assert (fund.status, fund.ended_on, fund.official) == ("ended", date(2023, 12, 16), True)
    assert fund.countries == ("US", "GB", "DE", "FR")
    assert "newsroom" in fund.source and fund.as_of == date(2023, 11, 6)
    rewards = guides.views["creator-rewards"].availability
    assert rewards.status == "running" and rewards.ended_on is None
    assert rewards.countries == ("US", "GB", "DE", "FR", "JP", "KR", "BR", "MX")
    assert (rewards.official, rewards.check_in_app) == (False, True)  # third-party list
    assert "napolify" in rewards.source and rewards.as_of == date(2025, 11, 26)
    # an override of the pay range keeps where the program runs
    changed = guides.with_override("creator_fund_high", Decimal("0.04"), "newer blog", TODAY)
    assert changed.views["creator-fund"].availability == fund


def test_every_figure_has_a_source_and_a_date() -> None:
    for card in default_presets().values():
        dated: list[Any] = [getattr(card, name) for name in SCALARS]
        dated += [*card.views.values(), *card.stores, *card.fx.values()]
        dated += [view.availability for view in card.views.values()]
        dated += [store.reference_price for store in card.stores]
        for item in dated:
            assert item.source.strip()
            assert date(2023, 1, 1) <= item.as_of <= TODAY


def test_money_loads_as_exact_decimals(guides: RateCard) -> None:
    assert guides.usd_per_diamond.value == Decimal("0.005")  # not 0.005000000000000000104...
    assert all(isinstance(b.price, Decimal) for s in guides.stores for b in s.bundles)


def test_us_app_and_web_bundles(guides: RateCard) -> None:
    app = guides.store("app", "US")
    assert [(b.coins, str(b.price)) for b in app.bundles] == [
        (65, "0.99"),
        (330, "4.99"),
        (660, "9.99"),
        (1321, "19.99"),
        (3300, "49.99"),
        (6607, "99.99"),
        (16500, "249.99"),
    ]
    assert app.currency == "USD" and not app.sells_custom and not app.too_few_packs
    assert app.note is not None and "Unconfirmed: the 660" in app.note
    assert (app.reference_price.coins, app.reference_price.price) == (65, Decimal("0.99"))
    web = guides.store("web", "US")
    assert [(b.coins, b.price) for b in web.bundles] == [(70, Decimal("0.74"))]
    assert web.sells_custom and web.custom_rate is not None
    assert (web.custom_rate.coins, web.custom_rate.price) == (70, Decimal("0.74"))
    assert (web.custom_min_coins, web.custom_max_coins) == (30, 500_000)
    assert web.custom_price_per_coin is not None
    assert web.custom_price_per_coin.quantize(Decimal("0.0000001")) == Decimal("0.0105714")
    assert web.note is not None and "unverified" in web.note
    assert web.as_of == date(2024, 4, 30)  # TechCrunch's report


def test_regional_stores(guides: RateCard) -> None:
    gb = guides.store("app", "GB")
    assert gb.currency == "GBP"
    assert [(b.coins, b.price) for b in gb.bundles] == [(65, D("0.99")), (6607, D("99.99"))]
    assert gb.too_few_packs and gb.note is not None and "0.89" in gb.note
    indonesia = guides.store("app", "ID")
    assert indonesia.currency == "IDR" and not indonesia.too_few_packs
    assert [(b.coins, b.price) for b in indonesia.bundles] == [
        (70, Decimal(17000)),
        (350, Decimal(85000)),
        (1400, Decimal(340000)),
    ]
    brazil = guides.store("app", "BR")
    assert brazil.currency == "BRL" and brazil.too_few_packs
    assert [(b.coins, b.price) for b in brazil.bundles] == [(30, Decimal("1.89"))]
    assert brazil.reference_price.price_per_coin == Decimal("0.063")


def test_store_lookup(guides: RateCard) -> None:
    assert {s.name for s in guides.stores_for("US")} == {"app", "web"}
    assert guides.stores_for("FR") == ()
    assert guides.store("app", "id").region == "ID"
    with pytest.raises(NotFound) as err:
        guides.store("web", "ID")
    assert err.value.params["name"] == "web/ID"


def test_exchange_rates(guides: RateCard) -> None:
    assert {"IDR", "BRL", "EUR", "GBP", "INR", "PHP", "MXN"} == set(guides.fx)
    for figure in guides.fx.values():
        assert (figure.source, figure.as_of) == ("ECB", date(2026, 10, 6))
    assert guides.fx_rate("USD") == 1
    assert guides.fx_rate("idr") == guides.fx["IDR"].value
    assert guides.fx_rate("INR").quantize(Decimal("0.0001")) == Decimal("96.4251")
    assert guides.fx_rate("PHP").quantize(Decimal("0.0001")) == Decimal("62.7403")
    assert guides.fx_rate("MXN").quantize(Decimal("0.0001")) == Decimal("17.9445")
    with pytest.raises(NotFound):
        guides.fx_rate("XAU")


def test_unknown_preset() -> None:
    assert get_preset("tiktok").preset == "tiktok"
    with pytest.raises(NotFound):
        get_preset("nope")


def test_default_presets_are_cached_and_match_the_file() -> None:
    assert default_presets()["guides"] is default_presets()["guides"]
    assert load_presets(PACKAGED) == default_presets()


# --- overrides ----------------------------------------------------------------------------


def test_override_returns_a_new_card_with_the_new_source(guides: RateCard) -> None:
    changed = guides.with_override("diamonds_per_coin", Decimal("0.7"), "server override", TODAY)
    assert changed.diamonds_per_coin == Figure(
        value=Decimal("0.7"), source="server override", as_of=TODAY
    )
    assert guides.diamonds_per_coin.value == Decimal("0.5")  # the original is untouched
    assert changed.usd_per_diamond == guides.usd_per_diamond


def test_override_views_bounds(guides: RateCard) -> None:
    changed = guides.with_override("creator_fund_high", Decimal("0.04"), "newer blog", TODAY)
    fund = changed.views["creator-fund"]
    assert (fund.low_per_1000, fund.high_per_1000) == (Decimal("0.02"), Decimal("0.04"))
    assert fund.source == "newer blog"
    with pytest.raises(InvalidValue, match="low_per_1000 is above high_per_1000"):
        guides.with_override("creator_rewards_low", Decimal("1.50"), "x", TODAY)


@pytest.mark.parametrize("name", sorted(OVERRIDABLE_FIGURES))
def test_every_overridable_name_accepts_a_sensible_value(guides: RateCard, name: str) -> None:
    value = {"_low": Decimal("0.01"), "high": Decimal("2.00")}.get(name[-4:], Decimal("0.25"))
    card = guides.with_override(name, value, "test", TODAY)
    assert card != guides
    assert card.with_override(name, value, "test", TODAY) == card


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("cashout_cut", Decimal(1), "fraction from 0 to below 1"),
        ("cashout_cut", Decimal("-0.1"), "fraction from 0 to below 1"),
        ("agency_cut_default", Decimal("1.5"), "fraction from 0 to below 1"),
        ("usd_per_diamond", Decimal(0), "greater than 0"),
        ("diamonds_per_coin", Decimal(-1), "greater than 0"),
        ("daily_cap_usd", Decimal(0), "greater than 0"),
        ("minimum_withdrawal_usd", Decimal(-5), "0 or more"),
        ("creator_fund_low", Decimal("-0.01"), "greater than or equal to 0"),
    ],
)
def test_override_rejects_impossible_values(
    guides: RateCard, name: str, value: Decimal, reason: str
) -> None:
    with pytest.raises(InvalidValue) as err:
        guides.with_override(name, value, "server override", TODAY)
    assert err.value.params["what"] == name
    assert reason in err.value.params["reason"]


def test_override_rejects_nan_and_unknown_names(guides: RateCard) -> None:
    with pytest.raises(InvalidValue):
        guides.with_override("usd_per_diamond", Decimal("NaN"), "x", TODAY)
    with pytest.raises(NotFound) as err:
        guides.with_override("coins_per_rose", Decimal(1), "x", TODAY)
    assert err.value.params["name"] == "coins_per_rose"


def test_with_fx(guides: RateCard) -> None:
    card = guides.with_fx("eur", Decimal("0.9"), "server override", TODAY)
    assert card.fx_rate("EUR") == Decimal("0.9")
    assert card.fx["EUR"].source == "server override"
    assert guides.fx["EUR"].source == "ECB"  # the original card is untouched
    assert card.with_fx("JPY", Decimal("150"), "x", TODAY).fx_rate("JPY") == 150
    for code, rate in [("EUR", Decimal(0)), ("USD", Decimal(1)), ("EURO", Decimal(1))]:
        with pytest.raises(InvalidValue):
            guides.with_fx(code, rate, "x", TODAY)


# --- bad data files -----------------------------------------------------------------------


def test_zero_diamonds_per_coin_names_file_preset_and_field(tmp_path: Path) -> None:
    data = raw()
    data["presets"]["guides"]["diamonds_per_coin"]["value"] = "0"
    path = write(tmp_path, data)
    with pytest.raises(DataFileError) as err:
        load_presets(path)
    message = str(err.value)
    assert str(path) in message and "'guides'" in message and "diamonds_per_coin" in message


def test_cut_of_one_in_the_second_preset(tmp_path: Path) -> None:
    data = raw()
    data["presets"]["tiktok"]["cashout_cut"]["value"] = "1"
    with pytest.raises(DataFileError, match=r"'tiktok'.*cashout_cut"):
        load_presets(write(tmp_path, data))


def test_float_money_is_refused(tmp_path: Path) -> None:
    data = raw()
    data["presets"]["guides"]["usd_per_diamond"]["value"] = 0.005
    with pytest.raises(DataFileError, match=r"usd_per_diamond.*as strings"):
        load_presets(write(tmp_path, data))


@pytest.mark.parametrize("text", ["NaN", "inf", "+Infinity", "-inf", "sNaN", " nan "])
def test_non_finite_figures_are_refused(tmp_path: Path, guides: RateCard, text: str) -> None:
    data = raw()
    data["presets"]["guides"]["usd_per_diamond"]["value"] = text
    with pytest.raises(DataFileError, match=r"'guides'.*usd_per_diamond.*finite number"):
        load_presets(write(tmp_path, data))
    with pytest.raises(InvalidValue, match="finite number"):
        guides.with_override("usd_per_diamond", Decimal(text.strip()), "x", TODAY)


def test_duplicate_and_empty_bundles(tmp_path: Path) -> None:
    data = raw()
    data["shared"]["stores"][0]["bundles"].append({"coins": 65, "price": "1.00"})
    with pytest.raises(DataFileError, match=r"'tiktok'.*stores\.0\.bundles.*same number of coins"):
        load_presets(write(tmp_path, data))
    data = raw()
    data["shared"]["stores"][2]["bundles"] = []
    with pytest.raises(DataFileError, match=r"stores\.2\.bundles.*at least one bundle"):
        load_presets(write(tmp_path, data))


def test_bad_bundle_price_and_views_order(tmp_path: Path) -> None:
    data = raw()
    data["shared"]["stores"][1]["bundles"][0]["price"] = "-0.99"
    with pytest.raises(DataFileError, match=r"stores\.1\.bundles\.0\.price"):
        load_presets(write(tmp_path, data))
    data = raw()
    data["shared"]["views"]["creator-rewards"]["low_per_1000"] = "2.00"
    with pytest.raises(DataFileError, match=r"views\.creator-rewards.*above"):
        load_presets(write(tmp_path, data))


def test_missing_field_date_and_unknown_key(tmp_path: Path) -> None:
    data = raw()
    del data["shared"]["daily_cap_usd"]
    with pytest.raises(DataFileError, match=r"'tiktok'.*daily_cap_usd.*Field required"):
        load_presets(write(tmp_path, data))
    data = raw()
    data["presets"]["guides"]["cashout_cut"]["as_of"] = "last year"
    with pytest.raises(DataFileError, match=r"cashout_cut\.as_of"):
        load_presets(write(tmp_path, data))
    data = raw()
    data["presets"]["guides"]["diamond_per_coin"] = data["presets"]["guides"]["diamonds_per_coin"]
    with pytest.raises(DataFileError, match=r"diamond_per_coin.*Extra inputs"):
        load_presets(write(tmp_path, data))


def test_missing_preset_bad_json_and_missing_file(tmp_path: Path) -> None:
    data = raw()
    del data["presets"]["tiktok"]
    with pytest.raises(DataFileError, match=r"missing preset.*tiktok"):
        load_presets(write(tmp_path, data))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"broken\.json.*not valid JSON"):
        load_presets(broken)
    with pytest.raises(DataFileError, match=r"absent\.json.*cannot read"):
        load_presets(tmp_path / "absent.json")
    with pytest.raises(DataFileError, match="'presets' object"):
        load_presets(write(tmp_path, [1, 2]))


def _drop_fx_reference(data: dict[str, Any]) -> None:
    del data["shared"]["fx_reference"]


def _negative_rupiah(data: dict[str, Any]) -> None:
    data["shared"]["fx_reference"]["eur_rates"]["IDR"] = "-20104.80"


def _no_reference_price(data: dict[str, Any]) -> None:
    del data["shared"]["stores"][0]["reference_price"]


def _ended_without_a_date(data: dict[str, Any]) -> None:
    del data["shared"]["views"]["creator-fund"]["availability"]["ended_on"]


def _three_letter_country(data: dict[str, Any]) -> None:
    data["shared"]["views"]["creator-rewards"]["availability"]["countries"] = ["USA"]


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_drop_fx_reference, "needs 'fx_reference'"),
        (_negative_rupiah, r"fx_reference: .*IDR rate must be a number above 0"),
        (_no_reference_price, r"stores\.0\.reference_price.*Field required"),
        (_ended_without_a_date, "an ended program needs ended_on"),
        (_three_letter_country, "not country codes like 'US': USA"),
    ],
)
def test_bad_exchange_rates_stores_and_programs_in_the_file(
    tmp_path: Path, spoil: Any, message: str
) -> None:
    data = raw()
    spoil(data)
    with pytest.raises(DataFileError, match=message):
        load_presets(write(tmp_path, data))
