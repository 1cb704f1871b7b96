"""/tally, driven through discord.py's real interaction path on a real temporary database."""

from __future__ import annotations

import re
from decimal import Decimal

import discord
import pytest

from bot.i18n import catalogs, placeholders
from bot.offline import FakeUser, OfflineDiscord
from bot.translator import command_texts
from economy.storage import Gifter
from tests.support.people import A_BOT, ALICE, BOB, GUILD, MANAGER, MEMBERS, OTHER_GUILD, OUTSIDER
from tests.support.replies import (
    UPDATE_MESSAGE,
    buttons,
    embed_of,
    field,
    only_reply,
    public_embed,
    refusal,
)
from tests.support.server_settings import on_guides, use_settings
from tests.support.tally import ledger, received, tally

# -- add / undo ------------------------------------------------------------------------------


async def test_add_gift_records_diamonds_for_the_caller(offline: OfflineDiscord) -> None:
    embed = public_embed(await tally(offline, "tally add", {"gift": "galaxy", "count": 2}))
    assert "**Galaxy** × 2" in embed["description"]
    assert f"<@{ALICE.id}>" in embed["description"]
    assert field(embed, "Diamonds added") == "+2,000"  # TikTok's model: a diamond per coin
    assert field(embed, "Coins") == "2,000"
    assert field(embed, "New total") == "2,000 diamonds"
    [entry] = await ledger(offline)
    assert (entry.recipient_id, entry.recorder_id, entry.gift_name) == (
        ALICE.id,
        ALICE.id,
        "Galaxy",
    )
    assert (entry.count, entry.coins, entry.diamonds) == (2, 2000, 2000)
    assert entry.gifter is None


async def test_half_diamonds_are_kept_exactly(offline: OfflineDiscord) -> None:
    await on_guides(offline)
    first = public_embed(await tally(offline, "tally add", {"gift": "rose", "count": 5}))
    assert field(first, "Diamonds added") == "+2.5"
    second = public_embed(await tally(offline, "tally add", {"gift": "rose"}))
    assert field(second, "New total") == "3 diamonds"  # 2.5 + 0.5: nothing lost per entry
    assert [e.diamonds for e in await ledger(offline)] == [Decimal("2.5"), Decimal("0.5")]
    assert await received(offline, ALICE) == 3


async def test_the_gifter_is_recorded_apart_from_the_recorder(offline: OfflineDiscord) -> None:
    embed = public_embed(
        await tally(offline, "tally add", {"gift": "lion", "gifter": BOB, "member": ALICE})
    )
    assert f"From <@{BOB.id}>" in embed["description"]
    tiktok = public_embed(
        await tally(offline, "tally add", {"gift": "rose", "tiktok": "@Rosie_Fan"}, user=BOB)
    )
    assert "**@Rosie\\_Fan** (TikTok)" in tiktok["description"]  # markdown made inert
    lion, rose = await ledger(offline)
    assert (lion.recorder_id, lion.gifter and lion.gifter.user_id) == (ALICE.id, BOB.id)
    assert (rose.recorder_id, rose.gifter and rose.gifter.name) == (BOB.id, "@Rosie_Fan")
    both = await tally(offline, "tally add", {"gift": "rose", "gifter": BOB, "tiktok": "x"})
    assert "not both" in refusal(both)
    assert len(await ledger(offline)) == 2


async def test_add_diamonds_records_raw_diamonds(offline: OfflineDiscord) -> None:
    embed = public_embed(await tally(offline, "tally add-diamonds", {"amount": 12_345}))
    assert "12,345 diamonds for" in embed["description"]
    [entry] = await ledger(offline)
    assert (entry.gift_name, entry.count, entry.coins, entry.diamonds) == (None, 1, 0, 12_345)


async def test_manager_adds_to_another_member(offline: OfflineDiscord) -> None:
    embed = public_embed(
        await tally(offline, "tally add", {"gift": "lion", "member": BOB}, user=MANAGER)
    )
    assert f"<@{BOB.id}>" in embed["description"]
    assert f"Recorded by <@{MANAGER.id}>" in embed["description"]
    [entry] = await ledger(offline)
    assert (entry.recipient_id, entry.recorder_id) == (BOB.id, MANAGER.id)


async def test_member_cannot_add_to_others_unless_the_server_allows_it(offline) -> None:
    for path, options in (
        ("tally add", {"gift": "rose", "member": BOB}),
        ("tally add-diamonds", {"amount": 5, "member": BOB}),
    ):
        assert "Manage Server" in refusal(await tally(offline, path, options))
    assert await ledger(offline) == []

    await use_settings(offline, {"tally_others": "everyone"})
    public_embed(await tally(offline, "tally add", {"gift": "galaxy", "member": BOB}))
    assert await received(offline, BOB) == 1_000


async def test_adding_to_yourself_by_name_needs_no_permission(offline: OfflineDiscord) -> None:
    public_embed(await tally(offline, "tally add", {"gift": "galaxy", "member": ALICE}))
    assert await received(offline, ALICE) == 1_000


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"gift": "rose", "count": 0}, "1,000,000"),
        ({"gift": "rose", "count": -1}, "1,000,000"),
        ({"gift": "rose", "count": 10**18}, "1,000,000"),
        ({"gift": "qqqzzzxxx"}, "qqqzzzxxx"),
        ({"gift": "rose", "member": A_BOT}, "is a bot"),
        ({"gift": "rose", "member": OUTSIDER}, "not a member of this server"),
    ],
    ids=["zero", "negative", "huge", "unknown-gift", "a-bot", "outsider"],
)
async def test_bad_add_is_refused_and_writes_nothing(offline, options, expected) -> None:
    assert expected in refusal(await tally(offline, "tally add", options, user=MANAGER))
    assert await ledger(offline) == []


@pytest.mark.parametrize("amount", [0, -1, 10**18])
async def test_bad_diamond_amount_is_refused(offline: OfflineDiscord, amount: int) -> None:
    message = refusal(await tally(offline, "tally add-diamonds", {"amount": amount}))
    assert "between 1 and 1,000,000,000,000" in message
    assert await ledger(offline) == []


async def test_undo_takes_back_the_callers_latest_entry(offline: OfflineDiscord) -> None:
    await on_guides(offline)
    await tally(offline, "tally add", {"gift": "galaxy"}, user=MANAGER)
    await tally(offline, "tally add", {"gift": "lion", "count": 3, "member": BOB}, user=MANAGER)
    await tally(offline, "tally add", {"gift": "rose"}, user=BOB)  # someone else's, later

    embed = public_embed(await tally(offline, "tally undo", user=MANAGER))
    assert "**Lion** × 3" in embed["description"]
    assert f"<@{BOB.id}>" in embed["description"]
    assert "44,998.5 diamonds taken off" in embed["description"]
    assert await received(offline, BOB) == Decimal("0.5")  # only Bob's own rose is left
    assert await received(offline, MANAGER) == 500

    public_embed(await tally(offline, "tally undo", user=MANAGER))
    assert await received(offline, MANAGER) == 0
    assert "no entry to undo" in refusal(await tally(offline, "tally undo", user=MANAGER))
    assert [e.undone for e in await ledger(offline)] == [True, True, False]


async def test_undo_with_nothing_to_undo_is_ephemeral(offline: OfflineDiscord) -> None:
    assert "no entry to undo" in refusal(await tally(offline, "tally undo"))


async def test_writes_are_rate_limited_per_user(offline: OfflineDiscord) -> None:
    for _ in range(10):
        public_embed(await tally(offline, "tally add-diamonds", {"amount": 1}))
    assert "Try again in" in refusal(await tally(offline, "tally add-diamonds", {"amount": 1}))
    public_embed(await tally(offline, "tally add-diamonds", {"amount": 1}, user=BOB))
    assert len(await ledger(offline)) == 11


async def test_dms_are_refused(offline: OfflineDiscord) -> None:
    replies = await offline.command("tally add", {"gift": "rose"}, user=ALICE, guild=None)
    assert "works in a server" in refusal(replies)
    assert "works in a server" in refusal(
        await offline.command("tally show", {}, user=ALICE, guild=None)
    )


async def test_a_user_installed_call_from_a_server_without_the_bot_is_refused(offline) -> None:
    for path, options in (("tally add", {"gift": "rose"}), ("group create", {"name": "Crew"})):
        replies = await offline.command(path, options, user=ALICE, guild=GUILD, user_install=True)
        assert "servers the bot has been added to" in refusal(replies)
    assert await ledger(offline) == []
    assert (await offline.bot.storage.groups.list_groups(GUILD.id))[1] == 0
    lookup = await offline.command("gift value", {"gift": "rose"}, user=ALICE, guild=GUILD,
                                   user_install=True)  # fmt: skip
    assert not only_reply(lookup).ephemeral  # lookups work from a user install


def test_server_commands_are_registered_for_server_installs_only(offline) -> None:
    for name in ("tally", "group", "settings"):
        command = offline.bot.tree.get_command(name)
        assert command is not None and command.allowed_installs is not None
        assert command.allowed_installs.guild and not command.allowed_installs.user, name
        payload = command.to_dict(offline.bot.tree)
        assert payload["integration_types"] == [0], name


# -- show / history / leaderboard ------------------------------------------------------------


async def test_show_totals_payout_top_gifts_and_rank(unlimited: OfflineDiscord) -> None:
    offline = unlimited
    await on_guides(offline)
    from_bob = {"gifter": BOB}
    await tally(offline, "tally add", {"gift": "galaxy", "count": 30, **from_bob})  # 15,000
    await tally(offline, "tally add", {"gift": "galaxy", "count": 10, **from_bob})  # 5,000
    await tally(offline, "tally add", {"gift": "rose", "count": 20, **from_bob})  # 10
    await tally(offline, "tally add-diamonds", {"amount": 50_000}, user=BOB)

    embed = public_embed(await tally(offline, "tally show", user=BOB, options={"member": ALICE}))
    assert embed["title"] == "Alice's tally"
    assert field(embed, "Diamonds received") == "20,010"
    assert field(embed, "Rank in this server") == "#2"
    assert field(embed, "This month / this week") == "20,010 / 20,010"
    assert field(embed, "Gross") == "$100.05"
    assert field(embed, "You take home") == "$50.03"
    assert "can cash out" in field(embed, "Minimum withdrawal")
    top = field(embed, "Top gifts received").splitlines()
    assert top == ["**Galaxy** × 40: 20,000 diamonds", "**Rose** × 20: 10 diamonds"]
    assert field(embed, "Coins given (as gifter)") == "0"  # Alice recorded, Bob gave
    bobs = public_embed(await tally(offline, "tally show", user=BOB))
    assert field(bobs, "Coins given (as gifter)") == "40,020"
    assert field(bobs, "Diamonds received") == "50,000"


async def test_show_for_someone_new_and_for_a_bot(offline: OfflineDiscord) -> None:
    embed = public_embed(await tally(offline, "tally show"))
    assert field(embed, "Diamonds received") == "0"
    assert field(embed, "Rank in this server") == "Not ranked yet"
    assert field(embed, "Top gifts received") == "None yet"
    assert "20,000 more diamonds to go" in field(embed, "Minimum withdrawal")
    assert "is a bot" in refusal(await tally(offline, "tally show", {"member": A_BOT}))


async def test_history_pages_newest_first_for_the_caller_only(offline: OfflineDiscord) -> None:
    storage = offline.bot.storage
    for count in range(1, 26):
        await storage.ledger.add_entry(
            GUILD.id, ALICE.id, BOB.id, gift_name="Rose", count=count, coins=count, diamonds=0
        )
    reply = only_reply(await tally(offline, "tally history", {"member": ALICE}, user=BOB))
    embed = embed_of(reply)
    assert embed["title"] == "Alice's history (25 entries)"

    def counts(page_embed: dict) -> list[int]:
        return [int(c) for c in re.findall(r"\*\*Rose\*\* × (\d+)", page_embed["description"])]

    assert counts(embed) == list(range(25, 15, -1))
    assert f"recorded by <@{BOB.id}>" in embed["description"]
    assert "Page 1 of 3" in field(embed, "\u200b")
    assert buttons(reply)["pager:prev"].get("disabled") is True

    assert "belong to" in refusal(
        await offline.press(reply.message_id, "pager:next", user=ALICE, guild=GUILD)
    )
    page2 = only_reply(await offline.press(reply.message_id, "pager:next", user=BOB, guild=GUILD))
    assert page2.callback_type == UPDATE_MESSAGE
    assert counts(embed_of(page2)) == list(range(15, 5, -1))
    page3 = only_reply(await offline.press(reply.message_id, "pager:next", user=BOB, guild=GUILD))
    assert counts(embed_of(page3)) == [5, 4, 3, 2, 1]
    assert buttons(page3)["pager:next"].get("disabled") is True


async def test_history_pages_follow_entries_added_while_it_is_open(
    offline: OfflineDiscord,
) -> None:
    """The page count comes with each page: entries recorded after page 1 was sent add
    pages, and a list that shrank brings the reader back to its last page."""
    ledger = offline.bot.storage.ledger

    async def receive(count: int) -> None:
        await ledger.add_entry(
            GUILD.id, ALICE.id, BOB.id, gift_name="Rose", count=count, coins=count, diamonds=0
        )

    for count in range(1, 12):
        await receive(count)
    reply = only_reply(await tally(offline, "tally history", {"member": ALICE}, user=BOB))
    assert "Page 1 of 2" in field(embed_of(reply), "\u200b")
    for count in range(12, 22):
        await receive(count)
    page2 = only_reply(await offline.press(reply.message_id, "pager:next", user=BOB, guild=GUILD))
    assert "Page 2 of 3" in field(embed_of(page2), "\u200b")
    assert buttons(page2)["pager:next"].get("disabled") is False
    page3 = only_reply(await offline.press(reply.message_id, "pager:next", user=BOB, guild=GUILD))
    assert "Page 3 of 3" in field(embed_of(page3), "\u200b")
    for _ in range(12):
        await ledger.undo_last(GUILD.id, BOB.id)
    back = only_reply(await offline.press(reply.message_id, "pager:prev", user=BOB, guild=GUILD))
    assert embed_of(back)["title"] == "Alice's history (9 entries)"
    assert "**Rose** × 9" in embed_of(back)["description"]
    assert all(button.get("disabled") for button in buttons(back).values())


async def test_history_empty_and_skips_undone_entries(offline: OfflineDiscord) -> None:
    embed = public_embed(await tally(offline, "tally history"))
    assert "No entries yet" in embed["description"]
    await tally(offline, "tally add", {"gift": "galaxy"})
    await tally(offline, "tally add", {"gift": "lion"})
    await tally(offline, "tally undo")
    embed = public_embed(await tally(offline, "tally history"))
    assert "Galaxy" in embed["description"] and "Lion" not in embed["description"]


PLAYERS = [FakeUser(810_000_000_000_000_000 + i, f"player{i}") for i in range(12)]


async def seed_players(offline: OfflineDiscord) -> None:
    """player0 received most ... player11 least; player11 gave most coins."""
    storage = offline.bot.storage
    for i, player in enumerate(PLAYERS):
        await storage.ledger.add_entry(
            GUILD.id, player.id, MANAGER.id, gifter=Gifter.member(PLAYERS[-1 - i].id, "p"),
            gift_name="Galaxy", count=12 - i, coins=1000 * (12 - i), diamonds=500 * (12 - i),
        )  # fmt: skip


async def test_leaderboard_top_ten_and_the_callers_own_rank(offline: OfflineDiscord) -> None:
    await seed_players(offline)
    caller = PLAYERS[11]  # 12th by diamonds received
    embed = public_embed(await offline.command("tally leaderboard", {}, user=caller, guild=GUILD))
    assert embed["title"] == "Top receivers · all time"
    lines = embed["description"].splitlines()
    assert len(lines) == 10
    assert lines[0] == f"**#1** <@{PLAYERS[0].id}> · 6,000 diamonds"
    assert lines[9] == f"**#10** <@{PLAYERS[9].id}> · 1,500 diamonds"
    assert f"<@{caller.id}>" not in embed["description"]
    assert field(embed, "Your rank") == f"**#12** <@{caller.id}> · 500 diamonds"


async def test_leaderboard_by_coins_given_and_period(offline: OfflineDiscord) -> None:
    await seed_players(offline)
    embed = public_embed(
        await offline.command(
            "tally leaderboard", {"by": "gifted", "period": "month"}, user=PLAYERS[0], guild=GUILD
        )
    )
    assert embed["title"] == "Top gifters · this month"
    assert embed["description"].splitlines()[0] == f"**#1** <@{PLAYERS[11].id}> · 12,000 coins"
    assert field(embed, "Your rank") == f"**#12** <@{PLAYERS[0].id}> · 1,000 coins"

    outsider_view = public_embed(await tally(offline, "tally leaderboard", {"period": "week"}))
    assert field(outsider_view, "Your rank") == "You are not on this board yet."


async def test_leaderboard_refuses_when_turned_off_and_bad_choices(offline) -> None:
    assert "not a valid choice" in refusal(
        await tally(offline, "tally leaderboard", {"by": "'; DROP TABLE ledger;--"})
    )
    await use_settings(offline, {"leaderboard_enabled": "false"})
    assert "turned off" in refusal(await tally(offline, "tally leaderboard"))
    public_embed(await tally(offline, "tally leaderboard", guild=OTHER_GUILD))


# -- servers are separate --------------------------------------------------------------------


async def test_a_server_sees_and_changes_nothing_of_another(offline: OfflineDiscord) -> None:
    await tally(offline, "tally add", {"gift": "galaxy", "count": 4}, user=ALICE, guild=GUILD)
    await tally(offline, "tally add", {"gift": "lion"}, user=BOB, guild=OTHER_GUILD)

    mine = public_embed(await tally(offline, "tally show", guild=GUILD))
    assert field(mine, "Diamonds received") == "4,000"
    theirs = public_embed(await tally(offline, "tally show", guild=OTHER_GUILD))
    assert field(theirs, "Diamonds received") == "0"
    board = public_embed(await tally(offline, "tally leaderboard", guild=OTHER_GUILD))
    assert f"<@{ALICE.id}>" not in board["description"] and f"<@{BOB.id}>" in board["description"]

    assert "no entry to undo" in refusal(await tally(offline, "tally undo", guild=OTHER_GUILD))
    assert await received(offline, ALICE, GUILD) == 4000
    reset = await tally(offline, "tally reset", {"member": ALICE}, user=MANAGER, guild=OTHER_GUILD)
    assert "no entries to reset" in refusal(reset)
    assert await received(offline, BOB, OTHER_GUILD) == 29_999


# -- languages -------------------------------------------------------------------------------


async def test_answers_follow_the_users_language(offline: OfflineDiscord) -> None:
    await tally(offline, "tally add", {"gift": "galaxy"})
    indonesian = await offline.command(
        "tally show", {}, user=ALICE, guild=GUILD, locale="id", members=MEMBERS
    )
    assert embed_of(only_reply(indonesian))["title"] == "Rekap Alice"
    portuguese = await offline.command(
        "tally undo", {}, user=ALICE, guild=GUILD, locale="pt-BR", members=MEMBERS
    )
    assert embed_of(only_reply(portuguese))["title"] == "Registro desfeito"


NAME_RE = re.compile(r"^[-_\w]{1,32}$")


@pytest.mark.parametrize("root", ["tally", "group"])
def test_every_command_text_is_translated(offline: OfflineDiscord, root: str) -> None:
    group = offline.bot.tree.get_command(root)
    assert isinstance(group, discord.app_commands.Group)
    assert group.guild_only and group.allowed_contexts.guild
    assert not group.allowed_contexts.dm_channel
    for locale, texts in command_texts().items():
        seen = [group.qualified_name]
        for command in group.walk_commands():
            seen.append(command.qualified_name)
            if isinstance(command, discord.app_commands.Group):
                continue  # /tally goal, posts, roles: their commands follow in the walk
            params = [p.name for p in command.parameters]
            localized = [texts[f"{command.qualified_name}.{p}.name"] for p in params]
            assert len(set(localized)) == len(localized), (locale, command.qualified_name)
            seen += [f"{command.qualified_name}.{p}" for p in params]
            for param in command.parameters:
                for choice in param.choices:
                    assert f"choice.{choice.value}.name" in texts, (locale, choice.value)
        for key in seen:
            name, description = texts[f"{key}.name"], texts[f"{key}.description"]
            assert NAME_RE.match(name) and name == name.lower(), (locale, key, name)
            assert 1 <= len(description) <= 100, (locale, key, description)


@pytest.mark.parametrize("domain", ["tally", "group"])
def test_catalogs_have_the_same_keys_and_placeholders(domain: str) -> None:
    all_messages = catalogs()
    english = {k: v for k, v in all_messages["en"].items() if k.startswith(f"{domain}.")}
    assert english
    for locale in ("id", "pt-BR"):
        other = {k: v for k, v in all_messages[locale].items() if k.startswith(f"{domain}.")}
        assert set(other) == set(english), locale
        for key, text in english.items():
            assert placeholders(other[key]) == placeholders(text), (locale, key)
