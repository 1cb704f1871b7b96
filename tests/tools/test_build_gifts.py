"""The catalog builder's rules, on small made-up sources."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tools.build_gifts import build_document, render
from tools.gift_entities import BuildError
from tools.gift_sources import SourceTexts

HEADER = "name,coins,gift_id,source_key,source_date\n"
API = "id,name,diamond_count_coins,type,combo\n5655,Rose,1,1,True\n6427,Hat,99,4,False\n"


def source(
    region: str, as_of: str, *, current: bool = True, kind: str = "site_list"
) -> dict[str, Any]:
    return {
        "title": f"a {region} list",
        "as_of": as_of,
        "kind": kind,
        "region": region,
        "current_list": current,
        "reliability": "test",
        "ref": "r",
    }


SOURCES = {
    "api": source("TR", "2026-06-05", kind="tiktok_api"),
    "us_new": source("US", "2026-06-13"),
    "world": source("all regions", "2026-06-13"),
    "us_old": source("US", "2025-12-20"),
    "old": source("unknown", "2024-01-05", current=False),
    "research_notes": source("unknown", "2026-11-22", current=False, kind="research_notes"),
}


def curated(**changes: Any) -> dict[str, Any]:
    return {
        "about": ["test"],
        "references": {"r": "a reference"},
        "sources": SOURCES,
        "featured": {"names": ["Rose"], "why": "test", "ref": "r"},
    } | changes


def build(rows: str, **changes: Any) -> dict[str, Any]:
    texts = SourceTexts(rows=HEADER + rows, api=API, curated=json.dumps(curated(**changes)))
    return build_document(texts)


def gifts_by_name(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {g["name"]: g for g in document["gifts"]}


ROSE = "Rose,1,5655,api,2026-06-05\nRose,1,,us_new,2026-06-13\n"


def test_rows_join_by_id_and_by_name_and_price() -> None:
    rows = ROSE + "Rose,1,5655,old,2024-01-05\nRosey,1,5655,world,2026-06-13\n"
    rose = gifts_by_name(build(rows))["Rose"]
    assert rose["gift_id"] == 5655 and rose["coins"] == 1
    assert rose["sources"] == ["api", "us_new", "world", "old"]  # best source first
    assert rose["as_of"] == "2026-06-13" and rose["region"] == "us"
    assert rose["aliases"] == ["Rosey"]  # another source's spelling
    assert rose["streak_basis"] == "tiktok_api_2024" and rose["streakable"]


def test_an_id_given_at_an_older_price_is_a_wrong_join_and_is_dropped() -> None:
    rows = ROSE + "Kiss,199,7000,api,2026-06-05\nKiss,1,7000,old,2024-01-05\n"
    gifts = gifts_by_name(build(rows))
    assert gifts["Kiss"]["gift_id"] == 7000 and gifts["Kiss"]["coins"] == 199
    cheap = gifts["Kiss (1 coin)"]
    assert cheap["gift_id"] is None and "7000" in cheap["note"]


def test_a_shared_name_goes_to_the_likeliest_gift_and_the_others_are_labelled() -> None:
    rows = ROSE + (
        "Posy,500,,us_new,2026-06-13\n"
        "Posy,20,17473,api,2026-06-05\n"
        "Posy,100,,old,2024-01-05\n"
        "Box,1999,,us_old,2025-12-20\nBox,3999,,us_old,2025-12-20\n"
    )
    gifts = gifts_by_name(build(rows))
    assert gifts["Posy"]["coins"] == 500 and "tiktok_name" not in gifts["Posy"]
    assert gifts["Posy (20 coins)"]["tiktok_name"] == "Posy"
    assert gifts["Posy (100 coins)"]["status"] == "not_listed"
    assert {"Box (1,999 coins)", "Box (3,999 coins)"} <= set(gifts)  # a tie: both labelled
    assert "Box" not in gifts


def test_statuses_regions_and_region_notes() -> None:
    rows = ROSE + "Pinch,199,,us_old,2025-12-20\nFar,5,,world,2026-06-13\nOld,5,,old,2024-01-05\n"
    extras = [{"name": "Rocket", "coins": 20000, "why": "notes only", "ref": "r"}]
    facts = [
        {
            "gift": "Rocket",
            "coins": 20000,
            "status": {"value": "retired", "why": "gone", "ref": "r"},
        }
    ]
    document = build(rows, extra_gifts=extras, gifts=facts)
    gifts = gifts_by_name(document)
    assert "2026-06-13 US list does not have it" in gifts["Pinch"]["region_note"]
    assert (gifts["Far"]["status"], gifts["Far"]["region"]) == ("current", "other")
    assert gifts["Old"]["status"] == "not_listed" and "region" not in gifts["Old"]
    assert gifts["Rocket"]["status"] == "retired" and gifts["Rocket"]["sources"] == [
        "research_notes"
    ]
    assert document["as_of"] == "2026-06-13"  # retired and old gifts do not date the catalog


def test_the_document_is_sorted_and_rendered_the_same_every_time() -> None:
    rows = "Zebra,5,,us_new,2026-06-13\n" + ROSE + "Apple,5,,us_new,2026-06-13\n"
    document = build(rows)
    assert [g["name"] for g in document["gifts"]] == ["Rose", "Apple", "Zebra"]
    text = render(document)
    assert text == render(build(rows)) and text.endswith("}\n")
    assert json.loads(text) == document


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"featured": {"names": ["Old"], "why": "t", "ref": "r"}}, "not current"),
        ({"featured": {"names": ["Nope"], "why": "t", "ref": "r"}}, "no gift is called"),
        ({"gifts": [{"gift": "Nope", "coins": 1}]}, "matches 0 gifts"),
        ({"gifts": [{"gift": "Rose", "coins": 1, "note": {"text": "x", "ref": "zz"}}]}, "zz"),
        (
            {"gifts": [{"gift": "Rose", "coins": 1, "aliases": {"names": ["old"], "ref": "r"}}]},
            "names another gift",
        ),
        (
            {
                "gifts": [
                    {
                        "gift": "Rose",
                        "coins": 1,
                        "local_names": {"id": [{"name": "Old", "ref": "r"}]},
                    }
                ]
            },
            "declare it in local_name_clashes",
        ),
        (
            {"local_name_clashes": [{"name": "Mawar", "locale": "id", "why": "t", "ref": "r"}]},
            "no longer clash",
        ),
        (
            {
                "row_fixes": [
                    {
                        "source": "old",
                        "name": "Nope",
                        "coins": 1,
                        "action": "ignore",
                        "why": "t",
                        "ref": "r",
                    }
                ]
            },
            "match no source row",
        ),
    ],
)
def test_curation_that_does_not_fit_the_sources_stops_the_build(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(BuildError) as caught:
        build(ROSE + "Old,5,,old,2024-01-05\n", **changes)
    assert message in str(caught.value)


def test_a_declared_local_name_clash_builds() -> None:
    rows = ROSE + "Rosa,10,8913,us_new,2026-06-13\n"
    facts = [{"gift": "Rose", "coins": 1, "local_names": {"pt-BR": [{"name": "Rosa", "ref": "r"}]}}]
    clash = [{"name": "Rosa", "locale": "pt-BR", "why": "own name wins", "ref": "r"}]
    gifts = gifts_by_name(build(rows, gifts=facts, local_name_clashes=clash))
    assert gifts["Rose"]["local_names"] == {"pt-BR": ["Rosa"]}


def test_rows_whose_dates_disagree_with_the_source_stop_the_build() -> None:
    with pytest.raises(BuildError) as caught:
        build("Rose,1,5655,api,2026-01-01\n")
    assert "api" in str(caught.value) and "2026-06-05" in str(caught.value)
