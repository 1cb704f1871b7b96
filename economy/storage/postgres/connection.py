"""One PostgreSQL database through an asyncpg pool: writes, snapshot reads, error mapping.

A write is a coroutine function of a connection handed to `Database.write`; it runs in its
own transaction on a pooled connection and is released once PostgreSQL has committed it
(with the server's `synchronous_commit`, on by default: an answered write survives a crash).
A write that has not started by its start deadline (`write_deadline`, set per interaction by
the bot) is dropped with `StorageBusy`, nothing of it written; waiting for a pooled
connection counts against that deadline. Serialization failures and deadlocks are retried a
few times; a lost connection is `StorageBusy` when nothing can have been committed, and a
`StorageError` saying so when it was lost during the commit itself.

Reads that an answer shows together come from one `REPEATABLE READ READ ONLY` transaction
(`snapshot`). Writes that check a cap or read-then-write take a transaction-scoped advisory
lock (`lock`) first, which does for PostgreSQL what SQLite's single writer does: two such
writes on the same server run one after the other, so no cap can be overshot.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any, TypeVar

import asyncpg

from economy.errors import LimitReached
from economy.limits import MAX_MEMBER_DIAMONDS
from economy.storage.deadlines import write_deadline
from economy.storage.errors import StorageBusy, StorageError, StorageFull, StorageReadOnly

T = TypeVar("T")
Connection = Any  # asyncpg.Connection: asyncpg ships no type hints
Record = Sequence[Any]
Work = Callable[[Connection], Awaitable[T]]

MAX_ATTEMPTS = 5  # tries of a write that hit a serialization failure or a deadlock
RETRY_PAUSE = 0.005  # seconds before the second try; doubled for each further one
SERVER_SETTINGS = {"application_name": "tiktok-gift-bot", "jit": "off", "timezone": "UTC"}

_RETRY = {"40001", "40P01"}  # serialization_failure, deadlock_detected
_BUSY = {"55P03", "57014", "53300", "57P03", "53200"}  # lock/statement timeout, too many...
_LOST_CODES = {"57P01", "57P02"}  # admin or crash shutdown: the server went away
log = logging.getLogger(__name__)


# What asyncpg (or the socket under it) raises when a statement fails; InternalClientError is
# what a connection the server has just closed says when it is used again.
FAILURES: tuple[type[BaseException], ...] = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.InternalClientError,
    OSError,
)


def lost(exc: BaseException | None) -> bool:
    """Whether the error means the connection to the server is gone."""
    broken = (
        asyncpg.PostgresConnectionError,
        asyncpg.InterfaceError,
        asyncpg.exceptions.InternalClientError,
        OSError,
    )
    if isinstance(exc, broken):
        return True
    return getattr(exc, "sqlstate", None) in _LOST_CODES


def storage_error(exc: BaseException) -> StorageError:
    """Map an asyncpg (or socket) error to StorageBusy / StorageFull / StorageError."""
    code = getattr(exc, "sqlstate", None) or ""
    message = str(exc) or type(exc).__name__
    if lost(exc):
        return StorageBusy(f"lost the connection to PostgreSQL, nothing was saved ({message})")
    if code in _RETRY or code in _BUSY:
        return StorageBusy(f"the database is busy, try again ({message})")
    if code == "53100":
        return StorageFull(f"the disk is full, nothing was saved ({message})")
    if code == "25006":
        return StorageReadOnly(f"the database is read-only, nothing was saved ({message})")
    return StorageError(f"database error: {message}")


def refusal(exc: BaseException) -> Exception:
    """A cap the schema enforces inside the write, as the user's refusal; else the error."""
    constraint = getattr(exc, "constraint_name", None)
    if constraint == "received_total_cap":
        return LimitReached("member diamonds", MAX_MEMBER_DIAMONDS)
    if constraint == "gifter_total_cap":
        return LimitReached("gifter coins", MAX_MEMBER_DIAMONDS)
    return storage_error(exc)


def lock_key(*parts: object) -> int:
    """A signed 64-bit advisory lock key for `parts` (e.g. ``("groups", guild_id)``)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def lock(conn: Connection, *parts: object) -> None:
    """Wait for the advisory lock of `parts`, held until the transaction ends."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", lock_key(*parts))


def affected(status: str) -> int:
    """Rows a statement changed, from its status (``UPDATE 3`` -> 3)."""
    tail = status.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else 0


class NotSent(Exception):
    """The connection was found broken before a statement was sent: nothing was written."""


class Session:
    """Statements on one connection whose transaction the caller holds (snapshot reads)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Record]:
        """All result rows of one statement."""
        found: list[Record] = await self.conn.fetch(sql, *params)
        return found

    async def row(self, sql: str, params: Sequence[Any] = ()) -> Record | None:
        """The first result row, or None."""
        found: Record | None = await self.conn.fetchrow(sql, *params)
        return found


class Database:
    """The pool of one database and the ways to use it."""

    def __init__(self, pool: Any, url: str) -> None:
        self.pool = pool
        self.url = url
        self._closed = False

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Connection]:
        """A pooled connection that is still open: one the server closed while it sat idle
        (a restart, an administrator) is noticed here and replaced, before anything is sent
        on it."""
        try:
            conn = await self.pool.acquire()
            for _ in range(self.pool.get_max_size()):
                await asyncio.sleep(0)  # let the loop read a pending close from the socket
                if not conn.is_closed():
                    break
                await self.pool.release(conn)
                conn = await self.pool.acquire()
        except FAILURES as exc:
            raise storage_error(exc) from exc
        try:
            yield conn
        finally:
            with suppress(*FAILURES):
                await self.pool.release(conn)

    async def write(self, work: Work[T], *, isolation: str | None = None) -> T:
        """Run `work(connection)` in one committed transaction; see the module docstring.
        `isolation` ("repeatable_read": every statement reads one snapshot) overrides the
        server's level (read committed); a serialization failure is retried like any other."""
        return await self._write(lambda conn: _attempt(conn, work, isolation))

    async def write_one(self, sql: str, params: Sequence[Any]) -> Record:
        """A write that is ONE statement (atomic by itself: no BEGIN/COMMIT round trips);
        returns its first row. Same deadline, retries and errors as `write`."""

        async def run(conn: Connection) -> Record:
            try:
                row: Record = await conn.fetchrow(sql, *params)
            except asyncpg.exceptions.InternalClientError as exc:
                raise NotSent(exc) from exc
            except FAILURES as exc:
                if lost(exc):
                    raise _unknown_outcome(exc) from exc
                raise
            return row

        return await self._write(run)

    async def _write(self, attempt_on: Work[T]) -> T:
        pause = RETRY_PAUSE
        for attempt in range(1, MAX_ATTEMPTS + 1):
            _check_deadline()
            async with self._connection() as conn:  # the wait counts against the deadline:
                _check_deadline()  # checked again once a connection is free
                try:
                    return await attempt_on(conn)
                except NotSent as exc:  # the connection died before the write left
                    if attempt == MAX_ATTEMPTS:
                        raise storage_error(exc.__cause__ or exc) from exc
                    log.warning("A PostgreSQL connection had died; writing on another one")
                except asyncpg.PostgresError as exc:
                    if exc.sqlstate not in _RETRY or attempt == MAX_ATTEMPTS:
                        raise refusal(exc) from exc
                except FAILURES as exc:
                    raise storage_error(exc) from exc
            await asyncio.sleep(pause)
            pause *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[Session]:
        """Several reads from one committed snapshot (REPEATABLE READ, READ ONLY). A pooled
        connection found dead when the snapshot starts is replaced once."""
        for attempt in (1, 2):
            async with self._connection() as conn:
                transaction = conn.transaction(isolation="repeatable_read", readonly=True)
                try:
                    await transaction.start()
                except FAILURES as exc:
                    if not lost(exc) or attempt == 2:
                        raise storage_error(exc) from exc
                    log.warning("Lost a PostgreSQL connection; reading again on another one")
                    continue
                try:
                    yield Session(conn)
                except FAILURES as exc:
                    raise storage_error(exc) from exc
                finally:
                    with suppress(*FAILURES):
                        await transaction.rollback()  # read only: nothing to commit
                return

    async def read(self, sql: str, params: Sequence[Any] = ()) -> list[Record]:
        """One read statement (committed data); tried again once if the connection was lost."""
        for attempt in (1, 2):
            async with self._connection() as conn:
                try:
                    found: list[Record] = await conn.fetch(sql, *params)
                    return found
                except FAILURES as exc:
                    if not lost(exc) or attempt == 2:
                        raise storage_error(exc) from exc
                    log.warning("Lost a PostgreSQL connection; reading again on another one")
        raise AssertionError("unreachable")  # pragma: no cover

    async def close(self) -> None:
        """Close the pool (idempotent); writes under way finish first."""
        if self._closed:
            return
        self._closed = True
        try:
            await asyncio.wait_for(self.pool.close(), 30)
        except TimeoutError:
            self.pool.terminate()
        except FAILURES:
            self.pool.terminate()


def _check_deadline() -> None:
    """StorageBusy when the interaction's write start deadline has passed."""
    deadline = write_deadline.get()
    if deadline is not None and deadline.passed():
        raise StorageBusy("the database was busy too long; nothing was saved")


async def _attempt(conn: Connection, work: Work[T], isolation: str | None = None) -> T:
    """One transaction: `work`, then the commit. A failure before the commit rolls back."""
    transaction = conn.transaction(isolation=isolation)
    await transaction.start()
    try:
        result = await work(conn)
    except BaseException:
        with suppress(*FAILURES):
            await transaction.rollback()
        raise
    try:
        await transaction.commit()
    except FAILURES as exc:
        if lost(exc):
            raise _unknown_outcome(exc) from exc
        raise
    return result


def _unknown_outcome(exc: BaseException) -> StorageError:
    """The connection died while the server may have been committing: say so, and log it."""
    log.error("Lost the PostgreSQL connection while committing: %s", exc)
    return StorageError(
        "lost the connection to PostgreSQL while committing; the write may or may not have "
        "been saved"
    )
