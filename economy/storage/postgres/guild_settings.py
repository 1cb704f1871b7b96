"""`PostgresGuildSettings`: per-server settings as key -> text, audited, and custom gifts.

Each write takes the server's settings lock first, so an audit row's old value is the value
it replaced even when two managers change settings at once, and the custom gift cap holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from economy.errors import NotFound
from economy.limits import MAX_CUSTOM_GIFTS, MAX_GIFT_COINS
from economy.names import clean_name, name_key
from economy.storage.checks import check_new_name, check_page, check_range
from economy.storage.keys import check_config, custom_gift_key
from economy.storage.periods import as_utc
from economy.storage.postgres.connection import Connection, Database, lock
from economy.storage.queries import (
    AUDIT_COLUMNS,
    CUSTOM_GIFTS,
    RECENT_CHANGES,
    SETTINGS,
    audit_from,
    custom_gift_from,
    numbered,
    set_on_from,
    settings_from,
)
from economy.storage.records import AuditRow, CustomGift, GuildSettings, StoredSettings


async def _append_audit(
    conn: Connection,
    guild_id: int,
    actor_id: int,
    key: str,
    old: str | None,
    new: str | None,
    now: datetime | None,
) -> AuditRow:
    """Append an audit row inside the caller's write."""
    moment = as_utc(now)
    audit_id: int = await conn.fetchval(
        "INSERT INTO config_audit (guild_id, actor_id, key, old_value, new_value, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        guild_id, actor_id, key, old, new, moment,
    )  # fmt: skip
    return AuditRow(audit_id, guild_id, actor_id, key, old, new, moment)


class PostgresGuildSettings:
    """The `GuildSettingsStore` protocol on PostgreSQL."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get_settings(self, guild_id: int) -> GuildSettings:
        """The server's settings (defaults where unset)."""
        return settings_from(await self._db.read(numbered(SETTINGS), (guild_id,)))

    async def stored_settings(self, guild_id: int, dated: int = 100) -> StoredSettings:
        """Settings, custom gifts and the newest change of each recently changed key."""
        check_page(0, dated)
        async with self._db.snapshot() as session:
            rows = await session.rows(numbered(SETTINGS), (guild_id,))
            gifts = await session.rows(numbered(CUSTOM_GIFTS), (guild_id,))
            changes = await session.rows(numbered(RECENT_CHANGES), (guild_id, dated))
        return StoredSettings(
            settings_from(rows), tuple(custom_gift_from(g) for g in gifts), set_on_from(changes)
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

        async def write(conn: Connection) -> list[AuditRow]:
            await lock(conn, "settings", guild_id)
            rows: list[AuditRow] = []
            for key, value in changes.items():
                if value is None:
                    old = await conn.fetchval(
                        "DELETE FROM guild_settings WHERE guild_id = $1 AND key = $2"
                        " RETURNING value",
                        guild_id,
                        key,
                    )
                else:
                    old = await conn.fetchval(
                        "SELECT value FROM guild_settings WHERE guild_id = $1 AND key = $2",
                        guild_id,
                        key,
                    )
                    await conn.execute(
                        "INSERT INTO guild_settings (guild_id, key, value) VALUES ($1, $2, $3)"
                        " ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value",
                        guild_id,
                        key,
                        value,
                    )
                rows.append(await _append_audit(conn, guild_id, actor_id, key, old, value, now))
            return rows

        return await self._db.write(write)

    async def settings_history(self, guild_id: int, limit: int = 20) -> list[AuditRow]:
        """Latest audit rows of the server, newest first."""
        check_page(0, limit)
        rows = await self._db.read(
            f"SELECT {AUDIT_COLUMNS} FROM config_audit WHERE guild_id = $1"
            " ORDER BY id DESC LIMIT $2",
            (guild_id, limit),
        )
        return [audit_from(row) for row in rows]

    async def add_custom_gift(
        self, guild_id: int, name: str, coins: int, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        """Add a server-only gift and audit it; refused when taken, look-alike or past the cap."""
        clean = clean_name(name, "gift name")
        check_range("coins", coins, 1, MAX_GIFT_COINS)
        key = name_key(clean)
        moment = as_utc(now)

        async def write(conn: Connection) -> None:
            await lock(conn, "settings", guild_id)
            names = await conn.fetch(
                "SELECT name, name_key FROM custom_gifts WHERE guild_id = $1", guild_id
            )
            check_new_name(names, clean, "custom gift", ("custom gifts", MAX_CUSTOM_GIFTS))
            await conn.execute(
                "INSERT INTO custom_gifts (guild_id, name_key, name, coins, creator_id,"
                " created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                guild_id, key, clean, coins, actor_id, moment,
            )  # fmt: skip
            await _append_audit(
                conn, guild_id, actor_id, custom_gift_key(clean), None, str(coins), moment
            )

        await self._db.write(write)
        return CustomGift(clean, coins, actor_id, moment)

    async def remove_custom_gift(
        self, guild_id: int, name: str, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        """Remove a server-only gift and audit it; NotFound when missing."""

        async def write(conn: Connection) -> CustomGift:
            await lock(conn, "settings", guild_id)
            removed = await conn.fetchrow(
                "DELETE FROM custom_gifts WHERE guild_id = $1 AND name_key = $2"
                " RETURNING name, coins, creator_id, created_at",
                guild_id,
                name_key(name),
            )
            if removed is None:
                raise NotFound("custom gift", name.strip())
            key = custom_gift_key(removed[0])
            await _append_audit(conn, guild_id, actor_id, key, str(removed[1]), None, now)
            return custom_gift_from(removed)

        return await self._db.write(write)

    async def list_custom_gifts(self, guild_id: int) -> list[CustomGift]:
        """The server's custom gifts, by name."""
        rows = await self._db.read(numbered(CUSTOM_GIFTS), (guild_id,))
        return [custom_gift_from(row) for row in rows]
