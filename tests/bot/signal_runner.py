"""Runs `python -m bot run [ARGS]` with Discord's connection replaced by a wait (for
test_signals). It prints ``ready <bot class> <shard ids> <shard count>`` once serving; with
SLOW_CLOSE=1 closing the database takes a second and prints ``closing`` first."""

from __future__ import annotations

import asyncio
import os
import sys

import bot.cli as cli
from bot.client import GiftBot
from economy.storage import SqliteStorage


async def start_without_discord(self: GiftBot, token: str, *, reconnect: bool = True) -> None:
    """What `login` + `connect` do here: run setup_hook (database, cogs), then wait forever."""
    await self.setup_hook()
    shards = getattr(self, "shard_ids", None)
    print("ready", type(self).__name__, shards, self.shard_count, flush=True)
    await asyncio.Event().wait()


async def slow_close(self: SqliteStorage, close=SqliteStorage.close) -> None:  # type: ignore[no-untyped-def]
    print("closing", flush=True)
    await asyncio.sleep(1.0)
    await close(self)


GiftBot.start = start_without_discord  # type: ignore[method-assign]
if os.environ.get("SLOW_CLOSE") == "1":
    SqliteStorage.close = slow_close  # type: ignore[method-assign]
sys.exit(cli.main(["run", *sys.argv[1:]]))
