"""Shared fixtures: a real bot on a temporary database, driven offline through real payloads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.client import GiftBot, create_bot
from bot.offline import FakeUser, OfflineDiscord
from bot.settings import Settings
from tests.support.bots import settings_for
from tests.support.people import MEMBERS


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
