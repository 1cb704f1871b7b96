"""`cluster --processes P [--shard-count N]`: the bot's shards over P processes, supervised.

The shard count is Discord's recommendation (`GET /gateway/bot`) unless given. Each process
runs `python -m bot run --shard-count N --shards SPEC`; a process that dies is restarted, and
SIGTERM or SIGINT stops them all. The processes share one PostgreSQL database (DATABASE_URL):
a SQLite file serves one process only.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

import discord

from bot.cli.online import BAD_TOKEN, NO_TOKEN
from bot.cluster import Supervisor, plan_processes, supervise
from bot.config import BotConfig
from bot.logs import setup_logging
from bot.shards import (
    GatewaySharding,
    ShardSpecError,
    check_shard_count,
    discord_gateway_fetch,
    recommended_sharding,
    resolve_shard_count,
    split_shards,
    start_delays,
)

NEEDS_POSTGRES = (
    "Several processes cannot share the SQLite file {path}: set DATABASE_URL to a PostgreSQL "
    "database (move the data there with: python -m bot db copy {path} postgresql://...). "
    "See 'Growing past one server process' in README.md."
)


def add(sub: Any) -> None:
    parser = sub.add_parser(
        "cluster", help="run the bot's shards in several processes, restarting any that dies"
    )
    parser.add_argument("--processes", type=int, required=True, help="how many processes")
    parser.add_argument(
        "--shard-count", type=int, help="shards in all (default: Discord's recommendation)"
    )
    parser.set_defaults(handler=cluster_command)


def cluster_command(args: argparse.Namespace, config: BotConfig) -> int:
    setup_logging(config.log_level, config.secrets())
    if args.processes > 1 and config.database_url is None:
        print(NEEDS_POSTGRES.format(path=config.database_path), file=sys.stderr)
        return 2
    token = config.token()
    if token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    try:
        return asyncio.run(cluster(args.processes, args.shard_count, token))
    except ShardSpecError as error:
        print(error, file=sys.stderr)
        return 2
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return 2
    except (discord.HTTPException, discord.GatewayNotFound, OSError) as error:
        print(f"Could not ask Discord for the shard count ({error}); pass --shard-count.")
        return 2


async def cluster(processes: int, shard_count: int | None, token: str) -> int:
    """Plan the shards, then supervise one `run` process per share until stopped."""
    sharding: GatewaySharding | None = None
    if shard_count is None:
        sharding = await recommended_sharding(discord_gateway_fetch(token))
    else:
        check_shard_count(shard_count)
    count = resolve_shard_count(shard_count, sharding)
    ranges = split_shards(count, processes)
    delays = start_delays(ranges, sharding.max_concurrency if sharding else 1)
    supervisor = Supervisor(plan_processes(count, processes), start_delays=delays)
    return await supervise(supervisor)
