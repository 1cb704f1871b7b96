"""`SqliteReferenceRates`: loaded exchange rates in the `reference_rates` table (V002)."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime

from economy.errors import DataFileError
from economy.fx import ReferenceRates
from economy.storage.periods import as_utc
from economy.storage.reference_rates import StoredReferenceRates
from economy.storage.sqlite.connection import Database

NEWEST_FIRST = (
    "SELECT id, rates, loaded_at FROM reference_rates ORDER BY as_of DESC, id DESC LIMIT 20"
)

log = logging.getLogger(__name__)


class SqliteReferenceRates:
    """The `ReferenceRatesStore` protocol on SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_reference_rates(
        self, rates: ReferenceRates, now: datetime | None = None
    ) -> StoredReferenceRates:
        """Keep `rates` as one row (their day, source and JSON text), with the load time."""
        moment = as_utc(now)
        text = rates.to_json()

        def write(db: sqlite3.Connection) -> int:
            (row_id,) = db.execute(
                "INSERT INTO reference_rates (as_of, source, rates, loaded_at)"
                " VALUES (?, ?, ?, ?) RETURNING id",
                (rates.as_of.isoformat(), rates.source, text, moment.isoformat()),
            ).fetchone()
            return int(row_id)

        return StoredReferenceRates(await self._db.write(write), rates, moment)

    async def newest_reference_rates(self) -> StoredReferenceRates | None:
        """The newest day's rates that still read as valid."""
        for row_id, text, loaded_at in await self._db.read(NEWEST_FIRST, ()):
            try:
                rates = ReferenceRates.from_json(text, f"reference_rates row {row_id}")
            except DataFileError as error:
                log.warning("Skipping stored exchange rates: %s", error)
                continue
            return StoredReferenceRates(row_id, rates, datetime.fromisoformat(loaded_at))
        return None
