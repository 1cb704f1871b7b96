"""`PostgresStorage`: the storage protocols on a PostgreSQL server, for several bot processes.

One module per aggregate (`ledger`, `groups`, `guild_settings`, `community`,
`reference_rates`) over one `Database`
(`connection`: an asyncpg pool, a transaction per write, snapshot reads, advisory locks), with
numbered `migrations` (a future SQLite migration is ported as one SQL file here plus its
methods) and `maintenance`. Chosen by ``DATABASE_URL=postgresql://...``.
"""

from __future__ import annotations

import os
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Self

import asyncpg

from economy.storage.errors import StorageError
from economy.storage.postgres.community import PostgresCommunity
from economy.storage.postgres.connection import SERVER_SETTINGS, Database, storage_error
from economy.storage.postgres.groups import PostgresGroups
from economy.storage.postgres.guild_settings import PostgresGuildSettings
from economy.storage.postgres.ledger import PostgresLedger, resume_interrupted
from economy.storage.postgres.maintenance import verify_session
from economy.storage.postgres.migrations import load_migrations, migrate
from economy.storage.postgres.reference_rates import PostgresReferenceRates
from economy.storage.store import ClosesOnExit
from economy.storage.urls import is_postgres_url, redact, scrub

if TYPE_CHECKING:
    from economy.storage.store import Storage

__all__ = ["PostgresStorage", "is_postgres_url", "redact"]

_FAILURES = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)


def cannot_open(url: str, exc: BaseException) -> StorageError:
    """A StorageError naming the (redacted) database and why it could not be opened."""
    if isinstance(exc, StorageError):
        return exc
    code = getattr(exc, "sqlstate", None)
    if code == "3D000":
        why = "that database does not exist on the server (create it with createdb)"
    elif code in ("28P01", "28000"):
        why = "the server refused the user name or password"
    elif isinstance(exc, OSError | TimeoutError):
        why = f"the server could not be reached ({scrub(str(exc) or type(exc).__name__, url)})"
    else:
        why = scrub(str(storage_error(exc)), url)
    return StorageError(f"cannot open the PostgreSQL database {redact(url)}: {why}")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """A connection goes back to the pool as it is: asyncpg has already rolled back any open
    transaction, and the storage leaves no other session state (no SET, LISTEN, cursor or
    session-level advisory lock: locks are per transaction). Skipping the default reset
    saves one round trip on every use of the pool."""


class PostgresStorage(ClosesOnExit):
    """Tallies, groups, settings, community plans and exchange rates in one PostgreSQL database.
    ``await PostgresStorage.open("postgresql://user:password@host/dbname")``."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.url = redact(db.url)
        self._ledger = PostgresLedger(db)
        self._groups = PostgresGroups(db)
        self._guild_settings = PostgresGuildSettings(db)
        self._community = PostgresCommunity(db)
        self._reference_rates = PostgresReferenceRates(db)

    @property
    def ledger(self) -> PostgresLedger:
        return self._ledger

    @property
    def groups(self) -> PostgresGroups:
        return self._groups

    @property
    def guild_settings(self) -> PostgresGuildSettings:
        return self._guild_settings

    @property
    def community(self) -> PostgresCommunity:
        return self._community

    @property
    def reference_rates(self) -> PostgresReferenceRates:
        return self._reference_rates

    @property
    def pool(self) -> asyncpg.Pool:
        """The connection pool (for tools and benchmarks that run their own statements)."""
        return self._db.pool

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        min_connections: int = 1,
        max_connections: int = 10,
        migrations: Traversable | Path | None = None,
    ) -> Self:
        """Connect, bring the schema up to date (one transaction, under an advisory lock, so
        processes starting together migrate once) and open a pool. A schema newer than this
        code is refused; failures name the database without its password."""
        if not is_postgres_url(url):
            raise StorageError(f"not a PostgreSQL URL: {redact(url)}")
        plan = load_migrations(migrations)
        try:
            conn = await asyncpg.connect(url, server_settings=SERVER_SETTINGS, timeout=30)
            try:
                await migrate(conn, plan, redact(url))
            finally:
                await conn.close()
            pool = await asyncpg.create_pool(
                url,
                min_size=min_connections,
                max_size=max_connections,
                server_settings=SERVER_SETTINGS,
                timeout=30,
                reset=_keep_session,
            )
        except _FAILURES as exc:
            raise cannot_open(url, exc) from None
        storage = cls(Database(pool, url))
        try:
            await resume_interrupted(storage._db)
        except BaseException:
            await storage.close()
            raise
        return storage

    async def close(self) -> None:
        """Finish the writes under way and close the pool (idempotent)."""
        await self._db.close()

    async def verify(self) -> list[str]:
        """Every total recomputed from the active ledger, in one snapshot; returns problems
        (empty = healthy). Scans everything: slow, for tooling."""
        async with self._db.snapshot() as session:
            return await verify_session(session)

    async def backup(self, target: str | os.PathLike[str]) -> None:
        """PostgreSQL is backed up by its own tools, not by the bot."""
        raise StorageError(
            f"the bot does not back up PostgreSQL; use pg_dump on {self.url} (not {target})"
        )


if TYPE_CHECKING:  # static proof (checked by mypy) that PostgresStorage satisfies the protocol
    _conforms: type[Storage] = PostgresStorage
