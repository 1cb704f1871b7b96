"""Whole-file maintenance: `verify` (integrity and totals against the ledger) and online backup."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from economy.storage.sqlite.connection import Session, storage_error
from economy.storage.sqlite.ledger import ACTIVE as _ACTIVE

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
