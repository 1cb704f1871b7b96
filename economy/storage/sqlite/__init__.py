"""`SqliteStorage`: the storage protocols on one SQLite file (the embedded default).

One module per aggregate (`ledger`, `groups`, `guild_settings`) over one `Database`
(`connection`), with numbered `migrations` and whole-file `maintenance`.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from importlib.resources.abc import Traversable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from economy.storage.sqlite.connection import (
    DEFAULT_BUSY_TIMEOUT_MS,
    Database,
    Session,
    connect,
    storage_error,
)
from economy.storage.sqlite.groups import SqliteGroups
from economy.storage.sqlite.guild_settings import SqliteGuildSettings
from economy.storage.sqlite.ledger import SqliteLedger
from economy.storage.sqlite.maintenance import backup_database, verify_session
from economy.storage.sqlite.migrations import load_migrations, migrate

if TYPE_CHECKING:
    from economy.storage.store import Storage

__all__ = ["SqliteStorage", "backup_database", "load_migrations"]


class SqliteStorage:
    """Tallies, groups and settings in one SQLite file. ``await SqliteStorage.open(path)``."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.path = db.path
        self._ledger = SqliteLedger(db)
        self._groups = SqliteGroups(db)
        self._guild_settings = SqliteGuildSettings(db)

    @property
    def ledger(self) -> SqliteLedger:
        return self._ledger

    @property
    def groups(self) -> SqliteGroups:
        return self._groups

    @property
    def guild_settings(self) -> SqliteGuildSettings:
        return self._guild_settings

    @classmethod
    async def open(
        cls,
        path: str | os.PathLike[str],
        *,
        migrations: Traversable | Path | None = None,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> Self:
        """Open (creating folders and file as needed) and bring the schema up to date.

        `migrations` is a folder of ``V###__name.sql`` files (default: the packaged ones).
        """
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        plan = load_migrations(migrations)
        try:
            writer = await connect(file, busy_timeout_ms, reader=False)
        except sqlite3.Error as exc:
            raise storage_error(exc) from exc
        try:
            await migrate(writer, file, plan)
            reader = await connect(file, busy_timeout_ms, reader=True)
        except sqlite3.Error as exc:
            await writer.close()
            raise storage_error(exc) from exc
        except BaseException:
            await writer.close()
            raise
        return cls(Database(file, writer, reader, busy_timeout_ms))

    async def close(self) -> None:
        """Close both connections (idempotent)."""
        await self._db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def verify(self) -> list[str]:
        """Check the whole file; returns problems (empty = healthy). Scans everything: slow.

        Runs ``PRAGMA integrity_check`` and ``foreign_key_check`` and recomputes every total
        from the active ledger, comparing with user_totals and gift_totals. Uses its own
        short-lived connection (one snapshot), so the bot's reads and writes go on meanwhile.
        """
        try:
            db = await connect(self.path, self._db.busy_timeout_ms, reader=True)
            try:
                return await verify_session(Session(db))
            finally:
                await db.close()
        except sqlite3.Error as exc:
            raise storage_error(exc) from exc

    async def backup(self, target: str | os.PathLike[str]) -> None:
        """Copy the database (online backup API, one consistent snapshot) to `target`.

        Written to ``<target>.tmp`` first and renamed, so `target` is never half-written.
        """
        await asyncio.to_thread(backup_database, self.path, target)


if TYPE_CHECKING:  # static proof (checked by mypy) that SqliteStorage satisfies the protocol
    _conforms: type[Storage] = SqliteStorage
