"""`SqliteGuildSettings`: per-server settings as key -> text, audited, and custom gifts.

SQLite has one writer at a time, so an audit row's old value is the value it replaced and the
custom gift cap holds. The statements, checks, readers and reads are the shared ones
(`economy.storage.settings_queries`); timestamps are written as ISO text, as SQLite keeps them.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from economy.names import name_key
from economy.storage import settings_queries as sq
from economy.storage.guild_settings import Changes
from economy.storage.keys import custom_gift_key
from economy.storage.periods import as_utc
from economy.storage.records import AuditRow, CustomGift
from economy.storage.sqlite.connection import Database


def _audit(db: sqlite3.Connection, change: tuple[Any, ...], now: datetime | None) -> AuditRow:
    """Append the audit row of `change` (guild, actor, key, old, new) inside the caller's
    write."""
    row = db.execute(sq.ADD_AUDIT, (*change, as_utc(now).isoformat())).fetchone()
    return sq.audit_from(row)


class SqliteGuildSettings(sq.SettingsReads):
    """The `GuildSettingsStore` protocol on SQLite: the shared reads, and the writes."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._db = db

    async def change_settings(
        self, guild_id: int, changes: Changes, actor_id: int, now: datetime | None = None
    ) -> list[AuditRow]:
        sq.check_changes(changes)

        def write(db: sqlite3.Connection) -> list[AuditRow]:
            rows: list[AuditRow] = []
            for key, value in changes.items():
                if value is None:
                    old = db.execute(sq.CLEAR_SETTING, (guild_id, key)).fetchone()
                else:
                    old = db.execute(sq.SETTING, (guild_id, key)).fetchone()
                    db.execute(sq.PUT_SETTING, (guild_id, key, value))
                previous = old[0] if old else None
                rows.append(_audit(db, (guild_id, actor_id, key, previous, value), now))
            return rows

        return await self._db.write(write)

    async def add_custom_gift(
        self, guild_id: int, name: str, coins: int, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        clean, key = sq.new_gift(name, coins)
        moment = as_utc(now)

        def write(db: sqlite3.Connection) -> None:
            sq.check_gift_name(db.execute(sq.GIFT_NAMES, (guild_id,)).fetchall(), clean)
            db.execute(sq.ADD_GIFT, (guild_id, key, clean, coins, actor_id, moment.isoformat()))
            _audit(db, (guild_id, actor_id, custom_gift_key(clean), None, str(coins)), moment)

        await self._db.write(write)
        return CustomGift(clean, coins, actor_id, moment)

    async def remove_custom_gift(
        self, guild_id: int, name: str, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        def write(db: sqlite3.Connection) -> CustomGift:
            row = db.execute(sq.REMOVE_GIFT, (guild_id, name_key(name))).fetchone()
            gift = sq.removed_gift(row, name)
            key = custom_gift_key(gift.name)
            _audit(db, (guild_id, actor_id, key, str(gift.coins), None), now)
            return gift

        return await self._db.write(write)
