"""Whole-database maintenance on PostgreSQL: `verify`, every total against the ledger."""

from __future__ import annotations

from economy.storage.postgres.connection import Session
from economy.storage.queries import VERIFY_TOTALS


async def verify_session(session: Session) -> list[str]:
    """The checks of `PostgresStorage.verify`, in the caller's snapshot. Foreign keys and
    CHECK constraints are enforced by PostgreSQL on every write, so only totals can drift."""
    problems: list[str] = []
    for table, sql in VERIFY_TOTALS.items():
        row = await session.row(sql)
        if row and row[0]:
            problems.append(f"{table}: {row[0]} rows differ from the ledger")
    return problems
