"""`backup PATH`: a consistent copy of the database, safe while the bot runs."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.config import BotConfig
from bot.logs import setup_logging


def add(sub: Any) -> None:
    parser = sub.add_parser("backup", help="copy the database safely, even while the bot runs")
    parser.add_argument("path", type=Path)
    parser.set_defaults(handler=backup_command)


def backup_command(args: argparse.Namespace, config: BotConfig) -> int:
    setup_logging(config.log_level, config.secrets())
    if config.database_url is not None:
        print(
            f"DATABASE_URL is set: the data is in PostgreSQL ({config.database}). Back it up "
            "with PostgreSQL's own tools (pg_dump); this command copies SQLite files.",
            file=sys.stderr,
        )
        return 2
    return asyncio.run(backup(config, args.path))


async def backup(config: BotConfig, target: Path) -> int:
    """A copy through SQLite's online backup API. The live file is only read: no migration
    runs on it, whatever version wrote it."""
    from economy.storage import StorageError, backup_database

    try:
        await asyncio.to_thread(backup_database, config.database_path, target)
    except (OSError, ValueError, StorageError) as error:
        print(f"Backup failed: {error}. Nothing was changed.", file=sys.stderr)
        return 2
    print(f"Backed up {config.database_path} to {target}.")
    return 0
