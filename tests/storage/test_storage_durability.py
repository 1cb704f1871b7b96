"""Opening, migrations, crashes, backups and error mapping of SqliteStorage (real files)."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from economy.storage import (
    SqliteStorage,
    StorageBusy,
    StorageError,
    StorageFull,
    StorageVersionError,
    UserSummary,
)
from economy.storage.sqlite.migrations import load_migrations, split_statements
from tests.support.disk import cap_file_size
from tests.support.processes import REPO, start_script
from tests.support.sqlite_files import run_sql, user_version

pytestmark = pytest.mark.sqlite_only  # SQLite's files, PRAGMAs and writer thread

G = 5


def packaged_migrations(folder: Path) -> Path:
    """Copy the shipped migrations into `folder` (to add fake newer ones next to them)."""
    folder.mkdir()
    for item in (resources.files("economy.storage.sqlite") / "migrations").iterdir():
        if item.name.endswith(".sql"):
            (folder / item.name).write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


async def test_open_creates_folders_uses_wal_and_records_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "bot.sqlite"
    async with await SqliteStorage.open(path) as storage:
        await storage.ledger.add_entry(G, 1, 2, gift_name="Rose", count=1, coins=1, diamonds=1)
    assert path.exists()
    assert run_sql(path, "PRAGMA journal_mode") == [("wal",)]
    assert user_version(path) == len(load_migrations()) >= 1


async def test_reopen_after_close_shows_the_same_data(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite"
    storage = await SqliteStorage.open(path)
    recorded = await storage.ledger.add_entry(
        G, 1, 2, gift_name="Lion", count=2, coins=58, diamonds=29
    )
    entry = recorded.entry
    await storage.groups.create_group(G, "Team", 2)
    await storage.guild_settings.change_settings(G, {"currency": "IDR"}, actor_id=2)
    board = await storage.ledger.leaderboard(G, "received", "all")
    await storage.close()
    await storage.close()  # idempotent

    async with await SqliteStorage.open(path) as again:
        assert [e async for e in again.ledger.export_rows(G)] == [entry]
        assert await again.ledger.leaderboard(G, "received", "all") == board
        assert (await again.groups.get_group(G, "team")).creator_id == 2
        assert (await again.guild_settings.get_settings(G)).currency == "IDR"


async def test_packaged_migrations_are_readable() -> None:
    plan = load_migrations()
    assert [m.version for m in plan] == list(range(1, len(plan) + 1))
    assert plan[0].name == "initial"
    assert any("CREATE TRIGGER ledger_count_new" in s for s in plan[0].statements())


def test_split_statements_keeps_trigger_bodies_whole() -> None:
    script = """
    -- a comment; with a semicolon
    CREATE TABLE a (x TEXT DEFAULT ';');
    CREATE TRIGGER t AFTER INSERT ON a BEGIN
        INSERT INTO a VALUES ('in; body');
        SELECT 1;
    END; CREATE TABLE b (y);
    -- trailing comment
    """
    statements = split_statements(script)
    assert len(statements) == 3
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")
    with pytest.raises(StorageVersionError):
        split_statements("CREATE TABLE c (z)")


async def test_older_database_upgrades_without_losing_rows(tmp_path: Path) -> None:
    folder = packaged_migrations(tmp_path / "migrations")
    path = tmp_path / "bot.sqlite"
    async with await SqliteStorage.open(path, migrations=folder) as storage:
        for i in range(20):
            await storage.ledger.add_entry(
                G, i % 4, 9, gift_name="Rose", count=1, coins=2, diamonds=1
            )
        await storage.groups.create_group(G, "Old group", 9)
        before = [e async for e in storage.ledger.export_rows(G)]
    old_version = user_version(path)

    newer = old_version + 1
    (folder / f"V{newer:03d}__group_colour.sql").write_text(
        "-- fake upgrade for the test\n"
        "ALTER TABLE tally_groups ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue';\n"
        "CREATE TABLE upgrade_marker (note TEXT);\n"
        "INSERT INTO upgrade_marker VALUES ('upgraded; with a semicolon');\n",
        encoding="utf-8",
    )
    async with await SqliteStorage.open(path, migrations=folder) as storage:
        assert [e async for e in storage.ledger.export_rows(G)] == before
        assert (await storage.ledger.user_summary(G, 1)).diamonds_received == 5
        assert (await storage.groups.get_group(G, "old group")).name == "Old group"
        assert await storage.verify() == []
    assert user_version(path) == newer
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT colour FROM tally_groups").fetchall() == [("blue",)]
        assert db.execute("SELECT note FROM upgrade_marker").fetchone() is not None
    db.close()


async def test_failing_migration_changes_nothing(tmp_path: Path) -> None:
    folder = packaged_migrations(tmp_path / "migrations")
    path = tmp_path / "bot.sqlite"
    async with await SqliteStorage.open(path, migrations=folder) as storage:
        await storage.ledger.add_entry(G, 1, 2, gift_name=None, count=1, coins=0, diamonds=3)
    version = user_version(path)
    (folder / f"V{version + 1:03d}__broken.sql").write_text(
        "CREATE TABLE half_done (x);\nINSERT INTO no_such_table VALUES (1);\n", encoding="utf-8"
    )
    with pytest.raises(StorageError):
        await SqliteStorage.open(path, migrations=folder)
    assert user_version(path) == version
    with sqlite3.connect(path) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert "half_done" not in tables


async def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite"
    async with await SqliteStorage.open(path):
        pass
    known = user_version(path)
    run_sql(path, "PRAGMA user_version = 99")
    with pytest.raises(StorageVersionError) as caught:
        await SqliteStorage.open(path)
    message = str(caught.value)
    assert "newer tiktok-gift-bot" in message
    assert f"schema 99, this version knows {known}" in message
    assert "upgrade the bot" in message
    assert user_version(path) == 99


async def test_badly_numbered_migrations_are_refused(tmp_path: Path) -> None:
    folder = packaged_migrations(tmp_path / "migrations")
    (folder / "V009__gap.sql").write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(StorageVersionError, match="numbered"):
        await SqliteStorage.open(tmp_path / "bot.sqlite", migrations=folder)


async def test_crash_mid_storm_loses_no_committed_entry(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite"
    writer = await start_script(
        REPO / "tests" / "storage" / "storage_crash_writer.py", str(path), cwd=REPO
    )
    assert writer.stdout is not None
    printed: list[int] = []
    try:
        async with asyncio.timeout(30):
            while len(printed) < 1000:
                line = await writer.stdout.readline()
                if not line:
                    stderr = await writer.stderr.read() if writer.stderr else b""
                    pytest.fail(f"writer died early: {stderr.decode()[-2000:]}")
                printed.append(int(line))
    finally:
        writer.send_signal(signal.SIGKILL)
    rest, _ = await writer.communicate()
    printed += [int(line) for line in rest.split()]
    assert await writer.wait() == -signal.SIGKILL

    assert run_sql(path, "PRAGMA integrity_check") == [("ok",)]
    async with await SqliteStorage.open(path) as storage:
        stored = {e.id async for e in storage.ledger.export_rows(1)}
        assert set(printed) <= stored
        assert await storage.verify() == []


async def test_backup_copy_opens_and_matches(tmp_path: Path) -> None:
    async with await SqliteStorage.open(tmp_path / "bot.sqlite") as storage:
        for i in range(50):
            await storage.ledger.add_entry(
                G, i % 7, i % 3, gift_name="Rose", count=1, coins=i, diamonds=i
            )
        await storage.ledger.undo_last(G, 1)
        await storage.groups.create_group(G, "Squad", 1)
        await storage.groups.add_member(G, "squad", 4)
        await storage.guild_settings.change_settings(G, {"preset": "guides"}, actor_id=1)
        board = await storage.ledger.leaderboard(G, "received", "all")
        target = tmp_path / "backups" / "copy.sqlite"
        await storage.backup(target)
        await storage.ledger.add_entry(
            G, 1, 1, gift_name=None, count=1, coins=0, diamonds=1
        )  # later
        with pytest.raises(ValueError):
            await storage.backup(tmp_path / "bot.sqlite")
        live = [e async for e in storage.ledger.export_rows(G)]
        assert await storage.ledger.leaderboard(G, "received", "all") != board
    assert not (tmp_path / "backups" / "copy.sqlite.tmp").exists()
    async with await SqliteStorage.open(target) as copy:
        assert [e async for e in copy.ledger.export_rows(G)] == live[:-1]
        assert (
            await copy.ledger.leaderboard(G, "received", "all") == board
        )  # predates the last entry
        received = (await copy.ledger.user_summary(G, 4)).diamonds_received
        assert (await copy.groups.group_members(G, "SQUAD"))[1] == [(4, received)]
        assert (await copy.guild_settings.get_settings(G)).preset == "guides"
        assert await copy.verify() == []


async def test_locked_database_raises_storage_busy(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite"
    async with await SqliteStorage.open(path, busy_timeout_ms=50) as storage:
        await storage.ledger.add_entry(G, 1, 2, gift_name=None, count=1, coins=0, diamonds=1)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            with pytest.raises(StorageBusy):
                await storage.ledger.add_entry(
                    G, 1, 2, gift_name=None, count=1, coins=0, diamonds=1
                )
            with pytest.raises(StorageBusy):
                await storage.groups.create_group(G, "Blocked", 2)
            with pytest.raises(StorageBusy):
                await storage.groups.add_member(G, "Blocked", 2)  # BEGIN IMMEDIATE itself waits
            assert (await storage.ledger.user_summary(G, 1)).diamonds_received == 1  # reads go on
        finally:
            other.execute("ROLLBACK")
            other.close()
        await storage.ledger.add_entry(G, 1, 2, gift_name=None, count=1, coins=0, diamonds=1)
        assert (await storage.ledger.user_summary(G, 1)).entries_received == 2


async def test_full_disk_raises_storage_full_and_keeps_totals_exact(tmp_path: Path) -> None:
    async with await SqliteStorage.open(tmp_path / "bot.sqlite") as storage:
        # White-box: cap the file at its current size (a stand-in for a full disk).
        await storage._db.write(cap_file_size(2))
        with pytest.raises(StorageFull):  # noqa: PT012  (write until the disk is full)
            for user in range(5000):
                await storage.ledger.add_entry(G, user, user + 1, gift_name=f"Gift {user}",
                                        count=1, coins=1, diamonds=1)  # fmt: skip
        written = [e async for e in storage.ledger.export_rows(G)]
        assert (await storage.ledger.user_summary(G, 0)).entries_received == 1
        assert len(written) == sum(
            [
                (await storage.ledger.user_summary(G, e.recipient_id)).entries_received
                for e in written
            ]
        )  # the failed entry left neither a ledger row nor a total
        failed = len(written)  # recipient of the refused entry; its sender is failed + 1
        assert (await storage.ledger.user_summary(G, failed)).entries_received == 0
        assert await storage.ledger.user_summary(G, failed + 1) == UserSummary()
        assert await storage.ledger.top_gifts(G, failed) == []
        assert await storage.verify() == []


def test_storage_errors_are_a_family() -> None:
    assert issubclass(StorageBusy, StorageError) and issubclass(StorageFull, StorageError)
    assert issubclass(StorageVersionError, StorageError)
    assert not issubclass(StorageError, sqlite3.Error)


def test_shipped_migrations_match_the_repository() -> None:
    shipped = sorted(
        p.name for p in (REPO / "economy" / "storage" / "sqlite" / "migrations").glob("*.sql")
    )
    assert shipped == [f"V{m.version:03d}__{m.name}.sql" for m in load_migrations()]
