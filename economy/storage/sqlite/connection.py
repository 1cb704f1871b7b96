"""One SQLite file through aiosqlite: a writer and a query-only reader, each behind a lock.

Every use of a connection holds that connection's asyncio.Lock, so coroutines never share a
transaction: a multi-statement write runs BEGIN IMMEDIATE ... COMMIT/ROLLBACK under the
writer lock, and readers (WAL snapshots) only ever see committed data. sqlite3 errors come
out as `StorageError` subclasses, so `StorageBusy` / `StorageFull` always mean that nothing
of the transaction was kept.

PRAGMAs: journal_mode=WAL, synchronous=NORMAL (in WAL mode this never corrupts the file and
loses nothing when the process dies; only an OS crash or power cut may drop the last
commits), foreign_keys=ON, busy_timeout.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import aiosqlite

from economy.storage.errors import StorageBusy, StorageError, StorageFull

DEFAULT_BUSY_TIMEOUT_MS = 5000

Params = Sequence[Any]
Row = tuple[Any, ...]

_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_FULL = 5, 6, 13


def storage_error(exc: sqlite3.Error) -> StorageError:
    """Map an sqlite3 error to StorageBusy / StorageFull / StorageError."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    message = str(exc)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in message:
        return StorageBusy(f"the database is busy, try again ({message})")
    if code == _SQLITE_FULL or "database or disk is full" in message:
        return StorageFull(f"the disk is full, nothing was saved ({message})")
    return StorageError(f"database error: {message}")


class Session:
    """Statements on one connection whose lock the caller already holds."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def rows(self, sql: str, params: Params = ()) -> list[Row]:
        """All result rows of one statement."""
        result: Iterable[sqlite3.Row] = await self._db.execute_fetchall(sql, params)
        return [tuple(row) for row in result]

    async def row(self, sql: str, params: Params = ()) -> Row | None:
        """The first result row, or None."""
        rows = await self.rows(sql, params)
        return rows[0] if rows else None

    async def one(self, sql: str, params: Params = ()) -> Row:
        """The single result row of a statement that always returns one (RETURNING, COUNT)."""
        row = await self.row(sql, params)
        if row is None:
            raise StorageError(f"expected a row from: {sql[:60]}")
        return row

    async def run(self, sql: str, params: Params = ()) -> int:
        """Execute a write; returns the number of rows it changed."""
        cursor = await self._db.execute(sql, params)
        return cursor.rowcount

    async def rollback(self) -> None:
        """Roll back if a transaction is open (SQLite may already have done so)."""
        with suppress(sqlite3.Error):
            await self._db.execute("ROLLBACK")


@asynccontextmanager
async def _atomic(
    lock: asyncio.Lock, db: aiosqlite.Connection, begin: str
) -> AsyncIterator[Session]:
    """`begin` ... COMMIT on `db` while holding its `lock`; any failure rolls back first."""
    async with lock:
        session = Session(db)
        try:
            await session.run(begin)
            yield session
            await session.run("COMMIT")
        except sqlite3.Error as exc:
            await session.rollback()
            raise storage_error(exc) from exc
        except BaseException:
            await session.rollback()
            raise


async def connect(path: Path, busy_timeout_ms: int, *, reader: bool) -> aiosqlite.Connection:
    """Open one configured connection in autocommit mode (transactions are explicit)."""
    db = await aiosqlite.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
    try:
        await db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        await db.execute("PRAGMA foreign_keys = ON")
        await db.execute("PRAGMA synchronous = NORMAL")
        await db.execute("PRAGMA cache_size = -16384")
        if reader:
            await db.execute("PRAGMA query_only = ON")
        else:
            (mode,) = next(iter(await db.execute_fetchall("PRAGMA journal_mode = WAL")))
            if str(mode).lower() != "wal":
                raise StorageError(f"{path}: cannot use WAL journal mode (got {mode!r})")
    except BaseException:
        await db.close()
        raise
    return db


class Database:
    """The writer and reader connections of one file, and the ways to use them."""

    def __init__(
        self,
        path: Path,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._writer = writer
        self._reader = reader
        self._write_lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._closed = False

    def transaction(self) -> AbstractAsyncContextManager[Session]:
        """BEGIN IMMEDIATE ... COMMIT under the writer lock; any failure rolls back."""
        return _atomic(self._write_lock, self._writer, "BEGIN IMMEDIATE")

    async def write_one(self, sql: str, params: Params) -> list[Row]:
        """One statement as its own atomic (autocommit) transaction under the writer lock."""
        async with self._write_lock:
            session = Session(self._writer)
            try:
                return await session.rows(sql, params)
            except sqlite3.Error as exc:
                await session.rollback()
                raise storage_error(exc) from exc

    def snapshot(self) -> AbstractAsyncContextManager[Session]:
        """Several reads from one committed snapshot (a read transaction on the reader)."""
        return _atomic(self._read_lock, self._reader, "BEGIN")

    async def read(self, sql: str, params: Params) -> list[Row]:
        """One read statement on the reader connection (committed data only)."""
        async with self._read_lock:
            try:
                return await Session(self._reader).rows(sql, params)
            except sqlite3.Error as exc:
                raise storage_error(exc) from exc

    async def close(self) -> None:
        """Close both connections (idempotent)."""
        if self._closed:
            return
        self._closed = True
        async with self._write_lock, self._read_lock:
            with suppress(sqlite3.Error):
                await self._writer.execute("PRAGMA optimize")
            await self._reader.close()
            await self._writer.close()
