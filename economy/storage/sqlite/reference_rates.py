"""`SqliteReferenceRates`: loaded exchange rates in the `reference_rates` table (V002)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from economy.fx import ReferenceRates
from economy.storage.periods import as_utc
from economy.storage.queries import ADD_REFERENCE_RATES, NEWEST_REFERENCE_RATES, newest_valid_rates
from economy.storage.reference_rates import StoredReferenceRates
from economy.storage.sqlite.connection import Database


class SqliteReferenceRates:
    """The `ReferenceRatesStore` protocol on SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_reference_rates(
        self, rates: ReferenceRates, now: datetime | None = None
    ) -> StoredReferenceRates:
        """Keep `rates` as one row (their day, source and JSON text), with the load time."""
        moment = as_utc(now)
        params = (rates.as_of.isoformat(), rates.source, rates.to_json(), moment.isoformat())

        def write(db: sqlite3.Connection) -> int:
            (row_id,) = db.execute(ADD_REFERENCE_RATES, params).fetchone()
            return int(row_id)

        return StoredReferenceRates(await self._db.write(write), rates, moment)

    async def newest_reference_rates(self) -> StoredReferenceRates | None:
        """The newest day's rates that still read as valid."""
        return newest_valid_rates(await self._db.read(NEWEST_REFERENCE_RATES, ()))
