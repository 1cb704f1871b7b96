"""`SqliteStorage`: the storage protocols on one SQLite file (the embedded default).

One module per aggregate (`ledger`, `groups`, `guild_settings`, `community`) over one `Database`
(`connection`: a group-committing writer and a reader), with numbered `migrations` and
whole-file `maintenance`.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Self

from economy.storage.errors import StorageMissing, StorageReadOnly
from economy.storage.sqlite.community import SqliteCommunity
from economy.storage.sqlite.connection import (
    DEFAULT_BUSY_TIMEOUT_MS,
    Database,
    FileIdentity,
    Session,
    Writer,
    configure,
    connect_reader,
    storage_error,
)
from economy.storage.sqlite.groups import SqliteGroups
from economy.storage.sqlite.guild_settings import SqliteGuildSettings
from economy.storage.sqlite.ledger import SqliteLedger, resume_interrupted
from economy.storage.sqlite.maintenance import backup_database, verify_session
from economy.storage.sqlite.migrations import (
    Migration,
    check_version,
    load_migrations,
    migrate,
)
from economy.storage.sqlite.reference_rates import SqliteReferenceRates
from economy.storage.store import ClosesOnExit

if TYPE_CHECKING:
    from economy.storage.store import Storage

__all__ = ["SqliteStorage", "backup_database", "load_migrations"]


def check_writable(file: Path) -> None:
    """StorageError naming the file or folder when the bot could not write there."""
    folder = file.parent
    if file.exists() and not os.access(file, os.W_OK):
        raise StorageReadOnly(
            f"{file} is read-only: make it writable, or point DATABASE_PATH elsewhere"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StorageReadOnly(
            f"the folder {folder} is read-only (SQLite writes its journal beside the database): "
            "make it writable, or point DATABASE_PATH elsewhere"
        )


def _prepare(
    file: Path, busy_timeout_ms: int, plan: list[Migration], *, create: bool
) -> FileIdentity:
    """Create (if allowed) or upgrade the schema; the identity of the file now at `file`."""
    if not file.exists():
        if not create:
            raise StorageMissing(f"there is no database at {file}")
        file.parent.mkdir(parents=True, exist_ok=True)
    check_writable(file)
    db = sqlite3.connect(file, isolation_level=None, timeout=busy_timeout_ms / 1000)
    try:
        check_version(db, file, plan)  # a newer file is left exactly as it is
        configure(db, busy_timeout_ms)
        migrate(db, file, plan)
    finally:
        db.close()
    return FileIdentity.of(file)


class SqliteStorage(ClosesOnExit):
    """Tallies, groups and settings in one SQLite file. ``await SqliteStorage.open(path)``."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.path = db.path
        self._ledger = SqliteLedger(db)
        self._groups = SqliteGroups(db)
        self._guild_settings = SqliteGuildSettings(db)
        self._community = SqliteCommunity(db)
        self._reference_rates = SqliteReferenceRates(db)

    @property
    def ledger(self) -> SqliteLedger:
        return self._ledger

    @property
    def groups(self) -> SqliteGroups:
        return self._groups

    @property
    def guild_settings(self) -> SqliteGuildSettings:
        return self._guild_settings

    @property
    def community(self) -> SqliteCommunity:
        return self._community

    @property
    def reference_rates(self) -> SqliteReferenceRates:
        return self._reference_rates

    @classmethod
    async def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        migrations: Traversable | Path | None = None,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> Self:
        """Open and bring the schema up to date; with `create`, make the file (and folders)
        when missing, else refuse with StorageMissing. A read-only file or folder is refused
        with a message naming it. `migrations` is a folder of ``V###__name.sql`` files."""
        file = Path(path)
        plan = load_migrations(migrations)
        try:
            identity = await asyncio.to_thread(_prepare, file, busy_timeout_ms, plan, create=create)
        except sqlite3.Error as exc:
            raise storage_error(exc) from exc
        writer = Writer(file, busy_timeout_ms, identity)
        try:
            await writer.start()
            reader = await connect_reader(file, busy_timeout_ms)
        except sqlite3.Error as exc:
            await writer.close()
            raise storage_error(exc) from exc
        except BaseException:
            await writer.close()
            raise
        storage = cls(Database(writer, reader, busy_timeout_ms))
        await resume_interrupted(storage._db)
        return storage

    async def close(self) -> None:
        """Finish queued writes and close both connections (idempotent)."""
        await self._db.close()

    async def verify(self) -> list[str]:
        """Check the whole file; returns problems (empty = healthy). Scans everything: slow.

        Runs ``PRAGMA integrity_check`` and ``foreign_key_check`` and recomputes every total
        from the active ledger. Uses its own short-lived connection (one snapshot), so the
        bot's reads and writes go on meanwhile.
        """
        try:
            db = await connect_reader(self.path, self._db.busy_timeout_ms)
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
