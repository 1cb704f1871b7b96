"""The PostgreSQL section of `make bench`, when a server is available.

A throwaway cluster is started from the installed binaries (tests/support/postgres.py) with
durable commits (fsync on, on disk, ``synchronous_commit = on``), or the server in
TEST_DATABASE_URL is used. Every measurement gets a fresh database. Without a server the
section is skipped with a note.

* tally writes, 100 in flight: `PostgresStorage.add_entry` against a raw asyncpg loop running
  the identical statement (`TALLY_ADD`, one round trip, autocommit) on the same pool, rounds
  interleaved, in the same run;
* `/tally add` end to end with 1 and then 2 bot processes on one database, each process
  writing its own server (as shards would), the clock started in all at once;
* `/tally leaderboard` and `/tally show` in one server with many members and a big ledger, on
  SQLite and on PostgreSQL (the same rows, loaded by `bench.bulk`).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from bench.bulk import Loader, fill_ledger, spot_check_storage
from bench.harness import BENCH_GUILD, bench_bot, run_interactions
from bench.scenarios import member, tally_read_payloads
from bench.stats import Result
from bench.writes import Write, _storm, planned_writes
from economy.storage import Gifter
from economy.storage.ledger import to_milli
from economy.storage.postgres import PostgresStorage
from economy.storage.postgres.ledger import TALLY_ADD, tally_add_params
from tests.support.postgres import (
    ClusterSettings,
    NoPostgres,
    PostgresStartError,
    Server,
    create_database,
    open_server,
)

REPO = Path(__file__).resolve().parents[1]
POOL = 10  # connections, opened before timing (the storage's default maximum)
WARM_UP = 300
Say = Callable[[str], None]


@asynccontextmanager
async def bench_server(say: Say) -> AsyncIterator[Server | None]:
    """A PostgreSQL server for the section (durable commits), or None with a note why not."""
    settings = ClusterSettings(synchronous_commit="on", durable=True, shared_buffers="256MB")
    try:
        server = await asyncio.to_thread(open_server, settings)
    except (NoPostgres, PostgresStartError) as error:
        say(f"  PostgreSQL section skipped: {str(error).splitlines()[0]}")
        yield None
        return
    try:
        yield server
    finally:
        await asyncio.to_thread(server.close)


async def fresh_database(server: Server) -> str:
    return server.dsn_for(await create_database(server, synchronous_commit="on"))


def _gifter(item: Write) -> Gifter:
    return Gifter.member(item[1], f"member {item[1]}")


async def _round(url: str, plan: list[Write], storage_first: bool) -> tuple[Result, Result]:
    """One storage run and one raw run on the same pool (and database), in the given order."""
    async with await PostgresStorage.open(
        url, min_connections=POOL, max_connections=POOL
    ) as storage:
        pool = storage.pool

        async def through_storage(item: Write) -> None:
            recipient, gifter, gift, count, coins, diamonds = item
            await storage.ledger.add_entry(
                BENCH_GUILD.id, recipient, gifter, gifter=_gifter(item), gift_name=gift,
                count=count, coins=coins, diamonds=diamonds,
            )  # fmt: skip

        async def raw(item: Write) -> None:
            recipient, gifter, gift, count, coins, diamonds = item
            params = tally_add_params(
                BENCH_GUILD.id, recipient, _gifter(item), gifter, gift,
                (count, coins, to_milli(diamonds)), datetime.now(UTC), (),
            )  # fmt: skip
            async with pool.acquire() as conn:
                await conn.fetchrow(TALLY_ADD, *params)

        runs: list[tuple[str, Callable[[Write], Awaitable[None]]]] = [
            ("tally writes: PostgreSQL storage", through_storage),
            ("tally writes: raw asyncpg loop, same statement and pool", raw),
        ]
        if not storage_first:
            runs.reverse()
        for _, work in runs:  # warm both: prepared statements on every connection, caches
            await _storm("warm-up", plan[:WARM_UP], work)
        results = {name: await _storm(name, plan, work) for name, work in runs}
        if await storage.verify():
            raise AssertionError("PostgreSQL totals drifted during the write benchmark")
    return results[runs[0][0]], results[runs[1][0]]


async def pg_write_benchmarks(server: Server, n: int, rounds: int) -> list[Result]:
    """Storage vs raw, `rounds` times each (order alternating), median round by throughput."""
    plan = planned_writes(n)
    stored: list[Result] = []
    raws: list[Result] = []
    for round_ in range(rounds):
        first, second = await _round(await fresh_database(server), plan, round_ % 2 == 0)
        storage, raw = (first, second) if round_ % 2 == 0 else (second, first)
        stored.append(storage)
        raws.append(raw)
    chosen = []
    for results in (raws, stored):
        ordered = sorted(results, key=lambda r: r.per_second or 0.0)
        median = ordered[len(ordered) // 2]
        median.extra["rounds_per_second"] = [round(r.per_second or 0.0) for r in results]
        median.note = f"median of {rounds} rounds, synchronous_commit on"
        chosen.append(median)
    raw, storage = chosen
    if raw.per_second and storage.per_second:
        storage.extra["ratio_vs_raw_asyncpg"] = round(storage.per_second / raw.per_second, 2)
        storage.note += f"; {storage.extra['ratio_vs_raw_asyncpg']:.2f}x raw"
    return [raw, storage]


async def _processes(url: str, count: int, n: int) -> Result:
    """`count` bot processes, `n` /tally add each, started together; one merged row."""
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.tally_process", url, str(index), str(n),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        for index in range(count)
    ]  # fmt: skip
    for child in children:
        assert child.stdout is not None
        line = await child.stdout.readline()
        if line.strip() != b"ready":
            raise AssertionError(f"a benchmark process failed to start: {line!r}")
    before, started = _cpu_seconds(), time.perf_counter()
    for child in children:
        assert child.stdin is not None
        child.stdin.write(b"go\n")
        await child.stdin.drain()
    outputs = [json.loads((await child.communicate())[0]) for child in children]
    busy, window = _cpu_seconds() - before, time.perf_counter() - started
    latencies = [x for out in outputs for x in out["latencies"]]
    seconds = max(out["seconds"] for out in outputs)
    name = f"/tally add, {count} bot process{'es' if count > 1 else ''}, one PostgreSQL"
    result = Result(name, sum(out["n"] for out in outputs), seconds, latencies, 32 * count)
    # the machine's busy share from "go" to exit (the processes' close included)
    result.extra["machine_cpu_busy"] = round(busy / window / (os.cpu_count() or 1), 2)
    return result


def _cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy (every process, PostgreSQL's included)."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / (os.sysconf("SC_CLK_TCK") or 100)


async def pg_process_benchmarks(server: Server, n: int) -> list[Result]:
    one = await _processes(await fresh_database(server), 1, n)
    two = await _processes(await fresh_database(server), 2, n)
    one.note = f"32 in flight, its own server; CPU {one.extra['machine_cpu_busy']:.0%} busy"
    if one.per_second and two.per_second:
        two.extra["speedup_vs_one"] = round(two.per_second / one.per_second, 2)
        two.note = (
            f"each its own server; {two.extra['speedup_vs_one']:.2f}x one process; "
            f"CPU {two.extra['machine_cpu_busy']:.0%} busy"
        )
    return [one, two]


async def big_server_reads(
    folder: Path, server: Server | None, rows: int, members: int, reads: int, say: Say
) -> list[Result]:
    """Leaderboard and show p99 in one server of `members` members and `rows` entries, on
    SQLite and (with a server) PostgreSQL: the same rows."""
    targets: list[tuple[str, Path, str | None]] = [("SQLite", folder / "big.sqlite3", None)]
    if server is not None:
        targets.append(("PostgreSQL", folder / "unused.sqlite3", await fresh_database(server)))
    label = f"{rows // 1000:,}k rows" if rows < 1_000_000 else f"{rows // 1_000_000}M rows"
    results: list[Result] = []
    for backend, path, url in targets:
        async with bench_bot(path, url) as driver:
            say(f"  {backend}: one server, {members:,} members, {rows:,} ledger rows")
            storage = driver.bot.storage
            if url is None:
                seconds = Loader(path, BENCH_GUILD.id, members).add(rows)
            else:
                seconds = await fill_ledger(storage, BENCH_GUILD.id, members, rows)
            sample = [member(i).id for i in range(0, members, max(1, members // 50))]
            problems = await spot_check_storage(storage, BENCH_GUILD.id, sample)
            if problems:
                raise AssertionError(f"bulk load left inconsistent totals: {problems[:3]}")
            warm = tally_read_payloads(driver, 40, members, seed=3)
            await run_interactions("warm-up", driver, warm["leaderboard"] + warm["show"])
            payloads = tally_read_payloads(driver, reads, members, seed=4)
            for command in ("leaderboard", "show"):
                result = await run_interactions(
                    f"/tally {command}, {members // 1000:,}k members @ {label} ({backend})",
                    driver,
                    payloads[command],
                    note=f"loaded in {seconds:.0f} s",
                )
                result.extra.update(ledger_rows=rows, members=members, backend=backend)
                results.append(result)
    return results


def pg_targets(results: list[Result]) -> list[tuple[str, str, float | None, bool | None]]:
    """(target, wanted, value, met) of the PostgreSQL section."""
    found: list[tuple[str, str, float | None, bool | None]] = []
    storage = next((r for r in results if r.name == "tally writes: PostgreSQL storage"), None)
    ratio = storage.extra.get("ratio_vs_raw_asyncpg") if storage else None
    found.append(("PostgreSQL storage / raw asyncpg writes/s", ">= 0.9", ratio,
                  None if ratio is None else ratio >= 0.9))  # fmt: skip
    two = next((r for r in results if r.name.startswith("/tally add, 2 bot processes")), None)
    speedup = two.extra.get("speedup_vs_one") if two else None
    found.append(("/tally add, 2 processes / 1 process (PostgreSQL)", ">= 1.3", speedup,
                  None if speedup is None else speedup >= 1.3))  # fmt: skip
    for r in results:
        if r.extra.get("backend") == "PostgreSQL" and r.latencies:
            p99 = r.ms(0.99) or 0.0
            found.append((f"{r.name} p99", "< 20 ms", p99, p99 < 20.0))
    return found


async def postgres_version(server: Server) -> str:
    """The server's version, for the report."""
    conn = await asyncpg.connect(server.admin_dsn)
    try:
        return str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()
