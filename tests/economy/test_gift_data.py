"""The shipped gift data: sourced, dated, priced as its sources say, and rebuildable.

The source files are read here with the csv module (not through the builder), so these tests
check the builder's output against the sources themselves.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from economy.catalog import DEFAULT_PATH, Catalog, Gift, MatchKind
from economy.text import normalise
from tools.build_gifts import build_document, main, render
from tools.gift_sources import ROWS_FILE, SOURCES_DIR, SourceTexts

US_SOURCES = ("s2e_us_gemtok", "s2e_us_hoellpwn")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with (SOURCES_DIR / ROWS_FILE).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def answers_to(gift: Gift) -> set[str]:
    return {normalise(n) for n in (gift.name, gift.shared_name, *gift.aliases)}


# -- every gift is sourced and dated -----------------------------------------------------------


def test_every_gift_names_its_sources_and_their_newest_date(catalog: Catalog) -> None:
    for gift in catalog:
        assert gift.sources, gift.name
        assert all(key in catalog.sources for key in gift.sources), gift.name
        assert gift.as_of == max(catalog.sources[key].as_of for key in gift.sources), gift.name
        assert gift.status in {"current", "not_listed", "retired"}


def test_the_catalog_date_is_the_newest_current_source(catalog: Catalog) -> None:
    assert catalog.as_of == date(2026, 10, 5)  # the all-regions snapshot of 5 October 2026
    assert "tools/build_gifts.py" in catalog.source


def test_no_two_gifts_share_a_tiktok_id(catalog: Catalog) -> None:
    owners: dict[int, str] = {}
    for gift in catalog:
        for gift_id in gift.ids:
            assert owners.setdefault(gift_id, gift.name) == gift.name, gift_id


def test_every_price_is_the_newest_price_its_ids_are_listed_at(
    catalog: Catalog, rows: list[dict[str, str]]
) -> None:
    newest: dict[int, tuple[str, set[int]]] = {}
    for row in rows:
        for part in filter(None, row["gift_id"].split("|")):
            day, prices = newest.get(int(part), ("", set()))
            if row["source_date"] > day:
                newest[int(part)] = (row["source_date"], {int(row["coins"])})
            elif row["source_date"] == day:
                prices.add(int(row["coins"]))
    with_ids = [g for g in catalog if g.ids]
    assert len(with_ids) >= 500
    for gift in with_ids:
        for gift_id in gift.ids:
            assert newest[gift_id][1] == {gift.coins}, (gift.name, gift_id)


def test_every_gift_on_the_us_lists_is_there_at_the_listed_price(
    catalog: Catalog, rows: list[dict[str, str]]
) -> None:
    by_price: dict[int, list[Gift]] = defaultdict(list)
    for gift in catalog:
        by_price[gift.coins].append(gift)
    us_rows = [r for r in rows if r["source_key"] in US_SOURCES]
    for row in us_rows:
        key = normalise(row["name"].replace("’", "'"))
        found = [g for g in by_price[int(row["coins"])] if key in answers_to(g)]
        assert len(found) == 1, (row["name"], row["coins"])
        assert found[0].region == "us" and found[0].status == "current"
    assert sum(1 for g in catalog if g.region == "us") >= 450


def test_statuses_follow_the_sources(catalog: Catalog) -> None:
    for gift in catalog:
        on_current_list = any(catalog.sources[k].current_list for k in gift.sources)
        if gift.status == "current":
            assert on_current_list, gift.name
        elif gift.status == "not_listed":
            assert not on_current_list, gift.name
    assert {g.name for g in catalog if g.retired} == {"Rocket", "Drama Queen"}
    only_2024 = catalog.get("Train to 2024")
    assert only_2024.status == "not_listed" and only_2024.sources == ("tiktok_api_jw",)


def test_streak_flags_say_where_they_come_from(catalog: Catalog) -> None:
    assert catalog.get("Rose").streak_basis == "tiktok_api_2024" and catalog.get("Rose").streakable
    hat = catalog.get("Hat and Mustache")  # the API's exception to the price rule
    assert hat.streak_basis == "tiktok_api_2024" and not hat.streakable
    potato = catalog.get("Potato")
    assert potato.streak_basis == "price_rule" and potato.streakable
    assert all(g.streakable == (g.coins < 100) for g in catalog if g.streak_basis == "price_rule")


# -- the builder -------------------------------------------------------------------------------


def test_the_shipped_file_is_what_the_builder_writes() -> None:
    built = render(build_document(SourceTexts.read()))
    assert DEFAULT_PATH.read_text(encoding="utf-8") == built, "run `make gifts`"


def test_check_says_whether_a_file_is_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = tmp_path / "gifts.json"
    fresh.write_text(DEFAULT_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["--check", "--output", str(fresh)]) == 0
    assert "up to date" in capsys.readouterr().out
    fresh.write_text(fresh.read_text(encoding="utf-8").replace('"coins": 44999', '"coins": 1'))
    assert main(["--check", "--output", str(fresh)]) == 1
    err = capsys.readouterr().err
    assert "stale" in err and "make gifts" in err and "44999" in err


# -- what the review asked for -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "coins"),
    [
        ("hanging lights", 199),
        ("pinch cheek", 199),
        ("game controller", 100),
        ("bouquet", 500),
        ("dinosaur", 1_000),
        ("king of legends", 42_999),
        ("galaxy", 1_000),
        ("rose", 1),
        ("tiktok universe", 44_999),
    ],
)
def test_reviewed_gifts_resolve_at_their_prices(catalog: Catalog, typed: str, coins: int) -> None:
    match = catalog.resolve(typed)
    assert match.gift.coins == coins and match.how is MatchKind.NAME
    assert match.gift.status == "current"


def test_bouquet_reports_the_other_bouquets(catalog: Catalog) -> None:
    also = catalog.resolve("bouquet").also
    assert [(g.coins, g.shared_name) for g in also] == [(20, "Bouquet"), (100, "Bouquet")]


def test_a_typo_is_a_closest_match(catalog: Catalog) -> None:
    match = catalog.resolve("galxy")
    assert match.gift.name == "Galaxy" and match.how is MatchKind.CLOSEST


def test_rocket_is_retired_and_never_featured(catalog: Catalog) -> None:
    rocket = catalog.get("Rocket")
    assert rocket.retired and rocket.sources == ("research_notes",)
    assert rocket not in catalog.featured


def test_the_featured_gifts_are_current_and_at_most_25(catalog: Catalog) -> None:
    assert 0 < len(catalog.featured) <= 25
    assert all(g.status == "current" for g in catalog.featured)


@pytest.mark.parametrize(
    ("gift", "indonesian", "portuguese"),
    [
        ("Lion", "Singa", "Leão"),
        ("Galaxy", "Galaksi", "Galáxia"),
        ("TikTok Universe", "Alam Semesta TikTok", "Universo TikTok"),
        ("Whale diving", "Paus Menyelam", "Baleia Mergulhando"),
        ("Money Gun", "Pistol Uang", "Arma de Dinheiro"),
    ],
)
def test_local_names_resolve_in_both_languages(
    catalog: Catalog, gift: str, indonesian: str, portuguese: str
) -> None:
    for typed, locale in ((indonesian, "id"), (portuguese, "pt-BR"), (portuguese.lower(), "pt-BR")):
        match = catalog.resolve(typed)
        assert (match.gift.name, match.how, match.locale) == (gift, MatchKind.LOCAL_NAME, locale)
        assert gift in [g.name for g in catalog.search(typed[:4])]
    unaccented = catalog.resolve(portuguese.replace("ã", "a").replace("á", "a"))
    assert unaccented.gift.name == gift


def test_most_featured_gifts_have_names_in_both_languages(catalog: Catalog) -> None:
    both = [g for g in catalog.featured if g.local_names.id and g.local_names.pt_br]
    assert len(both) >= 18
    rose = catalog.get("Rose")
    assert (rose.local_names.id, rose.local_names.pt_br) == (("Mawar",), ("Rosa",))
    assert catalog.resolve("Mawar").gift is rose
    assert catalog.resolve("Rosa").gift.coins == 10 and rose in catalog.resolve("Rosa").also
