"""PostgresStorage itself: migrations, deadlines, retries, lost connections, error mapping,
secrets, and several pools (processes) writing to one database.

The behaviour both backends share is tested on both in the other tests/storage files.
"""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from pathlib import Path

import asyncpg
import pytest

from bot.config import BotConfig
from economy.errors import LimitReached
from economy.limits import MAX_AMOUNT
from economy.storage import (
    Gifter,
    StorageBusy,
    StorageError,
    StorageFull,
    StorageReadOnly,
    StorageVersionError,
    UserSummary,
)
from economy.storage.deadlines import WriteDeadline, write_deadline
from economy.storage.postgres import PostgresStorage
from economy.storage.postgres.migrations import load_migrations
from economy.storage.urls import redact

G = 4242
SECRET = "s3cret-pa55word"


async def add(storage: PostgresStorage, recipient: int, diamonds: int = 10) -> None:
    await storage.ledger.add_entry(
        G, recipient, 7, gifter=Gifter.member(7, "seven"), gift_name="Rose", count=1,
        coins=diamonds * 2, diamonds=Decimal(diamonds),
    )  # fmt: skip


async def admin(dsn: str, *statements: str) -> list[object]:
    """Run statements on their own connection; the first column of each one's first row (a
    script of several statements is run as one, returning None)."""
    conn = await asyncpg.connect(dsn)
    try:
        return [
            await (conn.execute(sql) if sql.count(";") > 1 else conn.fetchval(sql))
            for sql in statements
        ]
    finally:
        await conn.close()


# -- migrations ------------------------------------------------------------------------------


async def test_open_migrates_once_even_when_processes_start_together(postgres_dsn: str) -> None:
    first, second = await asyncio.gather(
        PostgresStorage.open(postgres_dsn), PostgresStorage.open(postgres_dsn)
    )
    await first.close()
    await second.close()
    rows = await admin(postgres_dsn, "SELECT COUNT(*) FROM schema_migrations")
    assert rows == [len(load_migrations())]
    async with await PostgresStorage.open(postgres_dsn) as again:
        assert await again.verify() == []


async def test_newer_schema_is_refused_with_a_clear_message(postgres_dsn: str) -> None:
    async with await PostgresStorage.open(postgres_dsn) as storage:
        await add(storage, 1)
    await admin(postgres_dsn, "INSERT INTO schema_migrations (version, name) VALUES (99, 'x')")
    with pytest.raises(StorageVersionError, match=r"newer tiktok-gift-bot.*schema 99"):
        await PostgresStorage.open(postgres_dsn)


async def test_failing_migration_changes_nothing(postgres_dsn: str, tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    plan = load_migrations()
    for migration in plan:
        (folder / f"V{migration.version:03d}__{migration.name}.sql").write_text(migration.sql)
    async with await PostgresStorage.open(postgres_dsn, migrations=folder) as storage:
        await add(storage, 1)
    (folder / f"V{len(plan) + 1:03d}__broken.sql").write_text(
        "CREATE TABLE half_done (x int);\nALTER TABLE ledger ADD COLUMN nope no_such_type;\n"
    )
    with pytest.raises(StorageError):
        await PostgresStorage.open(postgres_dsn, migrations=folder)
    version, half = await admin(
        postgres_dsn,
        "SELECT MAX(version) FROM schema_migrations",
        "SELECT to_regclass('half_done') IS NOT NULL",
    )
    assert (version, half) == (len(plan), False)
    async with await PostgresStorage.open(postgres_dsn) as storage:
        assert (await storage.ledger.user_summary(G, 1)).entries_received == 1


# -- deadlines, retries, lost connections ----------------------------------------------------


async def test_a_write_past_its_start_deadline_is_dropped_unwritten(postgres_dsn: str) -> None:
    async with await PostgresStorage.open(postgres_dsn) as storage:
        token = write_deadline.set(WriteDeadline(time.monotonic() - 0.01))
        try:
            with pytest.raises(StorageBusy):
                await add(storage, 1)
        finally:
            write_deadline.reset(token)
        assert await storage.ledger.user_summary(G, 1) == UserSummary()


async def test_waiting_for_a_connection_counts_against_the_deadline(postgres_dsn: str) -> None:
    async with await PostgresStorage.open(postgres_dsn, max_connections=1) as storage:
        held = await storage.pool.acquire()  # every connection busy elsewhere
        token = write_deadline.set(WriteDeadline(time.monotonic() + 0.2))
        try:
            write = asyncio.create_task(add(storage, 1))
            await asyncio.sleep(0.4)
            await storage.pool.release(held)
            with pytest.raises(StorageBusy):
                await write
        finally:
            write_deadline.reset(token)
        assert (await storage.ledger.user_summary(G, 1)).entries_received == 0
        await add(storage, 1)  # no deadline: it waits its turn
        assert (await storage.ledger.user_summary(G, 1)).entries_received == 1


PLANT_CONFLICTS = """
CREATE SEQUENCE tries;
CREATE FUNCTION conflict() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('tries') <= {failures} THEN
        RAISE EXCEPTION 'planted conflict' USING ERRCODE = '{code}';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER conflict BEFORE INSERT ON ledger FOR EACH ROW EXECUTE FUNCTION conflict();
"""


@pytest.mark.parametrize("code", ["40001", "40P01"])  # serialization failure, deadlock
async def test_conflicts_are_retried_and_written_once(postgres_dsn: str, code: str) -> None:
    async with await PostgresStorage.open(postgres_dsn) as storage:
        await admin(postgres_dsn, PLANT_CONFLICTS.format(failures=2, code=code))
        await add(storage, 1, diamonds=5)
        summary = await storage.ledger.user_summary(G, 1)
        assert (summary.entries_received, summary.diamonds_received) == (1, 5)
        assert await storage.verify() == []


async def test_endless_conflicts_end_as_busy_with_nothing_written(postgres_dsn: str) -> None:
    async with await PostgresStorage.open(postgres_dsn) as storage:
        await admin(postgres_dsn, PLANT_CONFLICTS.format(failures=1000, code="40001"))
        with pytest.raises(StorageBusy):
            await add(storage, 1)
        assert await storage.ledger.user_summary(G, 1) == UserSummary()


async def kill_connections(dsn: str) -> None:
    """Terminate every other session on the database (as a server restart would) and wait
    until they are gone."""
    conn = await asyncpg.connect(dsn)
    try:
        others = "datname = current_database() AND pid <> pg_backend_pid()"
        await conn.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {others}")
        for _ in range(500):
            if not await conn.fetchval(f"SELECT COUNT(*) FROM pg_stat_activity WHERE {others}"):
                break
            await asyncio.sleep(0.01)
    finally:
        await conn.close()


async def test_a_lost_connection_is_healed_by_the_pool(postgres_dsn: str) -> None:
    async with await PostgresStorage.open(postgres_dsn, max_connections=1) as storage:
        await add(storage, 1)
        await kill_connections(postgres_dsn)
        assert (await storage.ledger.user_summary(G, 1)).entries_received == 1
        await kill_connections(postgres_dsn)
        await add(storage, 1)
        assert (await storage.ledger.user_summary(G, 1)).entries_received == 2


SLOW_ARCHIVE = """
CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(0.5); RETURN NEW; END $$;
CREATE TRIGGER slow BEFORE INSERT ON resets FOR EACH ROW EXECUTE FUNCTION slow();
"""


async def sleeping_in_a_write(dsn: str, seconds: float = 10.0) -> None:
    """Wait until a backend sits in the slow trigger's pg_sleep (not a fixed pause: a loaded
    machine may take longer to get there)."""
    waited = 0.0
    while not (await admin(dsn, SLEEPING))[0]:
        assert waited < seconds, "the write never reached the slow trigger"
        await asyncio.sleep(0.02)
        waited += 0.02


SLEEPING = "SELECT COUNT(*) > 0 FROM pg_stat_activity WHERE wait_event = 'PgSleep'"


async def test_a_connection_lost_mid_write_saves_nothing_and_says_busy(postgres_dsn: str) -> None:
    async with await PostgresStorage.open(postgres_dsn) as storage:
        await add(storage, 1)
        await admin(postgres_dsn, SLOW_ARCHIVE)
        reset = asyncio.create_task(storage.ledger.archive_member(G, 1, 9, up_to_id=10**9))
        await sleeping_in_a_write(postgres_dsn)  # inside the write's transaction
        await kill_connections(postgres_dsn)
        with pytest.raises(StorageBusy, match="lost the connection"):
            await reset
        assert (await storage.ledger.user_summary(G, 1)).entries_received == 1
        assert await admin(postgres_dsn, "SELECT COUNT(*) FROM resets") == [0]
        await admin(postgres_dsn, "DROP TRIGGER slow ON resets")
        assert await storage.ledger.archive_member(G, 1, 9, up_to_id=10**9) == 1
        assert await storage.verify() == []


# -- what the server refuses -----------------------------------------------------------------


async def test_a_full_disk_is_storage_full_and_totals_stay_exact(postgres_dsn: str) -> None:
    async with await PostgresStorage.open(postgres_dsn) as storage:
        await add(storage, 1, diamonds=3)
        await admin(
            postgres_dsn,
            "CREATE FUNCTION full_disk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            " RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full'; END $$",
            "CREATE TRIGGER full_disk BEFORE INSERT ON gift_totals FOR EACH ROW"
            " EXECUTE FUNCTION full_disk()",
        )
        with pytest.raises(StorageFull):
            await storage.ledger.add_entry(
                G, 1, 7, gift_name="Lion", count=1, coins=2, diamonds=Decimal(1)
            )
        assert (await storage.ledger.user_summary(G, 1)).diamonds_received == 3
        assert await storage.verify() == []


async def test_a_read_only_database_refuses_writes_with_a_message(postgres_dsn: str) -> None:
    async with await PostgresStorage.open(postgres_dsn) as storage:
        await add(storage, 1)
        await admin(
            postgres_dsn,
            "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only"
            " = on', current_database()); END $$",
        )
        await kill_connections(postgres_dsn)  # new sessions pick the setting up
        with pytest.raises(StorageReadOnly, match="read-only"):  # the message SQLite's gives
            await add(storage, 1)
        assert (await storage.ledger.user_summary(G, 1)).entries_received == 1


async def test_the_member_total_cap_is_the_users_refusal(postgres_dsn: str) -> None:
    async with await PostgresStorage.open(postgres_dsn) as storage:
        for _ in range(10):
            await storage.ledger.add_entry(
                G, 1, 2, gift_name=None, count=1, coins=0, diamonds=MAX_AMOUNT
            )
        with pytest.raises(LimitReached):
            await storage.ledger.add_entry(G, 1, 2, gift_name=None, count=1, coins=0, diamonds=1)
        assert (await storage.ledger.user_summary(G, 1)).entries_received == 10


# -- secrets ---------------------------------------------------------------------------------


def test_the_password_is_never_shown() -> None:
    url = f"postgresql://bot:{SECRET}@db.example:5432/tally?sslmode=require"
    assert SECRET not in redact(url) and redact(url).startswith("postgresql://bot:***@db.example")
    assert SECRET not in redact(f"postgresql:///tally?user=bot&password={SECRET}")
    config = BotConfig(database_url=url, _env_file=None)  # type: ignore[call-arg]
    assert SECRET not in repr(config) and SECRET not in config.database
    assert config.database_url_value() == url


async def test_a_server_that_cannot_be_reached_is_named_without_its_password() -> None:
    url = f"postgresql://bot:{SECRET}@127.0.0.1:1/tally"
    with pytest.raises(StorageError) as refused:
        await PostgresStorage.open(url)
    assert "could not be reached" in str(refused.value)
    assert SECRET not in str(refused.value) and "bot:***@127.0.0.1:1/tally" in str(refused.value)


def test_database_url_must_be_postgresql() -> None:
    with pytest.raises(ValueError, match="postgresql://"):
        BotConfig(database_url="mysql://x/y", _env_file=None)  # type: ignore[call-arg]
    assert BotConfig(database_url="  ", _env_file=None).database_url is None  # type: ignore[call-arg]


# -- several processes -----------------------------------------------------------------------


async def test_two_pools_writing_to_the_same_members_keep_totals_exact(postgres_dsn: str) -> None:
    """Two storages (as two bot processes would have) add and undo for the same members."""
    first = await PostgresStorage.open(postgres_dsn)
    second = await PostgresStorage.open(postgres_dsn)
    try:

        async def storm(storage: PostgresStorage, offset: int) -> None:
            for i in range(150):
                await storage.ledger.add_entry(
                    G, i % 7, 100 + (i + offset) % 5, gifter=Gifter.member(9, "nine"),
                    gift_name=("Rose", "Lion", None)[i % 3], count=1, coins=3, diamonds=2,
                )  # fmt: skip
                if i % 10 == 0:
                    await storage.ledger.undo_last(G, 100 + (i + offset) % 5)

        await asyncio.gather(*(storm(s, n) for n, s in enumerate([first, second] * 3)))
        assert await first.verify() == []
        rows = [e async for e in first.ledger.export_rows(G)]
        assert len(rows) == 6 * 150
        active = [e for e in rows if e.active]
        summaries = [await first.ledger.user_summary(G, u) for u in range(7)]
        assert sum(s.entries_received for s in summaries) == len(active)
    finally:
        await first.close()
        await second.close()
