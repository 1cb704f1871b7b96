"""Presses and commands that arrive together: caps hold inside the write, and the second of
two presses is answered ("already done") instead of failing or acting twice."""

from __future__ import annotations

import asyncio

import pytest

from bot.offline import OfflineDiscord
from economy.limits import MAX_CUSTOM_GIFTS
from tests.support.people import ALICE, GUILD, MANAGER, MEMBERS
from tests.support.replies import embed_of, only_reply


@pytest.mark.usefixtures("unlimited")
async def test_concurrent_gift_adds_at_the_cap_store_exactly_the_cap(offline) -> None:
    settings = offline.bot.storage.guild_settings
    for i in range(MAX_CUSTOM_GIFTS - 1):
        await settings.add_custom_gift(GUILD.id, f"Gift {i}", 10 + i, MANAGER.id)
    offline.bot.profiles.forget(GUILD.id)

    answers = await asyncio.gather(
        *(
            offline.command(
                "settings gift-add", {"name": f"Late {i}", "coins": 5}, user=MANAGER, guild=GUILD
            )
            for i in range(10)
        )
    )
    added = [a for a in answers if not only_reply(a).ephemeral]
    refused = [only_reply(a).content or "" for a in answers if only_reply(a).ephemeral]
    assert len(added) == 1 and len(refused) == 9
    assert all(f"{MAX_CUSTOM_GIFTS}" in text for text in refused), refused[0]
    assert len(await settings.list_custom_gifts(GUILD.id)) == MAX_CUSTOM_GIFTS


async def test_two_presses_of_confirm_reset_once_and_answer_both(
    offline: OfflineDiscord,
) -> None:
    ledger = offline.bot.storage.ledger
    for count in (1, 2, 3):
        await ledger.add_entry(
            GUILD.id, ALICE.id, MANAGER.id, gift_name="Rose", count=count, coins=count,
            diamonds=count,
        )  # fmt: skip
    prompt = only_reply(
        await offline.command(
            "tally reset", {"member": ALICE}, user=MANAGER, guild=GUILD, members=MEMBERS
        )
    )
    first, second = await asyncio.gather(
        offline.press(prompt.message_id, "confirm:yes", user=MANAGER, guild=GUILD),
        offline.press(prompt.message_id, "confirm:yes", user=MANAGER, guild=GUILD),
    )
    answers = [only_reply(first), only_reply(second)]
    done = [a for a in answers if not a.ephemeral]
    again = [a for a in answers if a.ephemeral]
    assert len(done) == 1 and embed_of(done[0])["title"] == "Tally reset"
    assert len(again) == 1 and "already" in (again[0].content or "").lower()
    assert await ledger.restore_member(GUILD.id, ALICE.id) == (3, 6)  # one reset, 3 entries
