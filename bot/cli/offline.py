"""`console` and `ask`: slash commands typed offline, no token needed."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.config import BotConfig
from bot.logs import setup_logging


def add(sub: Any) -> None:
    console = sub.add_parser("console", help="type slash commands offline and read the replies")
    console.set_defaults(handler=console_command)
    ask = sub.add_parser("ask", help="answer one slash command offline and exit")
    ask.add_argument("text", help='e.g. "/diamonds amount:20000"')
    ask.set_defaults(handler=console_command)


def console_command(args: argparse.Namespace, config: BotConfig) -> int:
    from bot.console import run_console  # the console's imports are only paid when used

    setup_logging("WARNING", config.secrets())
    return asyncio.run(run_console(config, getattr(args, "text", None)))
