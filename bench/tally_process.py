"""One bot process timing `/tally add`: ``python -m bench.tally_process URL INDEX N``.

It starts the bot offline on the PostgreSQL database `URL` (as `run` would, with the write
limit lifted), warms up, prints ``ready``, waits for a line on stdin (so every process of a
run starts its clock together), sends N `/tally add` for server BENCH_GUILD + INDEX from
1,000 senders, IN_FLIGHT at a time, and prints one line of JSON: how many, how long.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

from bench.harness import BENCH_GUILD, bench_bot, run_interactions
from bench.scenarios import tally_add_payloads
from bot.offline import FakeGuild

IN_FLIGHT = 32
SENDERS = 1000


async def main(url: str, index: int, n: int) -> None:
    guild = FakeGuild(id=BENCH_GUILD.id + index)
    with tempfile.TemporaryDirectory() as folder:
        async with bench_bot(Path(folder) / "unused.sqlite3", url) as driver:
            warm = tally_add_payloads(driver, 100, SENDERS, seed=90 + index, guild=guild)
            await run_interactions("warm-up", driver, warm, concurrency=IN_FLIGHT)
            payloads = tally_add_payloads(driver, n, SENDERS, seed=index, guild=guild)
            print("ready", flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
            result = await run_interactions("/tally add", driver, payloads, concurrency=IN_FLIGHT)
    print(json.dumps({"n": result.n, "seconds": result.seconds, "latencies": result.latencies}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
