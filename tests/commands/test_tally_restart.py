"""A restarted bot on the same database file answers /tally exactly as before."""

from __future__ import annotations

from bot.config import BotConfig
from bot.offline import OfflineDiscord
from tests.support.bots import offline_bot
from tests.support.people import ALICE, BOB, GUILD, MANAGER, MEMBERS
from tests.support.replies import embed_of, field, only_reply


async def answers(driver: OfflineDiscord) -> list[dict]:
    shown = []
    for path, options in (
        ("tally show", {"member": ALICE}),
        ("tally leaderboard", {}),
        ("tally history", {"member": ALICE}),
        ("group show", {"name": "crew"}),
    ):
        replies = await driver.command(path, options, user=BOB, guild=GUILD, members=MEMBERS)
        shown.append(embed_of(only_reply(replies)))
    return shown


async def test_a_new_bot_on_the_same_file_shows_the_same_tallies(config: BotConfig) -> None:
    async with offline_bot(config) as first:
        guild_settings = first.bot.storage.guild_settings  # half diamonds must survive too
        await guild_settings.change_settings(GUILD.id, {"preset": "guides"}, MANAGER.id)
        first.bot.profiles.forget(GUILD.id)
        for options in (
            {"gift": "galaxy", "count": 7},
            {"gift": "lion", "member": ALICE},
            {"gift": "rose", "count": 9, "member": BOB},
        ):
            await first.command("tally add", options, user=MANAGER, guild=GUILD, members=MEMBERS)
        await first.command("tally undo", {}, user=MANAGER, guild=GUILD, members=MEMBERS)
        await first.command("tally add", {"gift": "galaxy"}, user=ALICE, guild=GUILD)
        await first.command("group create", {"name": "Crew"}, user=ALICE, guild=GUILD)
        await first.command("group join", {"name": "crew"}, user=ALICE, guild=GUILD)
        before = await answers(first)
    assert field(before[0], "Diamonds received") == "15,499.5"

    async with offline_bot(config) as second:
        after = await answers(second)
    assert after == before
