"""What the bot runs on, opened once in `main()` and injected: the storage and its profiles."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from bot.config import BotConfig
from bot.dblock import one_process
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


def refuse_vanished(config: BotConfig, *, new_database: bool = False) -> None:
    """StorageMissing when the SQLite file the bot created on an earlier run is gone: a
    missing file is created only the first time (or with `new_database`)."""
    path = config.database_path
    if config.database_url is not None or new_database or path.exists():
        return
    if KnownDatabases(config.state_dir).knows(path):
        raise StorageMissing(MISSING.format(path=path.resolve()))


def remember(config: BotConfig) -> None:
    """Note the SQLite file as one this bot created (see `refuse_vanished`)."""
    if config.database_url is not None:
        return
    try:
        KnownDatabases(config.state_dir).remember(config.database_path)
    except OSError as error:
        log.warning("Could not note the database in %s: %s", config.state_dir, error)


async def open_storage(config: BotConfig, *, new_database: bool = False) -> Storage:
    """The configured database, opened and migrated: PostgreSQL when DATABASE_URL is set,
    else the SQLite file (refused when it vanished since an earlier run)."""
    url = config.database_url_value()
    if url:
        from economy.storage.postgres import PostgresStorage  # asyncpg only when it is used

        return await PostgresStorage.open(url)
    refuse_vanished(config, new_database=new_database)
    storage = await SqliteStorage.open(config.database_path)
    remember(config)
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
    """Open the database and build the services on it; closed on the way out. A SQLite file
    is held by this process alone (`bot.dblock`): a second bot process on it is refused."""
    async with AsyncExitStack() as stack:
        if config.database_url is None:
            refuse_vanished(config, new_database=new_database)  # before the lock makes a folder
            stack.enter_context(one_process(config.database_path))
        storage = await open_storage(config, new_database=new_database)
        try:
            log.info("Storage: %s", config.database)
            yield services_on(storage)
        finally:
            await storage.close()
            log.info("Database closed")
