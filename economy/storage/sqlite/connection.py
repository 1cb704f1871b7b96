"""One SQLite file: a group-committing writer thread and a query-only reader.

Writes are functions of a `sqlite3.Connection` handed to `Database.write`. One thread owns the
write connection; every write queued while it works joins the next batch, and a batch is ONE
transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``) with ``synchronous=FULL``: each caller is
released only after the commit that holds its write is on disk, so an answered write survives
a power cut, and a hundred concurrent writes cost one fsync. Each write runs inside its own
savepoint, so one failing write (a refusal, a constraint) rolls back alone.

A write that has not started by its start deadline (`write_deadline`, set per interaction by
the bot) is dropped with `StorageBusy`: nothing of it is written. Before each batch the writer
checks that the file it opened is still the file at its path; if it vanished or was replaced
the batch fails with `StorageGone` and nothing more is written.

Reads run on an aiosqlite connection in query-only mode (WAL snapshots: committed data only).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import aiosqlite

from economy.errors import LimitReached
from economy.limits import MAX_MEMBER_DIAMONDS
from economy.storage.deadlines import WriteDeadline, write_deadline
from economy.storage.errors import (
    StorageBusy,
    StorageError,
    StorageFull,
    StorageGone,
    StorageReadOnly,
)

DEFAULT_BUSY_TIMEOUT_MS = 10_000
MAX_BATCH = 500

Params = Sequence[Any]
Row = tuple[Any, ...]
T = TypeVar("T")
Work = Callable[[sqlite3.Connection], T]

_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_FULL, _SQLITE_READONLY = 5, 6, 13, 8
log = logging.getLogger(__name__)


def storage_error(exc: sqlite3.Error) -> StorageError:
    """Map an sqlite3 error to StorageBusy / StorageFull / StorageError."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    message = str(exc)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in message:
        return StorageBusy(f"the database is busy, try again ({message})")
    if code == _SQLITE_FULL or "database or disk is full" in message:
        return StorageFull(f"the disk is full, nothing was saved ({message})")
    if code == _SQLITE_READONLY or "readonly database" in message:
        return StorageReadOnly(f"the database is read-only, nothing was saved ({message})")
    return StorageError(f"database error: {message}")


def refusal(exc: sqlite3.Error) -> Exception:
    """A cap the schema enforces inside the write, as the user's refusal; else the error."""
    message = str(exc)
    if "received_total_cap" in message:
        return LimitReached("member diamonds", MAX_MEMBER_DIAMONDS)
    if "gifter_total_cap" in message:
        return LimitReached("gifter coins", MAX_MEMBER_DIAMONDS)
    return storage_error(exc)


def configure(db: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """PRAGMAs of a writing connection: busy timeout, foreign keys, durability, WAL (the
    reader's are in `connect_reader`)."""
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA cache_size = -16384")
    (mode,) = db.execute("PRAGMA journal_mode = WAL").fetchone()
    if str(mode).lower() != "wal":
        raise StorageError(f"cannot use WAL journal mode (got {mode!r})")


@dataclass(frozen=True)
class FileIdentity:
    """Which file a path named when it was opened (device and inode)."""

    device: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity:
        found = os.stat(path)
        return cls(found.st_dev, found.st_ino)


_QUEUED, _STARTED, _DROPPED = 0, 1, 2


@dataclass
class _Job(Generic[T]):
    work: Work[T]
    future: asyncio.Future[T]
    deadline: WriteDeadline | None
    state: int = _QUEUED
    result: Any = None
    error: BaseException | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> bool:
        """Mark the job started unless it was dropped or its start deadline passed."""
        with self.lock:
            if self.state != _QUEUED:
                return False
            if self.deadline is not None and self.deadline.passed():
                self.state = _DROPPED
                self.error = StorageBusy("the database was busy too long; nothing was saved")
                return False
            self.state = _STARTED
            return True


class Session:
    """Statements on an aiosqlite connection whose lock the caller already holds (reads)."""

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

    async def run(self, sql: str, params: Params = ()) -> None:
        """Execute a statement that returns nothing."""
        await self._db.execute(sql, params)

    async def rollback(self) -> None:
        """Roll back if a transaction is open (SQLite may already have done so)."""
        with suppress(sqlite3.Error):
            await self._db.execute("ROLLBACK")


class Writer:
    """The write connection, owned by one thread; concurrent writes share a transaction."""

    def __init__(self, path: Path, busy_timeout_ms: int, identity: FileIdentity) -> None:
        self.path = path
        self.identity = identity
        self._busy_timeout_ms = busy_timeout_ms
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
        self._db: sqlite3.Connection | None = None
        self._pending: list[_Job[Any]] = []
        self._wake = asyncio.Event()
        self._closed = False
        self._gone_logged = False
        self._drainer: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Open the connection in the writer thread and start draining."""
        loop = asyncio.get_running_loop()
        self._db = await loop.run_in_executor(self._thread, self._open)
        self._drainer = asyncio.create_task(self._drain(), name="sqlite-writer")

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path,
            isolation_level=None,
            timeout=self._busy_timeout_ms / 1000,
            check_same_thread=False,
        )
        try:
            configure(db, self._busy_timeout_ms)
        except BaseException:
            db.close()
            raise
        return db

    async def write(self, work: Work[T]) -> T:
        """Run `work` in the next batch; returns its result once the batch is committed."""
        if self._closed:
            raise StorageError("the database is closed")
        job: _Job[T] = _Job(work, asyncio.get_running_loop().create_future(), write_deadline.get())
        self._pending.append(job)
        self._wake.set()
        return await job.future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._pending:
                batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
                await loop.run_in_executor(self._thread, self._run_batch, batch)
                for job in batch:
                    if job.future.done():
                        continue
                    if job.error is not None:
                        job.future.set_exception(job.error)
                    else:
                        job.future.set_result(job.result)
            if self._closed:
                return

    def _run_batch(self, batch: list[_Job[Any]]) -> None:
        """One transaction for the whole batch; each job in its own savepoint."""
        db = self._db
        if db is None:
            raise RuntimeError("the writer is not open")
        failure = self._check_file()
        if failure is None:
            failure = self._transaction(db, batch)
        if failure is not None:
            for job in batch:
                if job.state == _STARTED or job.error is None:
                    job.error, job.result = failure, None

    def _transaction(self, db: sqlite3.Connection, batch: list[_Job[Any]]) -> StorageError | None:
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            return storage_error(exc)
        try:
            for job in batch:
                if job.start():
                    self._run_job(db, job)
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            with suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            return storage_error(exc)
        return None

    @staticmethod
    def _run_job(db: sqlite3.Connection, job: _Job[Any]) -> None:
        db.execute("SAVEPOINT job")
        try:
            job.result = job.work(db)
        except sqlite3.Error as exc:
            if not db.in_transaction:
                raise  # SQLite rolled the whole batch back (full disk, I/O): all of it failed
            db.execute("ROLLBACK TO job")
            job.error = refusal(exc)
        except Exception as exc:
            db.execute("ROLLBACK TO job")
            job.error = exc
        db.execute("RELEASE job")

    def _check_file(self) -> StorageError | None:
        """StorageGone when the path no longer names the file that was opened."""
        try:
            current = FileIdentity.of(self.path)
        except OSError:
            current = None
        if current == self.identity:
            return None
        if not self._gone_logged:
            self._gone_logged = True
            log.error(
                "The database file %s vanished or was replaced while the bot was running; "
                "refusing every write. Restore it from a backup and restart.",
                self.path,
            )
        return StorageGone(f"{self.path} vanished or was replaced; nothing was saved")

    async def close(self) -> None:
        """Finish the queued writes, then close the connection and the thread."""
        self._closed = True
        self._wake.set()
        if self._drainer is not None:
            with suppress(asyncio.CancelledError):
                await self._drainer
        loop = asyncio.get_running_loop()
        if self._db is not None:
            db, self._db = self._db, None
            await loop.run_in_executor(self._thread, _close_writer, db)
        self._thread.shutdown(wait=True)


def _close_writer(db: sqlite3.Connection) -> None:
    with suppress(sqlite3.Error):
        db.execute("PRAGMA optimize")
    db.close()


async def connect_reader(path: Path, busy_timeout_ms: int) -> aiosqlite.Connection:
    """A query-only aiosqlite connection in autocommit mode (transactions are explicit)."""
    db = await aiosqlite.connect(path, isolation_level=None, timeout=busy_timeout_ms / 1000)
    try:
        await db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        await db.execute("PRAGMA cache_size = -16384")
        await db.execute("PRAGMA query_only = ON")
    except BaseException:
        await db.close()
        raise
    return db


@asynccontextmanager
async def _read_transaction(lock: asyncio.Lock, db: aiosqlite.Connection) -> AsyncIterator[Session]:
    async with lock:
        session = Session(db)
        try:
            await session.run("BEGIN")
            yield session
            await session.run("COMMIT")
        except sqlite3.Error as exc:
            await session.rollback()
            raise storage_error(exc) from exc
        except BaseException:
            await session.rollback()
            raise


class Database:
    """The writer and the reader of one file, and the ways to use them."""

    def __init__(self, writer: Writer, reader: aiosqlite.Connection, busy_timeout_ms: int) -> None:
        self.path = writer.path
        self.busy_timeout_ms = busy_timeout_ms
        self._writer = writer
        self._reader = reader
        self._read_lock = asyncio.Lock()
        self._closed = False

    async def write(self, work: Work[T]) -> T:
        """Run `work(connection)` atomically in the next committed batch."""
        return await self._writer.write(work)

    def snapshot(self) -> AbstractAsyncContextManager[Session]:
        """Several reads from one committed snapshot (a read transaction on the reader)."""
        return _read_transaction(self._read_lock, self._reader)

    async def read(self, sql: str, params: Params) -> list[Row]:
        """One read statement on the reader connection (committed data only)."""
        async with self._read_lock:
            try:
                return await Session(self._reader).rows(sql, params)
            except sqlite3.Error as exc:
                raise storage_error(exc) from exc

    async def close(self) -> None:
        """Close both connections (idempotent); queued writes finish first."""
        if self._closed:
            return
        self._closed = True
        await self._writer.close()
        async with self._read_lock:
            await self._reader.close()
