"""White-box stand-ins for a full disk, run on the SQLite writer's own connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def cap_file_size(extra_pages: int) -> Callable[[sqlite3.Connection], None]:
    """Cap the database file at its current size plus a few pages."""

    def cap(db: sqlite3.Connection) -> None:
        (pages,) = db.execute("PRAGMA page_count").fetchone()
        db.execute(f"PRAGMA max_page_count = {pages + extra_pages}")

    return cap


def free_space(db: sqlite3.Connection) -> None:
    """Lift the cap again: space freed."""
    db.execute("PRAGMA max_page_count = 1073741823")
