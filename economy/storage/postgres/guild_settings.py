"""`PostgresGuildSettings`: per-server settings as key -> text, audited, and custom gifts.

Each write takes the server's settings lock first, so an audit row's old value is the value
it replaced even when two managers change settings at once, and the custom gift cap holds.
The statements, checks, readers and reads are SQLite's (`economy.storage.settings_queries`,
numbered); timestamps are passed as datetimes, for TIMESTAMPTZ columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from economy.names import name_key
from economy.storage import settings_queries as sq
from economy.storage.guild_settings import Changes
from economy.storage.keys import custom_gift_key
from economy.storage.periods import as_utc
from economy.storage.postgres.connection import Connection, Database, lock
from economy.storage.queries import numbered
from economy.storage.records import AuditRow, CustomGift


async def _audit(conn: Connection, change: tuple[Any, ...], now: datetime | None) -> AuditRow:
    """Append the audit row of `change` (guild, actor, key, old, new) inside the caller's
    write."""
    return sq.audit_from(await conn.fetchrow(numbered(sq.ADD_AUDIT), *change, as_utc(now)))


class PostgresGuildSettings(sq.SettingsReads):
    """The `GuildSettingsStore` protocol on PostgreSQL: the shared reads, and the writes."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, numbered)
        self._db = db

    async def change_settings(
        self, guild_id: int, changes: Changes, actor_id: int, now: datetime | None = None
    ) -> list[AuditRow]:
        sq.check_changes(changes)

        async def write(conn: Connection) -> list[AuditRow]:
            await lock(conn, "settings", guild_id)
            rows: list[AuditRow] = []
            for key, value in changes.items():
                if value is None:
                    old = await conn.fetchval(numbered(sq.CLEAR_SETTING), guild_id, key)
                else:
                    old = await conn.fetchval(numbered(sq.SETTING), guild_id, key)
                    await conn.execute(numbered(sq.PUT_SETTING), guild_id, key, value)
                rows.append(await _audit(conn, (guild_id, actor_id, key, old, value), now))
            return rows

        return await self._db.write(write)

    async def add_custom_gift(
        self, guild_id: int, name: str, coins: int, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        clean, key = sq.new_gift(name, coins)
        moment = as_utc(now)

        async def write(conn: Connection) -> None:
            await lock(conn, "settings", guild_id)
            sq.check_gift_name(await conn.fetch(numbered(sq.GIFT_NAMES), guild_id), clean)
            params = (guild_id, key, clean, coins, actor_id, moment)
            await conn.execute(numbered(sq.ADD_GIFT), *params)
            change = (guild_id, actor_id, custom_gift_key(clean), None, str(coins))
            await _audit(conn, change, moment)

        await self._db.write(write)
        return CustomGift(clean, coins, actor_id, moment)

    async def remove_custom_gift(
        self, guild_id: int, name: str, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        async def write(conn: Connection) -> CustomGift:
            await lock(conn, "settings", guild_id)
            row = await conn.fetchrow(numbered(sq.REMOVE_GIFT), guild_id, name_key(name))
            gift = sq.removed_gift(row, name)
            key = custom_gift_key(gift.name)
            await _audit(conn, (guild_id, actor_id, key, str(gift.coins), None), now)
            return gift

        return await self._db.write(write)
