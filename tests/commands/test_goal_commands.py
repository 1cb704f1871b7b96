"""/tally goal: goals for members and groups in diamonds or money to take home, by a date;
progress in /tally show and /group show; reaching one is announced once."""

from __future__ import annotations

from datetime import timedelta

from bot.offline import OfflineDiscord
from economy.storage import as_utc
from tests.support.people import ALICE, BOB, GUILD, MANAGER, MEMBERS
from tests.support.replies import embed_of, field, only_reply, public_embed, refusal
from tests.support.server_settings import use_settings


async def goal(offline: OfflineDiscord, options, user=ALICE, path="tally goal set"):
    return await offline.command(path, options, user=user, guild=GUILD, members=MEMBERS)


async def add(offline: OfflineDiscord, count: int, user=ALICE, **more):
    options = {"gift": "galaxy", "count": count, **more}
    return public_embed(
        await offline.command("tally add", options, user=user, guild=GUILD, members=MEMBERS)
    )


async def test_a_diamond_goal_shows_in_show_and_is_announced_once(
    offline: OfflineDiscord,
) -> None:
    await add(offline, 5)  # before the goal: not counted (Galaxy: 1,000 diamonds each)
    due = (as_utc().date() + timedelta(days=30)).isoformat()
    embed = public_embed(await goal(offline, {"amount": 10_000, "by": due}))
    assert embed["title"] == "Goal set"
    assert field(embed, "Goal: 10,000 diamonds").splitlines()[1] == "0 of 10,000 diamonds"
    halfway = await add(offline, 5)
    assert "Goal reached" not in str(halfway)
    show = embed_of(only_reply(await offline.command("tally show", {}, user=ALICE, guild=GUILD)))
    progress = field(show, "Goal: 10,000 diamonds")
    assert "5,000 of 10,000 diamonds" in progress and "5,000 diamonds to go" in progress
    assert "(30 days left)" in progress
    reached = await add(offline, 5)
    assert field(reached, "🎉 Goal reached") == f"<@{ALICE.id}>: Goal: 10,000 diamonds"
    assert "Goal reached" not in str(await add(offline, 1))  # once
    show = embed_of(only_reply(await offline.command("tally show", {}, user=ALICE, guild=GUILD)))
    assert "Reached!" in field(show, "Goal: 10,000 diamonds")


async def test_a_money_goal_in_the_servers_currency(offline: OfflineDiscord) -> None:
    await use_settings(offline, {"currency": "BRL"})
    embed = public_embed(await goal(offline, {"amount": 100, "unit": "money"}))
    title = next(f["name"] for f in embed["fields"] if f["name"].startswith("Goal"))
    assert title.startswith("Goal: take home R$") and "100" in title
    await add(offline, 20)  # 20,000 diamonds: $100 take-home, well over R$100
    show = embed_of(only_reply(await offline.command("tally show", {}, user=ALICE, guild=GUILD)))
    assert "Reached!" in field(show, "Goal: take home")


async def test_a_group_goal_counts_its_members(offline: OfflineDiscord) -> None:
    storage = offline.bot.storage
    await storage.groups.create_group(GUILD.id, "Crew", ALICE.id)
    for member in (ALICE, BOB):
        await storage.groups.add_member(GUILD.id, "Crew", member.id)
    assert "Only the creator of Crew" in refusal(
        await goal(offline, {"amount": 2000, "group": "crew"}, user=BOB)
    )
    public_embed(await goal(offline, {"amount": 2000, "group": "crew"}))
    await add(offline, 1, user=BOB)  # 1,000
    shown = embed_of(
        only_reply(await offline.command("group show", {"name": "crew"}, user=BOB, guild=GUILD))
    )
    assert "1,000 of 2,000 diamonds" in field(shown, "Goal: 2,000 diamonds")
    reached = await add(offline, 1, user=BOB)
    assert field(reached, "🎉 Goal reached") == "group Crew: Goal: 2,000 diamonds"


async def test_who_may_set_which_goal(offline: OfflineDiscord) -> None:
    assert "Manage Server" in refusal(await goal(offline, {"amount": 5, "member": BOB}))
    public_embed(await goal(offline, {"amount": 5, "member": BOB}, user=MANAGER))
    assert "not both" in refusal(await goal(offline, {"amount": 5, "member": BOB, "group": "x"}))
    assert "whole number" in refusal(await goal(offline, {"amount": 10.5}))
    assert "YEAR-MONTH-DAY" in refusal(await goal(offline, {"amount": 5, "by": "31/12/2026"}))
    assert "YEAR-MONTH-DAY" in refusal(await goal(offline, {"amount": 5, "by": "2001-01-01"}))
    assert refusal(await goal(offline, {}, path="tally goal clear")) == (
        f"<@{ALICE.id}> has no goal."
    )
    cleared = public_embed(
        await goal(offline, {"member": BOB}, user=MANAGER, path="tally goal clear")
    )
    assert cleared["description"] == f"Goal removed for <@{BOB.id}>."
