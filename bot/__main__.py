"""`python -m bot [run | sync [--guild ID] | console | ask TEXT | backup PATH]`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path

import discord
from pydantic import ValidationError

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


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="action")
    sub.add_parser("run", help="connect to Discord and answer commands (the default)")
    sync = sub.add_parser("sync", help="publish the slash commands to Discord")
    where = sync.add_mutually_exclusive_group()
    where.add_argument("--guild", type=int, help="one server's id: instant, for testing")
    where.add_argument(
        "--global",
        dest="everywhere",
        action="store_true",
        help="every server (the default "
        "unless DEV_GUILD_ID is set); Discord may take up to an hour",
    )
    sub.add_parser("console", help="type slash commands offline and read the replies")
    ask = sub.add_parser("ask", help="answer one slash command offline and exit")
    ask.add_argument("text", help='e.g. "/diamonds amount:20000"')
    backup = sub.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("path", type=Path)
    return parser.parse_args(argv)


def load_config() -> BotConfig | None:
    try:
        return BotConfig()
    except ValidationError as error:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in error.errors())
        print(f"Invalid configuration ({fields}); see .env.example.", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config = load_config()
    if config is None:
        return 2
    action = args.action or "run"
    if action in ("console", "ask"):
        from bot.console import run_console

        setup_logging("WARNING", [config.token() or ""])
        return asyncio.run(run_console(config, getattr(args, "text", None)))
    setup_logging(config.log_level, [config.token() or ""])
    if action == "backup":
        return asyncio.run(backup(config, args.path))
    if config.token() is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    try:
        if action == "sync":
            guild = None if args.everywhere else (args.guild or config.dev_guild_id)
            return asyncio.run(sync(config, guild))
        return asyncio.run(run(config))
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print("Discord refused a privileged intent; this bot asks for none.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0


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


async def backup(config: BotConfig, target: Path) -> int:
    """A consistent copy through SQLite's online backup API; safe while the bot runs.

    The live file is only read: no migration runs on it, whatever version wrote it.
    """
    from economy.storage import StorageError, backup_database

    try:
        await asyncio.to_thread(backup_database, config.database_path, target)
    except (OSError, ValueError, StorageError) as error:
        print(f"Backup failed: {error}. Nothing was changed.", file=sys.stderr)
        return 2
    print(f"Backed up {config.database_path} to {target}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
