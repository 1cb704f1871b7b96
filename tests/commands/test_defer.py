"""Slow answers are deferred at once (Discord drops an interaction unanswered after 3 s),
then completed with a follow-up; a failure after the deferral still reaches the user."""

from __future__ import annotations

import asyncio
import csv
import gzip
import io
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bench.bulk import fill_ledger
from bot.offline import CapturedRequest, OfflineDiscord
from economy.storage import Entry, StorageBusy
from tests.support.people import GUILD, MANAGER, MEMBERS, OTHER_GUILD
from tests.support.replies import DEFERRED, DISCORD_DEADLINE_S


def timed_requests(offline: OfflineDiscord) -> list[tuple[float, CapturedRequest]]:
    """Record when each request reaches "Discord" (the captured adapter)."""
    seen: list[tuple[float, CapturedRequest]] = []
    adapter = offline.adapter
    original = adapter.request

    async def request(*args: Any, **kwargs: Any) -> Any:
        answer = await original(*args, **kwargs)
        seen.append((time.perf_counter(), adapter.requests[-1]))
        return answer

    adapter.request = request  # type: ignore[method-assign]
    return seen


def slow_export(offline: OfflineDiscord, delay: float, log: list[str]) -> None:
    """Make the ledger read slow, and note whether the deferral was already sent."""
    ledger = offline.bot.storage.ledger
    original = ledger.export_rows

    async def export_rows(guild_id: int) -> AsyncIterator[Entry]:
        deferred = any(r.callback_type == DEFERRED for r in offline.adapter.requests)
        log.append("read after deferral" if deferred else "read BEFORE deferral")
        await asyncio.sleep(delay)
        async for entry in original(guild_id):
            yield entry

    ledger.export_rows = export_rows  # type: ignore[method-assign]


async def export(offline: OfflineDiscord, **payload_changes: Any) -> list[CapturedRequest]:
    payload = offline.command_payload(
        "tally export", {}, user=MANAGER, guild=GUILD, members=MEMBERS
    )
    payload.update(payload_changes)
    return await offline.send(payload)


async def test_export_defers_within_the_deadline_then_follows_up(offline) -> None:
    await offline.bot.storage.ledger.add_entry(
        GUILD.id, 1, 2, gift_name="Rose", count=1, coins=1, diamonds=0
    )
    log: list[str] = []
    slow_export(offline, delay=1.0, log=log)
    seen = timed_requests(offline)
    started = time.perf_counter()
    requests = await export(offline)

    assert log == ["read after deferral"]
    (deferred_at, deferred), (followed_at, followup) = seen
    assert requests == [deferred, followup]
    assert deferred.callback_type == DEFERRED and deferred.ephemeral  # "thinking", privately
    assert deferred_at - started < 0.5 < DISCORD_DEADLINE_S
    assert followup.method == "POST" and followup.callback_type is None
    assert "/webhooks/" in followup.path  # a follow-up message, not a second response
    assert followup.ephemeral and followup.files
    assert followed_at - started >= 1.0


async def test_a_big_export_is_deferred_and_arrives_complete(offline) -> None:
    rows = 20_000
    await fill_ledger(offline.bot.storage, GUILD.id, members=300, n=rows, settle=False)
    seen = timed_requests(offline)
    started = time.perf_counter()
    requests = await export(offline)
    finished = time.perf_counter() - started

    deferred, followup = requests
    assert deferred.callback_type == DEFERRED and seen[0][0] - started < 0.5
    name, data = followup.files[0]
    assert name == f"tally-{GUILD.id}-part1.csv.gz"
    text = gzip.decompress(data).decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(text)))) == rows
    assert finished < 10


async def test_an_export_over_the_upload_limit_comes_in_parts_that_fit(offline) -> None:
    await fill_ledger(offline.bot.storage, GUILD.id, members=50, n=30_000, settle=False)
    deferred, *followups = await export(offline, attachment_size_limit=200_000)
    assert deferred.callback_type == DEFERRED
    files = [reply.files[0] for reply in followups if reply.files]
    assert len(files) > 1
    rows = 0
    for number, (name, data) in enumerate(files, start=1):
        assert name == f"tally-{GUILD.id}-part{number}.csv.gz" and len(data) <= 200_000
        part = list(csv.DictReader(io.StringIO(gzip.decompress(data).decode("utf-8-sig"))))
        rows += len(part)
    assert rows == 30_000


async def test_a_failure_after_deferring_is_a_private_follow_up(offline, monkeypatch) -> None:
    async def busy(guild_id: int) -> AsyncIterator[Entry]:
        raise StorageBusy("locked")
        yield  # pragma: no cover  (makes this an async generator)

    monkeypatch.setattr(offline.bot.storage.ledger, "export_rows", busy)
    requests = await export(offline)
    callbacks = [r for r in requests if r.callback_type is not None]
    assert [r.callback_type for r in callbacks] == [DEFERRED]  # answered once
    followup = requests[-1]
    assert followup.method == "POST" and followup.ephemeral
    assert "busy" in followup.content and "Nothing was changed" in followup.content
    assert not followup.files


@pytest.mark.parametrize("limit", [150_000, 10_485_760])
async def test_every_export_answer_fits_the_upload_limit(offline, limit: int) -> None:
    await fill_ledger(offline.bot.storage, GUILD.id, members=50, n=2000, settle=False)
    followup = (await export(offline, attachment_size_limit=limit))[-1]
    assert sum(len(data) for _, data in followup.files) <= limit


async def test_one_export_per_server_at_a_time(offline: OfflineDiscord) -> None:
    for guild in (GUILD, OTHER_GUILD):
        await offline.bot.storage.ledger.add_entry(
            guild.id, 1, 2, gift_name="Rose", count=1, coins=1, diamonds=1
        )
    log: list[str] = []
    slow_export(offline, delay=1.0, log=log)
    first, second, elsewhere = await asyncio.gather(
        export(offline),
        export(offline),
        offline.command("tally export", {}, user=MANAGER, guild=OTHER_GUILD, members=MEMBERS),
    )
    finished = [r for r in (first, second) if r[-1].files]
    refused = [r for r in (first, second) if not r[-1].files]
    assert len(finished) == 1 and len(refused) == 1
    assert "already running" in (refused[0][-1].content or "")
    assert elsewhere[-1].files  # another server's export is not held up
    again = await export(offline)  # once the first is done, the next may run
    assert again[-1].files
