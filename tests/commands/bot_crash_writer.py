"""Helper for the crash test: the real bot, offline, recording gifts until it is killed.

Usage: ``python tests/commands/bot_crash_writer.py DB_PATH``. It builds the bot exactly as
``python -m bot`` does (open_services opening the database, GiftBot loading every cog)
and drives it with `bot.offline`: 16 interactions in flight, mostly ``/tally add`` with a
count unique to the interaction, some ``/tally undo`` (a write that changes totals too).

After the public reply of an add is captured it prints ``SENDER_ID COUNT`` (flushed): an
entry the user has seen confirmed, which must survive the SIGKILL the test sends.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from pathlib import Path

from bench.harness import TrackingAdapter
from bot.client import GiftBot
from bot.config import BotConfig
from bot.offline import FakeGuild, FakeUser, OfflineDiscord
from bot.services import open_services
from tests.support.limits import lift_write_limit

GUILD = FakeGuild(id=1_900_000_000_000_000_001)
SENDERS = [FakeUser(1_910_000_000_000_000_000 + i, f"sender{i}") for i in range(40)]
GIFTS = ["rose", "galaxy", "lion", "finger heart", "doughnut"]
IN_FLIGHT = 16


async def storm(path: Path) -> None:
    config = BotConfig(discord_token=None, database_path=path, _env_file=None)  # type: ignore[call-arg]
    steps = itertools.count(1)
    async with open_services(config) as services:
        bot = GiftBot(config, services)
        lift_write_limit(bot)
        driver = OfflineDiscord(bot)
        adapter = driver.adapter = TrackingAdapter(driver.bot_user)  # replies per interaction
        async with driver:

            async def worker() -> None:
                for step in steps:
                    sender = SENDERS[step % len(SENDERS)]
                    if step % 13 == 0:
                        undo = driver.command_payload("tally undo", {}, user=sender, guild=GUILD)
                        await driver.send(undo)
                        adapter.take(undo["token"])
                        continue
                    payload = driver.command_payload(
                        "tally add",
                        {"gift": GIFTS[step % len(GIFTS)], "count": step},
                        user=sender,
                        guild=GUILD,
                    )
                    await driver.send(payload)
                    replies = adapter.take(payload["token"])
                    if any(r.callback_type == 4 and not r.ephemeral and r.embeds for r in replies):
                        # the user saw it recorded
                        print(sender.id, step, flush=True)

            await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))


if __name__ == "__main__":
    asyncio.run(storm(Path(sys.argv[1])))
