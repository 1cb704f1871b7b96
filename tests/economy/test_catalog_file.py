"""Reading gifts.json: valid files load; every problem names the file, the entry and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from economy.catalog import Catalog
from economy.errors import AlreadyExists, DataFileError
from tests.support.economy import names, plain_gift


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


SOURCES = {
    "old": {
        "as_of": "2024-01-05",
        "title": "an old list",
        "kind": "site_list",
        "region": "US",
        "current_list": False,
        "reliability": "low",
    },
    "new": {
        "as_of": "2026-06-13",
        "title": "a new list",
        "kind": "site_list",
        "region": "US",
        "current_list": True,
        "reliability": "high",
    },
}


def test_a_valid_file_loads(tmp_path: Path) -> None:
    path = write_catalog(tmp_path, [entry("Rose", 1), entry("Galaxy", 1000)], featured=["rose"])
    loaded = Catalog.load(path)
    assert names(loaded.listing()) == ["Rose", "Galaxy"]
    assert loaded.search("") == [loaded.get("Rose")]


def test_a_file_with_shared_names_sources_and_local_names_loads(tmp_path: Path) -> None:
    gifts = [
        entry("Posy", 500, sources=["new"], as_of="2026-06-13", local_names={"pt-BR": ["Buquê"]}),
        entry("Posy (20 coins)", 20, tiktok_name="Posy", sources=["old"], as_of="2024-01-05"),
    ]
    loaded = Catalog.load(write_catalog(tmp_path, gifts, sources=SOURCES))
    match = loaded.resolve("posy")
    assert (match.gift.coins, [g.coins for g in match.also]) == (500, [20])
    assert loaded.resolve("buque").locale == "pt-BR"
    assert loaded.sources["new"].current_list


def test_a_catalog_built_from_gifts_answers_as_the_loaded_file(tmp_path: Path) -> None:
    gifts = [
        entry("Posy", 500, local_names={"pt-BR": ["Buquê"]}),
        entry("Posy (20 coins)", 20, tiktok_name="Posy"),
        entry("Rose", 1, aliases=["flower"]),
    ]
    loaded = Catalog.load(write_catalog(tmp_path, gifts, featured=["rose"]))
    built = Catalog(list(loaded), as_of=loaded.as_of, source=loaded.source, featured=["rose"])
    for query in ("", "posy", "buque", "flower", "ros", "pos", "rsoe"):
        assert built.search(query) == loaded.search(query), query
    assert built.resolve("posy") == loaded.resolve("posy")
    assert built.listing("name") == loaded.listing("name")
    clashing = plain_gift("Flower", 3)
    with pytest.raises(AlreadyExists):
        Catalog([*loaded, clashing], as_of=loaded.as_of, source=loaded.source)


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


def test_alias_that_is_another_gifts_tiktok_name_is_named(tmp_path: Path) -> None:
    gifts = [entry("Posy (20 coins)", tiktok_name="Posy"), entry("Galaxy", aliases=["posy"])]
    message = load_error(write_catalog(tmp_path, gifts))
    assert "gifts[0] ('Posy (20 coins)')" in message and "'tiktok_name'" in message


def test_a_gift_id_used_twice_is_named(tmp_path: Path) -> None:
    gifts = [entry("Rose", gift_id=5655), entry("Galaxy", gift_id=11046, other_ids=[5655])]
    message = load_error(write_catalog(tmp_path, gifts))
    assert "gifts[1] ('Galaxy')" in message and "5655" in message


def test_unknown_sources_and_wrong_dates_are_named(tmp_path: Path) -> None:
    unknown = [entry("Rose", sources=["nowhere"], as_of="2026-06-13")]
    message = load_error(write_catalog(tmp_path, unknown, sources=SOURCES))
    assert "gifts[0] ('Rose')" in message and "'nowhere'" in message
    stale = [entry("Rose", sources=["old", "new"], as_of="2024-01-05")]
    message = load_error(write_catalog(tmp_path, stale, sources=SOURCES))
    assert "'as_of'" in message and "2026-06-13" in message


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


def test_unknown_field_and_bad_status_are_named(tmp_path: Path) -> None:
    message = load_error(write_catalog(tmp_path, [entry("Rose", colour="red")]))
    assert "gifts[0] ('Rose')" in message and "'colour'" in message
    message = load_error(write_catalog(tmp_path, [entry("Rose", status="gone")]))
    assert "'status'" in message


def test_bad_top_level_fields_are_named(tmp_path: Path) -> None:
    assert "'as_of'" in load_error(write_catalog(tmp_path, [entry("Rose")], as_of="yesterday"))
    assert "'gifts'" in load_error(write_catalog(tmp_path, []))
    message = load_error(write_catalog(tmp_path, [entry("Rose")], featured=["Galaxy"]))
    assert "featured[0] ('Galaxy')" in message
    retired = [entry("Rose"), entry("Rocket", 20_000, status="retired")]
    message = load_error(write_catalog(tmp_path, retired, featured=["Rocket"]))
    assert "featured[0] ('Rocket')" in message and "retired" in message


def test_broken_json_and_missing_files_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad_gifts.json"
    path.write_text('{"as_of": "2025-08-02",\n "gifts": [', encoding="utf-8")
    assert "line 2" in load_error(path)
    path.unlink()
    assert "cannot read" in load_error(path)
