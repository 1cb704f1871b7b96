"""SQL, row readers and reads of a server's settings, their audit trail and its custom gifts
that both backends share (see `queries`).

Both backends run these statements, PostgreSQL's numbered, so settings, gifts and history
read and order alike, and a change and its audit row are written by the same steps in one
transaction. Parameters differ only in type: SQLite takes timestamps as ISO text, PostgreSQL
as datetimes; rows come back either way and the readers take both. The reads are written
once (`SettingsReads`); each backend adds only its writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from types import MappingProxyType

from economy.errors import NotFound
from economy.limits import MAX_CUSTOM_GIFTS, MAX_GIFT_COINS
from economy.names import clean_name, name_key
from economy.storage.checks import check_new_name, check_page, check_range
from economy.storage.guild_settings import Changes
from economy.storage.keys import (
    FX_PREFIX,
    KEY_CURRENCY,
    KEY_LEADERBOARD_ENABLED,
    KEY_PRESET,
    KEY_TALLY_OTHERS,
    OVERRIDE_PREFIX,
    check_config,
)
from economy.storage.queries import Row, moment
from economy.storage.reads import SharedReads
from economy.storage.records import AuditRow, CustomGift, GuildSettings, StoredSettings

AUDIT_COLUMNS = "id, guild_id, actor_id, key, old_value, new_value, created_at"
GIFT_COLUMNS = "name, coins, creator_id, created_at"

# -- reads -------------------------------------------------------------------------------------

SETTINGS = "SELECT key, value FROM guild_settings WHERE guild_id = ?"
CUSTOM_GIFTS = f"SELECT {GIFT_COLUMNS} FROM custom_gifts WHERE guild_id = ? ORDER BY name_key"
RECENT_CHANGES = (
    "SELECT key, created_at FROM config_audit WHERE guild_id = ? ORDER BY id DESC LIMIT ?"
)
HISTORY = f"SELECT {AUDIT_COLUMNS} FROM config_audit WHERE guild_id = ? ORDER BY id DESC LIMIT ?"

# -- writes ------------------------------------------------------------------------------------

# A setting set: its old value read first (SETTING), then the upsert. A setting cleared: its
# old value comes back from the removal (no row: it was not set).
SETTING = "SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?"
PUT_SETTING = (
    "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?)"
    " ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value"
)
CLEAR_SETTING = "DELETE FROM guild_settings WHERE guild_id = ? AND key = ? RETURNING value"
# Params: guild, actor, key, old value, new value, the moment.
ADD_AUDIT = (
    f"INSERT INTO config_audit (guild_id, actor_id, key, old_value, new_value, created_at)"
    f" VALUES (?, ?, ?, ?, ?, ?) RETURNING {AUDIT_COLUMNS}"
)
GIFT_NAMES = "SELECT name, name_key FROM custom_gifts WHERE guild_id = ?"
ADD_GIFT = (
    "INSERT INTO custom_gifts (guild_id, name_key, name, coins, creator_id, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
REMOVE_GIFT = (
    f"DELETE FROM custom_gifts WHERE guild_id = ? AND name_key = ? RETURNING {GIFT_COLUMNS}"
)


# -- checks and rows ---------------------------------------------------------------------------


def check_changes(changes: Changes) -> None:
    """Every key known and every value of its shape, before anything is written."""
    for key, value in changes.items():
        check_config(key, value)


def new_gift(name: str, coins: int) -> tuple[str, str]:
    """A new custom gift's name as typed (cleaned) and its key; BadName or OutOfRange when
    refused."""
    clean = clean_name(name, "gift name")
    check_range("coins", coins, 1, MAX_GIFT_COINS)
    return clean, name_key(clean)


def check_gift_name(names: Sequence[Sequence[str]], clean: str) -> None:
    """A new gift's name among GIFT_NAMES rows: taken, look-alike, or past the server's cap."""
    check_new_name(names, clean, "custom gift", ("custom gifts", MAX_CUSTOM_GIFTS))


def removed_gift(row: Row | None, name: str) -> CustomGift:
    """The gift REMOVE_GIFT removed; NotFound when there was none by that name."""
    if row is None:
        raise NotFound("custom gift", name.strip())
    return custom_gift_from(row)


def audit_from(row: Row) -> AuditRow:
    """An AuditRow from AUDIT_COLUMNS."""
    return AuditRow(row[0], row[1], row[2], row[3], row[4], row[5], moment(row[6]))


def custom_gift_from(row: Row) -> CustomGift:
    """A CustomGift from GIFT_COLUMNS (name, coins, creator_id, created_at)."""
    return CustomGift(row[0], row[1], row[2], moment(row[3]))


def settings_from(rows: Iterable[Row]) -> GuildSettings:
    """Build GuildSettings from (key, value) rows."""
    plain: dict[str, str] = {}
    overrides: dict[str, str] = {}
    fx: dict[str, str] = {}
    for key, value in rows:
        if key.startswith(OVERRIDE_PREFIX):
            overrides[key.removeprefix(OVERRIDE_PREFIX)] = value
        elif key.startswith(FX_PREFIX):
            fx[key.removeprefix(FX_PREFIX)] = value
        else:
            plain[key] = value
    return GuildSettings(
        preset=plain.get(KEY_PRESET),
        overrides=MappingProxyType(overrides),
        currency=plain.get(KEY_CURRENCY),
        fx_overrides=MappingProxyType(fx),
        tally_others="everyone" if plain.get(KEY_TALLY_OTHERS) == "everyone" else "managers",
        leaderboard_enabled=plain.get(KEY_LEADERBOARD_ENABLED, "true") == "true",
    )


def set_on_from(rows: Iterable[Row]) -> MappingProxyType[str, datetime]:
    """Setting key -> its newest change, from RECENT_CHANGES rows (newest first)."""
    set_on: dict[str, datetime] = {}
    for key, created_at in rows:
        set_on.setdefault(key, moment(created_at))
    return MappingProxyType(set_on)


# -- the reads ---------------------------------------------------------------------------------


class SettingsReads(SharedReads):
    """The reads of `GuildSettingsStore`, the same on both backends; each backend adds its
    writes."""

    async def get_settings(self, guild_id: int) -> GuildSettings:
        return settings_from(await self._read(SETTINGS, guild_id))

    async def stored_settings(self, guild_id: int, dated: int = 100) -> StoredSettings:
        check_page(0, dated)
        async with self._reader.snapshot() as session:
            rows = await session.rows(self._sql(SETTINGS), (guild_id,))
            gifts = await session.rows(self._sql(CUSTOM_GIFTS), (guild_id,))
            changes = await session.rows(self._sql(RECENT_CHANGES), (guild_id, dated))
        return StoredSettings(
            settings_from(rows), tuple(custom_gift_from(g) for g in gifts), set_on_from(changes)
        )

    async def settings_history(self, guild_id: int, limit: int = 20) -> list[AuditRow]:
        check_page(0, limit)
        return [audit_from(row) for row in await self._read(HISTORY, guild_id, limit)]

    async def list_custom_gifts(self, guild_id: int) -> list[CustomGift]:
        return [custom_gift_from(row) for row in await self._read(CUSTOM_GIFTS, guild_id)]
