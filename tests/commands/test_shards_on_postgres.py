"""Two bot processes, each owning a different shard, writing to one PostgreSQL database.

Each process writes to servers of its own shard and both write to one server besides (as a
reshard or a misrouted event could make happen): every confirmed entry is stored exactly once,
every confirmed undo undid one, and every total equals the sum of its ledger entries.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path

import pytest

from economy.storage.postgres import PostgresStorage
from tests.support.processes import child_env

pytestmark = pytest.mark.slow  # child processes

WRITER = Path(__file__).with_name("shard_writer.py")
SHARDS = 2
STEPS = 400


def servers_of_shard(shard: int, how_many: int) -> list[int]:
    """Server ids Discord routes to `shard` (of SHARDS): (id >> 22) % SHARDS == shard."""
    found, candidate = [], 1_930_000_000_000_000_000
    while len(found) < how_many:
        if (candidate >> 22) % SHARDS == shard:
            found.append(candidate)
        candidate += 1 << 22
    return found


async def test_two_shard_processes_lose_nothing_and_keep_totals_exact(postgres_dsn: str) -> None:
    own = {shard: servers_of_shard(shard, 3) for shard in range(SHARDS)}
    shared = own[0][0]  # a server of shard 0 that shard 1's process writes to as well
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable, str(WRITER), str(SHARDS), str(shard),
            ",".join(str(g) for g in {*own[shard], shared}), str(STEPS),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env=child_env(DATABASE_URL=postgres_dsn),
        )
        for shard in range(SHARDS)
    ]  # fmt: skip
    outputs = await asyncio.wait_for(asyncio.gather(*(c.communicate() for c in children)), 240)
    lines: list[list[str]] = []
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err.decode()[-3000:]
        text = out.decode().splitlines()
        assert text[-1] == "done"
        lines += [line.split() for line in text[:-1]]
    adds = Counter((int(g), int(s), int(c)) for kind, g, s, c in (x for x in lines if len(x) == 4))
    undos = Counter(int(g) for kind, g, s in (x for x in lines if len(x) == 3))
    assert sum(adds.values()) > 0.8 * SHARDS * STEPS  # almost every step was an add
    assert undos[shared] > 0 and all(n == 1 for n in adds.values())

    async with await PostgresStorage.open(postgres_dsn) as storage:
        stored: Counter[tuple[int, int, int]] = Counter()
        undone: Counter[int] = Counter()
        for guild in {*own[0], *own[1]}:
            async for entry in storage.ledger.export_rows(guild):
                stored[(entry.guild_id, entry.recorder_id, entry.count)] += 1
                undone[guild] += entry.undone
        assert stored == adds  # every confirmed entry once; nothing unconfirmed kept
        assert undone == undos
        assert await storage.verify() == []  # every total equals its ledger entries
        shared_rows = [e async for e in storage.ledger.export_rows(shared)]
        assert {e.count // 100_000 for e in shared_rows} == {0, 1}  # both processes wrote there
