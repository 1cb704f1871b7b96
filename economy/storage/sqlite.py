"""`SqliteStorage`: the `Storage` protocol on one SQLite file through aiosqlite.

The only module with SQL. Design:

* Two connections, each with its own aiosqlite thread: a writer and a (query-only) reader.
  Every use of a connection holds that connection's asyncio.Lock, so coroutines never share a
  transaction: a multi-statement write runs BEGIN IMMEDIATE ... COMMIT/ROLLBACK under the
  writer lock, and readers (WAL snapshots) only ever see committed data.
* Totals are kept by triggers (migrations/V001) inside the very statement that changes the
  ledger, so the hot paths (add_entry, undo_last) are one statement = one atomic transaction
  = one round trip to the worker thread.
* PRAGMAs: journal_mode=WAL, synchronous=NORMAL (in WAL mode this never corrupts the file and
  loses nothing when the process dies; only an OS crash or power cut may drop the last
  commits), foreign_keys=ON, busy_timeout.
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, Self

import aiosqlite

from economy.errors import AlreadyExists, InvalidValue, NotFound, OutOfRange
from economy.storage.base import (
    BY_VALUES,
    AuditRow,
    By,
    CustomGift,
    Entry,
    GiftCount,
    Group,
    GuildConfig,
    LeaderboardRow,
    MemberTotal,
    Period,
    Storage,
    StorageBusy,
    StorageError,
    StorageFull,
    StorageVersionError,
    UserSummary,
    as_utc,
    period_key,
    period_keys,
)
from economy.storage.names import (
    FX_PREFIX,
    KEY_CURRENCY,
    KEY_LEADERBOARD_ENABLED,
    KEY_PRESET,
    KEY_TALLY_OTHERS,
    OVERRIDE_PREFIX,
    check_config,
    clean_name,
    custom_gift_key,
    name_key,
)

DEFAULT_BUSY_TIMEOUT_MS = 5000
MAX_COUNT = 1_000_000
MAX_AMOUNT = 10**12
MAX_GIFT_COINS = 1_000_000
MAX_PAGE = 100
EXPORT_CHUNK = 1000

Params = Sequence[Any]
Row = tuple[Any, ...]

_MIGRATION_RE = re.compile(r"V(\d{3,})__(\w+)\.sql")
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_FULL = 5, 6, 13

_ENTRY_COLUMNS = (
    "id, guild_id, recipient_id, sender_id, gift_name, count, coins, diamonds, "
    "created_at, undone, archived"
)
_ACTIVE = "undone = 0 AND archived IS NULL"
_VALUE_COLUMN: dict[str, str] = {"received": "diamonds_received", "sent": "coins_sent"}


# -- migrations ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered schema step, ``V###__name.sql``."""

    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The script split into single statements (trigger bodies kept whole)."""
        return split_statements(self.sql)


def split_statements(script: str) -> list[str]:
    """Split an SQL script on statement-ending semicolons, as sqlite3 understands them."""
    statements: list[str] = []
    start = 0
    for end, char in enumerate(script):
        if char == ";" and sqlite3.complete_statement(script[start : end + 1]):
            statements.append(script[start : end + 1].strip())
            start = end + 1
    if sqlite3.complete_statement(script[start:] + ";") and _has_code(script[start:]):
        raise StorageVersionError(f"migration does not end with ';': {script[start:][:60]!r}")
    return statements


def _has_code(fragment: str) -> bool:
    """Whether a fragment holds anything but whitespace and ``--`` comments."""
    lines = (line.split("--", 1)[0].strip() for line in fragment.splitlines())
    return any(lines)


def load_migrations(source: Traversable | Path | None = None) -> list[Migration]:
    """Read ``V###__name.sql`` files (default: the packaged ones); versions must be 1..N."""
    folder = source if source is not None else resources.files("economy.storage") / "migrations"
    found: list[Migration] = []
    for item in folder.iterdir():
        match = _MIGRATION_RE.fullmatch(item.name)
        if match:
            found.append(Migration(int(match[1]), match[2], item.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in found]
    if versions != list(range(1, len(found) + 1)):
        raise StorageVersionError(f"migration files must be numbered 1..N, found {versions}")
    return found


# -- errors ----------------------------------------------------------------------------------


def _storage_error(exc: sqlite3.Error) -> StorageError:
    """Map an sqlite3 error to StorageBusy / StorageFull / StorageError."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    message = str(exc)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "database is locked" in message:
        return StorageBusy(f"the database is busy, try again ({message})")
    if code == _SQLITE_FULL or "database or disk is full" in message:
        return StorageFull(f"the disk is full, nothing was saved ({message})")
    return StorageError(f"database error: {message}")


# -- sessions --------------------------------------------------------------------------------


class _Session:
    """Statements on one connection whose lock the caller already holds."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def rows(self, sql: str, params: Params = ()) -> list[Row]:
        """All result rows of one statement."""
        return list(await self._db.execute_fetchall(sql, params))

    async def row(self, sql: str, params: Params = ()) -> Row | None:
        """The first result row, or None."""
        rows = await self.rows(sql, params)
        return rows[0] if rows else None

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
) -> AsyncIterator[_Session]:
    """`begin` ... COMMIT on `db` while holding its `lock`; any failure rolls back first.

    sqlite3 errors (including those of BEGIN and COMMIT) come out as StorageError subclasses,
    so StorageBusy / StorageFull always mean that nothing of the transaction was kept.
    """
    async with lock:
        session = _Session(db)
        try:
            await session.run(begin)
            yield session
            await session.run("COMMIT")
        except sqlite3.Error as exc:
            await session.rollback()
            raise _storage_error(exc) from exc
        except BaseException:
            await session.rollback()
            raise


async def _connect(path: Path, busy_timeout_ms: int, *, reader: bool) -> aiosqlite.Connection:
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
            (mode,) = (await db.execute_fetchall("PRAGMA journal_mode = WAL"))[0]
            if str(mode).lower() != "wal":
                raise StorageError(f"{path}: cannot use WAL journal mode (got {mode!r})")
    except BaseException:
        await db.close()
        raise
    return db


async def _migrate(db: aiosqlite.Connection, path: Path, plan: list[Migration]) -> None:
    """Apply pending migrations in ONE transaction, recorded in PRAGMA user_version."""
    session = _Session(db)
    latest = len(plan)
    current = await _user_version(session, path, latest)
    if current == latest:
        return
    await session.run("BEGIN IMMEDIATE")
    try:
        current = await _user_version(session, path, latest)  # another process may have won
        for migration in plan[current:]:
            for statement in migration.statements():
                await session.run(statement)
        await session.run(f"PRAGMA user_version = {latest:d}")
        if await session.rows("PRAGMA foreign_key_check"):
            raise StorageVersionError(f"{path}: migration left broken foreign keys")
        await session.run("COMMIT")
    except BaseException:
        await session.rollback()
        raise


async def _user_version(session: _Session, path: Path, latest: int) -> int:
    """The schema version; StorageVersionError when it is newer than the code."""
    row = await session.row("PRAGMA user_version")
    current = int(row[0]) if row else 0
    if current > latest:
        raise StorageVersionError(
            f"{path} was written by a newer tiktok-gift-bot (schema {current}, this version "
            f"knows {latest}); upgrade the bot"
        )
    return current


# Totals recomputed from the active ledger, compared both ways with the stored ones.
_VERIFY_TOTALS: dict[str, str] = {
    "user_totals": f"""
        WITH active AS (SELECT * FROM ledger WHERE {_ACTIVE}),
        keyed AS (
            SELECT *, 'all' AS period_key FROM active
            UNION ALL SELECT *, month_key FROM active
            UNION ALL SELECT *, week_key FROM active),
        sides AS (
            SELECT guild_id, recipient_id AS user_id, period_key,
                   diamonds AS dr, coins AS cr, 1 AS nr, 0 AS ds, 0 AS cs, 0 AS ns FROM keyed
            UNION ALL
            SELECT guild_id, sender_id, period_key, 0, 0, 0, diamonds, coins, 1 FROM keyed),
        expected AS (
            SELECT guild_id, user_id, period_key, SUM(dr), SUM(cr), SUM(nr),
                   SUM(ds), SUM(cs), SUM(ns)
            FROM sides GROUP BY guild_id, user_id, period_key),
        stored AS (
            SELECT guild_id, user_id, period_key, diamonds_received, coins_received,
                   entries_received, diamonds_sent, coins_sent, entries_sent
            FROM user_totals WHERE entries_received > 0 OR entries_sent > 0
                OR diamonds_received + coins_received + diamonds_sent + coins_sent > 0)
        SELECT (SELECT COUNT(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored))
             + (SELECT COUNT(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected))""",
    "gift_totals": f"""
        WITH expected AS (
            SELECT guild_id, recipient_id, gift_name, SUM(count), SUM(diamonds)
            FROM ledger WHERE {_ACTIVE} AND gift_name IS NOT NULL
            GROUP BY guild_id, recipient_id, gift_name),
        stored AS (
            SELECT guild_id, recipient_id, gift_name, count, diamonds FROM gift_totals
            WHERE count > 0 OR diamonds > 0)
        SELECT (SELECT COUNT(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored))
             + (SELECT COUNT(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected))""",
}


async def _verify(session: _Session) -> list[str]:
    """The checks of SqliteStorage.verify, in one read transaction."""
    await session.run("BEGIN")
    try:
        problems = [row[0] for row in await session.rows("PRAGMA integrity_check")]
        problems = [] if problems == ["ok"] else problems
        if await session.rows("PRAGMA foreign_key_check"):
            problems.append("foreign_key_check found dangling references")
        for table, sql in _VERIFY_TOTALS.items():
            row = await session.row(sql)
            if row and row[0]:
                problems.append(f"{table}: {row[0]} rows differ from the ledger")
        return problems
    finally:
        await session.rollback()


# -- row conversion and checks ---------------------------------------------------------------


def _entry(row: Row) -> Entry:
    """An Entry from a row selected with _ENTRY_COLUMNS."""
    return Entry(
        id=row[0],
        guild_id=row[1],
        recipient_id=row[2],
        sender_id=row[3],
        gift_name=row[4],
        count=row[5],
        coins=row[6],
        diamonds=row[7],
        created_at=datetime.fromisoformat(row[8]),
        undone=bool(row[9]),
        archived=row[10],
    )


def _group(row: Row) -> Group:
    """A Group from (id, guild_id, name, creator_id, created_at, member_count)."""
    return Group(row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4]), row[5])


def _audit(row: Row) -> AuditRow:
    """An AuditRow from a config_audit row."""
    return AuditRow(row[0], row[1], row[2], row[3], row[4], row[5], datetime.fromisoformat(row[6]))


def _check_range(what: str, value: int, minimum: int, maximum: int) -> None:
    """OutOfRange unless minimum <= value <= maximum."""
    if not minimum <= value <= maximum:
        raise OutOfRange(what, value, minimum, maximum)


def _check_page(offset: int, limit: int) -> None:
    """Programming errors in paging arguments."""
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"need offset >= 0 and 1 <= limit <= {MAX_PAGE}")


def _value_column(by: By) -> str:
    """The user_totals column a leaderboard orders by."""
    if by not in BY_VALUES:
        raise ValueError(f"by must be one of {BY_VALUES}, got {by!r}")
    return _VALUE_COLUMN[by]


def _config_from(rows: Iterable[Row]) -> GuildConfig:
    """Build a GuildConfig from (key, value) rows."""
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
    return GuildConfig(
        preset=plain.get(KEY_PRESET),
        overrides=MappingProxyType(overrides),
        currency=plain.get(KEY_CURRENCY),
        fx_overrides=MappingProxyType(fx),
        tally_others="everyone" if plain.get(KEY_TALLY_OTHERS) == "everyone" else "managers",
        leaderboard_enabled=plain.get(KEY_LEADERBOARD_ENABLED, "true") == "true",
    )


def _prepare_backup(final: Path, live: Path) -> Path:
    """Check the target is not the live file, create its folder; return the temp path."""
    if final.resolve() == live.resolve():
        raise ValueError("backup target is the live database")
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(final.name + ".tmp")
    partial.unlink(missing_ok=True)
    return partial


def backup_database(live: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Copy a database file through SQLite's online backup API: one consistent snapshot,
    safe while a bot writes to it. The live file is only read (no migration ever runs on
    it), whatever schema version it has; `target` is written as `<target>.tmp`, then renamed.
    """
    source_path, final = Path(live), Path(target)
    if not source_path.is_file():
        raise FileNotFoundError(f"No database at {source_path}")
    partial = _prepare_backup(final, source_path)
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise _storage_error(exc) from exc
    finally:
        source.close()
    os.replace(partial, final)


# -- the storage -----------------------------------------------------------------------------


class SqliteStorage:
    """The `Storage` protocol on one SQLite file. Open with ``await SqliteStorage.open(path)``."""

    def __init__(
        self,
        path: Path,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> None:
        self.path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._writer = writer
        self._reader = reader
        self._write_lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()
        self._closed = False

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
            writer = await _connect(file, busy_timeout_ms, reader=False)
        except sqlite3.Error as exc:
            raise _storage_error(exc) from exc
        try:
            await _migrate(writer, file, plan)
            reader = await _connect(file, busy_timeout_ms, reader=True)
        except sqlite3.Error as exc:
            await writer.close()
            raise _storage_error(exc) from exc
        except BaseException:
            await writer.close()
            raise
        return cls(file, writer, reader, busy_timeout_ms)

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

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- plumbing --------------------------------------------------------------------------

    def _transaction(self) -> AbstractAsyncContextManager[_Session]:
        """BEGIN IMMEDIATE ... COMMIT under the writer lock; any failure rolls back."""
        return _atomic(self._write_lock, self._writer, "BEGIN IMMEDIATE")

    async def _write_one(self, sql: str, params: Params) -> list[Row]:
        """One statement as its own atomic (autocommit) transaction under the writer lock."""
        async with self._write_lock:
            session = _Session(self._writer)
            try:
                return await session.rows(sql, params)
            except sqlite3.Error as exc:
                await session.rollback()
                raise _storage_error(exc) from exc

    def _snapshot(self) -> AbstractAsyncContextManager[_Session]:
        """Several reads from one committed snapshot (a read transaction on the reader)."""
        return _atomic(self._read_lock, self._reader, "BEGIN")

    async def _read(self, sql: str, params: Params) -> list[Row]:
        """One read statement on the reader connection (committed data only)."""
        async with self._read_lock:
            try:
                return await _Session(self._reader).rows(sql, params)
            except sqlite3.Error as exc:
                raise _storage_error(exc) from exc

    # -- ledger ----------------------------------------------------------------------------

    async def add_entry(
        self,
        guild_id: int,
        recipient_id: int,
        sender_id: int,
        *,
        gift_name: str | None,
        count: int,
        coins: int,
        diamonds: int,
        now: datetime | None = None,
    ) -> Entry:
        """Record a tally line; its totals move in the same statement (triggers)."""
        if gift_name is not None and not gift_name.strip():
            raise InvalidValue("gift name", "must not be empty")
        _check_range("count", count, 1, MAX_COUNT)
        _check_range("coins", coins, 0, MAX_AMOUNT)
        _check_range("diamonds", diamonds, 0, MAX_AMOUNT)
        moment = as_utc(now)
        month, week = period_keys(moment)
        rows = await self._write_one(
            "INSERT INTO ledger (guild_id, recipient_id, sender_id, gift_name, count, coins,"
            " diamonds, created_at, month_key, week_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
            (guild_id, recipient_id, sender_id, gift_name, count, coins, diamonds,
             moment.isoformat(), month, week),
        )  # fmt: skip
        return Entry(
            rows[0][0], guild_id, recipient_id, sender_id, gift_name, count, coins, diamonds,
            moment, False, None,
        )  # fmt: skip

    async def undo_last(self, guild_id: int, sender_id: int) -> Entry | None:
        """Mark the sender's latest active entry undone (totals follow in the same statement)."""
        rows = await self._write_one(
            f"UPDATE ledger SET undone = 1 WHERE id = (SELECT id FROM ledger"
            f" WHERE guild_id = ? AND sender_id = ? AND {_ACTIVE} ORDER BY id DESC LIMIT 1)"
            f" RETURNING {_ENTRY_COLUMNS}",
            (guild_id, sender_id),
        )
        return _entry(rows[0]) if rows else None

    async def user_summary(
        self, guild_id: int, user_id: int, period: Period = "all", now: datetime | None = None
    ) -> UserSummary:
        """A member's totals for the period containing `now`; rank by diamonds received."""
        rows = await self._read(
            "SELECT diamonds_received, coins_received, coins_sent, entries_received,"
            " CASE WHEN t.diamonds_received > 0 THEN 1 + (SELECT COUNT(*) FROM user_totals o"
            "  WHERE o.guild_id = t.guild_id AND o.period_key = t.period_key"
            "  AND o.diamonds_received > t.diamonds_received) END,"
            " diamonds_sent, entries_sent"
            " FROM user_totals t WHERE guild_id = ? AND user_id = ? AND period_key = ?",
            (guild_id, user_id, period_key(period, now)),
        )
        return UserSummary(*rows[0]) if rows else UserSummary(0, 0, 0, 0, None, 0, 0)

    async def top_gifts(self, guild_id: int, user_id: int, limit: int = 5) -> list[GiftCount]:
        """Gifts received (active, all time) by diamonds, then count, then name."""
        _check_page(0, limit)
        rows = await self._read(
            "SELECT gift_name, count, diamonds FROM gift_totals"
            " WHERE guild_id = ? AND recipient_id = ? AND count > 0"
            " ORDER BY diamonds DESC, count DESC, gift_name LIMIT ?",
            (guild_id, user_id, limit),
        )
        return [GiftCount(*row) for row in rows]

    async def leaderboard(
        self,
        guild_id: int,
        by: By,
        period: Period,
        limit: int = 10,
        now: datetime | None = None,
        *,
        offset: int = 0,
    ) -> list[LeaderboardRow]:
        """Top members by diamonds received or coins sent; equal values share a rank."""
        column = _value_column(by)
        _check_page(offset, limit)
        key = period_key(period, now)
        rows = await self._read(
            f"WITH page AS (SELECT user_id, {column} AS value FROM user_totals"
            f"  WHERE guild_id = ? AND period_key = ? AND {column} > 0"
            f"  ORDER BY {column} DESC, user_id LIMIT ? OFFSET ?)"
            f" SELECT 1 + (SELECT COUNT(*) FROM user_totals o WHERE o.guild_id = ?"
            f"  AND o.period_key = ? AND o.{column} > page.value), user_id, value"
            f" FROM page ORDER BY value DESC, user_id",
            (guild_id, key, limit, offset, guild_id, key),
        )
        return [LeaderboardRow(*row) for row in rows]

    async def rank(
        self, guild_id: int, user_id: int, by: By, period: Period, now: datetime | None = None
    ) -> LeaderboardRow | None:
        """The member's own row wherever it is; None if their value is zero."""
        column = _value_column(by)
        rows = await self._read(
            f"SELECT 1 + (SELECT COUNT(*) FROM user_totals o WHERE o.guild_id = t.guild_id"
            f"  AND o.period_key = t.period_key AND o.{column} > t.{column}),"
            f" t.user_id, t.{column} FROM user_totals t"
            f" WHERE t.guild_id = ? AND t.user_id = ? AND t.period_key = ? AND t.{column} > 0",
            (guild_id, user_id, period_key(period, now)),
        )
        return LeaderboardRow(*rows[0]) if rows else None

    async def history(
        self, guild_id: int, user_id: int, offset: int = 0, limit: int = 10
    ) -> tuple[list[Entry], int]:
        """Active entries the member RECEIVED, newest first, plus their total count."""
        _check_page(offset, limit)
        async with self._snapshot() as session:
            rows = await session.rows(
                f"SELECT {_ENTRY_COLUMNS} FROM ledger WHERE guild_id = ? AND recipient_id = ?"
                f" AND {_ACTIVE} ORDER BY id DESC LIMIT ? OFFSET ?",
                (guild_id, user_id, limit, offset),
            )
            total = await session.row(
                "SELECT entries_received FROM user_totals"
                " WHERE guild_id = ? AND user_id = ? AND period_key = 'all'",
                (guild_id, user_id),
            )
        return [_entry(row) for row in rows], total[0] if total else 0

    async def archive_member(self, guild_id: int, user_id: int, actor_id: int) -> int:
        """Archive every active entry the member received (one reset record); returns count."""
        now = as_utc().isoformat()
        async with self._transaction() as tx:
            row = await tx.row(
                f"SELECT COUNT(*) FROM ledger WHERE guild_id = ? AND recipient_id = ?"
                f" AND {_ACTIVE}",
                (guild_id, user_id),
            )
            count = row[0] if row else 0
            if count == 0:
                return 0
            reset = await tx.row(
                "INSERT INTO resets (guild_id, user_id, actor_id, entries, created_at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (guild_id, user_id, actor_id, count, now),
            )
            assert reset is not None
            await tx.run(
                f"UPDATE ledger SET archived = ? WHERE guild_id = ? AND recipient_id = ?"
                f" AND {_ACTIVE}",
                (reset[0], guild_id, user_id),
            )
        return count

    async def restore_member(self, guild_id: int, user_id: int) -> int:
        """Bring back the member's latest unrestored archive; returns entries restored."""
        now = as_utc().isoformat()
        async with self._transaction() as tx:
            reset = await tx.row(
                "SELECT id FROM resets WHERE guild_id = ? AND user_id = ?"
                " AND restored_at IS NULL ORDER BY id DESC LIMIT 1",
                (guild_id, user_id),
            )
            if reset is None:
                return 0
            restored = await tx.run(
                "UPDATE ledger SET archived = NULL WHERE archived = ?", (reset[0],)
            )
            await tx.run("UPDATE resets SET restored_at = ? WHERE id = ?", (now, reset[0]))
        return restored

    async def export_rows(self, guild_id: int) -> AsyncIterator[Entry]:
        """Every entry of the server in id order (with flags), read in chunks."""
        after = 0
        while True:
            rows = await self._read(
                f"SELECT {_ENTRY_COLUMNS} FROM ledger WHERE guild_id = ? AND id > ?"
                f" ORDER BY id LIMIT ?",
                (guild_id, after, EXPORT_CHUNK),
            )
            for row in rows:
                yield _entry(row)
            if len(rows) < EXPORT_CHUNK:
                return
            after = rows[-1][0]

    # -- groups ----------------------------------------------------------------------------

    _GROUP_SELECT = (
        "SELECT g.id, g.guild_id, g.name, g.creator_id, g.created_at,"
        " (SELECT COUNT(*) FROM tally_group_members m WHERE m.group_id = g.id)"
        " FROM tally_groups g"
    )

    async def create_group(
        self, guild_id: int, name: str, creator_id: int, now: datetime | None = None
    ) -> Group:
        """Create a group; AlreadyExists when the name is taken (ignoring case)."""
        clean = clean_name(name, "group name")
        moment = as_utc(now)
        rows = await self._write_one(
            "INSERT INTO tally_groups (guild_id, name, name_key, creator_id, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, name_key) DO NOTHING RETURNING id",
            (guild_id, clean, name_key(clean), creator_id, moment.isoformat()),
        )
        if not rows:
            raise AlreadyExists("group", clean)
        return Group(rows[0][0], guild_id, clean, creator_id, moment, 0)

    async def delete_group(self, guild_id: int, name: str) -> None:
        """Delete a group and its memberships; NotFound when missing."""
        rows = await self._write_one(
            "DELETE FROM tally_groups WHERE guild_id = ? AND name_key = ? RETURNING id",
            (guild_id, name_key(name)),
        )
        if not rows:
            raise NotFound("group", name.strip())

    async def get_group(self, guild_id: int, name: str) -> Group:
        """A group by name, any case; NotFound when missing."""
        rows = await self._read(
            f"{self._GROUP_SELECT} WHERE g.guild_id = ? AND g.name_key = ?",
            (guild_id, name_key(name)),
        )
        if not rows:
            raise NotFound("group", name.strip())
        return _group(rows[0])

    async def list_groups(self, guild_id: int) -> list[Group]:
        """All groups of the server with their member counts, by name."""
        rows = await self._read(
            f"{self._GROUP_SELECT} WHERE g.guild_id = ? ORDER BY g.name_key", (guild_id,)
        )
        return [_group(row) for row in rows]

    async def _group_id(self, tx: _Session, guild_id: int, name: str) -> int:
        """The id of a group inside a transaction; NotFound when missing."""
        row = await tx.row(
            "SELECT id FROM tally_groups WHERE guild_id = ? AND name_key = ?",
            (guild_id, name_key(name)),
        )
        if row is None:
            raise NotFound("group", name.strip())
        return int(row[0])

    async def add_member(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> None:
        """Join a group; AlreadyExists('group member', user_id) when already in it."""
        joined = as_utc(now).isoformat()
        async with self._transaction() as tx:
            group_id = await self._group_id(tx, guild_id, name)
            added = await tx.rows(
                "INSERT INTO tally_group_members (group_id, user_id, joined_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING user_id",
                (group_id, user_id, joined),
            )
            if not added:
                raise AlreadyExists("group member", user_id)

    async def remove_member(self, guild_id: int, name: str, user_id: int) -> None:
        """Leave a group; NotFound('group member', user_id) when not in it."""
        async with self._transaction() as tx:
            group_id = await self._group_id(tx, guild_id, name)
            removed = await tx.run(
                "DELETE FROM tally_group_members WHERE group_id = ? AND user_id = ?",
                (group_id, user_id),
            )
            if not removed:
                raise NotFound("group member", user_id)

    async def group_members(
        self, guild_id: int, name: str, period: Period = "all", now: datetime | None = None
    ) -> list[MemberTotal]:
        """Members and diamonds received in the period, highest first, then by user id."""
        rows = await self._read(
            "SELECT m.user_id, COALESCE(t.diamonds_received, 0) AS diamonds"
            " FROM tally_groups g"
            " LEFT JOIN tally_group_members m ON m.group_id = g.id"
            " LEFT JOIN user_totals t ON t.guild_id = g.guild_id AND t.user_id = m.user_id"
            "  AND t.period_key = ?"
            " WHERE g.guild_id = ? AND g.name_key = ?"
            " ORDER BY diamonds DESC, m.user_id",
            (period_key(period, now), guild_id, name_key(name)),
        )
        if not rows:
            raise NotFound("group", name.strip())
        return [MemberTotal(*row) for row in rows if row[0] is not None]

    # -- settings --------------------------------------------------------------------------

    async def get_guild_config(self, guild_id: int) -> GuildConfig:
        """The server's settings (defaults where unset)."""
        rows = await self._read(
            "SELECT key, value FROM guild_settings WHERE guild_id = ?", (guild_id,)
        )
        return _config_from(rows)

    async def set_config_value(
        self,
        guild_id: int,
        key: str,
        value: str | None,
        actor_id: int,
        now: datetime | None = None,
    ) -> AuditRow:
        """Set or clear (None) one setting and write its audit row, in one transaction."""
        (row,) = await self.set_config_values(guild_id, {key: value}, actor_id, now)
        return row

    async def set_config_values(
        self,
        guild_id: int,
        changes: Mapping[str, str | None],
        actor_id: int,
        now: datetime | None = None,
    ) -> list[AuditRow]:
        """Set or clear several settings, each audited, all in one transaction (or none)."""
        for key, value in changes.items():
            check_config(key, value)
        rows: list[AuditRow] = []
        async with self._transaction() as tx:
            for key, value in changes.items():
                old = await tx.row(
                    "SELECT value FROM guild_settings WHERE guild_id = ? AND key = ?",
                    (guild_id, key),
                )
                if value is None:
                    await tx.run(
                        "DELETE FROM guild_settings WHERE guild_id = ? AND key = ?",
                        (guild_id, key),
                    )
                else:
                    await tx.run(
                        "INSERT INTO guild_settings (guild_id, key, value) VALUES (?, ?, ?)"
                        " ON CONFLICT (guild_id, key) DO UPDATE SET value = excluded.value",
                        (guild_id, key, value),
                    )
                previous = old[0] if old else None
                rows.append(await self._audit(tx, guild_id, actor_id, key, previous, value, now))
        return rows

    async def _audit(
        self,
        tx: _Session,
        guild_id: int,
        actor_id: int,
        key: str,
        old: str | None,
        new: str | None,
        now: datetime | None,
    ) -> AuditRow:
        """Append an audit row inside the caller's transaction."""
        moment = as_utc(now)
        row = await tx.row(
            "INSERT INTO config_audit (guild_id, actor_id, key, old_value, new_value, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (guild_id, actor_id, key, old, new, moment.isoformat()),
        )
        assert row is not None
        return AuditRow(row[0], guild_id, actor_id, key, old, new, moment)

    async def config_history(self, guild_id: int, limit: int = 20) -> list[AuditRow]:
        """Latest audit rows of the server, newest first."""
        _check_page(0, limit)
        rows = await self._read(
            "SELECT id, guild_id, actor_id, key, old_value, new_value, created_at"
            " FROM config_audit WHERE guild_id = ? ORDER BY id DESC LIMIT ?",
            (guild_id, limit),
        )
        return [_audit(row) for row in rows]

    async def add_custom_gift(
        self, guild_id: int, name: str, coins: int, actor_id: int, now: datetime | None = None
    ) -> CustomGift:
        """Add a server-only gift and audit it (key `custom_gift_key(name)`)."""
        clean = clean_name(name, "gift name")
        _check_range("coins", coins, 1, MAX_GIFT_COINS)
        moment = as_utc(now)
        async with self._transaction() as tx:
            added = await tx.rows(
                "INSERT INTO custom_gifts (guild_id, name_key, name, coins, creator_id,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING name",
                (guild_id, name_key(clean), clean, coins, actor_id, moment.isoformat()),
            )
            if not added:
                raise AlreadyExists("custom gift", clean)
            key = custom_gift_key(clean)
            await self._audit(tx, guild_id, actor_id, key, None, str(coins), moment)
        return CustomGift(clean, coins, actor_id, moment)

    async def remove_custom_gift(
        self, guild_id: int, name: str, actor_id: int, now: datetime | None = None
    ) -> None:
        """Remove a server-only gift and audit it; NotFound when missing."""
        async with self._transaction() as tx:
            removed = await tx.row(
                "DELETE FROM custom_gifts WHERE guild_id = ? AND name_key = ?"
                " RETURNING name, coins",
                (guild_id, name_key(name)),
            )
            if removed is None:
                raise NotFound("custom gift", name.strip())
            key = custom_gift_key(removed[0])
            await self._audit(tx, guild_id, actor_id, key, str(removed[1]), None, now)

    async def list_custom_gifts(self, guild_id: int) -> list[CustomGift]:
        """The server's custom gifts, by name."""
        rows = await self._read(
            "SELECT name, coins, creator_id, created_at FROM custom_gifts"
            " WHERE guild_id = ? ORDER BY name_key",
            (guild_id,),
        )
        return [CustomGift(r[0], r[1], r[2], datetime.fromisoformat(r[3])) for r in rows]

    # -- maintenance -----------------------------------------------------------------------

    async def verify(self) -> list[str]:
        """Check the whole file; returns problems (empty = healthy). Scans everything: slow.

        Runs ``PRAGMA integrity_check`` and ``foreign_key_check`` and recomputes every total
        from the active ledger, comparing with user_totals and gift_totals. Uses its own
        short-lived connection (one snapshot), so the bot's reads and writes go on meanwhile.
        """
        try:
            db = await _connect(self.path, self._busy_timeout_ms, reader=True)
            try:
                return await _verify(_Session(db))
            finally:
                await db.close()
        except sqlite3.Error as exc:
            raise _storage_error(exc) from exc

    async def backup(self, target: str | os.PathLike[str]) -> None:
        """Copy the database (online backup API, one consistent snapshot) to `target`.

        Written to ``<target>.tmp`` first and renamed, so `target` is never half-written.
        """
        await asyncio.to_thread(backup_database, self.path, target)


if TYPE_CHECKING:  # static proof that SqliteStorage satisfies the protocol
    _conforms: type[Storage] = SqliteStorage
