"""Runs `python -m bot run` with Discord's connection replaced by a wait (for test_signals)."""

from __future__ import annotations

import asyncio
import sys

import bot.cli as cli
from bot.client import GiftBot


async def start_without_discord(self: GiftBot, token: str, *, reconnect: bool = True) -> None:
    """What `login` + `connect` do here: run setup_hook (database, cogs), then wait forever."""
    await self.setup_hook()
    print("ready", flush=True)
    await asyncio.Event().wait()


GiftBot.start = start_without_discord  # type: ignore[method-assign]
sys.exit(cli.main(["run"]))
