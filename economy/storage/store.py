"""`Storage`: the aggregates behind one handle the bot opens at start and closes at exit."""

from __future__ import annotations

import os
from types import TracebackType
from typing import Protocol, Self

from economy.storage.community import CommunityStore
from economy.storage.groups import GroupStore
from economy.storage.guild_settings import GuildSettingsStore
from economy.storage.ledger import LedgerStore
from economy.storage.reference_rates import ReferenceRatesStore


class Storage(Protocol):
    """Tallies, groups, per-server settings and community plans, each keyed by server, and
    the exchange rates loaded for every server."""

    @property
    def ledger(self) -> LedgerStore: ...

    @property
    def groups(self) -> GroupStore: ...

    @property
    def guild_settings(self) -> GuildSettingsStore: ...

    @property
    def community(self) -> CommunityStore: ...

    @property
    def reference_rates(self) -> ReferenceRatesStore: ...

    async def close(self) -> None:
        """Close the database; the object is unusable afterwards."""
        ...

    async def verify(self) -> list[str]:
        """Consistency problems of the whole store (empty when healthy); slow, for tooling."""
        ...

    async def backup(self, target: str | os.PathLike[str]) -> None:
        """Write a consistent copy of the whole database to `target`."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class ClosesOnExit:
    """``async with`` closes the storage: the `__aenter__`/`__aexit__` every backend shares."""

    async def close(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
