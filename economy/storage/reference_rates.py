"""Exchange rates loaded with `python -m bot fx update FILE`: the protocol only.

One row per load: the ECB day's rates exactly as read, and when they were loaded. The bot uses
the rates of the newest day (the latest load on a tie) over the ones it ships with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from economy.fx import ReferenceRates


@dataclass(frozen=True)
class StoredReferenceRates:
    """One load of reference rates: its row id, the rates, and when they were loaded (UTC)."""

    id: int
    rates: ReferenceRates
    loaded_at: datetime


class ReferenceRatesStore(Protocol):
    """Dated reference exchange rates, kept for every server."""

    async def add_reference_rates(
        self, rates: ReferenceRates, now: datetime | None = None
    ) -> StoredReferenceRates:
        """Keep `rates` (validated already); returns the stored row."""
        ...

    async def newest_reference_rates(self) -> StoredReferenceRates | None:
        """The rates of the newest ECB day (the latest load on a tie); None before any load.

        A stored row that no longer reads as valid rates is skipped (the next newest is used).
        """
        ...
