"""`python -m bench [--quick] [--output PATH]`: run every benchmark, print a table, save JSON.

Measured in this process through the bot's full interaction path (no network):

* start-up: a new process to commands loaded, and create_bot + start with warm imports;
* `/gift value`, autocomplete over the whole catalog, `/tally add`: one at a time and with
  100 in flight (the write limit lifted, 1,000 distinct senders);
* tally writes/s, 100 concurrent senders: the storage against raw aiosqlite loops;
* `/tally leaderboard` and `/tally show` at 10k, 100k and 1M ledger rows (plus the same
  reads straight on the storage), then a fresh bot process on the 1M-row file: its memory
  and the same reads;
* card pictures (`bench/cards.py`): render time by size, the event loop's lag meanwhile;
* the event loop's lag and memory during `/tally export` of 1M rows and `/tally reset` of a
  200k-entry member while another server records gifts (`bench/lag.py`).
* PostgreSQL (`bench/postgres.py`, when a server is available): storage writes against a raw
  asyncpg loop, `/tally add` with one and two bot processes on one database, and leaderboard
  and show in one server with 100k members and 1M entries, on SQLite and on PostgreSQL.

The full run takes about ten minutes here (three without PostgreSQL; much of it filling the
1M-row ledgers) and writes bench/results.json; it exits 1 when a target is missed. `--quick`
uses small sizes, takes about half a minute, and writes bench/results-quick.json: a smoke test
whose numbers are not the ones to quote.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.bulk import Loader, spot_check
from bench.cards import card_benchmarks, card_targets
from bench.harness import (
    BENCH_GUILD,
    bench_bot,
    offered_choices,
    run_interactions,
    timed_calls,
)
from bench.lag import lag_benchmarks, lag_targets
from bench.machine import machine_info, memory_mib
from bench.postgres import (
    bench_server,
    big_server_reads,
    pg_process_benchmarks,
    pg_write_benchmarks,
    postgres_version,
)
from bench.report import check_targets, postgres_targets, table
from bench.scenarios import (
    autocomplete_inputs,
    autocomplete_payloads,
    gift_value_payloads,
    has_command,
    member,
    tally_add_payloads,
    tally_read_payloads,
)
from bench.startup import cold_startup, start_once
from bench.stats import Result
from bench.writes import write_benchmarks

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.json"
QUICK_OUTPUT = DEFAULT_OUTPUT.with_name("results-quick.json")
IN_FLIGHT = 100
READ_ROUNDS = 4


@dataclass(frozen=True)
class Plan:
    mode: str
    interactions: int  # serial runs
    concurrent: int  # runs with IN_FLIGHT in flight
    autocomplete_passes: float
    senders: int
    writes: int
    write_rounds: int
    ledger_sizes: tuple[int, ...]
    members: int
    reads: int
    cold_starts: int
    process_adds: int  # /tally add per bot process in the PostgreSQL process runs
    big_server: tuple[int, int]  # (ledger rows, members) of the one-big-server reads


FULL = Plan(
    "full", 2000, 5000, 2, 1000, 6000, 3, (10_000, 100_000, 1_000_000), 5000, 1000, 3, 3000,
    (1_000_000, 100_000),
)  # fmt: skip
QUICK = Plan(
    "quick", 150, 300, 0.25, 100, 500, 1, (1_000, 10_000), 500, 60, 1, 200, (10_000, 2_000)
)


class ErrorCounter(logging.Handler):
    """Counts ERROR records: any of them means a benchmarked interaction went wrong."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    parser.add_argument("--output", type=Path, help="JSON results file (default: bench/)")
    args = parser.parse_args(argv)
    if args.output is None:
        args.output = QUICK_OUTPUT if args.quick else DEFAULT_OUTPUT
    return args


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def bench_startup(folder: Path, plan: Plan) -> tuple[list[Result], dict[str, Any]]:
    colds = [cold_startup(folder / f"cold-{i}.sqlite3") for i in range(plan.cold_starts)]
    warm = [(await start_once(folder / f"warm-{i}.sqlite3"))[0] for i in range(5)]
    cold = {
        key: statistics.median(run[key] for run in colds)
        for key in ("process_s", "import_s", "start_s", "to_commands_loaded_s")
    }
    cold["commands"] = colds[0]["commands"]
    rows = [
        Result(
            "start-up: new process to commands loaded",
            len(colds),
            latencies=[r["to_commands_loaded_s"] for r in colds],
            note=f"imports {cold['import_s']:.2f} s, {cold['commands']} commands",
        ),
        Result(
            "start-up: create_bot + start (warm imports)",
            len(warm),
            latencies=warm,
            note="opens the DB, loads every cog",
        ),
    ]
    return rows, {"cold": cold, "warm_median_s": round(statistics.median(warm), 4)}


async def bench_interactions(folder: Path, plan: Plan) -> list[Result]:
    results: list[Result] = []
    async with bench_bot(folder / "interactions.sqlite3") as driver:
        await run_interactions("warm-up", driver, gift_value_payloads(driver, 50, seed=9))
        say("  /gift value")
        pictures = "the answer timed; each adds its money-flow picture after (worker process)"
        results.append(
            await run_interactions(
                "/gift value", driver, gift_value_payloads(driver, plan.interactions), note=pictures
            )
        )
        results.append(
            await run_interactions(
                "/gift value",
                driver,
                gift_value_payloads(driver, plan.concurrent, seed=5),
                concurrency=IN_FLIGHT,
                note="a burst: past 20 waiting, answers go without a picture",
            )
        )

        say("  autocomplete")
        inputs = autocomplete_inputs()
        inputs = (inputs * 2)[: max(1, int(len(inputs) * plan.autocomplete_passes))]
        results.append(
            await run_interactions(
                "autocomplete gift: (full catalog)",
                driver,
                autocomplete_payloads(driver, inputs),
                check=offered_choices,
                note="empty, prefixes, names, typos, garbage",
            )
        )

        if has_command(driver, "tally add"):
            say("  /tally add")
            results.append(
                await run_interactions(
                    "/tally add",
                    driver,
                    tally_add_payloads(driver, plan.interactions, plan.senders),
                    note=f"{plan.senders} senders",
                )
            )
            results.append(
                await run_interactions(
                    "/tally add",
                    driver,
                    tally_add_payloads(driver, plan.concurrent, plan.senders, seed=8),
                    concurrency=IN_FLIGHT,
                    note=f"{plan.senders} senders",
                )
            )
            problems = await driver.bot.storage.verify()
            if problems:
                raise AssertionError(f"/tally add left inconsistent totals: {problems}")
        else:
            results.append(Result("/tally add", note="skipped: no /tally add in this tree"))
    return results


def size_label(size: int) -> str:
    return f"{size // 1000:,}k rows" if size < 1_000_000 else f"{size // 1_000_000}M rows"


def merge(name: str, parts: list[Result], size: int, note: str = "") -> Result:
    """One row from the rounds of a measurement: every sample, the summed time."""
    merged = Result(
        name,
        sum(p.n for p in parts),
        sum(p.seconds for p in parts),
        [x for p in parts for x in p.latencies],
        parts[0].concurrency,
        note,
    )
    merged.extra["ledger_rows"] = size
    return merged


async def bench_reads(folder: Path, plan: Plan) -> tuple[list[Result], dict[str, Any]]:
    """`/tally leaderboard` and `/tally show` on one database per ledger size.

    Every size gets its own file and bot, all open at once, and the measurements run in
    rounds that visit every size in turn: a disturbance on a shared machine then lands on
    all sizes alike instead of making one of them look slow.
    """
    results: list[Result] = []
    loads: dict[str, Any] = {}
    async with AsyncExitStack() as stack:
        drivers = {}
        for size in plan.ledger_sizes:
            path = folder / f"ledger-{size}.sqlite3"
            driver = drivers[size] = await stack.enter_async_context(bench_bot(path))
            if not has_command(driver, "tally show") or not has_command(
                driver, "tally leaderboard"
            ):
                return [Result("/tally show, /tally leaderboard", note="skipped: not in tree")], {}
            say(f"  filling a ledger with {size:,} rows")
            seconds = Loader(path, BENCH_GUILD.id, plan.members).add(size)
            check = (
                await driver.bot.storage.verify()
                if size <= 100_000
                else spot_check(
                    path, BENCH_GUILD.id, [member(i).id for i in range(0, plan.members, 97)]
                )
            )
            if check:
                raise AssertionError(f"bulk load left inconsistent totals: {check[:3]}")
            loads[str(size)] = {"load_s": round(seconds, 2), "rows_per_s": round(size / seconds)}
            payloads = tally_read_payloads(driver, 20, plan.members, seed=1)
            await run_interactions("warm-up", driver, payloads["leaderboard"] + payloads["show"])

        say(f"  reading, {READ_ROUNDS} rounds over every size")
        share = plan.reads // READ_ROUNDS
        parts: dict[tuple[int, str], list[Result]] = {}
        for round_ in range(READ_ROUNDS):
            for size, driver in drivers.items():
                payloads = tally_read_payloads(driver, share, plan.members, seed=size + round_)
                for command in ("leaderboard", "show"):
                    part = await run_interactions(command, driver, payloads[command])
                    parts.setdefault((size, command), []).append(part)
                for part in await storage_reads(driver, plan, share, seed=round_):
                    parts.setdefault((size, part.name), []).append(part)
        for size in drivers:
            label = size_label(size)
            for command in ("leaderboard", "show"):
                results.append(merge(f"/tally {command} @ {label}", parts[size, command], size))
            for kind in STORAGE_READS:
                results.append(
                    merge(
                        f"  storage: {kind} @ {label}",
                        parts[size, kind],
                        size,
                        "database share of the command above",
                    )
                )

    largest = max(plan.ledger_sizes)
    path = folder / f"ledger-{largest}.sqlite3"
    say(f"  a fresh bot process on the {largest:,}-row database")
    probe = cold_startup(path, reads=plan.reads, members=plan.members)
    fresh = {kind: probe.pop(f"{kind}_latencies_s", []) for kind in ("leaderboard", "show")}
    loads["bot_process"] = {"ledger_rows": largest, **probe}
    loads["bench_process_memory"] = memory_mib()
    loads["database_mib"] = round(path.stat().st_size / 2**20, 1)
    results.append(
        Result(
            f"start-up: new process, {largest:,}-row database",
            1,
            latencies=[probe["to_commands_loaded_s"]],
            note=f"then RSS {probe.get('rss_mib')} MiB after {plan.reads} leaderboards"
            f" + {plan.reads} shows",
        )
    )
    for kind, latencies in fresh.items():
        result = Result(
            f"/tally {kind} @ {size_label(largest)} (new bot process)",
            len(latencies),
            sum(latencies),
            latencies,
            note="no benchmark data in memory",
        )
        result.extra["ledger_rows"] = largest
        results.append(result)
    return results, loads


STORAGE_READS = ("standings (top 10 + own row)", "3 summaries + top gifts")


async def storage_reads(driver: Any, plan: Plan, n: int, seed: int) -> list[Result]:
    """The same reads straight on the storage: how much of each command is the database."""
    storage = driver.bot.storage
    guild = BENCH_GUILD.id
    rng = random.Random(seed)
    people = [member(int(plan.members * rng.random() ** 2)).id for _ in range(n)]
    periods = ("all", "month", "week")

    async def board(i: int) -> None:
        by = ("received", "gifted")[i % 2]
        await storage.ledger.standings(guild, people[i], by, periods[i % 3], 10)

    async def show(i: int) -> None:
        for period in periods:
            await storage.ledger.user_summary(guild, people[i], period)
        await storage.ledger.top_gifts(guild, people[i], 5)

    return [
        await timed_calls(STORAGE_READS[0], board, n),
        await timed_calls(STORAGE_READS[1], show, n),
    ]


async def run(plan: Plan) -> dict[str, Any]:
    results: list[Result] = []
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    logging.getLogger().setLevel(logging.WARNING)
    started = time.perf_counter()
    postgres: str | None = None
    with tempfile.TemporaryDirectory(prefix="tiktok-gift-bot-bench-") as tmp:
        folder = Path(tmp)
        say("start-up")
        startup_rows, startup = await bench_startup(folder, plan)
        results += startup_rows
        say("interactions")
        results += await bench_interactions(folder, plan)
        say("tally writes: raw vs storage")
        results += await write_benchmarks(folder, plan.writes, plan.write_rounds)
        say("reads by ledger size")
        read_rows, loads = await bench_reads(folder, plan)
        results += read_rows
        say("cards")
        results += await card_benchmarks(quick=plan.mode == "quick")
        say("event loop lag: a big export and a big reset")
        results += await lag_benchmarks(folder, quick=plan.mode == "quick")
        say("PostgreSQL")
        async with bench_server(say) as server:
            if server is not None:
                postgres = await postgres_version(server)
                say("  tally writes: storage vs raw asyncpg")
                results += await pg_write_benchmarks(server, plan.writes, plan.write_rounds)
                say("  /tally add with 1 and 2 bot processes")
                results += await pg_process_benchmarks(server, plan.process_adds)
            rows, members = plan.big_server
            results += await big_server_reads(folder, server, rows, members, plan.reads, say)
    logging.getLogger().removeHandler(errors)
    machine = machine_info()
    machine["postgresql"] = postgres
    if errors.records:
        raise AssertionError(
            f"errors logged during the benchmark: {errors.records[0].getMessage()}"
        )
    return {
        "mode": plan.mode,
        "machine": machine,
        "seconds": round(time.perf_counter() - started, 1),
        "startup": startup,
        "bulk_load": loads,
        "results": [r.as_json() for r in results if r.name != "warm-up"],
        "targets": check_targets(results)
        + card_targets(results)
        + lag_targets(results)
        + postgres_targets(results),
        "_table": table(results),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    report = asyncio.run(run(QUICK if args.quick else FULL))
    text = report.pop("_table")
    machine = report["machine"]
    print(f"tiktok-gift-bot benchmark ({report['mode']}), {machine['date']}")
    print(
        f"{machine['cpu']}, {machine['cores']} cores; Python {machine['python']}, "
        f"SQLite {machine['sqlite']}, PostgreSQL {machine.get('postgresql') or '-'}, "
        f"discord.py {machine['discord.py']}"
    )
    print()
    print(text)
    print()
    memory = report["bulk_load"].get("bot_process")
    if memory:
        print(
            f"Bot process on the {memory['ledger_rows']:,}-row database "
            f"({report['bulk_load']['database_mib']} MiB): RSS {memory.get('rss_mib')} MiB, "
            f"peak {memory.get('peak_rss_mib')} MiB"
        )
    print(f"Targets ({report['seconds']} s):")
    for target in report["targets"]:
        mark = {True: "PASS", False: "FAIL", None: "n/a "}[target["met"]]
        value = "-" if target["value"] is None else f"{target['value']:g}"
        print(f"  {mark}  {target['target']}: {value} (wanted {target['wanted']})")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"Saved {args.output}")
    if report["mode"] == "quick":
        print("(quick run: sizes too small for the targets to mean much; exit status ignores them)")
        return 0
    return 0 if all(t["met"] is not False for t in report["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
