"""`python -m bot db copy SQLITE_PATH URL`: a SQLite database moved into PostgreSQL, checked.
Every table comes along: tallies, groups, settings, loaded exchange rates and the community's
schedules, claims, roles and goals.

Run as a user runs it (a child process); the copy is then read back through both storages,
which must answer every question alike.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from bench.bulk import Loader
from economy.fx import ReferenceRates
from economy.storage import Gifter, GoalTarget, RoleReached, Seen, SqliteStorage, Storage
from economy.storage.postgres import PostgresStorage
from economy.storage.sqlite.migrations import load_migrations as sqlite_migrations
from tests.support.processes import child_env

G, OTHER = 3001, 3002
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
SET_AT = NOW - timedelta(days=40)


def db_copy(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "db", "copy", *args],
        cwd=tmp_path,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )


async def fill(path: Path) -> None:
    """Something in every table the bot writes."""
    async with await SqliteStorage.open(path) as storage:
        ledger = storage.ledger
        for i in range(30):
            await ledger.add_entry(
                G, 10 + i % 4, 20 + i % 3,
                gifter=(Gifter.member(20 + i % 3, f"m{i % 3}"), Gifter.tiktok("@Fan"), None)[i % 3],
                gift_name=("Rose", "Lion", None)[i % 3], count=1 + i % 2, coins=5 * (i + 1),
                diamonds=Decimal(5 * (i + 1)) / 2, seen=[Seen(10 + i % 4, f"member {i % 4}")],
                now=NOW - timedelta(days=i),
            )  # fmt: skip
        await ledger.add_entry(OTHER, 1, 1, gift_name="Rose", count=1, coins=1, diamonds=1)
        await ledger.undo_last(G, 20)
        preview = await ledger.reset_preview(G, 11)
        await ledger.archive_member(G, 11, 99, preview.up_to_id)
        preview = await ledger.reset_preview(G, 12)
        await ledger.archive_member(G, 12, 99, preview.up_to_id)
        await ledger.restore_member(G, 12)
        await storage.groups.create_group(G, "Alpha Agency", 10)
        await storage.groups.add_member(G, "Alpha Agency", 10)
        await storage.groups.add_member(G, "Alpha Agency", 13)
        await storage.groups.request_join(G, "Alpha Agency", 12)
        await storage.guild_settings.change_settings(G, {"currency": "IDR", "fx:IDR": "16000"}, 5)
        await storage.guild_settings.add_custom_gift(G, "Golden Mic", 700, 5)
        await fill_community(storage)
        await storage.reference_rates.add_reference_rates(
            ReferenceRates(
                as_of=date(2026, 10, 20), eur_rates={"USD": Decimal("1.15")}, origin="test.xml"
            ),
            NOW,
        )
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO reference_rates (as_of, source, rates, loaded_at)"
            " VALUES ('2026-10-06', 'ECB', '{\"USD\": \"1.1\"}', '2026-10-07T08:00:00+00:00')"
        )
    db.close()


async def fill_community(storage: Storage) -> None:
    """Schedules with a finished and an unfinished claim, rotated roles held, threshold roles
    given and failed, goals of members and a group (one reached, one cleared)."""
    community = storage.community
    await community.set_schedule_posts(G, "week", 5, channel_id=500, locale="pt-BR", now=SET_AT)
    await community.set_schedule_roles(
        G, "week", 5, gifter_role_id=601, receiver_role_id=602, locale="pt-BR", now=SET_AT
    )
    await community.set_schedule_roles(
        G, "month", 5, gifter_role_id=603, receiver_role_id=None, now=SET_AT
    )
    await community.claim_period(G, "week", "W2026-46", NOW)
    await community.finish_period(
        G, "week", "W2026-46", outcome="posted", message_id=777, holders={601: 20, 602: 10},
        now=NOW,
    )  # fmt: skip
    await community.claim_period(G, "month", "M2026-10", NOW)  # its process died
    await community.save_threshold_role(G, 700, 10, 5, now=SET_AT)
    await community.save_threshold_role(G, 701, 10**6, 5, now=SET_AT)
    for member in (10, 13):  # each entry's write claims role 700 for its recipient
        await raw_diamonds(storage, member, 10)
    await community.settle_threshold_role(G, 700, 13, "missing: Manage Roles")
    [group], _ = await storage.groups.list_groups(G)
    await community.set_goal(
        G, GoalTarget.member(10), Decimal(100), None, date(2026, 12, 31), 10, now=SET_AT
    )
    reached = await community.set_goal(
        G, GoalTarget.member(13), Decimal("12.50"), "USD", None, 5, now=SET_AT
    )
    await community.claim_goal_reached(reached.id, now=NOW)
    await community.set_goal(G, GoalTarget.group(group.id), Decimal("50.00"), "IDR", None, 10)
    await community.set_goal(G, GoalTarget.member(12), Decimal(7), None, None, 5)
    await community.clear_goal(G, GoalTarget.member(12))  # its id is never given again
    await storage.ledger.add_entry(  # towards member 10's goal and the group's
        G, 10, 21, gifter=Gifter.member(21, "m1"), gift_name="Lion", count=1, coins=29_999,
        diamonds=Decimal("14999.5"), now=NOW,
    )  # fmt: skip
    await community.save_threshold_role(G, 702, 1, 5, now=NOW)  # not given to anyone yet


async def community_answers(storage: Storage) -> list[object]:
    """What the community features read, and what their next claims would get."""
    community = storage.community
    [group], _ = await storage.groups.list_groups(G)
    shown: list[object] = [
        await community.schedules(G),
        await community.threshold_roles(G),
        await storage.reference_rates.newest_reference_rates(),
    ]
    for target in (*map(GoalTarget.member, range(10, 14)), GoalTarget.group(group.id)):
        shown.append(await community.goal(G, target))
    for user in range(10, 14):
        shown.append(await community.open_goals(G, user))
    later = NOW + timedelta(minutes=20)  # the unfinished month's lease has run out
    shown.append(await community.due_periods(later))
    shown.append(await community.claim_period(G, "week", "W2026-46", later))  # posted already
    shown.append(await community.claim_period(G, "month", "M2026-10", later))
    shown.append(await community.claim_period(G, "week", "W2026-47", later + timedelta(days=5)))
    return shown


async def raw_diamonds(storage: Storage, member: int, diamonds: int) -> tuple[RoleReached, ...]:
    """Record `diamonds` for `member` (by member 5); the threshold roles the entry reached."""
    recorded = await storage.ledger.add_entry(
        G, member, 5, gift_name=None, count=1, coins=0, diamonds=diamonds, now=NOW
    )
    return recorded.roles_reached


async def answers(storage: Storage) -> list[object]:
    """Everything a user could be shown, from either storage."""
    shown: list[object] = [[e async for e in storage.ledger.export_rows(g)] for g in (G, OTHER)]
    for by in ("received", "gifted"):
        for period in ("all", "M2026-11", "W2026-47", "M2026-10"):
            shown.append(await storage.ledger.leaderboard(G, by, period, limit=50))  # type: ignore[arg-type]
    for user in range(10, 23):
        shown.append(await storage.ledger.member_tally(G, user, now=NOW))
        shown.append(await storage.ledger.history(G, user, limit=50))
    shown.append(await storage.ledger.names(G, range(10, 23)))
    shown.append(await storage.groups.list_groups(G))
    shown.append(await storage.groups.group_members(G, "alpha agency"))
    shown.append(await storage.guild_settings.stored_settings(G))
    shown.append(await storage.guild_settings.settings_history(G, 50))
    return [*shown, *await community_answers(storage)]


async def test_a_copy_answers_everything_as_the_original(tmp_path: Path, postgres_dsn: str) -> None:
    source = tmp_path / "bot.sqlite3"
    await fill(source)
    done = db_copy(tmp_path, str(source), DATABASE_URL=postgres_dsn)
    assert done.returncode == 0, done.stderr
    assert "Verified: every table's row count and every total match" in done.stdout
    assert "34 ledger" in done.stdout and "Traceback" not in done.stderr
    async with await SqliteStorage.open(source) as original:
        expected = await answers(original)
        # the next entries claim what the grants and roles' states leave: 702 (700 failed)
        claims = [await raw_diamonds(original, member, 1) for member in (10, 12)]
    assert [[r.role_id for r in reached] for reached in claims] == [[702], [702]]
    async with await PostgresStorage.open(postgres_dsn) as copy:
        assert await answers(copy) == expected
        assert await copy.verify() == []
        assert [await raw_diamonds(copy, member, 1) for member in (10, 12)] == claims
        await copy.ledger.restore_member(G, 11)  # the archive came along
        added = await copy.ledger.add_entry(
            G, 10, 20, gift_name="Rose", count=1, coins=1, diamonds=1
        )
        assert added.entry.id == 37  # numbering goes on after the copied ids
        group = await copy.groups.create_group(G, "Beta", 10)
        assert group.id == 2
        goal = await copy.community.set_goal(G, GoalTarget.member(20), Decimal(1), None, None, 5)
        assert goal.id == 5  # after the cleared goal's 4, as SQLite would go on


async def test_a_target_with_data_is_refused_and_left_alone(
    tmp_path: Path, postgres_dsn: str
) -> None:
    source = tmp_path / "bot.sqlite3"
    await fill(source)
    async with await PostgresStorage.open(postgres_dsn) as target:
        await target.ledger.add_entry(G, 1, 2, gift_name="Rose", count=1, coins=1, diamonds=1)
    done = db_copy(tmp_path, str(source), postgres_dsn)
    assert done.returncode == 2
    assert "already holds data (ledger, received_totals, gift_totals" in done.stderr
    assert "Traceback" not in done.stderr
    async with await PostgresStorage.open(postgres_dsn) as target:
        assert len([e async for e in target.ledger.export_rows(G)]) == 1


def test_known_mistakes_are_one_line_without_a_password(tmp_path: Path) -> None:
    missing = db_copy(
        tmp_path, str(tmp_path / "nope.sqlite3"), "postgresql://u:pw123@127.0.0.1:1/x"
    )
    assert missing.returncode == 2 and "there is no SQLite database at" in missing.stderr
    (tmp_path / "bot.sqlite3").write_bytes(b"")
    unreachable = db_copy(tmp_path, "bot.sqlite3", "postgresql://u:pw123@127.0.0.1:1/x")
    no_url = db_copy(tmp_path, "bot.sqlite3", DATABASE_URL="")
    assert no_url.returncode == 2 and "No PostgreSQL database given" in no_url.stderr
    for done in (missing, unreachable, no_url):
        assert "Traceback" not in done.stderr and "pw123" not in done.stderr + done.stdout


async def test_an_older_sqlite_file_is_upgraded_first(tmp_path: Path, postgres_dsn: str) -> None:
    older = tmp_path / "migrations"
    older.mkdir()
    *before, _ = sqlite_migrations()  # the schema of the bot before its newest step
    for migration in before:
        (older / f"V{migration.version:03d}__{migration.name}.sql").write_text(migration.sql)
    async with await SqliteStorage.open(tmp_path / "old.sqlite3", migrations=older):
        pass
    done = db_copy(tmp_path, "old.sqlite3", postgres_dsn)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"has schema version {len(before)}; the copy needs version" in done.stderr
    assert "start the bot once on it (it upgrades the file), then copy" in done.stderr
    async with await SqliteStorage.open(tmp_path / "old.sqlite3"):  # the bot upgrades it
        pass
    upgraded = db_copy(tmp_path, "old.sqlite3", postgres_dsn)
    assert upgraded.returncode == 0, upgraded.stderr


@pytest.mark.slow
async def test_a_hundred_thousand_entries_copy_with_equal_counts_and_totals(
    tmp_path: Path, postgres_dsn: str
) -> None:
    source = tmp_path / "big.sqlite3"
    async with await SqliteStorage.open(source):
        pass
    Loader(source, G, members=5000).add(100_000)
    done = db_copy(tmp_path, str(source), postgres_dsn)
    assert done.returncode == 0, done.stderr
    assert "100,000 ledger" in done.stdout and "Verified" in done.stdout
    async with (
        await SqliteStorage.open(source) as original,
        await PostgresStorage.open(postgres_dsn) as copy,
    ):
        for by in ("received", "gifted"):
            for period in ("all", "month", "week"):
                wanted = await original.ledger.leaderboard(G, by, period, limit=100)  # type: ignore[arg-type]
                assert await copy.ledger.leaderboard(G, by, period, limit=100) == wanted  # type: ignore[arg-type]
        assert await copy.verify() == []
