"""The whole bot when its storage fails: killed mid-storm, database locked, disk full.

Everything goes through discord.py's real interaction path; the user must either see the
write confirmed (and then it is on disk) or get a short private message saying nothing was
saved (and then nothing is).
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.offline import FakeUser, OfflineDiscord
from economy.storage import SqliteStorage
from tests.support.bots import config_for, offline_bot
from tests.support.disk import cap_file_size, free_space
from tests.support.limits import lift_write_limit
from tests.support.people import ALICE, BOB, GUILD, MANAGER, MEMBERS
from tests.support.processes import REPO, start_script
from tests.support.replies import CHANNEL_MESSAGE, only_reply, refusal
from tests.support.sqlite_files import run_sql

# child processes; SQLite only: its file, write lock and disk-full paths (PostgreSQL's are in
# tests/storage/test_postgres_storage.py)
pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

BUSY = "database is busy right now"
FULL = "storage is full"


def fingerprint(path: Path) -> tuple[int, ...]:
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT (SELECT COUNT(*) FROM ledger), (SELECT COALESCE(SUM(undone), 0) FROM ledger),"
            " (SELECT COUNT(*) FROM received_totals), (SELECT COUNT(*) FROM gift_totals),"
            " (SELECT COUNT(*) FROM tally_groups), (SELECT COUNT(*) FROM config_audit)"
        ).fetchone()
    db.close()
    return tuple(row)


# -- killed mid-storm ------------------------------------------------------------------------


def confirmation(line: bytes) -> tuple[int, int]:
    """(sender id, count) from a whole ``SENDER_ID COUNT`` line the writer printed."""
    sender, count = line.split()
    return int(sender), int(count)


@pytest.mark.parametrize("kill_after", [150, 1200])
async def test_killed_bot_keeps_every_confirmed_entry(tmp_path: Path, kill_after: int) -> None:
    path = tmp_path / "bot.sqlite3"
    bot = await start_script(
        REPO / "tests" / "commands" / "bot_crash_writer.py", str(path), cwd=tmp_path
    )
    assert bot.stdout is not None and bot.stderr is not None
    confirmed: list[tuple[int, int]] = []
    try:
        async with asyncio.timeout(60):
            while len(confirmed) < kill_after:
                line = await bot.stdout.readline()
                if not line.endswith(b"\n"):
                    stderr = await bot.stderr.read()
                    pytest.fail(f"the bot died early: {stderr.decode()[-3000:]}")
                confirmed.append(confirmation(line))
    finally:
        bot.send_signal(signal.SIGKILL)  # mid-storm: 16 interactions are in flight
    rest, _ = await bot.communicate()
    *lines, _cut_off = rest.split(b"\n")  # a line the kill cut short confirmed nothing
    confirmed += [confirmation(line) for line in lines]
    assert await bot.wait() == -signal.SIGKILL

    assert run_sql(path, "PRAGMA integrity_check") == [("ok",)]
    async with await SqliteStorage.open(path) as storage:
        stored = set()
        async for entry in storage.ledger.export_rows(1_900_000_000_000_000_001):
            stored.add((entry.recorder_id, entry.count))
        missing = set(confirmed) - stored
        assert not missing, f"{len(missing)} confirmed entries lost, e.g. {sorted(missing)[:5]}"
        assert await storage.verify() == []  # totals equal the ledger: nothing half-written


# -- locked and full -------------------------------------------------------------------------


@pytest.fixture
async def short_wait(tmp_path: Path) -> AsyncIterator[OfflineDiscord]:
    """A bot whose storage gives up on a lock after 50 ms (the default waits 5 s)."""
    storage = await SqliteStorage.open(tmp_path / "bot.sqlite3", busy_timeout_ms=50)
    try:
        async with offline_bot(config_for(tmp_path), storage=storage) as driver:
            lift_write_limit(driver.bot)
            yield driver
    finally:
        await storage.close()


WRITES = [
    ("tally add", {"gift": "galaxy", "count": 2}),
    ("tally add-diamonds", {"amount": 500}),
    ("tally undo", {}),
    ("group create", {"name": "Night shift"}),
    ("settings currency", {"code": "IDR"}),
]


async def test_a_locked_database_refuses_writes_privately_and_changes_nothing(
    short_wait: OfflineDiscord,
) -> None:
    offline = short_wait
    path = offline.bot.storage.path
    public = only_reply(
        await offline.command("tally add", {"gift": "rose"}, user=ALICE, guild=GUILD)
    )
    assert public.callback_type == CHANNEL_MESSAGE and not public.ephemeral
    before = fingerprint(path)

    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        for command, options in WRITES:
            replies = await offline.command(
                command, options, user=MANAGER, guild=GUILD, members=MEMBERS
            )
            assert BUSY in refusal(replies), command
        # Reads go on from the last committed state (WAL).
        shown = only_reply(await offline.command("tally show", {}, user=ALICE, guild=GUILD))
        assert not shown.ephemeral
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert fingerprint(path) == before

    again = only_reply(
        await offline.command("tally add", {"gift": "rose"}, user=ALICE, guild=GUILD)
    )
    assert not again.ephemeral
    assert fingerprint(path)[0] == before[0] + 1


async def test_a_full_disk_refuses_writes_privately_and_keeps_totals_exact(
    short_wait: OfflineDiscord,
) -> None:
    offline = short_wait
    storage = offline.bot.storage
    # White-box stand-in for a full disk: cap the file a few pages above its size.
    await storage._db.write(cap_file_size(3))

    confirmed = full = 0
    for i in range(3000):
        user = FakeUser(870_000_000_000_000_000 + i, f"viewer{i}")  # new totals rows each time
        reply = only_reply(
            await offline.command(
                "tally add", {"gift": "galaxy", "count": 1 + i}, user=user, guild=GUILD
            )
        )
        if reply.ephemeral:
            assert FULL in reply.content and "nothing was saved" in reply.content
            full += 1
            if full == 5:
                break
        else:
            confirmed += 1
    assert full == 5 and confirmed > 0
    rows = [e async for e in storage.ledger.export_rows(GUILD.id)]
    assert len(rows) == confirmed  # every refusal wrote nothing
    assert await storage.verify() == []

    await storage._db.write(free_space)
    after = only_reply(await offline.command("tally add", {"gift": "rose"}, user=BOB, guild=GUILD))
    assert not after.ephemeral
    assert await storage.verify() == []
