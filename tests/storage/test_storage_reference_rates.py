"""Loaded exchange rates, on both backends: the newest ECB day wins, whatever order they were
loaded in; rows that no longer read as rates are skipped."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from economy.fx import ReferenceRates
from economy.storage import Storage
from tests.support.backends import Backend

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def rates(day: date, usd: str) -> ReferenceRates:
    return ReferenceRates(
        as_of=day, eur_rates={"USD": Decimal(usd), "IDR": Decimal("20000")}, origin="test.xml"
    )


async def test_nothing_loaded_yet(storage: Storage) -> None:
    assert await storage.reference_rates.newest_reference_rates() is None


async def test_the_newest_day_wins_then_the_latest_load(storage: Storage) -> None:
    store = storage.reference_rates
    october = await store.add_reference_rates(rates(date(2026, 10, 20), "1.15"), NOW)
    assert (october.rates.as_of, october.loaded_at) == (date(2026, 10, 20), NOW)
    await store.add_reference_rates(rates(date(2026, 9, 1), "1.10"), NOW)  # an older day, later
    newest = await store.newest_reference_rates()
    assert newest is not None and newest.id == october.id
    assert newest.rates == october.rates  # exactly as loaded, every rate a Decimal
    again = await store.add_reference_rates(rates(date(2026, 10, 20), "1.16"), NOW)
    newest = await store.newest_reference_rates()
    assert (
        newest is not None
        and newest.id == again.id
        and newest.rates.eur_rates["USD"] == Decimal("1.16")
    )


async def test_a_row_that_no_longer_reads_is_skipped(storage: Storage, backend: Backend) -> None:
    good = await storage.reference_rates.add_reference_rates(rates(date(2026, 10, 1), "1.15"))
    await backend.execute(
        "INSERT INTO reference_rates (as_of, source, rates, loaded_at)"
        " VALUES ('2026-10-30', 'ECB', '{not json', '2026-11-01T00:00:00+00:00')"
    )
    newest = await storage.reference_rates.newest_reference_rates()
    assert newest is not None and newest.id == good.id
