"""Whole-file maintenance: `verify` (integrity and totals against the ledger) and online backup."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from economy.storage.queries import VERIFY_TOTALS as _VERIFY_TOTALS
from economy.storage.sqlite.connection import Session, storage_error


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
