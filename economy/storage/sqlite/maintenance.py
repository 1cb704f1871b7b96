"""Whole-file maintenance: `verify` (integrity and totals against the ledger) and online backup."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from economy.storage.queries import ACTIVE as _ACTIVE
from economy.storage.sqlite.connection import Session, storage_error

# Totals recomputed from the active ledger, compared both ways with the stored ones.
_PERIODS = f"""
    WITH active AS (SELECT * FROM ledger WHERE {_ACTIVE}),
    keyed AS (
        SELECT *, 'all' AS period_key FROM active
        UNION ALL SELECT *, month_key FROM active
        UNION ALL SELECT *, week_key FROM active)"""
_VERIFY_TOTALS: dict[str, str] = {
    "received_totals": f"""{_PERIODS},
        expected AS (
            SELECT guild_id, recipient_id, period_key, SUM(diamonds_milli), SUM(coins), COUNT(*)
            FROM keyed GROUP BY guild_id, recipient_id, period_key),
        stored AS (
            SELECT guild_id, user_id, period_key, diamonds_milli, coins, entries
            FROM received_totals WHERE entries > 0 OR diamonds_milli + coins > 0)
        SELECT (SELECT COUNT(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored))
             + (SELECT COUNT(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected))""",
    "gifter_totals": f"""{_PERIODS},
        expected AS (
            SELECT guild_id, gifter_key, period_key, SUM(coins), SUM(diamonds_milli), COUNT(*)
            FROM keyed WHERE gifter_key IS NOT NULL GROUP BY guild_id, gifter_key, period_key),
        stored AS (
            SELECT guild_id, gifter_key, period_key, coins, diamonds_milli, entries
            FROM gifter_totals WHERE entries > 0 OR coins + diamonds_milli > 0)
        SELECT (SELECT COUNT(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored))
             + (SELECT COUNT(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected))""",
    "gift_totals": f"""
        WITH expected AS (
            SELECT guild_id, recipient_id, gift_name, SUM(count), SUM(diamonds_milli)
            FROM ledger WHERE {_ACTIVE} AND gift_name IS NOT NULL
            GROUP BY guild_id, recipient_id, gift_name),
        stored AS (
            SELECT guild_id, recipient_id, gift_name, count, diamonds_milli FROM gift_totals
            WHERE count > 0 OR diamonds_milli > 0)
        SELECT (SELECT COUNT(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored))
             + (SELECT COUNT(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected))""",
}


async def verify_session(session: Session) -> list[str]:
    """The checks of `SqliteStorage.verify`, in one read transaction."""
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
        raise storage_error(exc) from exc
    finally:
        source.close()
    os.replace(partial, final)
