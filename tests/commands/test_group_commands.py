"""/group, driven through discord.py's real interaction path on a real temporary database."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from bot.offline import FakeUser, OfflineDiscord
from economy.errors import NotFound
from economy.limits import MAX_GROUPS_PER_CREATOR
from tests.support.people import A_BOT, ALICE, BOB, GUILD, MANAGER, MEMBERS, OTHER_GUILD, OUTSIDER
from tests.support.replies import (
    UPDATE_MESSAGE,
    beside,
    buttons,
    embed_of,
    field,
    money,
    only_reply,
    public_embed,
    public_notice,
)
from tests.support.replies import refusal as refusal_of
from tests.support.server_settings import on_guides, use_settings


async def group(offline: OfflineDiscord, path: str, options=None, *, user=ALICE, guild=GUILD):
    return await offline.command(
        f"group {path}", options or {}, user=user, guild=guild, members=MEMBERS
    )


def refusal(replies) -> str:
    reply = only_reply(replies)
    assert reply.allowed_mentions == {"parse": []}
    return refusal_of(replies)


async def members_of(offline: OfflineDiscord, name: str, guild=GUILD) -> list[int]:
    _, members = await offline.bot.storage.groups.group_members(guild.id, name)
    return [m.user_id for m in members]


async def names(offline: OfflineDiscord, guild=GUILD) -> list[str]:
    groups, _ = await offline.bot.storage.groups.list_groups(guild.id, 0, 100)
    return [g.name for g in groups]


async def join_with_consent(
    offline: OfflineDiscord, name: str, user: FakeUser, *, approver=ALICE, guild=GUILD
) -> dict:
    """`user` asks to join; `approver` (the creator, by default) presses Approve."""
    asked = only_reply(await group(offline, "join", {"name": name}, user=user, guild=guild))
    assert "asks to join" in embed_of(asked)["description"]
    pressed = await offline.press(asked.message_id, "p:grq:", user=approver, guild=guild)
    return embed_of(only_reply(pressed))


# -- lifecycle -------------------------------------------------------------------------------


async def test_create_join_add_show_leave_remove_delete(unlimited: OfflineDiscord) -> None:
    offline = unlimited
    created = public_notice(await group(offline, "create", {"name": "  Night Shift  "}))
    assert created["title"] == "Group created"
    assert "**Night Shift**" in created["description"]
    [stored], _ = await offline.bot.storage.groups.list_groups(GUILD.id)
    assert (stored.name, stored.creator_id, stored.member_count) == ("Night Shift", ALICE.id, 0)

    joined = await join_with_consent(offline, "night shift", BOB)
    assert (
        f"<@{BOB.id}> joined **Night Shift** (approved by <@{ALICE.id}>)" in (joined["description"])
    )
    added = public_notice(await group(offline, "add", {"name": "NIGHT SHIFT", "member": MANAGER}))
    assert f"<@{ALICE.id}> added <@{MANAGER.id}>" in added["description"]
    assert await members_of(offline, "Night Shift") == sorted([BOB.id, MANAGER.id])

    storage = offline.bot.storage
    await storage.ledger.add_entry(
        GUILD.id, BOB.id, BOB.id, gift_name=None, count=1, coins=0, diamonds=700
    )
    shown = public_embed(await group(offline, "show", {"name": "Night Shift"}, user=OUTSIDER))
    assert shown["title"] == "Group Night Shift"
    assert shown["description"].splitlines() == [
        f"<@{BOB.id}> · 700 diamonds",
        f"<@{MANAGER.id}> · 0 diamonds",
    ]
    assert field(shown, "Members") == "2"
    assert field(shown, "Diamonds received") == "700"
    assert field(shown, "Created by") == f"<@{ALICE.id}>"

    left = public_notice(await group(offline, "leave", {"name": "Night Shift"}, user=BOB))
    assert f"<@{BOB.id}> left **Night Shift**" in left["description"]
    removed = public_notice(
        await group(offline, "remove", {"name": "Night Shift", "member": MANAGER})
    )
    assert f"took <@{MANAGER.id}> out" in removed["description"]
    assert await members_of(offline, "Night Shift") == []

    deleted = public_notice(await group(offline, "delete", {"name": "night SHIFT"}))
    assert "**Night Shift** is gone" in deleted["description"]
    assert await names(offline) == []
    assert await storage.ledger.user_summary(GUILD.id, BOB.id) is not None  # tallies are untouched
    assert (await storage.ledger.user_summary(GUILD.id, BOB.id)).diamonds_received == 700


async def test_join_twice_leave_twice_and_unknown_groups(unlimited: OfflineDiscord) -> None:
    offline = unlimited
    await group(offline, "create", {"name": "Crew"})
    public_notice(await group(offline, "join", {"name": "Crew"}, user=BOB))
    assert "already asked to join Crew" in refusal(
        await group(offline, "join", {"name": "crew"}, user=BOB)
    )
    await offline.bot.storage.groups.add_member(GUILD.id, "Crew", BOB.id)
    assert "already in Crew" in refusal(await group(offline, "join", {"name": "crew"}, user=BOB))
    public_notice(await group(offline, "leave", {"name": "Crew"}, user=BOB))
    assert "not in Crew" in refusal(await group(offline, "leave", {"name": "Crew"}, user=BOB))
    public_notice(await group(offline, "add", {"name": "Crew", "member": BOB}))
    assert f"<@{BOB.id}> is already in Crew" in refusal(
        await group(offline, "add", {"name": "Crew", "member": BOB})
    )
    for path in ("join", "leave", "show", "delete", "payout"):
        message = refusal(await group(offline, path, {"name": "Nope *x*"}))
        assert 'no group called "Nope \\*x\\*"' in message
    assert await members_of(offline, "Crew") == [BOB.id]


async def test_names_are_unique_per_server_ignoring_case(offline: OfflineDiscord) -> None:
    public_notice(await group(offline, "create", {"name": "Stars"}))
    message = refusal(await group(offline, "create", {"name": " sTaRs "}, user=BOB))
    assert 'A group called "sTaRs" already exists' in message
    public_notice(await group(offline, "create", {"name": "STARS"}, guild=OTHER_GUILD))
    assert await names(offline) == ["Stars"]
    assert await names(offline, OTHER_GUILD) == ["STARS"]


@pytest.mark.parametrize(
    "name",
    ["x" * 200, "   ", "a\u0000b", "line\nbreak", "zero\u200bwidth", "y" * 33],
    ids=["200-chars", "blank", "nul", "newline", "zero-width", "33-chars"],
)
async def test_bad_names_are_refused_and_nothing_is_written(offline, name: str) -> None:
    assert "1 to 32 characters" in refusal(await group(offline, "create", {"name": name}))
    assert "1 to 32 characters" in refusal(await group(offline, "join", {"name": name}))
    assert await names(offline) == []


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("'; DROP TABLE tally_groups;--", "'; DROP TABLE tally\\_groups;--"),
        ("**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"),
        ("@everyone party", "@\u200beveryone party"),
        ("<@800000000000000002> fans", "<@\u200b800000000000000002> fans"),
        ("🌹 Rose Club 🌹", "🌹 Rose Club 🌹"),
    ],
    ids=["sql", "markdown", "everyone", "user-mention", "emoji"],
)
async def test_odd_names_are_stored_verbatim_and_echoed_inert(offline, name, shown) -> None:
    created = public_notice(await group(offline, "create", {"name": name}))
    assert f"**{shown}**" in created["description"]
    assert await names(offline) == [name]
    listed = public_notice(await group(offline, "list"))
    assert f"**{shown}**" in listed["description"]
    assert "@everyone" not in listed["description"]
    await join_with_consent(offline, name, BOB)
    assert await members_of(offline, name) == [BOB.id]


# -- permissions -----------------------------------------------------------------------------


async def test_only_the_creator_or_a_manager_deletes_adds_or_removes(unlimited) -> None:
    offline = unlimited
    await group(offline, "create", {"name": "Alice's"})
    await join_with_consent(offline, "Alice's", BOB)

    for path, options in (
        ("delete", {"name": "Alice's"}),
        ("add", {"name": "Alice's", "member": ALICE}),
        ("remove", {"name": "Alice's", "member": BOB}),
    ):
        message = refusal(await group(offline, path, options, user=BOB))
        assert "Only the creator of Alice's or someone with Manage Server" in message
    assert await names(offline) == ["Alice's"]
    assert await members_of(offline, "Alice's") == [BOB.id]

    public_notice(await group(offline, "add", {"name": "Alice's", "member": ALICE}, user=MANAGER))
    public_notice(await group(offline, "remove", {"name": "Alice's", "member": BOB}, user=MANAGER))
    assert await members_of(offline, "Alice's") == [ALICE.id]
    public_notice(await group(offline, "delete", {"name": "Alice's"}, user=MANAGER))
    assert await names(offline) == []


async def test_add_refuses_bots_and_people_outside_the_server(offline: OfflineDiscord) -> None:
    await group(offline, "create", {"name": "Crew"})
    assert "is a bot" in refusal(await group(offline, "add", {"name": "Crew", "member": A_BOT}))
    assert "not a member of this server" in refusal(
        await group(offline, "add", {"name": "Crew", "member": OUTSIDER})
    )
    assert await members_of(offline, "Crew") == []


async def test_someone_who_left_the_server_can_still_be_removed(unlimited) -> None:
    offline = unlimited
    await group(offline, "create", {"name": "Crew"})
    await offline.bot.storage.groups.add_member(GUILD.id, "Crew", OUTSIDER.id)
    public_notice(await group(offline, "remove", {"name": "Crew", "member": OUTSIDER}))
    assert await members_of(offline, "Crew") == []


async def test_group_writes_are_rate_limited(offline: OfflineDiscord) -> None:
    for i in range(10):
        public_notice(await group(offline, "create", {"name": f"g{i}"}, user=MANAGER))
    assert "Try again in" in refusal(await group(offline, "create", {"name": "g10"}, user=MANAGER))
    assert len(await names(offline)) == 10


# -- servers are separate --------------------------------------------------------------------


async def test_a_server_sees_and_changes_nothing_of_anothers_groups(offline) -> None:
    await group(offline, "create", {"name": "Home"}, guild=GUILD)
    await join_with_consent(offline, "Home", BOB)

    listed = public_notice(await group(offline, "list", guild=OTHER_GUILD))
    assert "No groups yet" in listed["description"]
    for path, options in (
        ("show", {"name": "Home"}),
        ("join", {"name": "Home"}),
        ("leave", {"name": "Home"}),
        ("delete", {"name": "Home"}),
        ("add", {"name": "Home", "member": ALICE}),
        ("remove", {"name": "Home", "member": BOB}),
        ("payout", {"name": "Home"}),
    ):
        message = refusal(await group(offline, path, options, user=MANAGER, guild=OTHER_GUILD))
        assert 'no group called "Home"' in message, path
    assert await names(offline) == ["Home"]
    assert await members_of(offline, "Home") == [BOB.id]
    with pytest.raises(NotFound):
        await offline.bot.storage.groups.get_group(OTHER_GUILD.id, "Home")


# -- list / autocomplete ---------------------------------------------------------------------


async def test_list_pages_and_autocomplete_offers_at_most_25(offline: OfflineDiscord) -> None:
    storage = offline.bot.storage
    for i in range(30):
        await storage.groups.create_group(GUILD.id, f"team-{i:02d}", 1000 + i)
    await storage.groups.create_group(GUILD.id, "Alpha team-ish", ALICE.id)
    await storage.groups.create_group(OTHER_GUILD.id, "team-elsewhere", ALICE.id)

    reply = only_reply(await group(offline, "list"))
    embed = embed_of(reply)
    assert embed["title"] == "Groups in this server (31)"
    assert len(embed["description"].splitlines()) == 20
    assert "Page 1 of 2" in field(embed, "\u200b")
    page2 = only_reply(await offline.press(reply.message_id, "pager:next", user=ALICE, guild=GUILD))
    assert page2.callback_type == UPDATE_MESSAGE
    assert len(embed_of(page2)["description"].splitlines()) == 11
    assert buttons(page2)["pager:next"].get("disabled") is True

    choices = await offline.autocomplete("group join", "name", "", user=BOB, guild=GUILD)
    assert len(choices) == 25
    typed = await offline.autocomplete("group show", "name", "TEAM-0", user=BOB, guild=GUILD)
    assert [c["value"] for c in typed] == [f"team-{i:02d}" for i in range(10)]
    loose = await offline.autocomplete("group payout", "name", "team-ish", user=BOB, guild=GUILD)
    assert [c["value"] for c in loose] == ["Alpha team-ish"]
    for typed_text in ("x" * 500, "'; DROP TABLE--", "🌹"):
        assert (
            await offline.autocomplete("group add", "name", typed_text, user=BOB, guild=GUILD) == []
        )


# -- payout ----------------------------------------------------------------------------------


def shares(embed: dict) -> dict[int, Decimal]:
    found = {}
    for line in embed["description"].splitlines():
        user_id = int(re.match(r"<@(\d+)>", line).group(1))
        found[user_id] = money(line.split("→")[1])
    return found


async def seed_crew(offline: OfflineDiscord, diamonds: dict[FakeUser, int]) -> None:
    """A group "Crew" whose members received `diamonds`, in a server on the creator guides'
    model (its 50% cut at cash-out leaves odd cents to split)."""
    await on_guides(offline)
    storage = offline.bot.storage
    await storage.groups.create_group(GUILD.id, "Crew", ALICE.id)
    for user, count in diamonds.items():
        await storage.groups.add_member(GUILD.id, "Crew", user.id)
        if count:
            await storage.ledger.add_entry(
                GUILD.id, user.id, user.id, gift_name=None, count=1, coins=0, diamonds=count
            )


async def test_payout_shares_add_up_exactly_to_the_net(offline: OfflineDiscord) -> None:
    await seed_crew(offline, {ALICE: 133, BOB: 133, MANAGER: 134})
    embed = public_embed(await group(offline, "payout", {"name": "crew"}, user=OUTSIDER))
    assert embed["title"] == "Payout for Crew · all time"
    assert field(embed, "Diamonds") == "400"
    assert field(embed, "Gross") == "$2.00"
    assert field(embed, "Platform cut (50%)") == "$1.00"
    assert field(embed, "Agency cut (0%") == "$0.00"
    assert field(embed, "Net to share") == "$1.00"
    split = shares(embed)
    # 0.3325 / 0.3325 / 0.335: the leftover cent goes to the largest remainder (MANAGER's).
    assert split == {
        MANAGER.id: Decimal("0.34"),
        ALICE.id: Decimal("0.33"),
        BOB.id: Decimal("0.33"),
    }
    assert sum(split.values()) == money(field(embed, "Net to share"))


async def test_payout_ties_go_to_the_earliest_account(offline: OfflineDiscord) -> None:
    await seed_crew(offline, {ALICE: 1, BOB: 1, MANAGER: 1})  # net $0.0075 -> $0.01
    embed = public_embed(await group(offline, "payout", {"name": "Crew"}))
    assert field(embed, "Net to share") == "$0.01"
    assert shares(embed) == {ALICE.id: Decimal("0.01"), BOB.id: Decimal(0), MANAGER.id: Decimal(0)}


async def test_payout_with_an_agency_cut_and_a_period(offline: OfflineDiscord) -> None:
    await seed_crew(offline, {ALICE: 10_001, BOB: 3_333, MANAGER: 0})
    embed = public_embed(
        await group(offline, "payout", {"name": "Crew", "agency_cut": 12.5, "period": "month"})
    )
    assert embed["title"] == "Payout for Crew · this month"
    assert field(embed, "Agency cut (12.5%") == "$4.17"  # 12.5% of $33.335
    net = money(field(embed, "Net to share"))
    assert net == Decimal("29.17")  # 33.335 - 4.166875 = 29.168125
    split = shares(embed)
    assert sum(split.values()) == net
    assert split[MANAGER.id] == 0
    assert split[ALICE.id] > split[BOB.id] > 0


async def test_payout_in_the_servers_currency_splits_whole_rupiah(offline) -> None:
    await use_settings(offline, {"currency": "IDR"})
    await seed_crew(offline, {ALICE: 1_000, BOB: 1_000, MANAGER: 1_001})
    embed = public_embed(await group(offline, "payout", {"name": "Crew", "agency_cut": 10}))
    net_text = field(embed, "Net to share")
    assert "≈ $" in net_text
    split = shares(embed)
    assert all(share == share.to_integral_value() for share in split.values())
    assert sum(split.values()) == money(net_text)
    parts = [field(embed, name) for name in ("Gross", "Platform cut", "Agency cut", "Net")]
    for column in (money, beside):  # rupiah, and dollars beside: each adds up as shown
        gross, platform, agency, net = (column(text) for text in parts)
        assert gross == platform + agency + net, (column.__name__, parts)


@pytest.mark.parametrize("cut", [-1, 100.5, 1e9])
async def test_payout_refuses_a_bad_agency_cut(offline: OfflineDiscord, cut: float) -> None:
    await seed_crew(offline, {ALICE: 10})
    message = refusal(await group(offline, "payout", {"name": "Crew", "agency_cut": cut}))
    assert "0 to 100" in message


async def test_payout_of_an_empty_group_is_refused(offline: OfflineDiscord) -> None:
    await seed_crew(offline, {})
    assert "no members" in refusal(await group(offline, "payout", {"name": "Crew"}))
    assert "not a valid choice" in refusal(
        await group(offline, "payout", {"name": "Crew", "period": "year"})
    )


async def test_payout_of_a_big_group_is_paged_and_still_exact(offline: OfflineDiscord) -> None:
    crew = {FakeUser(820_000_000_000_000_000 + i, f"m{i}"): 7 + i for i in range(45)}
    await seed_crew(offline, crew)
    reply = only_reply(await group(offline, "payout", {"name": "Crew"}))
    total = shares(embed_of(reply))
    net = money(field(embed_of(reply), "Net to share"))
    for _ in range(2):
        page = only_reply(
            await offline.press(reply.message_id, "pager:next", user=ALICE, guild=GUILD)
        )
        total.update(shares(embed_of(page)))
    assert len(total) == 45
    assert sum(total.values()) == net


# -- consent, caps, huge totals (a hostile member) --------------------------------------------


async def test_joining_takes_the_groups_consent(unlimited: OfflineDiscord) -> None:
    offline = unlimited
    await group(offline, "create", {"name": "Honest Agency"})
    asked = only_reply(await group(offline, "join", {"name": "Honest Agency"}, user=BOB))
    assert set(buttons(asked)) == {f"p:grq:{k}" for k in _request_keys(asked)}
    assert await members_of(offline, "Honest Agency") == []  # asking is not joining
    stranger = await offline.press(asked.message_id, "p:grq:", user=OUTSIDER, guild=GUILD)
    assert "Only the creator of Honest Agency" in refusal(stranger)
    assert await members_of(offline, "Honest Agency") == []
    approved = await offline.press(asked.message_id, "p:grq:", user=MANAGER, guild=GUILD)
    assert "approved by" in embed_of(only_reply(approved))["description"]
    assert await members_of(offline, "Honest Agency") == [BOB.id]
    public_notice(await group(offline, "remove", {"name": "Honest Agency", "member": BOB}))
    again = only_reply(await group(offline, "join", {"name": "Honest Agency"}, user=BOB))
    assert "asks to join" in embed_of(again)["description"]  # removal is not undone by asking
    assert await members_of(offline, "Honest Agency") == []


def _request_keys(reply) -> list[str]:
    return [key.removeprefix("p:grq:") for key in buttons(reply)]


async def test_a_decided_request_says_so_on_a_second_press(unlimited: OfflineDiscord) -> None:
    offline = unlimited
    await group(offline, "create", {"name": "Crew"})
    asked = only_reply(await group(offline, "join", {"name": "Crew"}, user=BOB))
    custom_id = next(key for key in buttons(asked) if key.endswith(":d"))
    # Two clicks before Discord shows the first answer: both carry the buttons.
    first, second = (
        offline.component_payload(asked.message_id, custom_id, user=ALICE, guild=GUILD)
        for _ in range(2)
    )
    declined = await offline.send(first)
    assert "was declined" in embed_of(only_reply(declined))["description"]
    assert "already decided" in refusal(await offline.send(second))
    assert await members_of(offline, "Crew") == []


async def test_one_members_huge_total_never_breaks_the_groups_payout(unlimited) -> None:
    offline = unlimited
    await seed_crew(offline, {ALICE: 100, BOB: 0})
    for _ in range(10):
        public_embed(
            await offline.command(
                "tally add-diamonds", {"amount": 10**12}, user=BOB, guild=GUILD, members=MEMBERS
            )
        )
    embed = public_embed(await group(offline, "payout", {"name": "Crew"}, user=OUTSIDER))
    assert field(embed, "Diamonds") == "10,000,000,000,100"
    split = shares(embed)
    assert sum(split.values()) == money(field(embed, "Net to share"))
    capped = await offline.command(
        "tally add-diamonds", {"amount": 1}, user=BOB, guild=GUILD, members=MEMBERS
    )
    assert "most" in refusal(capped)  # the member's total is capped inside the write


async def test_the_groups_cap_holds_through_the_command(unlimited: OfflineDiscord) -> None:
    offline = unlimited
    for i in range(MAX_GROUPS_PER_CREATOR):
        public_notice(await group(offline, "create", {"name": f"mine {i}"}))
    message = refusal(await group(offline, "create", {"name": "one too many"}))
    assert f"already created {MAX_GROUPS_PER_CREATOR} groups" in message
    taken = refusal(await group(offline, "create", {"name": "ＭＩＮＥ 1"}, user=BOB))
    assert 'A group called "MINE 1" already exists' in taken  # fullwidth is the same name
    look = refusal(await group(offline, "create", {"name": "\u041cine 2"}, user=BOB))
    assert 'looks just like "mine 2"' in look  # a Cyrillic М only looks like M
    assert len(await names(offline)) == MAX_GROUPS_PER_CREATOR
