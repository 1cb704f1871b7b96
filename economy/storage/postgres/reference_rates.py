"""`PostgresReferenceRates`: loaded exchange rates in the `reference_rates` table (V001)."""

from __future__ import annotations

from datetime import datetime

from economy.fx import ReferenceRates
from economy.storage.periods import as_utc
from economy.storage.postgres.connection import Database
from economy.storage.queries import (
    ADD_REFERENCE_RATES,
    NEWEST_REFERENCE_RATES,
    newest_valid_rates,
    numbered,
)
from economy.storage.reference_rates import StoredReferenceRates


class PostgresReferenceRates:
    """The `ReferenceRatesStore` protocol on PostgreSQL (SQLite's statements, numbered)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_reference_rates(
        self, rates: ReferenceRates, now: datetime | None = None
    ) -> StoredReferenceRates:
        """Keep `rates` as one row (their day, source and JSON text), with the load time."""
        moment = as_utc(now)
        params = (rates.as_of.isoformat(), rates.source, rates.to_json(), moment)
        (row_id,) = await self._db.write_one(numbered(ADD_REFERENCE_RATES), params)
        return StoredReferenceRates(int(row_id), rates, moment)

    async def newest_reference_rates(self) -> StoredReferenceRates | None:
        """The newest day's rates that still read as valid."""
        return newest_valid_rates(await self._db.read(numbered(NEWEST_REFERENCE_RATES)))
