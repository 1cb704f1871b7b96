"""`python -m bot backup PATH`: a consistent copy while the bot writes, and the restore steps.

Each run is a real subprocess started in an empty folder (so no .env is read), with the
database named by DATABASE_PATH and no Discord token.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from economy.storage import SqliteStorage
from tests.support.bots import config_for, offline_bot
from tests.support.people import ALICE, BOB, GUILD
from tests.support.processes import REPO, child_env
from tests.support.replies import embed_of, field, only_reply
from tests.support.sqlite_files import run_sql, user_version

pytestmark = pytest.mark.slow  # child processes

WRITER_GUILD = 1  # the guild tests/storage_crash_writer.py writes to


def environment(database: Path) -> dict[str, str]:
    env = child_env(DATABASE_PATH=str(database))
    env.pop("LOG_LEVEL", None)
    return env


def run_backup(database: Path, target: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    cwd.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "bot", "backup", str(target)],
        cwd=cwd,
        env=environment(database),
        capture_output=True,
        text=True,
        timeout=60,
    )


def ledger_ids(path: Path) -> set[int]:
    with sqlite3.connect(path) as db:
        ids = {row[0] for row in db.execute("SELECT id FROM ledger")}
    db.close()
    return ids


async def seed(path: Path, entries: int = 500) -> None:
    async with await SqliteStorage.open(path) as storage:
        for i in range(entries):
            await storage.ledger.add_entry(
                GUILD.id,
                ALICE.id if i % 3 else BOB.id,
                BOB.id,
                gift_name="Galaxy",
                count=1,
                coins=1000,
                diamonds=500,
            )
        await storage.groups.create_group(GUILD.id, "Night shift", ALICE.id)
        await storage.groups.add_member(GUILD.id, "night shift", ALICE.id)
        await storage.guild_settings.change_settings(GUILD.id, {"currency": "IDR"}, actor_id=BOB.id)


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """Another process writing to the live database the whole time (entries, undos, resets)."""
    live = tmp_path / "live" / "bot.sqlite3"
    live.parent.mkdir()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "storage" / "storage_crash_writer.py"), str(live)],
        cwd=tmp_path,
        env=environment(live),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        for _ in range(200):  # it is running and has committed entries
            assert process.stdout.readline(), "the writer did not start"
        yield live, process
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate()


async def test_backup_while_another_process_writes_is_consistent(tmp_path: Path, writer) -> None:
    live, process = writer
    await seed(live)  # the writer keeps writing meanwhile
    before = ledger_ids(live)
    target = tmp_path / "backups" / "nightly.sqlite3"

    done = run_backup(live, target, tmp_path / "run")
    assert done.returncode == 0, done.stderr + done.stdout
    assert f"Backed up {live} to {target}." in done.stdout
    assert process.poll() is None  # the writer was never blocked out
    await asyncio.sleep(0.2)
    after = ledger_ids(live)

    assert not target.with_name(target.name + ".tmp").exists()
    assert run_sql(target, "PRAGMA integrity_check") == [("ok",)]
    assert run_sql(target, "PRAGMA journal_mode") == [("wal",)]
    copied = ledger_ids(target)
    assert before <= copied <= after and len(after) > len(before)  # a snapshot mid-writing
    async with await SqliteStorage.open(target) as storage:
        assert await storage.verify() == []  # its totals match its own ledger exactly
        assert (await storage.groups.get_group(GUILD.id, "NIGHT SHIFT")).member_count == 1
        assert (await storage.guild_settings.get_settings(GUILD.id)).currency == "IDR"
        assert (await storage.ledger.user_summary(GUILD.id, ALICE.id)).entries_received == 333


async def test_restore_a_backup_and_the_bot_answers_from_it(tmp_path: Path) -> None:
    live = tmp_path / "data" / "tiktok-gift-bot.sqlite3"
    await seed(live, entries=30)
    target = tmp_path / "backup.sqlite3"
    assert run_backup(live, target, tmp_path / "run").returncode == 0
    async with await SqliteStorage.open(live) as storage:  # later changes, to be rolled back
        for _ in range(5):
            await storage.ledger.add_entry(
                GUILD.id, ALICE.id, BOB.id, gift_name=None, count=1, coins=0, diamonds=10**6
            )
        # A bot that crashed leaves its -wal and -shm files beside the database.
        (live.parent / (live.name + "-wal")).write_bytes(b"stale")
        (live.parent / (live.name + "-shm")).write_bytes(b"stale")

    # The README's restore steps: stop the bot, move the live files aside, copy the backup.
    for suffix in ("", "-wal", "-shm"):
        old = live.parent / (live.name + suffix)
        if old.exists():
            old.rename(old.with_name(old.name + ".before-restore"))
    shutil.copy2(target, live)

    config = config_for(tmp_path).model_copy(update={"database_path": live})
    async with offline_bot(config) as offline:
        embed = embed_of(
            only_reply(await offline.command("tally show", {}, user=ALICE, guild=GUILD))
        )
        assert field(embed, "Diamonds received") == "10,000"  # 20 Galaxy entries, not the rest
        assert await offline.bot.storage.verify() == []


def test_backup_without_a_database_says_so(tmp_path: Path) -> None:
    done = run_backup(tmp_path / "missing.sqlite3", tmp_path / "copy.sqlite3", tmp_path / "run")
    assert done.returncode == 2
    assert "No database at" in done.stderr
    assert not (tmp_path / "copy.sqlite3").exists()


async def test_backup_onto_the_live_database_is_refused(tmp_path: Path) -> None:
    live = tmp_path / "bot.sqlite3"
    await seed(live, entries=10)
    done = run_backup(live, live, tmp_path / "run")
    assert done.returncode != 0
    assert ledger_ids(live) and len(ledger_ids(live)) == 10
    assert run_sql(live, "PRAGMA integrity_check") == [("ok",)]


async def test_backup_copies_without_migrating_the_live_file(tmp_path: Path) -> None:
    """A database from another version is copied as it is: the live file is only read."""
    live = tmp_path / "live.sqlite3"
    await seed(live, entries=20)
    run_sql(live, "PRAGMA user_version = 999")  # as if written by a newer bot
    done = run_backup(live, tmp_path / "copy.sqlite3", tmp_path / "run")
    assert done.returncode == 0, done.stderr
    assert user_version(live) == 999 and user_version(tmp_path / "copy.sqlite3") == 999
    assert ledger_ids(tmp_path / "copy.sqlite3") == ledger_ids(live)


async def test_backup_onto_the_live_file_is_refused_cleanly(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    await seed(live, entries=5)
    done = run_backup(live, live, tmp_path / "run")
    assert done.returncode == 2
    assert "Backup failed" in done.stderr and "Traceback" not in done.stderr
    assert len(ledger_ids(live)) == 5
