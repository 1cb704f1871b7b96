"""`python -m bot [ACTION]`: one module per action, each adding its own subparser.

An action module has ``add(subparsers)``, which registers its parser and sets ``handler`` to a
function ``(args, config) -> exit status``. Known failures are printed as one line and exit 2;
no action prints a traceback for a condition the bot knows about.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from types import ModuleType

from pydantic import ValidationError

from bot.cli import backup, cluster, database, fx, offline, online
from bot.config import BotConfig
from economy.storage import StorageError

Handler = Callable[[argparse.Namespace, BotConfig], int]
ACTIONS: tuple[ModuleType, ...] = (online, cluster, offline, backup, database, fx)
USAGE = (
    "python -m bot [run [--shard-count N --shards IDS] | cluster --processes P"
    " | sync [--guild ID] | console | ask TEXT | backup PATH | db copy SQLITE_PATH [URL]"
    " | fx update FILE [--day DAY] | fx show]"
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", usage=USAGE)
    sub = parser.add_subparsers(dest="action")
    for action in ACTIONS:
        action.add(sub)
    args = parser.parse_args(argv)
    if args.action is None:  # no action: run the bot
        args = parser.parse_args(["run", *argv])
    return args


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
    handler: Handler = args.handler
    try:
        return handler(args, config)
    except StorageError as error:
        print(f"Stopped: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
