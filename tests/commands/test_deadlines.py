"""Every interaction is answered in time whatever the database does, and an answer always
matches what was stored: a write lock held by another process for 1 to 10 seconds (SQLite's
file lock; on PostgreSQL a lock on the ledger table), and a 200,000-entry reset running while
other servers record gifts."""

from __future__ import annotations

import asyncio
import sys
import time
from decimal import Decimal

import pytest

from bench.bulk import Loader, member_id
from bot.offline import CapturedRequest, FakeUser, OfflineDiscord
from tests.support.backends import Backend
from tests.support.people import GUILD, MANAGER, MEMBERS, OTHER_GUILD
from tests.support.replies import DISCORD_DEADLINE_S, embed_of, only_reply

pytestmark = pytest.mark.slow

HOLD_THE_WRITE_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
"""
HOLD_THE_LEDGER_LOCK = """
import asyncio, sys, asyncpg
async def hold():
    conn = await asyncpg.connect(sys.argv[1])
    await conn.execute("BEGIN; LOCK TABLE ledger IN EXCLUSIVE MODE")  # reads go on, writes wait
    print("locked", flush=True)
    await asyncio.sleep(float(sys.argv[2]))
    await conn.execute("ROLLBACK")
asyncio.run(hold())
"""


def answered_in_time(replies: list[CapturedRequest], sent_at: float) -> None:
    assert replies, "never answered"
    assert replies[0].callback_type is not None  # the first request is the response
    assert replies[0].at - sent_at < DISCORD_DEADLINE_S, replies[0].at - sent_at


def recorded(replies: list[CapturedRequest]) -> bool:
    """Whether the final answer says the gift was recorded (else it must say busy)."""
    final = replies[-1]
    if final.ephemeral:
        assert "busy" in (final.content or ""), final.content
        return False
    assert embed_of(final)["title"] == "Tally updated"
    return True


async def stored_entries(offline: OfflineDiscord, guild_id: int) -> int:
    return len([e async for e in offline.bot.storage.ledger.export_rows(guild_id)])


@pytest.mark.parametrize("hold", [1.0, 4.0, 10.0])
async def test_a_write_lock_held_by_another_process(
    offline: OfflineDiscord, backend: Backend, hold: float
) -> None:
    script, database = (
        (HOLD_THE_LEDGER_LOCK, backend.url)
        if backend.url
        else (HOLD_THE_WRITE_LOCK, str(backend.sqlite_path))
    )
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, database, str(hold), stdout=asyncio.subprocess.PIPE
    )
    assert holder.stdout is not None
    assert await holder.stdout.readline() == b"locked\n"
    sent_at = time.monotonic()
    ours, theirs = await asyncio.gather(
        offline.command("tally add", {"gift": "galaxy"}, user=MANAGER, guild=GUILD),
        offline.command("tally add", {"gift": "rose"}, user=MANAGER, guild=OTHER_GUILD),
    )
    await holder.wait()
    for replies, guild in ((ours, GUILD), (theirs, OTHER_GUILD)):
        answered_in_time(replies, sent_at)
        assert recorded(replies) == (await stored_entries(offline, guild.id) == 1)
    if hold < 1.5:  # done before the deferral: one plain answer
        assert recorded(ours) and only_reply(ours).callback_type == 4
    else:  # the write waited on the lock: deferred first, then the outcome
        assert ours[0].callback_type == 5 and len(ours) == 2


@pytest.mark.sqlite_only  # fills the ledger in SQLite's file
@pytest.mark.usefixtures("unlimited")
async def test_a_200k_entry_reset_leaves_other_servers_answered(offline: OfflineDiscord) -> None:
    Loader(offline.bot.storage.path, GUILD.id, members=1).add(200_000)
    big = FakeUser(member_id(0), "big")
    members = {**MEMBERS, big.id: big}
    prompt = only_reply(
        await offline.command(
            "tally reset", {"member": big}, user=MANAGER, guild=GUILD, members=members
        )
    )
    assert "200,000" in embed_of(prompt)["description"]

    others: list[tuple[float, list[CapturedRequest]]] = []
    resetting = True

    async def other_servers() -> None:
        i = 0
        while resetting or i < 5:
            user = FakeUser(880_000_000_000_000_000 + i, f"viewer{i}")
            sent_at = time.monotonic()
            replies = await offline.command(
                "tally add", {"gift": "rose"}, user=user, guild=OTHER_GUILD
            )
            others.append((sent_at, replies))
            i += 1
            await asyncio.sleep(0.02)

    async def reset() -> list[CapturedRequest]:
        nonlocal resetting
        try:
            return await offline.press(prompt.message_id, "confirm:yes", user=MANAGER, guild=GUILD)
        finally:
            resetting = False

    pressed_at = time.monotonic()
    done, _ = await asyncio.gather(reset(), other_servers())
    answered_in_time(done, pressed_at)
    assert embed_of(done[-1])["title"] == "Tally reset"
    assert "200,000" in embed_of(done[-1])["description"]
    summary = await offline.bot.storage.ledger.user_summary(GUILD.id, big.id)
    assert summary.diamonds_received == Decimal(0)

    assert len(others) >= 5
    for sent_at, replies in others:
        answered_in_time(replies, sent_at)
        assert recorded(replies)
    assert await stored_entries(offline, OTHER_GUILD.id) == len(others)
    assert await offline.bot.storage.verify() == []
