"""Move up: copy a live SQLite database into an empty PostgreSQL one, then prove the copy.

`copy_sqlite_to_postgres(path, url)` reads the SQLite file in ONE read transaction (a
consistent snapshot, while a bot may go on writing to it), writes every table into the
PostgreSQL database in ONE transaction by COPY (ids kept, the totals copied as they are, the
totals triggers off for the ledger's own rows), and commits only if the copy adds up: every
table's row count, and every total table's sums, equal the source's; after the commit every
total is recomputed from the copied ledger (`verify`). A target that already holds data is
refused and left untouched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from economy.storage.errors import StorageError, StorageVersionError
from economy.storage.postgres import PostgresStorage
from economy.storage.postgres.connection import FAILURES, Connection, lock, storage_error
from economy.storage.postgres.migrations import load_migrations
from economy.storage.postgres.rank_counts import rebuild_rank_counts
from economy.storage.sqlite.migrations import load_migrations as load_sqlite_migrations
from economy.storage.urls import redact

# The SQLite schema version each PostgreSQL schema version holds exactly the same data as
# (PostgreSQL's V001 baseline is SQLite's V001 + V002, its V002 is SQLite's V003). Porting a
# SQLite migration adds a line.
SQLITE_VERSION_OF = {1: 2, 2: 3, 3: 4}
CHUNK = 5000


def _moment(value: str) -> datetime:
    """A stored ISO timestamp as an aware datetime (naive ones are UTC)."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Table:
    """A table to copy: its columns, and which of them SQLite keeps as text that PostgreSQL
    types natively (timestamps, days, exact numbers)."""

    name: str
    columns: tuple[str, ...]
    times: tuple[str, ...] = ()
    sums: tuple[str, ...] = ()  # totals: columns whose sums must match after the copy
    identity: bool = False  # an id column PostgreSQL numbers (continue after the copied ids)
    days: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()

    def convert(self) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
        kinds: tuple[tuple[tuple[str, ...], Callable[[str], Any]], ...] = (
            (self.times, _moment),
            (self.days, date.fromisoformat),
            (self.numbers, Decimal),
        )
        at = [(self.columns.index(c), read) for columns, read in kinds for c in columns]

        def row(values: tuple[Any, ...]) -> tuple[Any, ...]:
            if not at:
                return values
            out = list(values)
            for i, read in at:
                if out[i] is not None:
                    out[i] = read(out[i])
            return tuple(out)

        return row


# In an order that satisfies the foreign keys.
TABLES = (
    Table(
        "resets",
        ("id", "guild_id", "user_id", "actor_id", "entries", "created_at", "restored_at",
         "up_to_id", "finished_at"),
        times=("created_at", "restored_at", "finished_at"),
        identity=True,
    ),
    Table(
        "ledger",
        ("id", "guild_id", "recipient_id", "gifter_key", "gifter_name", "recorder_id",
         "gift_name", "count", "coins", "diamonds_milli", "created_at", "month_key", "week_key",
         "undone", "archived"),
        times=("created_at",),
        identity=True,
    ),
    Table(
        "received_totals",
        ("guild_id", "user_id", "period_key", "diamonds_milli", "coins", "entries"),
        sums=("diamonds_milli", "coins", "entries"),
    ),
    Table(
        "gifter_totals",
        ("guild_id", "gifter_key", "period_key", "name", "coins", "diamonds_milli", "entries"),
        sums=("coins", "diamonds_milli", "entries"),
    ),
    Table(
        "gift_totals",
        ("guild_id", "recipient_id", "gift_name", "count", "diamonds_milli"),
        sums=("count", "diamonds_milli"),
    ),
    Table(
        "tally_groups",
        ("id", "guild_id", "name", "name_key", "creator_id", "created_at"),
        times=("created_at",),
        identity=True,
    ),
    Table("tally_group_members", ("group_id", "user_id", "joined_at"), times=("joined_at",)),
    Table("group_requests", ("group_id", "user_id", "requested_at"), times=("requested_at",)),
    Table("guild_settings", ("guild_id", "key", "value")),
    Table(
        "config_audit",
        ("id", "guild_id", "actor_id", "key", "old_value", "new_value", "created_at"),
        times=("created_at",),
        identity=True,
    ),
    Table(
        "custom_gifts",
        ("guild_id", "name_key", "name", "coins", "creator_id", "created_at"),
        times=("created_at",),
    ),
    Table(
        "member_names",
        ("guild_id", "user_id", "name", "avatar", "seen_at"),
        times=("seen_at",),
    ),
    Table(
        "reference_rates",
        ("id", "as_of", "source", "rates", "loaded_at"),
        times=("loaded_at",),
        identity=True,
    ),
    Table(
        "period_schedules",
        ("guild_id", "kind", "channel_id", "gifter_role_id", "receiver_role_id", "manager_id",
         "locale", "created_at", "status", "failure"),
        times=("created_at",),
    ),
    Table(
        "period_claims",
        ("guild_id", "period_key", "claimed_at", "finished_at", "outcome", "message_id"),
        times=("claimed_at", "finished_at"),
    ),
    Table("role_holders", ("guild_id", "role_id", "user_id", "since"), times=("since",)),
    Table(
        "threshold_roles",
        ("guild_id", "role_id", "diamonds_milli", "manager_id", "created_at", "status",
         "failure"),
        times=("created_at",),
    ),
    Table(
        "threshold_grants",
        ("guild_id", "role_id", "user_id", "granted_at"),
        times=("granted_at",),
    ),
    Table(
        "goals",
        ("id", "guild_id", "user_id", "group_id", "amount", "currency", "due_on",
         "after_entry_id", "setter_id", "created_at", "reached_at"),
        times=("created_at", "reached_at"),
        days=("due_on",),
        numbers=("amount",),
        identity=True,
    ),
)  # fmt: skip
TOTALS_TRIGGER = "ledger_count_new"


@dataclass(frozen=True)
class Tally:
    """What one table holds: its row count and the sums of its total columns."""

    rows: int
    sums: tuple[int, ...] = ()


@dataclass(frozen=True)
class CopyReport:
    """What was copied, checked equal on both sides."""

    source: Path
    target: str  # the URL without its password
    tables: dict[str, Tally]
    problems: tuple[str, ...]

    @property
    def entries(self) -> int:
        return self.tables["ledger"].rows


def _tally_sql(table: Table) -> str:
    sums = "".join(f", COALESCE(SUM({c}), 0)" for c in table.sums)
    return f"SELECT COUNT(*){sums} FROM {table.name}"


def _tally(row: tuple[Any, ...] | Any) -> Tally:
    values = [int(v) for v in row]
    return Tally(values[0], tuple(values[1:]))


def _open_source(path: Path) -> sqlite3.Connection:
    """The SQLite file, read only, in an open read transaction (the snapshot to copy)."""
    if not path.is_file():
        raise StorageError(f"there is no SQLite database at {path}")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        db.execute("BEGIN")
        (version,) = db.execute("PRAGMA user_version").fetchone()
    except sqlite3.Error as exc:
        raise StorageError(f"cannot read {path} as a SQLite database ({exc})") from exc
    wanted = SQLITE_VERSION_OF[len(load_migrations())]
    if version != wanted:
        known = len(load_sqlite_migrations())
        hint = (
            "start the bot once on it (it upgrades the file), then copy"
            if version < known
            else "copy it with the version of the bot that wrote it"
            if version > known
            else "this bot's PostgreSQL schema does not hold that version yet"
        )
        db.close()
        raise StorageVersionError(
            f"{path} has schema version {version}; the copy needs version {wanted}: {hint}"
        )
    return db


def _source_rows(db: sqlite3.Connection, table: Table) -> Iterator[tuple[Any, ...]]:
    convert = table.convert()
    cursor = db.execute(f"SELECT {', '.join(table.columns)} FROM {table.name}")
    while rows := cursor.fetchmany(CHUNK):
        for values in rows:
            yield convert(tuple(values))


def _highest_id(db: sqlite3.Connection, table: str) -> int:
    """The highest id SQLite has handed out in `table`: its largest, or for an AUTOINCREMENT
    table (goals) the one SQLite remembers, deleted rows' too, so no id is ever used twice."""
    (largest,) = db.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        remembered = db.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,))
        largest = max([largest, *(int(seq) for (seq,) in remembered)])
    return int(largest)


async def _refuse_non_empty(conn: Connection, target: str) -> None:
    filled = []
    for table in TABLES:
        if await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table.name})"):
            filled.append(table.name)
    if filled:
        raise StorageError(
            f"{target} already holds data ({', '.join(filled)}); the copy only goes into an "
            "empty database, so nothing is overwritten"
        )


async def _copy_tables(conn: Connection, db: sqlite3.Connection, source_id: str | None) -> None:
    await conn.execute(f"ALTER TABLE ledger DISABLE TRIGGER {TOTALS_TRIGGER}")
    for table in TABLES:
        await conn.copy_records_to_table(
            table.name, records=_source_rows(db, table), columns=list(table.columns)
        )
        if table.identity:
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), $1, false)",
                _highest_id(db, table.name) + 1,
            )
    await conn.execute(f"ALTER TABLE ledger ENABLE TRIGGER {TOTALS_TRIGGER}")
    await rebuild_rank_counts(conn)
    if source_id:
        await conn.execute(
            "INSERT INTO meta (key, value) VALUES ('copied_from', $1)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            source_id,
        )


async def _copy(
    storage: PostgresStorage, db: sqlite3.Connection, expected: dict[str, Tally], source_id: Any
) -> dict[str, Tally]:
    """The copy's one transaction; rolled back unless every table adds up."""
    async with storage.pool.acquire() as conn, conn.transaction():
        await lock(conn, "db copy")
        await _refuse_non_empty(conn, storage.url)
        await _copy_tables(conn, db, source_id)
        copied = {t.name: _tally(await conn.fetchrow(_tally_sql(t))) for t in TABLES}
        differ = [name for name in expected if copied[name] != expected[name]]
        if differ:
            raise StorageError(f"the copy did not add up in {', '.join(differ)}; nothing was kept")
    return copied


async def copy_sqlite_to_postgres(path: str | Path, url: str) -> CopyReport:
    """Copy the SQLite database at `path` into the empty PostgreSQL database at `url`; see the
    module docstring. StorageError (nothing written) when the target is not empty, the source
    is missing or of another schema version, or the copy does not add up."""
    source_path = Path(path)
    db = _open_source(source_path)
    try:
        expected = {t.name: _tally(db.execute(_tally_sql(t)).fetchone()) for t in TABLES}
        meta = db.execute("SELECT value FROM meta WHERE key = 'database_id'").fetchone()
        storage = await PostgresStorage.open(url, max_connections=1)
        try:
            try:
                copied = await _copy(storage, db, expected, meta[0] if meta else None)
            except FAILURES as exc:
                raise StorageError(
                    f"the copy failed, nothing was kept: {storage_error(exc)}"
                ) from exc
            async with storage.pool.acquire() as conn:
                await conn.execute("ANALYZE")  # the planner's statistics for the copied rows
            problems = await storage.verify()
        finally:
            await storage.close()
    finally:
        db.close()
    return CopyReport(source_path, redact(url), copied, tuple(problems))
