"""`console` and `ask`: slash commands typed offline, no token needed."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.config import BotConfig
from bot.logs import setup_logging

DATABASE_HELP = (
    "the SQLite file to use (default: CONSOLE_DATABASE_PATH, else data/console.sqlite3; "
    "never the live bot's DATABASE_PATH unless named here)"
)


def add(sub: Any) -> None:
    console = sub.add_parser("console", help="type slash commands offline and read the replies")
    console.add_argument("--database", type=Path, help=DATABASE_HELP)
    console.set_defaults(handler=console_command)
    ask = sub.add_parser("ask", help="answer one slash command offline and exit")
    ask.add_argument("text", help='e.g. "/diamonds amount:20000"')
    ask.add_argument("--database", type=Path, help=DATABASE_HELP)
    ask.set_defaults(handler=console_command)


def console_command(args: argparse.Namespace, config: BotConfig) -> int:
    from bot.console import run_console  # the console's imports are only paid when used

    setup_logging("WARNING", config.secrets())
    database = args.database or config.console_database_path
    # its own SQLite file, never the bot's database (nor its PostgreSQL) unless asked
    offline = config.model_copy(update={"database_path": database, "database_url": None})
    return asyncio.run(run_console(offline, getattr(args, "text", None)))
