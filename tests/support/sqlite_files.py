"""Looking into a SQLite database file from outside the bot, as another process would: each
call on a connection of its own, committed and closed before it returns (sqlite3's `with`
only ends the transaction)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def run_sql(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """Run one statement on the file at `path`; the rows it gave."""
    with sqlite3.connect(path) as db:
        rows = db.execute(sql).fetchall()
    db.close()
    return rows


def user_version(path: Path) -> int:
    """The schema version the file records (the number of migrations applied)."""
    [(version,)] = run_sql(path, "PRAGMA user_version")
    return int(version)
