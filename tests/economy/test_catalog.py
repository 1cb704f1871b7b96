"""The gift catalog: lookups and how they matched, autocomplete, listings and custom gifts.

The shipped data is checked in test_gift_data.py, file validation in test_catalog_file.py.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from economy.catalog import Catalog, Gift, MatchKind, default_catalog
from economy.errors import AlreadyExists, InvalidValue, UnknownGift
from economy.text import normalise
from tests.support.economy import names, plain_gift

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


# -- the well-known gifts ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "coins"), sorted(WELL_KNOWN.items()))
def test_well_known_gift_has_the_documented_price(catalog: Catalog, name: str, coins: int) -> None:
    match = catalog.resolve(name)
    assert (match.gift.name, match.gift.coins) == (name, coins)
    assert match.how is MatchKind.NAME


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


def test_gifts_are_frozen(catalog: Catalog) -> None:
    rose = catalog.get("rose")
    with pytest.raises(ValidationError):
        rose.coins = 2  # type: ignore[misc]


# -- resolve: how a typed name matched ---------------------------------------------------------


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
    match = catalog.resolve(query)
    assert match.gift.name == name and match.exact


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("universe", "TikTok Universe"),
        ("universe+", "TikTok Universe+"),
        ("Universe Plus", "TikTok Universe+"),
        ("donut", "Doughnut"),
        ("hat & moustache", "Hat and Mustache"),
        ("diving whale", "Whale diving"),
    ],
)
def test_aliases_resolve_and_say_so(catalog: Catalog, query: str, name: str) -> None:
    match = catalog.resolve(query)
    assert match.gift.name == name
    assert match.how is MatchKind.ALIAS


def test_tiktoks_own_spelling_finds_a_gift_shipped_under_another_name(catalog: Catalog) -> None:
    match = catalog.resolve("hand heart")
    assert match.gift.name == "Hand Hearts" and match.gift.tiktok_name == "Hand Heart"
    assert match.how is MatchKind.NAME


@pytest.mark.parametrize(
    ("query", "name"),
    [("galxy", "Galaxy"), ("pheonix", "Phoenix"), ("interstelar", "Interstellar")],
)
def test_a_clear_typo_is_marked_closest_match(catalog: Catalog, query: str, name: str) -> None:
    match = catalog.resolve(query)
    assert match.gift.name == name
    assert match.how is MatchKind.CLOSEST and not match.exact
    assert match.score is not None and match.score >= 85
    assert catalog.get(query).name == name  # get() is resolve().gift


def test_a_shared_name_goes_to_the_us_gift_and_names_the_others(catalog: Catalog) -> None:
    match = catalog.resolve("Bouquet")
    assert (match.gift.name, match.gift.coins, match.how) == ("Bouquet", 500, MatchKind.NAME)
    assert [(g.name, g.coins) for g in match.also] == [
        ("Bouquet (20 coins)", 20),
        ("Bouquet (100 coins)", 100),
    ]
    assert all(g.tiktok_name == "Bouquet" for g in match.also)


def test_a_labelled_gift_is_found_by_its_label_and_knows_its_namesakes(catalog: Catalog) -> None:
    hundred = catalog.resolve("bouquet (100 coins)").gift
    assert hundred.coins == 100 and hundred.shared_name == "Bouquet"
    assert [g.coins for g in catalog.sharing(hundred)] == [20, 500]


def test_a_name_shared_without_a_likelier_gift_is_not_guessed(catalog: Catalog) -> None:
    with pytest.raises(UnknownGift) as caught:
        catalog.resolve("love you")
    assert caught.value.shared_name
    assert set(caught.value.suggestions) == {"Love you (1 coin)", "Love You (199 coins)"}
    with pytest.raises(UnknownGift) as boxes:
        catalog.resolve("gift box")
    assert [catalog.get(n).coins for n in boxes.value.suggestions] == [1_999, 3_999]
    assert {catalog.get("gift box1").coins, catalog.get("gift box2").coins} == {1_999, 3_999}


def test_a_gifts_own_name_wins_over_another_gifts_local_name(catalog: Catalog) -> None:
    match = catalog.resolve("rosa")  # the 10-coin gift; also Rose in Portuguese
    assert (match.gift.name, match.gift.coins, match.how) == ("Rosa", 10, MatchKind.NAME)
    assert names(match.also) == ["Rose"]
    assert {"Rosa", "Rose"} <= set(names(catalog.search("rosa")[:2]))


@pytest.mark.parametrize("query", ["qwzxvj", "", "!!!", "x" * 1000])
def test_unknown_name_raises_with_three_real_suggestions(catalog: Catalog, query: str) -> None:
    with pytest.raises(UnknownGift) as caught:
        catalog.resolve(query)
    err = caught.value
    assert err.key == "error.unknown_gift" and not err.shared_name
    assert len(err.suggestions) == 3
    assert all(catalog.get(name).name == name for name in err.suggestions)
    assert len(err.query) <= 100


@settings(max_examples=200, deadline=None)
@given(query=st.text(max_size=200))
def test_resolve_either_finds_a_gift_or_suggests_real_ones(query: str) -> None:
    catalog = default_catalog()
    try:
        match = catalog.resolve(query)
    except UnknownGift as err:
        assert len(err.suggestions) >= 2
        assert all(catalog.get(name).name == name for name in err.suggestions)
    else:
        assert match.gift in list(catalog)
        assert match.gift not in match.also


# -- search ------------------------------------------------------------------------------------


def test_empty_search_offers_the_featured_well_known_gifts(catalog: Catalog) -> None:
    found = catalog.search("")
    assert len(found) == 25
    assert found[0].name == "Rose"
    assert all(g.name in WELL_KNOWN and g.status == "current" for g in found)
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
    assert names(catalog.search("ro"))[:2] == ["Rose", "Rosa"]
    found = names(catalog.search("rosa"))
    assert found.index("Rosa Nebula") < found.index("Forever Rosa")  # name prefix beats word


def test_gifts_sharing_a_name_are_listed_apart_with_the_likeliest_first(
    catalog: Catalog,
) -> None:
    found = catalog.search("bouquet")
    assert [(g.name, g.coins) for g in found[:3]] == [
        ("Bouquet", 500),
        ("Bouquet (20 coins)", 20),
        ("Bouquet (100 coins)", 100),
    ]


def test_word_prefixes_and_typos_are_found(catalog: Catalog) -> None:
    assert names(catalog.search("universe"))[:2] == ["TikTok Universe", "TikTok Universe+"]
    assert catalog.search("galxy")[0].name == "Galaxy"
    assert catalog.search("DONUT")[0].name == "Doughnut"


def test_retired_gifts_come_after_current_ones(catalog: Catalog) -> None:
    found = catalog.search("r")
    statuses = [g.status for g in found]
    assert "retired" not in statuses[: statuses.count("current")]


def test_search_results_are_distinct_gifts(catalog: Catalog) -> None:
    for query in ("", "heart", "universe", "love", "a", "bouquet", "rosa"):
        found = names(catalog.search(query))
        assert len(found) == len(set(found))


def test_garbage_finds_nothing(catalog: Catalog) -> None:
    assert catalog.search("zzqqxx") == []


def test_search_is_fast(catalog: Catalog) -> None:
    queries = ["", "r", "ro", "universe", "galxy", "zzqqxx", "x" * 1000, "love you", "日本語"]
    start = time.perf_counter()
    for _ in range(20):
        for query in queries:
            catalog.search(query)
    per_call = (time.perf_counter() - start) / (20 * len(queries))
    assert per_call < 0.005  # typically under 1 ms; the bound only catches a blow-up


@settings(max_examples=300, deadline=None)
@given(query=st.text(max_size=300), limit=st.integers(min_value=-5, max_value=100))
def test_search_never_raises_and_never_exceeds_the_limit(query: str, limit: int) -> None:
    found = default_catalog().search(query, limit=limit)
    assert len(found) <= max(0, min(limit, 25))
    assert all(isinstance(g, Gift) for g in found)


# -- listing -----------------------------------------------------------------------------------


def test_listing_by_coins_breaks_ties_by_name(catalog: Catalog) -> None:
    listed = catalog.listing()
    assert len(listed) == len(catalog)
    keys = [(g.coins, g.name.casefold()) for g in listed]
    assert keys == sorted(keys)


def test_listing_by_name(catalog: Catalog) -> None:
    found = [g.name.casefold() for g in catalog.listing(sort="name")]
    assert found == sorted(found)


def test_listing_filters_an_inclusive_coin_range(catalog: Catalog) -> None:
    listed = catalog.listing(min_coins=1_000, max_coins=1_000)
    assert {"Galaxy", "Gold Mine", "Dinosaur"} <= set(names(listed))
    assert all(g.coins == 1_000 for g in listed)
    assert all(g.coins >= 30_000 for g in catalog.listing(min_coins=30_000))
    assert catalog.listing(min_coins=44_999)[0].name == "TikTok Universe"
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
    server = catalog.with_custom([plain_gift("Moonbeam Otter", aliases=("otter",))])
    assert len(server) == len(catalog) + 1
    match = server.resolve("OTTER")
    otter = match.gift
    assert otter.name == "Moonbeam Otter" and otter.custom and match.how is MatchKind.ALIAS
    assert server.search("")[0] == otter
    assert server.search("moonb")[0] == otter
    assert otter in server.listing(min_coins=777, max_coins=777)
    assert names(server.listing(sort="name")) == sorted(
        names(server.listing(sort="name")), key=str.casefold
    )
    assert server.as_of == catalog.as_of and server.source == catalog.source
    assert otter not in list(catalog) and len(catalog.search("")) == 25


def test_a_custom_name_elsewhere_is_never_silently_another_gift(catalog: Catalog) -> None:
    server = catalog.with_custom([plain_gift("Pizza Party"), plain_gift("Galaxy Otter")])
    assert server.resolve("pizza party").how is MatchKind.NAME
    for typed in ("Pizza Party", "Galaxy Otter"):
        try:
            match = catalog.resolve(typed)
        except UnknownGift as err:
            assert err.suggestions
        else:
            assert match.how is MatchKind.CLOSEST and match.gift.name != typed


def test_a_long_custom_name_is_found_exactly(catalog: Catalog) -> None:
    name = "The Extremely Long Custom Gift Name Our Server Voted For In 2025 Edition"
    server = catalog.with_custom([plain_gift(name)])
    assert server.get(name.upper()).name == name
    assert server.search(name)[0].name == name


@pytest.mark.parametrize(
    "gifts",
    [
        [plain_gift("ROSE")],
        [plain_gift("Leon & Lion")],
        [plain_gift("universe")],
        [plain_gift("Mawar")],  # Rose's Indonesian name
        [plain_gift("Gift Box")],  # TikTok's name for two gifts
        [plain_gift("Moonbeam Otter", aliases=("donut",))],
        [plain_gift("Moonbeam Otter"), plain_gift("moonbeam otter!")],
    ],
)
def test_custom_gifts_may_not_shadow_names(catalog: Catalog, gifts: list[Gift]) -> None:
    with pytest.raises(AlreadyExists):
        catalog.with_custom(gifts)


def test_a_server_keeps_its_custom_gifts_that_do_not_clash(catalog: Catalog) -> None:
    gifts = [
        plain_gift("Moonbeam Otter"),
        plain_gift("Mawar"),  # Rose's Indonesian name
        plain_gift("moonbeam otter!"),  # the first custom gift's name
        plain_gift("Pizza Party", aliases=("galaxy",)),
        plain_gift("Star Fox"),
    ]
    kept, clashing = catalog.partition_custom(gifts)
    assert names(kept) == ["Moonbeam Otter", "Star Fox"]
    assert [(gift.name, name) for gift, name in clashing] == [
        ("Mawar", "Mawar"),
        ("moonbeam otter!", "moonbeam otter!"),
        ("Pizza Party", "galaxy"),
    ]
    assert catalog.with_custom(kept).get("star fox").custom


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
