"""`run` and `sync`: the actions that talk to Discord and need the token."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any

import discord

from bot.client import GiftBot, make_bot
from bot.config import BotConfig
from bot.logs import setup_logging
from bot.services import open_services
from bot.shards import ShardSpecError, check_shard_count, format_shard_spec, parse_shard_spec

log = logging.getLogger("bot")

NO_TOKEN = """\
No Discord token found.

1. Create an application at https://discord.com/developers/applications,
   open "Bot", press "Reset Token" and copy it.
2. Put it in a file called .env beside this README:  DISCORD_TOKEN=your-token
   (copy .env.example to start), or export DISCORD_TOKEN in your shell.
3. Invite the bot and sync its commands: see "Invite and sync" in README.md.

Try every command offline, with no token:  make console
  or one at a time:  python -m bot ask "/gift value gift:galaxy count:2"
"""

BAD_TOKEN = """\
Discord rejected the token (it is wrong, or was reset).

Copy a fresh one from https://discord.com/developers/applications > your app > Bot >
Reset Token, and put it in .env as DISCORD_TOKEN=... . The offline console needs no token:
make console
"""


def add(sub: Any) -> None:
    run_parser = sub.add_parser("run", help="connect to Discord and answer commands (the default)")
    run_parser.add_argument(
        "--new-database",
        action="store_true",
        help="start with an empty database even though the bot had one at DATABASE_PATH before",
    )
    run_parser.add_argument(
        "--shard-count", type=int, help="how many shards the whole bot has (with --shards)"
    )
    run_parser.add_argument(
        "--shards",
        help="the shards this process owns, e.g. 0-3 or 0,2,5 (needs --shard-count; several "
        "processes need DATABASE_URL)",
    )
    run_parser.set_defaults(handler=run_command)
    sync_parser = sub.add_parser("sync", help="publish the slash commands to Discord")
    where = sync_parser.add_mutually_exclusive_group()
    where.add_argument("--guild", type=int, help="one server's id: instant, for testing")
    where.add_argument(
        "--global",
        dest="everywhere",
        action="store_true",
        help="every server (the default "
        "unless DEV_GUILD_ID is set); Discord may take up to an hour",
    )
    sync_parser.set_defaults(handler=sync_command)


def with_token(work: Callable[[], Coroutine[Any, Any, int]], config: BotConfig) -> int:
    """Run the coroutine `work` makes, which needs the token; the token's known failures
    become messages."""
    setup_logging(config.log_level, config.secrets())
    if config.token() is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    try:
        return asyncio.run(work())
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print("Discord refused a privileged intent; this bot asks for none.", file=sys.stderr)
        return 2


def shard_plan(args: argparse.Namespace) -> tuple[int, tuple[int, ...]] | None:
    """(shard count, shard ids) from `run`'s options; None to run unsharded.
    ShardSpecError when they do not fit together."""
    count, spec = getattr(args, "shard_count", None), getattr(args, "shards", None)
    if count is None and spec is None:
        return None
    if count is None:
        raise ShardSpecError("--shards needs --shard-count: how many shards the bot has in all.")
    check_shard_count(count)
    return count, parse_shard_spec(spec, count) if spec else tuple(range(count))


def run_command(args: argparse.Namespace, config: BotConfig) -> int:
    try:
        plan = shard_plan(args)
    except ShardSpecError as error:
        print(error, file=sys.stderr)
        return 2
    new_database = bool(getattr(args, "new_database", False))
    return with_token(lambda: run(config, plan, new_database=new_database), config)


def sync_command(args: argparse.Namespace, config: BotConfig) -> int:
    guild = None if args.everywhere else (args.guild or config.dev_guild_id)
    return with_token(lambda: sync(config, guild), config)


def stop_on_signals(runner: asyncio.Task[Any]) -> None:
    """SIGINT/SIGTERM cancel `runner` once; a second signal while it cleans up (closing the
    database) is only logged, so the cleanup is never cut short."""
    loop = asyncio.get_running_loop()
    stopping = False

    def stop(signum: signal.Signals) -> None:
        nonlocal stopping
        if stopping:
            log.info("Already shutting down (%s again); finishing the cleanup", signum.name)
            return
        stopping = True
        log.info("Shutting down (%s)", signum.name)
        runner.cancel()

    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop, signum)


async def run(
    config: BotConfig,
    shards: tuple[int, tuple[int, ...]] | None = None,
    *,
    new_database: bool = False,
) -> int:
    """Connect and serve until SIGINT or SIGTERM; the database is closed on the way out.
    With `shards` (count, ids) this process is an AutoShardedBot owning those shards."""
    runner = asyncio.current_task()
    if runner is None:
        raise RuntimeError("run() must be awaited inside a task (asyncio.run does that)")
    stop_on_signals(runner)
    count, ids = shards if shards else (None, None)
    if shards:
        log.info("Running shards %s of %d", format_shard_spec(ids or ()), count)
    try:
        async with (
            open_services(config, new_database=new_database) as services,
            make_bot(config, services, shard_count=count, shard_ids=ids, freeze_heap=True) as bot,
        ):
            await bot.start(config.token() or "")
    except asyncio.CancelledError:
        log.info("Stopped")
    return 0


async def sync(config: BotConfig, guild_id: int | None) -> int:
    """Publish the commands: instantly to one server, or globally (up to an hour to show)."""
    async with open_services(config) as services, GiftBot(config, services) as bot:
        await bot.login(config.token() or "")
        target = discord.Object(id=guild_id) if guild_id else None
        if target is not None:
            bot.tree.copy_global_to(guild=target)
        synced = await bot.tree.sync(guild=target)
        where = f"server {guild_id}" if guild_id else "every server (may take up to an hour)"
        print(f"Synced {len(synced)} commands to {where}.")
    return 0
