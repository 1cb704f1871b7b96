"""Numbered schema steps (``migrations/V###__name.sql``), applied in one transaction.

The version applied is kept in ``PRAGMA user_version``; a database written by a newer version
of the bot is refused, never downgraded.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import suppress
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from economy.storage.errors import StorageVersionError

_MIGRATION_RE = re.compile(r"V(\d{3,})__(\w+)\.sql")


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
    folder = (
        source if source is not None else resources.files("economy.storage.sqlite") / "migrations"
    )
    return numbered_files(folder)


def numbered_files(folder: Traversable | Path) -> list[Migration]:
    """The ``V###__name.sql`` files of a folder in order; versions must be 1..N."""
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


def migrate(db: sqlite3.Connection, path: Path, plan: list[Migration]) -> None:
    """Apply pending migrations in ONE transaction, recorded in PRAGMA user_version."""
    latest = len(plan)
    if _user_version(db, path, latest) == latest:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        current = _user_version(db, path, latest)  # another process may have won
        for migration in plan[current:]:
            for statement in migration.statements():
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {latest:d}")
        if db.execute("PRAGMA foreign_key_check").fetchall():
            raise StorageVersionError(f"{path}: migration left broken foreign keys")
        db.execute("COMMIT")
    except BaseException:
        with suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise


def check_version(db: sqlite3.Connection, path: Path, plan: list[Migration]) -> None:
    """StorageVersionError when the file was written by a newer version (before anything,
    even the journal mode, is changed in it)."""
    _user_version(db, path, len(plan))


def _user_version(db: sqlite3.Connection, path: Path, latest: int) -> int:
    """The schema version; StorageVersionError when it is newer than the code."""
    row = db.execute("PRAGMA user_version").fetchone()
    current = int(row[0]) if row else 0
    if current > latest:
        raise StorageVersionError(
            f"{path} was written by a newer tiktok-gift-bot (schema {current}, this version "
            f"knows {latest}); upgrade the bot"
        )
    return current
