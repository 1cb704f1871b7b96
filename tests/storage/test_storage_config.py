"""Per-server settings, their audit trail and custom gifts, on every storage backend."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from economy import profiles
from economy.errors import AlreadyExists, InvalidValue, NotFound, OutOfRange
from economy.storage import (
    GuildSettings,
    SqliteStorage,
    Storage,
    StorageError,
    custom_gift_key,
    fx_key,
    override_key,
)
from tests.support.backends import Backend

G1, G2 = 7001, 7002
ADMIN, OTHER = 11, 12
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


async def test_defaults_when_nothing_is_set(storage: Storage) -> None:
    config = await storage.guild_settings.get_settings(G1)
    assert config == GuildSettings()
    assert (config.preset, config.currency, config.tally_others) == (None, None, "managers")
    assert config.leaderboard_enabled is True
    assert dict(config.overrides) == {} and dict(config.fx_overrides) == {}
    assert await storage.guild_settings.settings_history(G1) == []


async def test_settings_round_trip(storage: Storage) -> None:
    for key, value in [
        ("preset", "tiktok"),
        ("currency", "BRL"),
        ("tally_others", "everyone"),
        ("leaderboard_enabled", "false"),
        (override_key("usd_per_diamond"), "0.0049"),
        (override_key("cashout_cut"), "0.5"),
        (fx_key("IDR"), "16250.5"),
    ]:
        await storage.guild_settings.change_settings(G1, {key: value}, actor_id=ADMIN)
    config = await storage.guild_settings.get_settings(G1)
    assert config.preset == "tiktok" and config.currency == "BRL"
    assert config.tally_others == "everyone" and config.leaderboard_enabled is False
    assert config.overrides == {"usd_per_diamond": "0.0049", "cashout_cut": "0.5"}
    assert config.fx_overrides == {"IDR": "16250.5"}
    with pytest.raises(TypeError):
        config.overrides["usd_per_diamond"] = "1"  # type: ignore[index]


async def test_every_change_is_audited_in_order(storage: Storage) -> None:
    (first,) = await storage.guild_settings.change_settings(
        G1, {"currency": "USD"}, actor_id=ADMIN, now=NOW
    )
    later = NOW + timedelta(minutes=5)
    await storage.guild_settings.change_settings(G1, {"currency": "IDR"}, actor_id=OTHER, now=later)
    await storage.guild_settings.change_settings(G1, {"currency": None}, actor_id=ADMIN, now=later)
    assert (first.key, first.old_value, first.new_value, first.actor_id) == (
        "currency", None, "USD", ADMIN,
    )  # fmt: skip
    history = await storage.guild_settings.settings_history(G1)
    assert [(r.actor_id, r.old_value, r.new_value) for r in history] == [
        (ADMIN, "IDR", None),
        (OTHER, "USD", "IDR"),
        (ADMIN, None, "USD"),
    ]
    assert history[1].created_at == later and history[-1] == first
    assert (await storage.guild_settings.get_settings(G1)).currency is None  # cleared -> default
    assert len(await storage.guild_settings.settings_history(G1, limit=2)) == 2


async def test_bad_settings_are_refused_without_audit(storage: Storage) -> None:
    for key, value in [
        ("no_such_setting", "1"),
        ("tally_others", "admins"),
        ("leaderboard_enabled", "yes"),
        ("currency", "usd"),
        ("preset", "Bad Preset!"),
        (override_key("usd_per_diamond"), "cheap"),
        (override_key("usd_per_diamond"), "NaN"),
        (override_key("usd_per_diamond"), "-1"),
        (override_key("Bad Figure"), "1"),
        (fx_key("idr"), "1"),
        (fx_key("IDR"), "0"),
    ]:
        with pytest.raises(InvalidValue):
            await storage.guild_settings.change_settings(G1, {key: value}, actor_id=ADMIN)
    assert await storage.guild_settings.settings_history(G1) == []
    assert await storage.guild_settings.get_settings(G1) == GuildSettings()


async def test_setting_and_audit_are_one_transaction(storage: Storage, backend: Backend) -> None:
    await storage.guild_settings.change_settings(G1, {"currency": "USD"}, actor_id=ADMIN)
    await backend.plant_failure("no_audit", "config_audit", "INSERT")
    with pytest.raises(StorageError):
        await storage.guild_settings.change_settings(G1, {"currency": "GBP"}, actor_id=ADMIN)
    with pytest.raises(StorageError):
        await storage.guild_settings.add_custom_gift(G1, "Sneaky", 5, actor_id=ADMIN)
    assert (await storage.guild_settings.get_settings(G1)).currency == "USD"
    assert await storage.guild_settings.list_custom_gifts(G1) == []
    assert len(await storage.guild_settings.settings_history(G1)) == 1


async def test_custom_gifts_are_audited(storage: Storage) -> None:
    gift = await storage.guild_settings.add_custom_gift(
        G1, "  Golden Mic ", 250, actor_id=ADMIN, now=NOW
    )
    assert (gift.name, gift.coins, gift.creator_id, gift.created_at) == (
        "Golden Mic", 250, ADMIN, NOW,
    )  # fmt: skip
    await storage.guild_settings.add_custom_gift(G1, "Apple", 3, actor_id=OTHER)
    assert [g.name for g in await storage.guild_settings.list_custom_gifts(G1)] == [
        "Apple",
        "Golden Mic",
    ]
    with pytest.raises(AlreadyExists):
        await storage.guild_settings.add_custom_gift(G1, "golden mic", 9, actor_id=ADMIN)
    for coins in (0, -3, 10**9):
        with pytest.raises(OutOfRange):
            await storage.guild_settings.add_custom_gift(G1, "Odd", coins, actor_id=ADMIN)
    with pytest.raises(InvalidValue):
        await storage.guild_settings.add_custom_gift(G1, "bad\x07bell", 5, actor_id=ADMIN)
    await storage.guild_settings.remove_custom_gift(G1, "GOLDEN MIC", actor_id=OTHER)
    with pytest.raises(NotFound):
        await storage.guild_settings.remove_custom_gift(G1, "Golden Mic", actor_id=OTHER)
    assert [g.name for g in await storage.guild_settings.list_custom_gifts(G1)] == ["Apple"]
    history = await storage.guild_settings.settings_history(G1)
    assert [(r.key, r.actor_id, r.old_value, r.new_value) for r in history] == [
        ("custom_gift:Golden Mic", OTHER, "250", None),
        ("custom_gift:Apple", OTHER, None, "3"),
        ("custom_gift:Golden Mic", ADMIN, None, "250"),
    ]
    assert history[0].key == custom_gift_key("Golden Mic")
    assert profiles.custom_gift_key("Golden Mic") == custom_gift_key("Golden Mic")  # no drift


async def test_settings_are_per_guild(storage: Storage) -> None:
    await storage.guild_settings.change_settings(G1, {"preset": "guides"}, actor_id=ADMIN)
    await storage.guild_settings.change_settings(
        G1, {override_key("usd_per_diamond"): "0.01"}, actor_id=ADMIN
    )
    await storage.guild_settings.add_custom_gift(G1, "Local", 10, actor_id=ADMIN)
    assert await storage.guild_settings.get_settings(G2) == GuildSettings()
    assert await storage.guild_settings.settings_history(G2) == []
    assert await storage.guild_settings.list_custom_gifts(G2) == []
    await storage.guild_settings.add_custom_gift(
        G2, "local", 20, actor_id=OTHER
    )  # same name, other server
    with pytest.raises(NotFound):
        await storage.guild_settings.remove_custom_gift(G2, "Nope", actor_id=OTHER)
    await storage.guild_settings.remove_custom_gift(G2, "LOCAL", actor_id=OTHER)
    assert [g.coins for g in await storage.guild_settings.list_custom_gifts(G1)] == [10]
    assert (await storage.guild_settings.get_settings(G1)).preset == "guides"


async def test_several_settings_change_together_or_not_at_all(storage: Storage) -> None:
    await storage.guild_settings.change_settings(
        G1, {override_key("cashout_cut"): "0.3"}, ADMIN, now=NOW
    )
    await storage.guild_settings.change_settings(G1, {fx_key("IDR"): "16000"}, ADMIN, now=NOW)
    with pytest.raises(InvalidValue):
        await storage.guild_settings.change_settings(
            G1, {override_key("cashout_cut"): None, "currency": "not a currency"}, ADMIN
        )
    untouched = await storage.guild_settings.get_settings(G1)
    assert (
        untouched.overrides == {"cashout_cut": "0.3"}
        and len(await storage.guild_settings.settings_history(G1)) == 2
    )

    rows = await storage.guild_settings.change_settings(
        G1, {override_key("cashout_cut"): None, fx_key("IDR"): None}, ADMIN, now=NOW
    )
    assert [(r.old_value, r.new_value) for r in rows] == [("0.3", None), ("16000", None)]
    cleared = await storage.guild_settings.get_settings(G1)
    assert cleared.overrides == {} and cleared.fx_overrides == {}
    assert len(await storage.guild_settings.settings_history(G1)) == 4


async def test_a_chosen_preset_keeps_its_choice_under_the_new_name(tmp_path: Path) -> None:
    """V002 renamed the presets: a server that chose `seed` is on `guides`, one that chose
    `one-to-one` is on `tiktok`; a server that never chose follows the default."""
    from economy.catalog import default_catalog
    from economy.profiles import Profiles
    from economy.rates import DEFAULT_PRESET, default_presets
    from economy.storage.sqlite.migrations import load_migrations, migrate

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, path, load_migrations()[:1])  # a database written before the rename
    db.executemany(
        "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, 'preset', ?)",
        [(G1, "seed"), (G2, "one-to-one")],
    )
    db.execute(
        "INSERT INTO config_audit (guild_id, actor_id, key, old_value, new_value, created_at)"
        " VALUES (?, ?, 'preset', NULL, 'seed', ?)",
        (G1, ADMIN, NOW.isoformat()),
    )
    db.close()
    async with await SqliteStorage.open(path) as storage:
        settings = storage.guild_settings
        assert (await settings.get_settings(G1)).preset == "guides"
        assert (await settings.get_settings(G2)).preset == "tiktok"
        assert (await settings.get_settings(7003)).preset is None
        assert [row.new_value for row in await settings.settings_history(G1)] == ["guides"]
        chosen = Profiles(settings, default_catalog(), default_presets())
        assert (await chosen.get(G1)).rates.preset == "guides"
        assert (await chosen.get(G2)).rates.preset == "tiktok"
        assert (await chosen.get(7003)).rates.preset == DEFAULT_PRESET == "tiktok"
