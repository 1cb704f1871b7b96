"""Helper for test_shards_on_postgres: one bot process owning some shards, writing offline.

Usage: ``python tests/commands/shard_writer.py SHARD_COUNT SHARD_ID GUILDS STEPS`` with
DATABASE_URL set. It builds the bot as ``python -m bot run --shard-count N --shards ID``
does (open_services, an AutoShardedBot owning that shard, every cog) and drives it with
`bot.offline`: 12 interactions in flight, ``/tally add`` in the given servers (comma
separated ids) with a count unique to the process and step, and a ``/tally undo`` every 9th.
It prints ``add GUILD SENDER COUNT`` or ``undo GUILD SENDER`` for each write it saw
confirmed, then ``done``.
"""

from __future__ import annotations

import asyncio
import itertools
import sys

from bench.harness import TrackingAdapter
from bot.client import ShardedGiftBot, make_bot
from bot.config import BotConfig
from bot.offline import FakeGuild, FakeUser, OfflineDiscord
from bot.services import open_services
from tests.support.limits import lift_write_limit

SENDERS = [FakeUser(1_920_000_000_000_000_000 + i, f"sender{i}") for i in range(24)]
GIFTS = ["rose", "galaxy", "lion", "finger heart", "doughnut"]
IN_FLIGHT = 12


def confirmed(replies: list[object]) -> bool:
    return any(
        getattr(r, "callback_type", None) == 4 and not getattr(r, "ephemeral", True)
        for r in replies
    )


async def write(shard_count: int, shard_id: int, guilds: list[FakeGuild], steps: int) -> None:
    config = BotConfig(discord_token=None, _env_file=None)  # type: ignore[call-arg]
    assert config.database_url is not None, "DATABASE_URL must name the shared database"
    counter = itertools.count(1)
    async with open_services(config) as services:
        bot = make_bot(config, services, shard_count=shard_count, shard_ids=[shard_id])
        assert isinstance(bot, ShardedGiftBot) and bot.shard_ids == [shard_id]
        lift_write_limit(bot)
        driver = OfflineDiscord(bot)
        adapter = driver.adapter = TrackingAdapter(driver.bot_user)
        async with driver:

            async def worker() -> None:
                for step in counter:
                    if step > steps:
                        return
                    guild = guilds[step % len(guilds)]
                    sender = SENDERS[step % len(SENDERS)]
                    if step % 9 == 0:
                        payload = driver.command_payload("tally undo", {}, user=sender, guild=guild)
                        line = f"undo {guild.id} {sender.id}"
                    else:
                        count = shard_id * 100_000 + step  # unique to this process and step
                        options = {"gift": GIFTS[step % len(GIFTS)], "count": count}
                        payload = driver.command_payload(
                            "tally add", options, user=sender, guild=guild
                        )
                        line = f"add {guild.id} {sender.id} {count}"
                    await driver.send(payload)
                    if confirmed(adapter.take(payload["token"])):
                        print(line, flush=True)

            await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    print("done", flush=True)


if __name__ == "__main__":
    count, shard, ids, steps = sys.argv[1:5]
    servers = [FakeGuild(id=int(i)) for i in ids.split(",")]
    asyncio.run(write(int(count), int(shard), servers, int(steps)))
