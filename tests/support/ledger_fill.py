"""A big SQLite ledger for a test, fast: rows made by SQLite itself (a recursive CTE), with
the totals trigger held off, since the tests that need a million rows read the ledger only."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from economy.storage.periods import period_keys

FILL = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
INSERT INTO ledger (guild_id, recipient_id, gifter_key, gifter_name, recorder_id, gift_name,
                    count, coins, diamonds_milli, created_at, month_key, week_key)
SELECT ?, ? + i % ?, CASE WHEN i % 3 = 0 THEN 't:fan' || (i % 97) END,
       CASE WHEN i % 3 = 0 THEN 'Fan ' || (i % 97) END, ? + i % ?,
       CASE i % 4 WHEN 0 THEN 'Rose' WHEN 1 THEN 'Galaxy' WHEN 2 THEN 'Lion' ELSE NULL END,
       1 + i % 9, 1 + i % 1000, (1 + i % 1000) * 1000, ?, ?, ?
FROM n
"""


def fill_ledger(path: Path, guild_id: int, rows: int, *, members: int = 1000) -> None:
    """Append `rows` entries to `guild_id`'s ledger (recipients and recorders among `members`
    ids from 1); totals are not updated."""
    now = datetime.now(UTC)
    month, week = period_keys(now)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("PRAGMA cache_size = -262144")  # the indexes stay in memory while filling
        (trigger,) = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'ledger_count_new'"
        ).fetchone()
        db.execute("BEGIN IMMEDIATE")
        db.execute("DROP TRIGGER ledger_count_new")
        db.execute(FILL, (rows, guild_id, 1, members, 1, members, now.isoformat(), month, week))
        db.execute(trigger)
        db.execute("COMMIT")
    finally:
        db.close()
