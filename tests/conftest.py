"""Shared fixtures: a real bot on a temporary database, driven offline through real payloads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.client import GiftBot, create_bot
from bot.offline import ALL_PERMISSIONS, FakeGuild, FakeUser, OfflineDiscord
from bot.settings import Settings

GUILD = FakeGuild(id=900_000_000_000_000_001)
OTHER_GUILD = FakeGuild(id=900_000_000_000_000_002)
ALICE = FakeUser(800_000_000_000_000_001, "alice")
BOB = FakeUser(800_000_000_000_000_002, "bob")
MANAGER = FakeUser(800_000_000_000_000_003, "manager", permissions=ALL_PERMISSIONS)
OUTSIDER = FakeUser(800_000_000_000_000_004, "outsider")
A_BOT = FakeUser(800_000_000_000_000_005, "somebot", bot=True)
MEMBERS = {u.id: u for u in (ALICE, BOB, MANAGER, A_BOT)}


def settings_for(tmp_path: Path) -> Settings:
    return Settings(
        discord_token=None,
        database_path=tmp_path / "bot.sqlite3",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path)


@pytest.fixture
async def offline(settings: Settings) -> AsyncIterator[OfflineDiscord]:
    """A started bot whose replies are captured; closed (database too) after the test."""
    bot: GiftBot = create_bot(settings)
    async with OfflineDiscord(bot) as driver:
        yield driver


@pytest.fixture
def members() -> dict[int, FakeUser]:
    return dict(MEMBERS)
