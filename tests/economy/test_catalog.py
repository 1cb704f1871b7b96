"""The gift catalog: the shipped data, lookups, autocomplete, listings and file validation."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from economy.catalog import Catalog, Gift, default_catalog
from economy.errors import AlreadyExists, DataFileError, InvalidValue, UnknownGift
from economy.text import normalise

# The well-known gifts and prices from the research notes (domain-facts.md).
WELL_KNOWN = {
    "Rose": 1,
    "TikTok": 1,
    "Finger Heart": 5,
    "Rosa": 10,
    "Perfume": 20,
    "Doughnut": 30,
    "Hat and Mustache": 99,
    "Hand Hearts": 100,
    "Corgi": 299,
    "Money Gun": 500,
    "Galaxy": 1_000,
    "Gold Mine": 1_000,
    "Whale diving": 2_150,
    "Leon the Kitten": 4_888,
    "Drama Queen": 5_000,
    "Sports Car": 7_000,
    "Interstellar": 10_000,
    "Falcon": 10_999,
    "Rocket": 20_000,
    "Yacht": 20_000,
    "Phoenix": 25_999,
    "Lion": 29_999,
    "Sam the Whale": 30_000,
    "Leon and Lion": 34_000,
    "TikTok Universe+": 34_999,
    "Thunder Falcon": 39_999,
    "Fire Phoenix": 41_999,
    "Pegasus": 42_999,
    "TikTok Universe": 44_999,
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


def custom_gift(name: str, coins: int = 777, aliases: tuple[str, ...] = ()) -> Gift:
    return Gift(name=name, coins=coins, gift_id=None, aliases=aliases, streakable=False)


# -- the shipped data --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "coins"), sorted(WELL_KNOWN.items()))
def test_well_known_gift_has_the_documented_price(catalog: Catalog, name: str, coins: int) -> None:
    gift = catalog.get(name)
    assert gift.name == name
    assert gift.coins == coins


def test_catalog_is_large_dated_and_sourced(catalog: Catalog) -> None:
    assert len(catalog) >= 150
    assert len(list(catalog)) == len(catalog)
    assert catalog.as_of == date(2025, 8, 2)
    assert "2024-01-05" in catalog.source
    assert "2025-08-02" in catalog.source


def test_default_catalog_is_loaded_once() -> None:
    assert default_catalog() is default_catalog()


def test_both_universes_are_listed_with_their_dates(catalog: Catalog) -> None:
    universe = catalog.get("TikTok Universe")
    plus = catalog.get("TikTok Universe+")
    assert (universe.coins, plus.coins) == (44_999, 34_999)
    assert universe.note is not None and plus.note is not None
    for text in ("44,999", "2023-10-02", "34,999"):
        assert text in universe.note
    for text in ("34,999", "44,999"):
        assert text in plus.note


def test_drama_queen_is_retired_and_the_other_figure_is_noted(catalog: Catalog) -> None:
    queen = catalog.get("drama queen")
    assert queen.retired
    assert queen.note is not None and "199" in queen.note
    assert sum(g.retired for g in catalog) == 1


@pytest.mark.parametrize(
    ("name", "coins", "older"),
    [("Wolf", 5_500, "5,000"), ("Applause", 9, "600"), ("Butterfly", 88, "169")],
)
def test_disputed_prices_use_the_2025_list_and_note_the_2024_value(
    catalog: Catalog, name: str, coins: int, older: str
) -> None:
    gift = catalog.get(name)
    assert gift.coins == coins
    assert gift.note is not None and older in gift.note


def test_reused_tiktok_names_are_kept_apart(catalog: Catalog) -> None:
    assert catalog.get("Heart").coins == 1
    assert catalog.get("Heart (10 coins)").coins == 10
    assert catalog.get("Love you (1 coin)").gift_id == 6890
    assert catalog.get("Love You (199 coins)").gift_id == 6671
    assert {catalog.get("gift box1").coins, catalog.get("gift box2").coins} == {1_999, 3_999}


def test_streak_flags_follow_the_api_or_the_price_rule(catalog: Catalog) -> None:
    assert catalog.get("Rose").streakable  # API type 1
    assert not catalog.get("Hat and Mustache").streakable  # API type 4, under 100 coins
    assert catalog.get("Potato").streakable  # only in the 2025 list, 5 coins
    assert not catalog.get("Galaxy").streakable  # only in the 2025 list, 1,000 coins


def test_every_gift_is_sane(catalog: Catalog) -> None:
    for gift in catalog:
        assert gift.coins > 0
        assert gift.name == gift.name.strip()
        assert not gift.custom
    ids = [g.gift_id for g in catalog if g.gift_id is not None]
    assert len(ids) == len(set(ids))


def test_gifts_are_frozen(catalog: Catalog) -> None:
    rose = catalog.get("rose")
    with pytest.raises(ValidationError):
        rose.coins = 2  # type: ignore[misc]


# -- get ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("ROSE", "Rose"),
        ("  rose ", "Rose"),
        ("rosé", "Rose"),
        ("Ｒｏｓｅ", "Rose"),
        ("leon & lion", "Leon and Lion"),
        ("Leon and Lion", "Leon and Lion"),
        ("LEON&LION!", "Leon and Lion"),
        ("hat & mustache", "Hat and Mustache"),
        ("Adam’s Dream", "Adam's Dream"),
        ("like pop", "Like-Pop"),
        ("tik tok", "TikTok"),
    ],
)
def test_case_accents_spacing_and_punctuation_do_not_matter(
    catalog: Catalog, query: str, name: str
) -> None:
    assert catalog.get(query).name == name


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("universe", "TikTok Universe"),
        ("tiktok universe", "TikTok Universe"),
        ("universe+", "TikTok Universe+"),
        ("Universe Plus", "TikTok Universe+"),
        ("donut", "Doughnut"),
        ("hand heart", "Hand Hearts"),
        ("hat & moustache", "Hat and Mustache"),
        ("red carpet", "Star of Red Carpet"),
    ],
)
def test_aliases_resolve(catalog: Catalog, query: str, name: str) -> None:
    assert catalog.get(query).name == name


@pytest.mark.parametrize(
    ("query", "name"),
    [("galxy", "Galaxy"), ("pheonix", "Phoenix"), ("interstelar", "Interstellar")],
)
def test_a_clear_typo_resolves(catalog: Catalog, query: str, name: str) -> None:
    assert catalog.get(query).name == name


def test_an_ambiguous_name_is_not_guessed(catalog: Catalog) -> None:
    with pytest.raises(UnknownGift) as caught:
        catalog.get("love you")
    assert {"Love you (1 coin)", "Love You (199 coins)"} <= set(caught.value.suggestions)


@pytest.mark.parametrize("query", ["qwzxvj", "", "!!!", "x" * 1000])
def test_unknown_name_raises_with_three_real_suggestions(catalog: Catalog, query: str) -> None:
    with pytest.raises(UnknownGift) as caught:
        catalog.get(query)
    err = caught.value
    assert err.key == "error.unknown_gift"
    assert len(err.suggestions) == 3
    assert all(catalog.get(name).name == name for name in err.suggestions)
    assert len(err.query) <= 100


# -- search ------------------------------------------------------------------------------------


def test_empty_search_offers_the_featured_well_known_gifts(catalog: Catalog) -> None:
    found = catalog.search("")
    assert len(found) == 25
    assert found[0].name == "Rose"
    assert all(g.name in WELL_KNOWN and not g.retired for g in found)
    assert [g.coins for g in found] == sorted(g.coins for g in found)


@pytest.mark.parametrize("query", ["", "e", "zzqqxx", "x" * 1000, "🌹🌹", "日本語", "a" * 99])
def test_search_never_returns_more_than_25(catalog: Catalog, query: str) -> None:
    assert len(catalog.search(query)) <= 25
    assert len(catalog.search(query, limit=500)) <= 25


def test_search_respects_a_smaller_limit(catalog: Catalog) -> None:
    assert len(catalog.search("", limit=5)) == 5
    assert len(catalog.search("r", limit=3)) == 3
    assert catalog.search("rose", limit=0) == []
    assert catalog.search("rose", limit=-4) == []


def test_prefix_matches_come_first(catalog: Catalog) -> None:
    names = [g.name for g in catalog.search("ro")]
    assert names[0] == "Rose"
    assert {"Rosa", "Rocket"} <= set(names[:4])
    assert names.index("Rosa Nebula") < names.index("Forever Rosa")  # name prefix beats word


def test_word_prefixes_and_typos_are_found(catalog: Catalog) -> None:
    assert [g.name for g in catalog.search("universe")][:2] == [
        "TikTok Universe",
        "TikTok Universe+",
    ]
    assert catalog.search("galxy")[0].name == "Galaxy"
    assert catalog.search("DONUT")[0].name == "Doughnut"


def test_search_results_are_distinct_gifts(catalog: Catalog) -> None:
    for query in ("", "heart", "universe", "love", "a"):
        names = [g.name for g in catalog.search(query)]
        assert len(names) == len(set(names))


def test_garbage_finds_nothing(catalog: Catalog) -> None:
    assert catalog.search("zzqqxx") == []


def test_search_is_fast(catalog: Catalog) -> None:
    queries = ["", "r", "ro", "universe", "galxy", "zzqqxx", "x" * 1000, "love you", "日本語"]
    start = time.perf_counter()
    for _ in range(20):
        for query in queries:
            catalog.search(query)
    per_call = (time.perf_counter() - start) / (20 * len(queries))
    assert per_call < 0.005  # typically about 0.1 ms; the bound only catches a blow-up


@settings(max_examples=300, deadline=None)
@given(query=st.text(max_size=300), limit=st.integers(min_value=-5, max_value=100))
def test_search_never_raises_and_never_exceeds_the_limit(query: str, limit: int) -> None:
    found = default_catalog().search(query, limit=limit)
    assert len(found) <= max(0, min(limit, 25))
    assert all(isinstance(g, Gift) for g in found)


@settings(max_examples=200, deadline=None)
@given(query=st.text(max_size=200))
def test_get_either_finds_a_gift_or_suggests_three(query: str) -> None:
    catalog = default_catalog()
    try:
        gift = catalog.get(query)
    except UnknownGift as err:
        assert len(err.suggestions) == 3  # noqa: PT017  (either outcome is fine)
    else:
        assert gift in list(catalog)


# -- listing -----------------------------------------------------------------------------------


def test_listing_by_coins_breaks_ties_by_name(catalog: Catalog) -> None:
    listed = catalog.listing()
    assert len(listed) == len(catalog)
    keys = [(g.coins, g.name.casefold()) for g in listed]
    assert keys == sorted(keys)


def test_listing_by_name(catalog: Catalog) -> None:
    names = [g.name.casefold() for g in catalog.listing(sort="name")]
    assert names == sorted(names)


def test_listing_filters_an_inclusive_coin_range(catalog: Catalog) -> None:
    listed = catalog.listing(min_coins=1_000, max_coins=1_000)
    assert {"Galaxy", "Gold Mine"} <= {g.name for g in listed}
    assert all(g.coins == 1_000 for g in listed)
    assert all(g.coins >= 30_000 for g in catalog.listing(min_coins=30_000))
    assert [g.name for g in catalog.listing(min_coins=44_999)] == ["TikTok Universe"]
    assert catalog.listing(max_coins=0) == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_coins": 500, "max_coins": 100},
        {"min_coins": -1},
        {"max_coins": -1},
        {"sort": "price"},
    ],
)
def test_listing_rejects_bad_arguments(catalog: Catalog, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidValue):
        catalog.listing(**kwargs)


# -- custom gifts ------------------------------------------------------------------------------


def test_custom_gifts_are_added_to_a_new_catalog(catalog: Catalog) -> None:
    server = catalog.with_custom([custom_gift("Moonbeam Otter", aliases=("otter",))])
    assert len(server) == len(catalog) + 1
    otter = server.get("OTTER")
    assert otter.name == "Moonbeam Otter" and otter.custom
    assert server.search("")[0] == otter
    assert server.search("moonb")[0] == otter
    assert otter in server.listing(min_coins=777, max_coins=777)
    with pytest.raises(UnknownGift):
        catalog.get("Moonbeam Otter")
    assert server.as_of == catalog.as_of and server.source == catalog.source


def test_a_long_custom_name_is_found_exactly(catalog: Catalog) -> None:
    name = "The Extremely Long Custom Gift Name Our Server Voted For In 2025 Edition"
    server = catalog.with_custom([custom_gift(name)])
    assert server.get(name.upper()).name == name
    assert server.search(name)[0].name == name


@pytest.mark.parametrize(
    "gifts",
    [
        [custom_gift("ROSE")],
        [custom_gift("Leon & Lion")],
        [custom_gift("universe")],
        [custom_gift("Moonbeam Otter", aliases=("donut",))],
        [custom_gift("Moonbeam Otter"), custom_gift("moonbeam otter!")],
    ],
)
def test_custom_gifts_may_not_shadow_names(catalog: Catalog, gifts: list[Gift]) -> None:
    with pytest.raises(AlreadyExists):
        catalog.with_custom(gifts)


# -- normalisation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("  Leon & Lion ", "leonandlion"),
        ("TikTok Universe+", "tiktokuniverseplus"),
        ("Crème Brûlée", "cremebrulee"),
        ("Straße", "strasse"),
        ("!!!", ""),
    ],
)
def test_normalise(text: str, key: str) -> None:
    assert normalise(text) == key


# -- invalid data files ------------------------------------------------------------------------


def entry(name: str, coins: int = 10, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "coins": coins,
        "gift_id": None,
        "aliases": [],
        "streakable": True,
    } | extra


def write_catalog(tmp_path: Path, gifts: list[dict[str, Any]], **top: Any) -> Path:
    path = tmp_path / "bad_gifts.json"
    body = {"as_of": "2025-08-02", "source": "test", "gifts": gifts} | top
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(DataFileError) as caught:
        Catalog.load(path)
    message = str(caught.value)
    assert "bad_gifts.json" in message
    return message


def test_a_valid_file_loads(tmp_path: Path) -> None:
    path = write_catalog(tmp_path, [entry("Rose", 1), entry("Galaxy", 1000)], featured=["rose"])
    loaded = Catalog.load(path)
    assert [g.name for g in loaded.listing()] == ["Rose", "Galaxy"]
    assert loaded.search("") == [loaded.get("Rose")]


def test_duplicate_name_is_named(tmp_path: Path) -> None:
    message = load_error(write_catalog(tmp_path, [entry("Rose"), entry("Galaxy"), entry("ROSÉ!")]))
    assert "gifts[2] ('ROSÉ!')" in message and "'name'" in message and "gifts[0]" in message


def test_duplicate_alias_is_named(tmp_path: Path) -> None:
    gifts = [entry("Rose", aliases=["flower"]), entry("Galaxy", aliases=["Flower"])]
    message = load_error(write_catalog(tmp_path, gifts))
    assert "gifts[1] ('Galaxy')" in message and "'aliases'" in message


def test_alias_colliding_with_a_name_is_named(tmp_path: Path) -> None:
    gifts = [entry("Rose"), entry("Galaxy", aliases=["rose"])]
    message = load_error(write_catalog(tmp_path, gifts))
    assert "gifts[1] ('Galaxy')" in message and "'aliases'" in message


@pytest.mark.parametrize("coins", [0, -5, "5", 2.5, True])
def test_bad_coins_are_named(tmp_path: Path, coins: Any) -> None:
    message = load_error(write_catalog(tmp_path, [entry("Rose", 1), entry("Galaxy", coins)]))
    assert "gifts[1] ('Galaxy')" in message and "'coins'" in message


@pytest.mark.parametrize("field", ["coins", "gift_id", "aliases", "streakable"])
def test_missing_field_is_named(tmp_path: Path, field: str) -> None:
    broken = entry("Galaxy")
    del broken[field]
    message = load_error(write_catalog(tmp_path, [entry("Rose"), broken]))
    assert "gifts[1] ('Galaxy')" in message and f"'{field}'" in message


def test_missing_name_is_named(tmp_path: Path) -> None:
    broken = entry("x")
    del broken["name"]
    message = load_error(write_catalog(tmp_path, [broken]))
    assert "gifts[0] (no name)" in message and "'name'" in message


def test_unknown_field_is_named(tmp_path: Path) -> None:
    message = load_error(write_catalog(tmp_path, [entry("Rose", colour="red")]))
    assert "gifts[0] ('Rose')" in message and "'colour'" in message


def test_bad_top_level_fields_are_named(tmp_path: Path) -> None:
    assert "'as_of'" in load_error(write_catalog(tmp_path, [entry("Rose")], as_of="yesterday"))
    assert "'gifts'" in load_error(write_catalog(tmp_path, []))
    message = load_error(write_catalog(tmp_path, [entry("Rose")], featured=["Galaxy"]))
    assert "featured[0] ('Galaxy')" in message


def test_broken_json_and_missing_files_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad_gifts.json"
    path.write_text('{"as_of": "2025-08-02",\n "gifts": [', encoding="utf-8")
    assert "line 2" in load_error(path)
    path.unlink()
    assert "cannot read" in load_error(path)
