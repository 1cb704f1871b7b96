"""A fresh process: `python -m bench.startup DB_PATH [--reads N]` prints one line of JSON.

It imports the bot and starts it offline on DB_PATH (timed; the parent, `cold_startup`,
also times the whole process, interpreter start included). With `--reads N` it then answers
N `/tally leaderboard` and N `/tally show` and reports its resident memory: what the bot
alone holds with that database, without the benchmark's own data in the same process.
"""

from __future__ import annotations

import time

_BEGIN = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


def command_count(bot: Any) -> int:
    """Slash commands (leaves, not groups) in the tree."""
    from discord import app_commands

    return sum(isinstance(c, app_commands.Command) for c in bot.tree.walk_commands())


async def start_once(
    path: Path, reads: int = 0, members: int = 5000
) -> tuple[float, int, float, dict[str, Any]]:
    """Seconds for opening the services + OfflineDiscord.start (setup_hook: cogs), the number
    of commands loaded, the perf_counter moment they were, and memory after `reads`."""
    from bench.harness import TrackingAdapter, bench_config, run_interactions
    from bench.machine import memory_mib
    from bench.scenarios import has_command, tally_read_payloads
    from bot.client import GiftBot
    from bot.offline import OfflineDiscord
    from bot.services import open_services

    begin = time.perf_counter()
    config = bench_config(path)
    opened = open_services(config)
    services = await opened.__aenter__()
    bot = GiftBot(config, services)
    driver = OfflineDiscord(bot)
    driver.adapter = TrackingAdapter(driver.bot_user)
    await driver.start()
    loaded = time.perf_counter()
    count = command_count(bot)
    memory: dict[str, Any] = {}
    try:
        if reads and has_command(driver, "tally show"):
            payloads = tally_read_payloads(driver, reads, members, seed=11)
            await run_interactions("warm-up", driver, payloads["leaderboard"][:20])
            for kind in ("leaderboard", "show"):
                result = await run_interactions(kind, driver, payloads[kind])
                memory[f"{kind}_latencies_s"] = [round(x, 6) for x in result.latencies]
            memory.update(memory_mib())
    finally:
        await driver.close()
        await opened.__aexit__(None, None, None)
    return loaded - begin, count, loaded, memory


def cold_startup(path: Path, reads: int = 0, members: int = 5000) -> dict[str, Any]:
    """Run this module in a fresh interpreter; returns its timings plus the process wall time."""
    root = Path(__file__).resolve().parents[1]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    begin = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.startup",
            str(path),
            "--reads",
            str(reads),
            "--members",
            str(members),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env=env,
        timeout=120,
    )
    wall = time.perf_counter() - begin
    timings = json.loads(done.stdout.strip().splitlines()[-1])
    return {**timings, "process_s": round(wall, 3)}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.startup")
    parser.add_argument("database", type=Path)
    parser.add_argument("--reads", type=int, default=0)
    parser.add_argument("--members", type=int, default=5000)
    args = parser.parse_args()
    import_begin = time.perf_counter()
    import bot.client
    import bot.offline  # noqa: F401

    imported = time.perf_counter()
    start_s, commands, loaded, memory = asyncio.run(
        start_once(args.database, args.reads, args.members)
    )
    print(
        json.dumps(
            {
                "import_s": round(imported - import_begin, 3),
                "start_s": round(start_s, 3),
                "to_commands_loaded_s": round(loaded - _BEGIN, 3),
                "commands": commands,
                **memory,
            }
        )
    )


if __name__ == "__main__":
    main()
