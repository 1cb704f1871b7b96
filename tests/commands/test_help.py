"""/help: topics in a menu, only the commands the reader can use here, sorted in their
language, clickable once the commands are synced."""

from __future__ import annotations

import re

import discord

from bot.command_ids import CommandIds
from bot.offline import OfflineDiscord
from commands.help import collation_key
from tests.support.people import ALICE, BOB, GUILD, MANAGER
from tests.support.replies import UPDATE_MESSAGE, embed_of, only_reply, refusal

LINE = re.compile(r"^(`/[^`]+`|</[^>]+>): ")


async def open_help(offline: OfflineDiscord, user=ALICE, guild=GUILD, locale="en-US"):
    reply = only_reply(await offline.command("help", {}, user=user, guild=guild, locale=locale))
    assert reply.ephemeral
    return reply


async def topic(offline: OfflineDiscord, reply, name: str, user=ALICE, guild=GUILD, **kw):
    picked = only_reply(
        await offline.choose(reply.message_id, "help:topic", [name], user=user, guild=guild, **kw)
    )
    assert picked.callback_type == UPDATE_MESSAGE
    return embed_of(picked)


def commands_in(embed: dict) -> list[str]:
    return [LINE.match(line)[1] for line in embed["description"].splitlines() if LINE.match(line)]


def in_order(names: list[str]) -> bool:
    """Sorted as the reader reads them (`/contagem adicionar` before `... adicionar-...`)."""
    paths = [name.strip("`/") for name in names]
    return paths == sorted(paths, key=collation_key)


def menu_values(reply) -> list[str]:
    [row] = reply.components
    [menu] = row["components"]
    return [option["value"] for option in menu["options"]]


async def test_topics_in_a_menu_and_commands_by_topic(offline: OfflineDiscord) -> None:
    reply = await open_help(offline)
    assert embed_of(reply)["title"] == "What I can do"
    assert menu_values(reply) == ["lookups", "tallies", "community", "groups", "bot"]
    lookups = commands_in(await topic(offline, reply, "lookups"))
    assert lookups[:3] == ["`/coins`", "`/diamonds`", "`/gift list`"]
    assert {"`/payout goal`", "`/payout views`", "`/gift value`"} <= set(lookups)
    tallies = await topic(offline, reply, "tallies")
    assert "`/tally add`" in commands_in(tallies) and "Record a gift" in tallies["description"]
    assert "`/tally reset`" not in commands_in(tallies)  # a manager's command
    assert "belong to" in refusal(
        await offline.choose(reply.message_id, "help:topic", ["groups"], user=BOB, guild=GUILD)
    )


async def test_managers_see_their_commands(offline: OfflineDiscord) -> None:
    reply = await open_help(offline, user=MANAGER)
    assert "settings" in menu_values(reply)
    tallies = commands_in(await topic(offline, reply, "tallies", user=MANAGER))
    assert {"`/tally reset`", "`/tally restore`", "`/tally export`"} <= set(tallies)
    community = commands_in(await topic(offline, reply, "community", user=MANAGER))
    assert {"`/tally posts set`", "`/tally roles top`", "`/tally goal set`"} <= set(community)
    members = commands_in(await topic(offline, await open_help(offline), "community"))
    assert members == ["`/tally goal clear`", "`/tally goal set`"]


async def test_in_a_dm_only_what_works_there(offline: OfflineDiscord) -> None:
    reply = await open_help(offline, guild=None)
    assert menu_values(reply) == ["lookups", "bot"]


async def test_sorted_by_the_names_the_reader_sees(offline: OfflineDiscord) -> None:
    reply = await open_help(offline, locale="id")
    assert embed_of(reply)["title"] == "Yang bisa saya lakukan"
    lookups = await topic(offline, reply, "lookups", locale="id")
    names = commands_in(lookups)
    assert in_order(names)
    assert names[0] == "`/berlian`" and "`/hadiah nilai`" in names  # not English order
    assert "Biaya hadiah" in lookups["description"]
    portuguese = commands_in(
        await topic(offline, await open_help(offline, locale="pt-BR"), "tallies", locale="pt-BR")
    )
    assert in_order(portuguese)
    assert portuguese.index("`/contagem desfazer`") < portuguese.index("`/contagem historico`")


def test_accents_sort_with_their_letters() -> None:
    assert sorted(["Zebra", "Ábaco", "avião", "Árvore"], key=collation_key) == [
        "Ábaco", "Árvore", "avião", "Zebra",
    ]  # fmt: skip


async def test_mentions_once_synced(offline: OfflineDiscord) -> None:
    offline.rest.publish({"tally": 111, "coins": 222})
    offline.bot.command_ids.forget()
    reply = await open_help(offline)
    tallies = commands_in(await topic(offline, reply, "tallies"))
    assert "</tally add:111>" in tallies and "</tally history:111>" in tallies
    lookups = commands_in(await topic(offline, reply, "lookups"))
    assert "</coins:222>" in lookups and "`/diamonds`" in lookups  # not synced: plain
    assert len(offline.rest.made("GET", "/applications/")) == 1  # global only: no own commands
    await open_help(offline)
    assert len(offline.rest.made("GET", "/applications/")) == 1  # kept


async def test_the_development_server_mentions_its_own_commands() -> None:
    """Only the server commands are synced to (DEV_GUILD_ID) is asked for its own list."""
    asked: list[int | None] = []

    async def fetch(where: discord.abc.Snowflake | None) -> list[discord.app_commands.AppCommand]:
        asked.append(where.id if where else None)
        return []

    ids = CommandIds(fetch, own_commands_in=frozenset({42}))
    await ids.ids(7)
    await ids.ids(42)
    await ids.ids(42)
    assert asked == [None, 42]
