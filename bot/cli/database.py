"""`db copy SQLITE_PATH [URL]`: move a bot's data from its SQLite file into PostgreSQL."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from bot.config import BotConfig
from bot.logs import setup_logging
from economy.storage.urls import is_postgres_url, passwords, redact

USAGE_URL = "give the PostgreSQL database as postgresql://user:password@host/dbname"


def add(sub: Any) -> None:
    parser = sub.add_parser("db", help="database tools: copy SQLite into PostgreSQL")
    actions = parser.add_subparsers(dest="db_action", required=True)
    copy = actions.add_parser(
        "copy",
        help="copy a SQLite database (even while the bot runs) into an empty PostgreSQL one",
    )
    copy.add_argument("sqlite_path", type=Path, help="the SQLite file, e.g. DATABASE_PATH")
    copy.add_argument(
        "url",
        nargs="?",
        help="the empty PostgreSQL database (default: DATABASE_URL; keep the password out of "
        "your shell history by setting that instead)",
    )
    copy.set_defaults(handler=copy_command)


def copy_command(args: argparse.Namespace, config: BotConfig) -> int:
    url = args.url or config.database_url_value() or os.environ.get("DATABASE_URL", "")
    setup_logging(config.log_level, [*config.secrets(), url, *passwords(url)])
    if not url or not is_postgres_url(url):
        print(f"No PostgreSQL database given: {USAGE_URL}.", file=sys.stderr)
        return 2
    return asyncio.run(copy(args.sqlite_path, url))


async def copy(sqlite_path: Path, url: str) -> int:
    """Copy, then say what was copied and that it was checked."""
    from economy.storage.postgres.copy import copy_sqlite_to_postgres

    print(f"Copying {sqlite_path} into {redact(url)} ...")
    report = await copy_sqlite_to_postgres(sqlite_path, url)
    counts = ", ".join(f"{tally.rows:,} {name}" for name, tally in report.tables.items())
    print(f"Copied {counts}.")
    if report.problems:
        print(f"The copy is incomplete: {'; '.join(report.problems)}.", file=sys.stderr)
        return 1
    print(
        f"Verified: every table's row count and every total match {sqlite_path}, and every "
        "total in PostgreSQL equals the sum of its ledger entries."
    )
    print(f"Next: set DATABASE_URL={report.target} (with its password) and start the bot.")
    return 0
