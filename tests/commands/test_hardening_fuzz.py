"""Every command's options fuzzed through discord.py's real interaction path.

The command list is read from the loaded cogs (`bot.tree.walk_commands()`), so a cog added
later is fuzzed without touching this file. For every interaction:

* it is answered exactly once (one interaction response; a deferral counts as the one);
* nothing escapes a handler: no ERROR log record, no "Reference:" unexpected-error reply;
* a rejection (the tree's error handler ran) is ephemeral, and the database is unchanged;
* every message that carries text sends `allowed_mentions` with `parse: []`, so no echoed
  `@everyone` or `<@id>` can ping anyone;
* a button on the answer, pressed by the caller or someone else, is answered exactly once,
  and a refused press changes nothing.

SQLite only: "unchanged" is read straight from the database file, and the commands are the
same on every backend (tests/commands runs them all on PostgreSQL too).

Autocomplete gets the same treatment: one result, at most 25 well-formed choices.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.offline import (
    CapturedRequest,
    OfflineDiscord,
)
from bot.ratelimit import Limiter
from economy.storage import override_key
from tests.support.bots import config_for, offline_bot
from tests.support.hostile_options import (
    LAYOUT,
    SEEDED_GIFT,
    SEEDED_GROUP,
    TEXT,
    option_values,
    plausible,
)
from tests.support.people import A_BOT, ALICE, BOB, GUILD, MANAGER, MEMBERS

EXAMPLES_PER_COMMAND = 60
AUTOCOMPLETE_EXAMPLES = 20

pytestmark = pytest.mark.sqlite_only


def _leaf_commands() -> list[app_commands.Command[Any, ..., Any]]:
    """Every slash command of every cog, loaded on a throwaway bot (no database needed)."""

    async def load() -> list[app_commands.Command[Any, ..., Any]]:
        with tempfile.TemporaryDirectory() as folder:
            async with offline_bot(config_for(Path(folder))) as driver:
                tree = driver.bot.tree
                return [c for c in tree.walk_commands() if isinstance(c, app_commands.Command)]

    return asyncio.run(load())


def _guild_only(command: app_commands.Command[Any, ..., Any]) -> bool:
    """Discord never shows (or autocompletes) this command outside a server."""
    for node in (command, command.root_parent):
        if node is None:
            continue
        contexts = node.allowed_contexts
        if node.guild_only or (contexts is not None and not contexts.dm_channel):
            return True
    return False


COMMANDS = _leaf_commands()
COMMAND_PATHS = sorted(c.qualified_name for c in COMMANDS)
AUTOCOMPLETED = sorted(
    (c.qualified_name, p.name, _guild_only(c))
    for c in COMMANDS
    for p in c.parameters
    if p.autocomplete
)


# -- the bot under test ----------------------------------------------------------------------


class ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Fuzzed:
    """A started bot with a fresh database, watched for errors and database changes."""

    driver: OfflineDiscord
    database: sqlite3.Connection
    errors: ErrorRecords
    rejected: list[BaseException] = field(default_factory=list)

    def fingerprint(self) -> tuple[int, ...]:
        """Cheap: row counts of every table plus the ledger's flags."""
        return self.database.execute(
            "SELECT (SELECT COUNT(*) FROM ledger), (SELECT COALESCE(SUM(undone), 0) FROM ledger),"
            " (SELECT COUNT(archived) FROM ledger), (SELECT COUNT(*) FROM resets),"
            " (SELECT COUNT(*) FROM tally_groups), (SELECT COUNT(*) FROM tally_group_members),"
            " (SELECT COUNT(*) FROM guild_settings), (SELECT COUNT(*) FROM config_audit),"
            " (SELECT COUNT(*) FROM custom_gifts), (SELECT COUNT(*) FROM received_totals),"
            " (SELECT COUNT(*) FROM period_schedules), (SELECT COUNT(*) FROM threshold_roles),"
            " (SELECT COUNT(*) FROM goals)"
        ).fetchone()

    async def send(self, payload: dict[str, Any]) -> list[CapturedRequest]:
        self.rejected.clear()
        self.errors.records.clear()
        return await self.driver.send(payload)


@pytest.fixture
async def fuzzed(tmp_path: Path) -> AsyncIterator[Fuzzed]:
    """One bot per test function (hypothesis reuses it for every example)."""
    errors = ErrorRecords()
    logging.getLogger().addHandler(errors)
    try:
        async with offline_bot(config_for(tmp_path)) as driver:
            bot = driver.bot
            # Fuzz the commands, not the limits: a budget running out mid-run would change what
            # an example does between hypothesis's runs of it ("flaky strategy").
            bot.write_limiter = bot.command_limiter = bot.autocomplete_limiter = Limiter(10**9)
            driver.cache_server(GUILD, LAYOUT)
            storage = bot.storage
            await storage.groups.create_group(GUILD.id, SEEDED_GROUP, MANAGER.id)
            await storage.groups.add_member(GUILD.id, SEEDED_GROUP, ALICE.id)
            await storage.guild_settings.add_custom_gift(GUILD.id, SEEDED_GIFT, 7, MANAGER.id)
            await storage.guild_settings.change_settings(
                GUILD.id, {override_key("cashout_cut"): "0.4"}, MANAGER.id
            )
            for user, sender in ((ALICE, BOB), (BOB, ALICE), (ALICE, MANAGER)):
                await storage.ledger.add_entry(
                    GUILD.id, user.id, sender.id, gift_name="Rose", count=3, coins=3, diamonds=1
                )
            database = sqlite3.connect(f"file:{storage.path}?mode=ro", uri=True)
            state = Fuzzed(driver, database, errors)
            original = bot.tree.on_error

            async def watched(interaction: discord.Interaction, error: Exception) -> None:
                state.rejected.append(error)
                await original(interaction, error)

            bot.tree.on_error = watched  # type: ignore[method-assign]
            try:
                yield state
            finally:
                database.close()
    finally:
        logging.getLogger().removeHandler(errors)


def _describe(requests: list[CapturedRequest]) -> str:
    return "; ".join(
        f"{r.method} {r.path} type={r.callback_type} {r.text()[:200]!r}" for r in requests
    )


def check_mentions_are_inert(requests: list[CapturedRequest]) -> None:
    """Whatever text the bot sends, it tells Discord to ping nobody."""
    for request in requests:
        if request.content or request.embeds:
            mentions = request.allowed_mentions
            assert mentions is not None, f"no allowed_mentions: {_describe([request])}"
            assert mentions.get("parse") == [], mentions
            assert not mentions.get("users") and not mentions.get("roles"), mentions


def check_answered_safely(state: Fuzzed, requests: list[CapturedRequest], before) -> None:
    callbacks = [r for r in requests if r.callback_type is not None]
    assert len(callbacks) == 1, f"expected exactly one response: {_describe(requests)}"
    assert not state.errors.records, state.errors.records[0].getMessage()
    assert not any("Reference:" in r.text() for r in requests), _describe(requests)
    check_mentions_are_inert(requests)
    if state.rejected:
        told = [r for r in requests if r.content]
        assert told and told[-1].ephemeral, f"rejection not ephemeral: {_describe(requests)}"
        assert state.fingerprint() == before, (
            f"rejected, yet the database changed: {state.rejected}"
        )


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_COMMAND,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("path", COMMAND_PATHS)
@FUZZ_SETTINGS
@given(data=st.data())
async def test_every_command_survives_hostile_options(
    fuzzed: Fuzzed, path: str, data: st.DataObject
) -> None:
    command = fuzzed.driver.find_command(path)
    # Half the examples are what a real user sends, so success paths get fuzzed too; the
    # other half mix hostile values into any option.
    realistic = data.draw(st.booleans(), label="realistic")
    options: dict[str, Any] = {}
    for param in command.parameters:
        if not param.required and data.draw(st.booleans(), label=f"omit {param.name}"):
            continue
        values = plausible(param) if realistic else option_values(param)
        options[param.name] = data.draw(values, label=param.name)
    user = data.draw(st.sampled_from([MANAGER, ALICE, MANAGER, A_BOT]), label="user")
    guild = data.draw(st.sampled_from([GUILD, GUILD, GUILD, None]), label="guild")
    locale = data.draw(st.sampled_from(["en-US", "en-US", "id", "pt-BR", "ja"]), label="locale")

    before = fuzzed.fingerprint()
    requests = await fuzzed.send(
        fuzzed.driver.command_payload(
            path, options, user=user, guild=guild, locale=locale, members=MEMBERS
        )
    )
    check_answered_safely(fuzzed, requests, before)

    # Any button on the answer may be pressed by anyone, the caller or not.
    buttons = [
        (request.message_id, item["custom_id"])
        for request in requests
        for row in request.components
        for item in row.get("components", [])
        if item.get("type") == 2 and item.get("custom_id") and not item.get("disabled")
    ]
    if not buttons:
        return
    message_id, custom_id = data.draw(st.sampled_from(buttons), label="button")
    presser = data.draw(st.sampled_from([user, BOB, MANAGER]), label="presser")
    before = fuzzed.fingerprint()
    pressed = await fuzzed.send(
        fuzzed.driver.component_payload(
            message_id, custom_id, user=presser, guild=guild, locale=locale
        )
    )
    callbacks = [r for r in pressed if r.callback_type is not None]
    assert len(callbacks) == 1, f"press answered {len(callbacks)} times: {_describe(pressed)}"
    assert not fuzzed.errors.records, fuzzed.errors.records[0].getMessage()
    assert not any("Reference:" in r.text() for r in pressed), _describe(pressed)
    check_mentions_are_inert(pressed)
    if callbacks[0].ephemeral:  # a refusal (not yours, no permission...): nothing changed
        assert fuzzed.fingerprint() == before, _describe(pressed)


@pytest.mark.parametrize(("path", "option", "guild_only"), AUTOCOMPLETED)
@settings(
    max_examples=AUTOCOMPLETE_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(typed=TEXT, in_dm=st.booleans())
async def test_autocomplete_survives_hostile_input(
    fuzzed: Fuzzed, path: str, option: str, guild_only: bool, typed: str, in_dm: bool
) -> None:
    # Discord only autocompletes where the command is shown: server-only ones not in DMs.
    guild = None if in_dm and not guild_only else GUILD
    payload = fuzzed.driver.command_payload(
        path, {option: typed[:100]}, user=ALICE, guild=guild, focused=option, members=MEMBERS
    )
    requests = await fuzzed.send(payload)
    assert not fuzzed.errors.records, fuzzed.errors.records[0].getMessage()
    callbacks = [r for r in requests if r.callback_type is not None]
    assert [r.callback_type for r in callbacks] == [8], _describe(requests)
    choices = callbacks[0].choices
    assert len(choices) <= 25
    for choice in choices:
        assert 1 <= len(choice["name"]) <= 100, choice
        assert not isinstance(choice["value"], str) or len(choice["value"]) <= 100, choice


def test_every_command_is_fuzzed() -> None:
    """The list comes from the cogs themselves; guard against it silently shrinking."""
    assert {"gift value", "coins", "diamonds"} <= set(COMMAND_PATHS)
    assert len(COMMAND_PATHS) == len(set(COMMAND_PATHS))
    for command in COMMANDS:
        for param in command.parameters:
            option_values(param)  # every option type has a strategy


# -- mentions: echoed text never pings --------------------------------------------------------

PINGS = "@everyone @here <@800000000000000002> <@&900000000000000001>"


async def test_an_echoed_unknown_gift_cannot_ping(fuzzed: Fuzzed) -> None:
    requests = await fuzzed.send(
        fuzzed.driver.command_payload("gift value", {"gift": PINGS}, user=ALICE, guild=GUILD)
    )
    (reply,) = requests
    assert reply.ephemeral and "everyone" in reply.content
    assert reply.allowed_mentions == {"parse": []}


@pytest.mark.parametrize("path", ["group create", "group join", "settings gift-add"])
async def test_echoed_names_cannot_ping(fuzzed: Fuzzed, path: str) -> None:
    command = fuzzed.driver.find_command(path)  # a renamed command fails here, not skips
    options: dict[str, Any] = {"name": "@everyone <@800000000000000002>"}
    if any(p.name == "coins" for p in command.parameters):
        options["coins"] = 5
    requests = await fuzzed.send(
        fuzzed.driver.command_payload(path, options, user=MANAGER, guild=GUILD, members=MEMBERS)
    )
    assert len([r for r in requests if r.callback_type is not None]) == 1
    check_mentions_are_inert(requests)
    assert any("everyone" in r.text() for r in requests), _describe(requests)


# -- markdown: a server's own gift names are shown as typed, never as formatting ---------------

MARKDOWN_GIFT = "**Big** _Party_ ||x||"
MARKDOWN_SHOWN = "\\*\\*Big\\*\\* \\_Party\\_ \\|\\|x\\|\\|"


@pytest.mark.parametrize(
    ("path", "options"),
    [
        ("gift value", {"gift": MARKDOWN_GIFT}),
        ("gift list", {"min_coins": 4321, "max_coins": 4321}),
        ("payout goal", {"amount": 10, "gift": MARKDOWN_GIFT}),
    ],
)
async def test_custom_gift_names_are_echoed_inert(
    fuzzed: Fuzzed, path: str, options: dict[str, Any]
) -> None:
    await fuzzed.driver.bot.storage.guild_settings.add_custom_gift(
        GUILD.id, MARKDOWN_GIFT, 4321, MANAGER.id
    )
    fuzzed.driver.bot.profiles.forget(GUILD.id)
    requests = await fuzzed.send(
        fuzzed.driver.command_payload(path, options, user=ALICE, guild=GUILD)
    )
    (reply,) = [r for r in requests if r.callback_type is not None]
    assert not reply.ephemeral, reply.text()
    assert MARKDOWN_SHOWN in reply.text(), reply.text()
    assert MARKDOWN_GIFT not in reply.text().replace(MARKDOWN_SHOWN, "")
