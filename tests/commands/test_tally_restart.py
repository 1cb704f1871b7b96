"""A restarted bot on the same database file answers /tally exactly as before, and the Undo
buttons of the answers its predecessor sent still work."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from bot.config import BotConfig
from bot.offline import OfflineDiscord
from commands._tally_undo import UndoButton
from economy.limits import UNDO_WINDOW_SECONDS
from economy.storage import as_utc
from tests.support.bots import offline_bot
from tests.support.people import ALICE, BOB, GUILD, MANAGER, MEMBERS
from tests.support.replies import UPDATE_MESSAGE, embed_of, field, only_reply, refusal
from tests.support.server_settings import on_guides


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
        await on_guides(first)  # half diamonds must survive too
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


async def test_the_undo_button_works_after_a_restart_for_its_recorder_only(
    config: BotConfig,
) -> None:
    async with offline_bot(config) as first:
        added = only_reply(
            await first.command(
                "tally add", {"gift": "lion", "member": ALICE}, user=MANAGER, guild=GUILD,
                members=MEMBERS,
            )
        )  # fmt: skip
        message = first.adapter.message(added.message_id)
    [button] = [c for row in message["components"] for c in row["components"]]
    assert button["custom_id"].startswith("p:undo:") and button["label"] == "Undo"

    async with offline_bot(config) as second:
        second.adapter.remember(message)
        stranger = await second.press(
            added.message_id, button["custom_id"], user=ALICE, guild=GUILD
        )
        assert "Only the person who recorded" in refusal(stranger)
        assert (await second.bot.storage.ledger.user_summary(GUILD.id, ALICE.id)).entries_received
        pressed = only_reply(
            await second.press(added.message_id, button["custom_id"], user=MANAGER, guild=GUILD)
        )
        assert pressed.callback_type == UPDATE_MESSAGE
        assert embed_of(pressed)["title"] == "Entry undone"
        assert pressed.components == []  # the button is gone with the entry
        summary = await second.bot.storage.ledger.user_summary(GUILD.id, ALICE.id)
        assert summary.diamonds_received == 0
        second.adapter.remember(message)  # a client still showing the button
        again = await second.press(added.message_id, button["custom_id"], user=MANAGER, guild=GUILD)
        assert "can no longer be undone" in refusal(again)


async def test_the_undo_button_stops_after_fifteen_minutes(offline: OfflineDiscord) -> None:
    old = await offline.bot.storage.ledger.add_entry(
        GUILD.id, ALICE.id, ALICE.id, gift_name="Lion", count=1, coins=29_999,
        diamonds=Decimal("14999.5"), now=as_utc() - timedelta(seconds=UNDO_WINDOW_SECONDS + 5),
    )  # fmt: skip
    fresh = only_reply(
        await offline.command("tally add", {"gift": "rose"}, user=ALICE, guild=GUILD)
    )
    message = offline.adapter.message(fresh.message_id)
    late = UndoButton(old.entry.id, ALICE.id).item.custom_id or ""
    button = {"type": 2, "style": 2, "label": "Undo", "custom_id": late}
    offline.adapter.remember(
        {**message, "id": "1", "components": [{"type": 1, "components": [button]}]}
    )
    assert "can no longer be undone" in refusal(
        await offline.press("1", late, user=ALICE, guild=GUILD)
    )
    assert (await offline.bot.storage.ledger.user_summary(GUILD.id, ALICE.id)).entries_received == 2
