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

from bot.client import GiftBot
from bot.config import BotConfig
from bot.logs import setup_logging
from bot.services import open_services

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


def run_command(args: argparse.Namespace, config: BotConfig) -> int:
    return with_token(lambda: run(config), config)


def sync_command(args: argparse.Namespace, config: BotConfig) -> int:
    guild = None if args.everywhere else (args.guild or config.dev_guild_id)
    return with_token(lambda: sync(config, guild), config)


async def run(config: BotConfig) -> int:
    """Connect and serve until SIGINT or SIGTERM; the database is closed on the way out."""
    runner = asyncio.current_task()
    if runner is None:
        raise RuntimeError("run() must be awaited inside a task (asyncio.run does that)")
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, runner.cancel)
    try:
        async with open_services(config) as services, GiftBot(config, services) as bot:
            await bot.start(config.token() or "")
    except asyncio.CancelledError:
        log.info("Shutting down")
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
