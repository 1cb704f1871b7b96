"""Weekly and monthly posts: a manager picks a channel; when the period ends the bot posts its
leaderboard card and a summary exactly once (across restarts, and with two processes on one
database), catches up once after downtime, and tells the manager what is missing instead of
trying again and again."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

from PIL import Image

from bot.config import BotConfig
from bot.offline import OfflineDiscord
from commands._period_post import close_due_periods
from economy.storage import Gifter, as_utc
from tests.support.backends import Backend
from tests.support.bots import offline_bot
from tests.support.community import (
    CANNOT_POST,
    LAYOUT,
    POSTS,
    people,
    seed,
    week_end,
    week_start,
    weekly_posts,
)
from tests.support.people import ALICE, BOB, GUILD, MANAGER, MEMBERS
from tests.support.replies import embed_of, only_reply, public_notice, refusal
from tests.support.server_settings import use_settings


def posts_in(offline: OfflineDiscord, channel_id: int = POSTS.id):
    return offline.rest.made("POST", f"/channels/{channel_id}/messages")


async def test_a_manager_picks_the_channel_and_the_week_is_posted_once(
    offline: OfflineDiscord,
) -> None:
    offline.cache_server(GUILD, LAYOUT)
    assert "Manage Server" in refusal(await weekly_posts(offline, user=ALICE))
    embed = public_notice(await weekly_posts(offline))
    assert f"<#{POSTS.id}>" in embed["description"] and "end of each week" in embed["description"]
    await seed(offline, people(3))

    assert await close_due_periods(offline.bot) == []  # the week is not over
    assert await close_due_periods(offline.bot, week_end()) == ["posted"]
    [post] = posts_in(offline)
    [embed] = post.embeds
    assert embed["title"].startswith("The week's tally · ")
    assert "3,000 diamonds received in 3 entries (6,000 coins)" in embed["description"]
    assert "Biggest gift: **Galaxy** × 3" in embed["description"]
    assert "First gifts received (3)" in embed["description"]
    assert embed["image"]["url"] == "attachment://leaderboard.png"
    [(name, png)] = post.files
    assert name == "leaderboard.png" and Image.open(io.BytesIO(png)).format == "PNG"
    assert post.payload and post.payload["allowed_mentions"] == {"parse": []}
    assert await close_due_periods(offline.bot, week_end() + timedelta(minutes=5)) == []
    assert len(posts_in(offline)) == 1


async def test_the_post_fires_once_across_a_restart(config: BotConfig) -> None:
    async with offline_bot(config) as first:
        first.cache_server(GUILD, LAYOUT)
        public_notice(await weekly_posts(first))
        await seed(first, people(2))
        assert await close_due_periods(first.bot, week_end()) == ["posted"]
        assert len(posts_in(first)) == 1
    async with offline_bot(config) as second:
        second.cache_server(GUILD, LAYOUT)
        assert await close_due_periods(second.bot, week_end()) == []
        assert await close_due_periods(second.bot, week_end() + timedelta(hours=1)) == []
        assert posts_in(second) == []


async def test_two_processes_on_one_database_post_once(config: BotConfig, backend: Backend) -> None:
    async with offline_bot(config) as setup:
        setup.cache_server(GUILD, LAYOUT)
        public_notice(await weekly_posts(setup))
        await seed(setup, people(2))
    first_storage = await backend.open()  # each its own connections, as two processes have
    second_storage = await backend.open()
    try:
        async with (
            offline_bot(config, storage=first_storage) as first,
            offline_bot(config, storage=second_storage) as second,
        ):
            for driver in (first, second):
                driver.cache_server(GUILD, LAYOUT)
            outcomes = await asyncio.gather(
                close_due_periods(first.bot, week_end()),
                close_due_periods(second.bot, week_end()),
                close_due_periods(first.bot, week_end()),
                close_due_periods(second.bot, week_end()),
            )
            assert sorted(o for found in outcomes for o in found) == ["posted"]
            assert len(posts_in(first)) + len(posts_in(second)) == 1
    finally:
        await first_storage.close()
        await second_storage.close()


async def test_after_downtime_only_the_latest_week_is_posted(offline: OfflineDiscord) -> None:
    offline.cache_server(GUILD, LAYOUT)
    public_notice(await weekly_posts(offline))
    now = as_utc()
    ledger = offline.bot.storage.ledger
    for weeks in range(3):  # gifts this week and the next two
        when = week_start(weeks, now=now) + timedelta(hours=1)
        await ledger.add_entry(
            GUILD.id, ALICE.id, BOB.id, gift_name="Rose", count=weeks + 1, coins=weeks + 1,
            diamonds=weeks + 1, now=max(when, now),
        )  # fmt: skip
    back_up = week_end(2, now=now)  # down for three week ends
    assert await close_due_periods(offline.bot, back_up) == ["posted"]
    [post] = posts_in(offline)
    assert "3 diamonds received in 1 entry" in post.embeds[0]["description"]
    assert await close_due_periods(offline.bot, back_up + timedelta(days=1)) == []


async def test_a_quiet_week_posts_nothing(offline: OfflineDiscord) -> None:
    offline.cache_server(GUILD, LAYOUT)
    public_notice(await weekly_posts(offline))
    assert await close_due_periods(offline.bot, week_end()) == ["quiet"]
    assert posts_in(offline) == []


async def test_no_post_while_the_server_has_leaderboards_off(offline: OfflineDiscord) -> None:
    offline.cache_server(GUILD, LAYOUT)
    public_notice(await weekly_posts(offline))
    await seed(offline, people(2))
    await use_settings(offline, {"leaderboard_enabled": "false"})
    assert await close_due_periods(offline.bot, week_end()) == ["quiet"]
    assert posts_in(offline) == []


async def test_a_channel_the_bot_cannot_post_in_is_refused_up_front(
    offline: OfflineDiscord,
) -> None:
    offline.cache_server(GUILD, CANNOT_POST)
    told = refusal(await weekly_posts(offline))
    assert f"I cannot post in <#{POSTS.id}>" in told
    assert f"I need Attach Files in <#{POSTS.id}>" in told  # exactly what is missing
    assert "Send Messages" not in told and "Embed Links" not in told
    assert await offline.bot.storage.community.schedules(GUILD.id) == []


async def test_a_failed_post_is_told_to_the_manager_and_not_retried(
    offline: OfflineDiscord,
) -> None:
    offline.cache_server(GUILD, LAYOUT)
    public_notice(await weekly_posts(offline))
    await seed(offline, people(2))
    offline.cache_server(GUILD, CANNOT_POST)  # someone changed the channel's permissions
    assert await close_due_periods(offline.bot, week_end()) == ["failed"]
    assert posts_in(offline) == []
    [opened] = offline.rest.made("POST", "/users/@me/channels")
    assert opened.payload == {"recipient_id": MANAGER.id}
    [dm] = [c for c in offline.rest.made("POST", "/channels/") if c.path != opened.path]
    text = dm.embeds[0]["description"]
    assert f"I need Attach Files in <#{POSTS.id}>" in text and "paused" in text
    [schedule] = await offline.bot.storage.community.schedules(GUILD.id)
    assert schedule.status == "failed"
    calls = len(offline.rest.calls)
    next_week = week_end() + timedelta(days=7)
    assert await close_due_periods(offline.bot, next_week) == []
    assert len(offline.rest.calls) == calls  # nothing tried again
    shown = only_reply(await offline.command("tally posts show", {}, user=MANAGER, guild=GUILD))
    assert shown.ephemeral and "Paused, because:" in embed_of(shown)["fields"][0]["value"]
    offline.cache_server(GUILD, LAYOUT)
    public_notice(await weekly_posts(offline))  # fixed, and set again
    assert (await offline.bot.storage.community.schedules(GUILD.id))[0].status == "active"


async def test_a_refusal_from_discord_is_explained_too(offline: OfflineDiscord) -> None:
    offline.cache_server(GUILD, LAYOUT)
    public_notice(await weekly_posts(offline))
    await seed(offline, people(1))
    offline.rest.fail("POST", rf"^/channels/{POSTS.id}/messages$", status=404, code=10003)
    assert await close_due_periods(offline.bot, week_end()) == ["failed"]
    dms = [c for c in offline.rest.made("POST", "/channels/") if c.embeds]
    assert f"I cannot see the channel <#{POSTS.id}>" in dms[-1].embeds[0]["description"]


async def test_the_post_names_top_gifters_and_newcomers(offline: OfflineDiscord) -> None:
    offline.cache_server(GUILD, LAYOUT)
    public_notice(await weekly_posts(offline))
    ledger = offline.bot.storage.ledger
    earlier = as_utc() - timedelta(days=8)
    await ledger.add_entry(GUILD.id, ALICE.id, BOB.id, gift_name="Rose", count=1, coins=1,
                           diamonds=1, now=earlier)  # fmt: skip
    await ledger.add_entry(
        GUILD.id, ALICE.id, BOB.id, gifter=Gifter.tiktok("@whale_fan"), gift_name="Lion",
        count=1, coins=29_999, diamonds=14_999, seen=(),
    )  # fmt: skip
    await offline.command(
        "tally add", {"gift": "rose", "member": BOB, "gifter": ALICE}, user=MANAGER, guild=GUILD,
        members=MEMBERS,
    )  # fmt: skip
    assert await close_due_periods(offline.bot, week_end()) == ["posted"]
    [embed] = posts_in(offline)[0].embeds
    assert "First gifts received (1)" in embed["description"]  # Bob; Alice had one before
    assert f"<@{BOB.id}>" in embed["description"].split("First gifts received")[1]
    assert "New gifters (2)" in embed["description"]
    assert "from **@whale\\_fan** (TikTok)" in embed["description"]
    gifters = next(f for f in embed["fields"] if f["name"] == "Top gifters")["value"]
    assert gifters.splitlines()[0] == "**#1** **@whale\\_fan** (TikTok) · 29,999 coins"
    assert gifters.splitlines()[1] == f"**#2** <@{ALICE.id}> · 1 coin"  # one: singular
    receivers = next(f for f in embed["fields"] if f["name"] == "Top receivers")["value"]
    assert receivers.splitlines()[1] == f"**#2** <@{BOB.id}> · 1 diamond"
