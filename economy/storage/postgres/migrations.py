"""Numbered schema steps (``migrations/V###__name.sql``), applied in one transaction.

Applied versions are rows of ``schema_migrations``. The whole upgrade runs under an advisory
lock, so processes starting together migrate once; a database written by a newer version of
the bot is refused, never downgraded. Porting a SQLite migration is one SQL file here.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from economy.storage.errors import StorageVersionError
from economy.storage.postgres.connection import Connection, lock_key
from economy.storage.sqlite.migrations import Migration, numbered_files

MIGRATION_LOCK = lock_key("tiktok-gift-bot", "migrations")
_VERSIONS = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)"""


def load_migrations(source: Traversable | Path | None = None) -> list[Migration]:
    """Read ``V###__name.sql`` files (default: the packaged ones); versions must be 1..N."""
    folder = (
        source if source is not None else resources.files("economy.storage.postgres") / "migrations"
    )
    return numbered_files(folder)


async def schema_version(conn: Connection) -> int:
    """The newest version applied (0 for an empty database)."""
    exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    if not exists:
        return 0
    return int(await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))


def _check_not_newer(current: int, latest: int, where: str) -> None:
    if current > latest:
        raise StorageVersionError(
            f"{where} was written by a newer tiktok-gift-bot (schema {current}, this version "
            f"knows {latest}); upgrade the bot"
        )


async def migrate(conn: Connection, plan: list[Migration], where: str) -> None:
    """Apply pending migrations in ONE transaction, each recorded in schema_migrations."""
    latest = len(plan)
    current = await schema_version(conn)
    _check_not_newer(current, latest, where)
    if current == latest:
        return
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
        await conn.execute(_VERSIONS)
        current = await schema_version(conn)  # another process may have won
        _check_not_newer(current, latest, where)
        for migration in plan[current:]:
            await conn.execute(migration.sql)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                migration.version,
                migration.name,
            )
