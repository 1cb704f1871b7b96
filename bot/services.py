"""What the bot runs on, opened once in `main()` and injected: the storage and its profiles."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.config import BotConfig
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
    """The configured database, opened and migrated."""
    return await SqliteStorage.open(config.database_path)


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
async def open_services(config: BotConfig) -> AsyncIterator[Services]:
    """Open the database and build the services on it; closed on the way out."""
    storage = await open_storage(config)
    try:
        yield services_on(storage)
    finally:
        await storage.close()
        log.info("Database closed")
