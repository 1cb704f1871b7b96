"""What the bot runs on, opened once in `main()` and injected: the storage and its profiles."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from bot.config import BotConfig
from bot.dblock import one_process
from economy.catalog import default_catalog
from economy.profiles import Profiles
from economy.rates import default_presets
from economy.storage import SqliteStorage, Storage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """The resources every cog uses; their owner (`open_services`) closes them."""

    storage: Storage
    profiles: Profiles


async def open_storage(config: BotConfig) -> Storage:
    """The configured database, opened and migrated: PostgreSQL when DATABASE_URL is set,
    else the SQLite file."""
    url = config.database_url_value()
    if url:
        from economy.storage.postgres import PostgresStorage  # asyncpg only when it is used

        return await PostgresStorage.open(url)
    return await SqliteStorage.open(config.database_path)


def services_on(storage: Storage) -> Services:
    """Services over an already opened storage (the caller closes it)."""
    return Services(storage, Profiles(storage.guild_settings, default_catalog(), default_presets()))


@asynccontextmanager
async def open_services(config: BotConfig) -> AsyncIterator[Services]:
    """Open the database and build the services on it; closed on the way out. A SQLite file
    is held by this process alone (`bot.dblock`): a second bot process on it is refused."""
    async with AsyncExitStack() as stack:
        if config.database_url is None:
            stack.enter_context(one_process(config.database_path))
        storage = await open_storage(config)
        try:
            log.info("Storage: %s", config.database)
            yield services_on(storage)
        finally:
            await storage.close()
            log.info("Database closed")
