"""Every command payload the bot would sync respects Discord's limits, in every language."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.client import extension_names, minimal_intents
from bot.offline import OfflineDiscord
from bot.translator import CatalogTranslator
from tests.support.bots import offline_bot

NAME = re.compile(r"^[-_'\w]{1,32}$")
SOFT_COMMAND_CHARACTERS = 4_000  # Discord allows 8,000 but warns above 4,000
SUB_COMMAND, SUB_COMMAND_GROUP, STRING = 1, 2, 3
MAX_TEXT = 100  # every free-text option is bounded in the payload (and again in its handler)
USER_MENU, MESSAGE_MENU = 2, 3


def variants(item: dict[str, Any], key: str) -> list[str]:
    """A field's default text and every localization of it."""
    return [item.get(key) or "", *(item.get(f"{key}_localizations") or {}).values()]


def longest(item: dict[str, Any], key: str) -> int:
    """Discord counts a localized field at its longest localization."""
    return max(len(text) for text in variants(item, key))


def command_characters(item: dict[str, Any]) -> int:
    """Names, descriptions and choice values of a command and everything under it."""
    total = longest(item, "name") + longest(item, "description")
    for option in item.get("options") or []:
        total += command_characters(option)
    for choice in item.get("choices") or []:
        total += longest(choice, "name") + len(str(choice["value"]))
    return total


def check_option_tree(item: dict[str, Any], where: str) -> None:
    for name in variants(item, "name"):
        assert NAME.match(name) and name == name.lower(), f"{where}: bad name {name!r}"
    for text in variants(item, "description"):
        assert 1 <= len(text) <= 100, f"{where}: description {text!r}"
    options = item.get("options") or []
    assert len(options) <= 25, f"{where}: {len(options)} options"
    leaf = [o for o in options if o["type"] not in (SUB_COMMAND, SUB_COMMAND_GROUP)]
    required = [o.get("required", False) for o in leaf]
    assert required == sorted(required, reverse=True), f"{where}: required options not first"
    choices = item.get("choices") or []
    assert len(choices) <= 25, f"{where}: {len(choices)} choices"
    for choice in choices:
        for name in variants(choice, "name"):
            assert 1 <= len(name) <= 100, f"{where}: choice {name!r}"
    for option in options:
        if option["type"] == STRING and not option.get("choices"):
            assert 1 <= option.get("max_length", 0) <= MAX_TEXT, f"{where}: unbounded text"
        check_option_tree(option, f"{where} {option['name']}")


@pytest.fixture
async def payloads(offline: OfflineDiscord) -> list[dict[str, Any]]:
    tree = offline.bot.tree
    translator = CatalogTranslator()
    return [
        await command.get_translated_payload(tree, translator) for command in tree.get_commands()
    ]


async def test_every_command_payload_is_within_discords_limits(payloads) -> None:
    assert len(payloads) <= 100
    for payload in payloads:
        if payload.get("type") in (USER_MENU, MESSAGE_MENU):  # "Apps" menus: a name only
            assert all(1 <= len(name) <= 32 for name in variants(payload, "name")), payload
            assert not payload.get("options") and not payload.get("description"), payload
            continue
        check_option_tree(payload, f"/{payload['name']}")
        size = command_characters(payload)
        assert size <= SOFT_COMMAND_CHARACTERS, f"/{payload['name']} is {size} characters"


async def test_lookup_commands_work_in_dms_and_payloads_are_localized(payloads) -> None:
    by_name = {p["name"]: p for p in payloads}
    for name in ("gift", "coins", "diamonds", "payout", "help", "about"):
        assert 1 in by_name[name]["contexts"], f"/{name} should work in DMs"
        assert set(by_name[name]["name_localizations"]) >= {"id", "pt-BR"}
        assert set(by_name[name]["description_localizations"]) >= {"id", "pt-BR"}


async def test_bot_loads_every_cog_without_connecting(config) -> None:
    assert not minimal_intents().members and not minimal_intents().message_content
    async with offline_bot(config) as offline:
        bot = offline.bot
        assert not bot.intents.presences
        assert set(bot.extensions) == set(extension_names())
        assert config.database_url is not None or config.database_path.exists()
        assert await bot.storage.verify() == []  # opened and migrated
        assert bot.is_ready() is False
    assert bot.is_closed()
