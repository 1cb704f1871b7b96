"""1,000 /tally add interactions at once: every total still equals the ledger's sum."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from decimal import Decimal

import pytest

from bot.offline import FakeUser, OfflineDiscord
from tests.support.people import GUILD
from tests.support.server_settings import on_guides

pytestmark = pytest.mark.slow  # a thousand concurrent interactions

USERS = [FakeUser(830_000_000_000_000_000 + i, f"viewer{i}") for i in range(500)]
GIFTS = [("galaxy", 3, Decimal(1500)), ("lion", 1, Decimal("14999.5"))]  # (gift, count, diamonds)


async def test_a_thousand_concurrent_adds_keep_totals_equal_to_the_ledger(
    offline: OfflineDiscord,
) -> None:
    # The creator guides' model (0.5 diamond a coin): half diamonds must add up exactly too.
    await on_guides(offline)
    started = time.perf_counter()
    calls = [
        offline.command("tally add", {"gift": gift, "count": count}, user=user, guild=GUILD)
        for user in USERS
        for gift, count, _ in GIFTS
    ]
    before = len(offline.adapter.requests)
    await asyncio.gather(*calls)
    answers = [r for r in offline.adapter.requests[before:] if r.callback_type is not None]
    assert len(answers) == 1000
    assert not [a.content for a in answers if a.ephemeral]  # every one succeeded

    storage = offline.bot.storage
    ledger: defaultdict[int, Decimal] = defaultdict(Decimal)
    rows = 0
    async for entry in storage.ledger.export_rows(GUILD.id):
        assert entry.active and entry.recorder_id == entry.recipient_id
        ledger[entry.recipient_id] += entry.diamonds
        rows += 1
    assert rows == 1000
    expected = sum(diamonds for _, _, diamonds in GIFTS)
    for user in USERS:
        summary = await storage.ledger.user_summary(GUILD.id, user.id)
        assert summary.diamonds_received == ledger[user.id] == expected
        assert summary.entries_received == 2
    board = [
        row
        for offset in range(0, 500, 100)
        for row in await storage.ledger.leaderboard(GUILD.id, "received", "all", 100, offset=offset)
    ]
    assert len(board) == 500 and sum(row.value for row in board) == sum(ledger.values())
    assert await storage.verify() == []
    assert time.perf_counter() - started < 20
