"""The storage backends a test runs on: a SQLite file, or a PostgreSQL database of its own.

The `backend` fixture (tests/conftest.py) hands a test one `Backend`; tests under
tests/storage and tests/commands run once per backend. A `Backend` opens the storage, builds
the bot's configuration on it, and reaches the database from outside the storage (a count, a
failure planted in a write) in that backend's own dialect.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from bot.config import BotConfig
from economy.storage import SqliteStorage, Storage
from economy.storage.postgres import PostgresStorage
from tests.support.sqlite_files import run_sql

BACKENDS = ("sqlite", "postgres")
_PG_FAIL = """
CREATE OR REPLACE FUNCTION planted_failure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'boom';
END $$;
"""


@dataclass(frozen=True)
class Backend:
    """Where a test's data lives: `sqlite_path` always names a file; `url` is set for
    PostgreSQL (the test's own database, dropped after it)."""

    name: str
    sqlite_path: Path
    url: str | None = None

    @property
    def postgres(self) -> bool:
        return self.url is not None

    async def open(self) -> Storage:
        if self.url is not None:
            return await PostgresStorage.open(self.url)
        return await SqliteStorage.open(self.sqlite_path)

    def config(self) -> BotConfig:
        """The bot's configuration on this backend (no token, no `.env`)."""
        return BotConfig(
            discord_token=None,
            database_path=self.sqlite_path,
            database_url=self.url,
            _env_file=None,  # type: ignore[call-arg]
        )

    async def scalar(self, sql: str) -> Any:
        """The first column of the first row of `sql`, read outside the storage."""
        if self.url is not None:
            conn = await asyncpg.connect(self.url)
            try:
                return await conn.fetchval(sql)
            finally:
                await conn.close()
        rows = run_sql(self.sqlite_path, sql)
        return rows[0][0] if rows else None

    async def execute(self, sql: str) -> None:
        """Run one statement outside the storage (committed), e.g. to plant a damaged row."""
        if self.url is not None:
            conn = await asyncpg.connect(self.url)
            try:
                await conn.execute(sql)
            finally:
                await conn.close()
            return
        run_sql(self.sqlite_path, sql)

    async def plant_failure(self, name: str, table: str, event: str, when: str = "true") -> None:
        """A trigger that makes any write doing `event` ("INSERT", "UPDATE OF col") on
        `table` fail when `when` holds (NEW./OLD. columns), in the backend's dialect."""
        if self.url is not None:
            conn = await asyncpg.connect(self.url)
            try:
                await conn.execute(_PG_FAIL)
                await conn.execute(
                    f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW"
                    f" WHEN ({when}) EXECUTE FUNCTION planted_failure()"
                )
            finally:
                await conn.close()
            return
        run_sql(
            self.sqlite_path,
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {when}"
            " BEGIN SELECT RAISE(ABORT, 'boom'); END",
        )

    async def remove_failure(self, name: str, table: str) -> None:
        if self.url is not None:
            conn = await asyncpg.connect(self.url)
            try:
                await conn.execute(f"DROP TRIGGER {name} ON {table}")
            finally:
                await conn.close()
            return
        run_sql(self.sqlite_path, f"DROP TRIGGER {name}")
