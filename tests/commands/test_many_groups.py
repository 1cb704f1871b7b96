"""50,000 groups in the database: each server's autocomplete and list read only that
server's groups, through the index, a bounded number at a time."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from bot.offline import OfflineDiscord
from economy.limits import MAX_GROUPS
from economy.names import name_key
from economy.storage.group_queries import GROUP_NAMES, names_params
from tests.support.people import ALICE, GUILD, MANAGER, MEMBERS
from tests.support.replies import embed_of, only_reply, refusal

# 50,000 rows written straight into the SQLite file, and SQLite's query plan.
pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

SERVERS = 250  # 250 servers x 200 groups (the per-server cap)
OTHER_SERVERS = [1_950_000_000_000_000_000 + i for i in range(SERVERS - 1)]


def fill(path, guilds: list[int], per_guild: int) -> None:
    now = datetime.now(UTC).isoformat()
    rows = (
        (guild, name, name_key(name), MANAGER.id, now)
        for guild in guilds
        for name in (f"Group {i:03d}" for i in range(per_guild))
    )
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO tally_groups (guild_id, name, name_key, creator_id, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )
    db.close()


async def test_50k_groups_each_server_reads_only_its_own(offline: OfflineDiscord) -> None:
    path = offline.bot.storage.path
    fill(path, [GUILD.id, *OTHER_SERVERS], MAX_GROUPS)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM tally_groups").fetchone() == (50_000,)
    db.close()

    choices = await offline.autocomplete("group join", "name", "group 1", user=ALICE, guild=GUILD)
    assert 1 <= len(choices) <= 25
    assert [c["name"] for c in choices[:3]] == ["Group 100", "Group 101", "Group 102"]
    everything = await offline.autocomplete("group join", "name", "", user=ALICE, guild=GUILD)
    assert len(everything) == 25

    listed = only_reply(await offline.command("group list", {}, user=ALICE, guild=GUILD))
    assert "200" in embed_of(listed)["title"]  # how many there are, one page shown

    refused = await offline.command(
        "group create", {"name": "One too many"}, user=MANAGER, guild=GUILD, members=MEMBERS
    )
    assert "200" in refusal(refused)  # the cap holds

    with sqlite3.connect(path) as db:
        params = names_params(GUILD.id, "g", 25)
        plan = [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {GROUP_NAMES}", params)]
    db.close()
    reads = [step for step in plan if "tally_groups" in step]
    assert len(reads) == 2 and all("USING" in s and "INDEX" in s for s in reads), plan
