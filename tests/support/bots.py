"""A real bot for a test: its configuration on a temporary database, opened and closed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.client import GiftBot
from bot.config import BotConfig
from bot.offline import OfflineDiscord
from bot.services import open_services, services_on
from economy.storage import Storage


def config_for(tmp_path: Path) -> BotConfig:
    """No token, no `.env`: a database file in `tmp_path`."""
    return BotConfig(
        discord_token=None,
        database_path=tmp_path / "bot.sqlite3",
        state_dir=tmp_path / "state",
        _env_file=None,  # type: ignore[call-arg]
    )


@asynccontextmanager
async def offline_bot(
    config: BotConfig, *, storage: Storage | None = None
) -> AsyncIterator[OfflineDiscord]:
    """A started bot driven offline, on `config`'s database (or on `storage`, left open)."""
    if storage is not None:
        async with OfflineDiscord(GiftBot(config, services_on(storage))) as driver:
            yield driver
        return
    async with (
        open_services(config) as services,
        OfflineDiscord(GiftBot(config, services)) as driver,
    ):
        yield driver
