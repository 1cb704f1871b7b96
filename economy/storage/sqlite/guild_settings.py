"""`SqliteGuildSettings`: per-server settings as key -> text, audited, and custom gifts."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime

from economy.errors import NotFound
from economy.limits import MAX_CUSTOM_GIFTS, MAX_GIFT_COINS
from economy.names import clean_name, name_key
from economy.storage.checks import check_new_name, check_page, check_range
from economy.storage.keys import check_config, custom_gift_key
from economy.storage.periods import as_utc
from economy.storage.queries import (
    AUDIT_COLUMNS,
    CUSTOM_GIFTS,
    RECENT_CHANGES,
    SETTINGS,
    set_on_from,
    settings_from,
)
from economy.storage.queries import audit_from as _audit
from economy.storage.queries import custom_gift_from as _custom_gift
from economy.storage.records import AuditRow, CustomGift, GuildSettings, StoredSettings
from economy.storage.sqlite.connection import Database

__all__ = ["SqliteGuildSettings", "settings_from"]


def _append_audit(
    db: sqlite3.Connection,
    guild_id: int,
    actor_id: int,
    key: str,
    old: str | None,
    new: str | None,
    now: datetime | None,
) -> AuditRow:
    """Append an audit row inside the caller's write."""
    moment = as_utc(now)
    (audit_id,) = db.execute(
        "INSERT INTO config_audit (guild_id, actor_id, key, old_value, new_value, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        (guild_id, actor_id, key, old, new, moment.isoformat()),
    ).fetchone()
    return AuditRow(audit_id, guild_id, actor_id, key, old, new, moment)


class SqliteGuildSettings:
    """The `GuildSettingsStore` protocol on SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_settings(self, guild_id: int) -> GuildSettings:
        """The server's settings (defaults where unset)."""
        return settings_from(await self._db.read(SETTINGS, (guild_id,)))

    async def stored_settings(self, guild_id: int, dated: int = 100) -> StoredSettings:
        """Settings, custom gifts and the newest change of each recently changed key."""
        check_page(0, dated)
        async with self._db.snapshot() as session:
            rows = await session.rows(SETTINGS, (guild_id,))
            gifts = await session.rows(CUSTOM_GIFTS, (guild_id,))
            changes = await session.rows(RECENT_CHANGES, (guild_id, dated))
        return StoredSettings(
            settings_from(rows), tuple(_custom_gift(g) for g in gifts), set_on_from(changes)
        )

    async def change_settings(
        self,
        guild_id: int,
        changes: Mapping[str, str | None],
        actor_id: int,
        now: datetime | None = None,
    ) -> list[AuditRow]:
        """Set or clear several settings, each audited, all in one transaction (or none)."""
        for key, value in changes.items():
            check_config(key, value)

        def write(db: sqlite3.Connection) -> list[AuditRow]:
            rows: list[AuditRow] = []
            for key, value in changes.items():
                old = db.execute(
                    "SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?",
                    (guild_id, key),
                ).fetchone()
                if value is None:
                    db.execute(
                        "DELETE FROM guild_settings WHERE guild_id = ? AND key = ?",
                        (guild_id, key),
                    )
                else:
                    db.execute(
                        "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?)"
                        " ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value",
                        (guild_id, key, value),
                    )
                previous = old[0] if old else None
                rows.append(_append_audit(db, guild_id, actor_id, key, previous, value, now))
            return rows

        return await self._db.write(write)

    async def settings_history(self, guild_id: int, limit: int = 20) -> list[AuditRow]:
        """Latest audit rows of the server, newest first."""
        check_page(0, limit)
        rows = await self._db.read(
            f"SELECT {AUDIT_COLUMNS} FROM config_audit WHERE guild_id = ? ORDER BY id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [_audit(row) for row in rows]

    async def add_custom_gift(
        self, guild_id: int, name: str, coins: int, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        """Add a server-only gift and audit it; refused when taken, look-alike or past the cap."""
        clean = clean_name(name, "gift name")
        check_range("coins", coins, 1, MAX_GIFT_COINS)
        key = name_key(clean)
        moment = as_utc(now)

        def write(db: sqlite3.Connection) -> None:
            names = db.execute(
                "SELECT name, name_key FROM custom_gifts WHERE guild_id = ?", (guild_id,)
            ).fetchall()
            check_new_name(names, clean, "custom gift", ("custom gifts", MAX_CUSTOM_GIFTS))
            db.execute(
                "INSERT INTO custom_gifts (guild_id, name_key, name, coins, creator_id,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (guild_id, key, clean, coins, actor_id, moment.isoformat()),
            )
            _append_audit(db, guild_id, actor_id, custom_gift_key(clean), None, str(coins), moment)

        await self._db.write(write)
        return CustomGift(clean, coins, actor_id, moment)

    async def remove_custom_gift(
        self, guild_id: int, name: str, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        """Remove a server-only gift and audit it; NotFound when missing."""

        def write(db: sqlite3.Connection) -> CustomGift:
            removed = db.execute(
                "DELETE FROM custom_gifts WHERE guild_id = ? AND name_key = ?"
                " RETURNING name, coins, creator_id, created_at",
                (guild_id, name_key(name)),
            ).fetchone()
            if removed is None:
                raise NotFound("custom gift", name.strip())
            key = custom_gift_key(removed[0])
            _append_audit(db, guild_id, actor_id, key, str(removed[1]), None, now)
            return _custom_gift(tuple(removed))

        return await self._db.write(write)

    async def list_custom_gifts(self, guild_id: int) -> list[CustomGift]:
        """The server's custom gifts, by name."""
        rows = await self._db.read(CUSTOM_GIFTS, (guild_id,))
        return [_custom_gift(row) for row in rows]
