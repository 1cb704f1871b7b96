"""What the bot runs on, opened once in `main()` and injected: the storage and its profiles."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config import BotConfig
from bot.known_databases import KnownDatabases
from economy.catalog import default_catalog
from economy.profiles import Profiles
from economy.rates import default_presets
from economy.storage import SqliteStorage, Storage, StorageMissing

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """The resources every cog uses; their owner (`open_services`) closes them."""

    storage: Storage
    profiles: Profiles


MISSING = (
    "The database {path} is gone: the bot created it on an earlier run, so it was deleted or "
    "moved. Nothing was created in its place. Put it back (or restore a backup made with "
    "`python -m bot backup`), or start over with an empty database: "
    "python -m bot run --new-database"
)


async def open_storage(config: BotConfig, *, new_database: bool = False) -> Storage:
    """The configured database, opened and migrated. A missing file is created only the first
    time (or with `new_database`); one the bot created before is refused as gone."""
    path = config.database_path
    known = KnownDatabases(config.state_dir)
    if not path.exists() and known.knows(path) and not new_database:
        raise StorageMissing(MISSING.format(path=path.resolve()))
    storage = await SqliteStorage.open(path)
    try:
        known.remember(path)
    except OSError as error:
        log.warning("Could not note the database in %s: %s", config.state_dir, error)
    return storage


def services_on(storage: Storage) -> Services:
    """Services over an already opened storage (the caller closes it). The exchange rates
    loaded into it (`python -m bot fx update`) are applied on the first profile asked for."""
    profiles = Profiles(
        storage.guild_settings,
        default_catalog(),
        default_presets(),
        reference_rates=storage.reference_rates,
    )
    return Services(storage, profiles)


@asynccontextmanager
async def open_services(
    config: BotConfig, *, new_database: bool = False
) -> AsyncIterator[Services]:
    """Open the database and build the services on it; closed on the way out."""
    storage = await open_storage(config, new_database=new_database)
    try:
        yield services_on(storage)
    finally:
        await storage.close()
        log.info("Database closed")
