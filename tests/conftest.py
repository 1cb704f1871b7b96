"""Shared fixtures: a real bot on a temporary database, driven offline through real payloads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import BotConfig
from bot.offline import FakeUser, OfflineDiscord
from tests.support.bots import config_for, offline_bot
from tests.support.people import MEMBERS


@pytest.fixture
def config(tmp_path: Path) -> BotConfig:
    return config_for(tmp_path)


@pytest.fixture
async def offline(config: BotConfig) -> AsyncIterator[OfflineDiscord]:
    """A started bot whose replies are captured; closed (database too) after the test."""
    async with offline_bot(config) as driver:
        yield driver


@pytest.fixture
def members() -> dict[int, FakeUser]:
    return dict(MEMBERS)
