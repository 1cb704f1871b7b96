"""Roles: the period's top gifter and top receiver roles move at each period's end, threshold
roles are given once when a member's diamonds reach them, and what the bot lacks (Manage
Roles, a role below its own) is said exactly, up front and when Discord refuses."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.offline import OfflineDiscord
from commands._period_post import close_due_periods
from economy.storage import Gifter, as_utc
from tests.support.community import (
    ADMINS,
    INTEGRATION,
    LAYOUT,
    NO_MANAGE_ROLES,
    POSTS,
    TOP_GIFTER,
    TOP_RECEIVER,
    WHALE,
    role_path,
    week_end,
    week_start,
    weekly_posts,
)
from tests.support.people import ALICE, BOB, GUILD, MANAGER, MEMBERS
from tests.support.replies import (
    embed_of,
    field,
    only_reply,
    public_embed,
    public_notice,
    refusal,
)


async def top_roles(offline: OfflineDiscord, user=MANAGER, **roles):
    options = {"period": "weekly", **roles}
    return await offline.command("tally roles top", options, user=user, guild=GUILD)


async def gift(offline: OfflineDiscord, to, gave, coins: int, weeks: int = 0) -> None:
    """`gave` gave `to` gifts worth `coins` in the week `weeks` from now."""
    now = as_utc()
    when = max(now, week_start(weeks, now=now))
    await offline.bot.storage.ledger.add_entry(
        GUILD.id, to.id, MANAGER.id, gifter=Gifter.member(gave.id, gave.name), gift_name="Rose",
        count=coins, coins=coins, diamonds=coins // 2, now=when + timedelta(minutes=1),
    )  # fmt: skip


def role_calls(offline: OfflineDiscord) -> list[tuple[str, str]]:
    return [(c.method, c.path) for c in offline.rest.calls if "/roles/" in c.path]


async def test_top_roles_move_to_each_weeks_winners(offline: OfflineDiscord) -> None:
    offline.cache_server(GUILD, LAYOUT)
    embed = public_notice(await top_roles(offline, gifter=TOP_GIFTER, receiver=TOP_RECEIVER))
    assert f"<@&{TOP_GIFTER.id}>" in embed["description"]
    await gift(offline, to=ALICE, gave=BOB, coins=100)
    assert await close_due_periods(offline.bot, week_end()) == ["posted"]
    assert role_calls(offline) == [
        ("PUT", role_path(BOB, TOP_GIFTER)),
        ("PUT", role_path(ALICE, TOP_RECEIVER)),
    ]
    offline.rest.calls.clear()
    await gift(offline, to=BOB, gave=ALICE, coins=300, weeks=1)
    await gift(offline, to=ALICE, gave=BOB, coins=10, weeks=1)  # still a gifter, not the top
    assert await close_due_periods(offline.bot, week_end(1)) == ["posted"]
    assert role_calls(offline) == [
        ("DELETE", role_path(BOB, TOP_GIFTER)),
        ("PUT", role_path(ALICE, TOP_GIFTER)),
        ("DELETE", role_path(ALICE, TOP_RECEIVER)),
        ("PUT", role_path(BOB, TOP_RECEIVER)),
    ]
    offline.rest.calls.clear()
    await gift(offline, to=BOB, gave=ALICE, coins=5, weeks=2)  # the same winners again
    assert await close_due_periods(offline.bot, week_end(2)) == ["posted"]
    assert role_calls(offline) == []
    offline.rest.calls.clear()
    assert await close_due_periods(offline.bot, week_end(3)) == ["quiet"]  # nobody won
    assert sorted(role_calls(offline)) == [
        ("DELETE", role_path(ALICE, TOP_GIFTER)),
        ("DELETE", role_path(BOB, TOP_RECEIVER)),
    ]


async def test_missing_manage_roles_and_hierarchy_are_said_up_front(
    offline: OfflineDiscord,
) -> None:
    offline.cache_server(GUILD, NO_MANAGE_ROLES)
    told = refusal(await top_roles(offline, gifter=TOP_GIFTER))
    assert f"I cannot give <@&{TOP_GIFTER.id}>" in told
    assert "I need the Manage Roles permission" in told
    assert "not below my highest role" not in told
    offline.cache_server(GUILD, LAYOUT)
    above = refusal(await top_roles(offline, receiver=ADMINS))
    assert f"<@&{ADMINS.id}> is not below my highest role" in above
    assert "drag my role above it" in above and "Manage Roles" not in above
    assert "belongs to an app" in refusal(await top_roles(offline, gifter=INTEGRATION))
    assert await offline.bot.storage.community.schedules(GUILD.id) == []
    assert "Manage Server" in refusal(await top_roles(offline, user=ALICE, gifter=TOP_GIFTER))


async def test_a_refused_rotation_is_told_to_the_manager(offline: OfflineDiscord) -> None:
    offline.cache_server(GUILD, LAYOUT)
    public_notice(await top_roles(offline, receiver=TOP_RECEIVER))
    await gift(offline, to=ALICE, gave=BOB, coins=100)
    offline.cache_server(GUILD, NO_MANAGE_ROLES)  # someone took Manage Roles away
    assert await close_due_periods(offline.bot, week_end()) == ["failed"]
    assert role_calls(offline) == []  # checked before asking Discord
    dm = [c for c in offline.rest.made("POST", "/channels/") if c.embeds][-1]
    assert "I need the Manage Roles permission" in dm.embeds[0]["description"]
    [schedule] = await offline.bot.storage.community.schedules(GUILD.id)
    assert schedule.status == "failed"


async def test_threshold_roles_are_given_once_when_reached(offline: OfflineDiscord) -> None:
    offline.cache_server(GUILD, LAYOUT)
    embed = public_notice(
        await offline.command(
            "tally roles threshold", {"role": WHALE, "diamonds": 20_000}, user=MANAGER, guild=GUILD
        )
    )
    assert "20,000 diamonds" in embed["description"]
    first = public_embed(
        await offline.command("tally add", {"gift": "galaxy", "count": 15}, user=ALICE, guild=GUILD)
    )  # 15,000 diamonds (TikTok's model: 1 diamond per coin)
    assert "Role earned" not in str(first)
    reached = public_embed(
        await offline.command("tally add", {"gift": "galaxy", "count": 5}, user=ALICE, guild=GUILD)
    )
    assert field(reached, "🏅 Role earned") == f"<@{ALICE.id}> now has <@&{WHALE.id}>."
    again = public_embed(
        await offline.command("tally add", {"gift": "galaxy"}, user=ALICE, guild=GUILD)
    )
    assert "Role earned" not in str(again)
    assert role_calls(offline) == [("PUT", role_path(ALICE, WHALE))]


async def test_a_threshold_role_that_cannot_be_given_says_why_once(
    offline: OfflineDiscord,
) -> None:
    offline.cache_server(GUILD, LAYOUT)
    await offline.command(
        "tally roles threshold", {"role": WHALE, "diamonds": 1}, user=MANAGER, guild=GUILD
    )
    offline.rest.fail("PUT", "/roles/", status=403, code=50013)
    reply = only_reply(
        await offline.command(
            "tally add",
            {"gift": "rose", "count": 2, "member": BOB},
            user=MANAGER,
            guild=GUILD,
            members=MEMBERS,
        )
    )
    text = field(embed_of(reply), "Role not given")
    assert f"I could not give <@&{WHALE.id}>" in text and "Manage Roles" in text
    [role] = await offline.bot.storage.community.threshold_roles(GUILD.id)
    assert role.status == "failed"
    public_embed(await offline.command("tally add", {"gift": "lion"}, user=BOB, guild=GUILD))
    assert len(role_calls(offline)) == 1  # not tried again
    shown = embed_of(
        only_reply(await offline.command("tally posts show", {}, user=MANAGER, guild=GUILD))
    )
    assert "Manage Roles" in field(shown, "Threshold roles")
    assert "not a threshold role" in refusal(
        await offline.command("tally roles remove", {"role": ADMINS}, user=MANAGER, guild=GUILD)
    )
    public_notice(
        await offline.command("tally roles remove", {"role": WHALE}, user=MANAGER, guild=GUILD)
    )
    assert await offline.bot.storage.community.threshold_roles(GUILD.id) == []


async def test_stopping_posts_or_top_roles_keeps_the_other_half(offline: OfflineDiscord) -> None:
    offline.cache_server(GUILD, LAYOUT)
    community = offline.bot.storage.community

    async def stop(path: str) -> list:
        return await offline.command(path, {"period": "weekly"}, user=MANAGER, guild=GUILD)

    assert "no weekly post to stop" in refusal(await stop("tally posts stop"))
    assert "no weekly top roles to stop" in refusal(await stop("tally roles top"))
    public_notice(await weekly_posts(offline))
    public_notice(await top_roles(offline, gifter=TOP_GIFTER))
    assert public_notice(await stop("tally posts stop"))["title"] == "Weekly posts stopped"
    [kept] = await community.schedules(GUILD.id)
    assert (kept.channel_id, kept.gifter_role_id) == (None, TOP_GIFTER.id)  # roles rotate on
    assert "no weekly post to stop" in refusal(await stop("tally posts stop"))
    public_notice(await weekly_posts(offline))
    assert public_notice(await stop("tally roles top"))["title"] == "Weekly top roles stopped"
    [kept] = await community.schedules(GUILD.id)
    assert (kept.channel_id, kept.role_ids) == (POSTS.id, ())  # the posts go on
    assert public_notice(await stop("tally posts stop"))["title"] == "Weekly posts stopped"
    assert await community.schedules(GUILD.id) == []  # nothing left: no schedule


@pytest.mark.usefixtures("unlimited")
async def test_posts_and_top_roles_changed_at_the_same_moment_both_hold(
    offline: OfflineDiscord,
) -> None:
    offline.cache_server(GUILD, LAYOUT)
    weekly = {"period": "weekly"}
    posts = ("tally posts set", {**weekly, "channel": POSTS})
    both_roles = ("tally roles top", {**weekly, "gifter": TOP_GIFTER, "receiver": TOP_RECEIVER})

    async def at_once(*commands: tuple[str, dict]) -> list[str]:
        """Commands arriving together, as from two managers; the titles of their answers."""
        answers = await asyncio.gather(
            *(
                offline.command(path, options, user=MANAGER, guild=GUILD)
                for path, options in commands
            )
        )
        return [public_notice(answer)["title"] for answer in answers]

    async def shown() -> list[str]:
        """The weekly schedule as /tally posts show gives it: channel, then roles."""
        show = await offline.command("tally posts show", {}, user=MANAGER, guild=GUILD)
        return field(embed_of(only_reply(show)), "Weekly").split("\n")[:2]

    gifter, receiver = f"<@&{TOP_GIFTER.id}>", f"<@&{TOP_RECEIVER.id}>"
    await at_once(posts, both_roles)
    assert await shown() == [
        f"Posts in: <#{POSTS.id}>", f"Top gifter role: {gifter} · top receiver role: {receiver}",
    ]  # fmt: skip
    await at_once(
        ("tally posts stop", weekly), ("tally roles top", {**weekly, "gifter": TOP_GIFTER})
    )
    assert await shown() == ["Posts in: -", f"Top gifter role: {gifter} · top receiver role: -"]
    await at_once(("tally roles top", weekly), posts)  # roles stopped as posts start again
    assert await shown() == [
        f"Posts in: <#{POSTS.id}>",
        "Top gifter role: - · top receiver role: -",
    ]
    await at_once(both_roles)
    stopped = await at_once(("tally posts stop", weekly), ("tally roles top", weekly))
    assert stopped == ["Weekly posts stopped", "Weekly top roles stopped"]
    show = await offline.command("tally posts show", {}, user=MANAGER, guild=GUILD)
    assert embed_of(only_reply(show))["description"].startswith("No posts or roles yet")
