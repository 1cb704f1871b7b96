"""/tally reset, restore and export: archives that can be undone, and the ledger as a file."""

from __future__ import annotations

import asyncio
import csv
import gzip
import io

import bot.views as bot_views
from bot.offline import OfflineDiscord
from tests.support.people import A_BOT, ALICE, BOB, GUILD, MANAGER, OTHER_GUILD
from tests.support.replies import (
    UPDATE_MESSAGE,
    buttons,
    embed_of,
    field,
    only_reply,
    public_embed,
    refusal,
)
from tests.support.tally import ledger, received, tally

# -- reset / restore -------------------------------------------------------------------------


async def seed_alice(offline: OfflineDiscord) -> None:
    storage = offline.bot.storage
    await storage.ledger.add_entry(
        GUILD.id, ALICE.id, ALICE.id, gift_name="Galaxy", count=2, coins=2000, diamonds=1000
    )
    await storage.ledger.add_entry(
        GUILD.id, ALICE.id, BOB.id, gift_name=None, count=1, coins=0, diamonds=7
    )


async def test_reset_needs_confirmation_from_the_caller_then_restore(offline) -> None:
    await seed_alice(offline)
    prompt = only_reply(await tally(offline, "tally reset", {"member": ALICE}, user=MANAGER))
    assert not prompt.ephemeral
    assert embed_of(prompt)["title"] == "Reset Alice's tally?"
    assert "entries: 2, diamonds: 1,007" in embed_of(prompt)["description"]
    assert set(buttons(prompt)) == {"confirm:yes", "confirm:no"}
    assert await received(offline, ALICE) == 1007  # nothing happens before confirming

    stranger = await offline.press(prompt.message_id, "confirm:yes", user=BOB, guild=GUILD)
    assert "belong to whoever ran" in refusal(stranger)
    assert await received(offline, ALICE) == 1007

    done = only_reply(
        await offline.press(prompt.message_id, "confirm:yes", user=MANAGER, guild=GUILD)
    )
    assert done.callback_type == UPDATE_MESSAGE
    assert embed_of(done)["title"] == "Tally reset"
    assert "entries: 2" in embed_of(done)["description"]
    assert done.components == []
    assert await received(offline, ALICE) == 0
    assert all(e.archived is not None for e in await ledger(offline))
    shown = public_embed(await tally(offline, "tally show"))
    assert field(shown, "Diamonds received") == "0"

    restored = public_embed(await tally(offline, "tally restore", {"member": ALICE}, user=MANAGER))
    assert "entries: 2" in restored["description"] and "1,007" in restored["description"]
    assert await received(offline, ALICE) == 1007
    assert "no reset to bring back" in refusal(
        await tally(offline, "tally restore", {"member": ALICE}, user=MANAGER)
    )


async def test_reset_cancel_changes_nothing(offline: OfflineDiscord) -> None:
    await seed_alice(offline)
    prompt = only_reply(await tally(offline, "tally reset", {"member": ALICE}, user=MANAGER))
    cancelled = only_reply(
        await offline.press(prompt.message_id, "confirm:no", user=MANAGER, guild=GUILD)
    )
    assert embed_of(cancelled)["title"] == "Reset cancelled. Nothing changed."
    assert cancelled.components == []
    assert await received(offline, ALICE) == 1007
    assert all(e.archived is None for e in await ledger(offline))


async def test_reset_times_out_to_nothing_changed(offline, monkeypatch) -> None:
    monkeypatch.setattr(bot_views, "CONFIRM_TIMEOUT_SECONDS", 0.05)
    await seed_alice(offline)
    prompt = only_reply(await tally(offline, "tally reset", {"member": ALICE}, user=MANAGER))
    before = len(offline.adapter.requests)
    for _ in range(50):
        await asyncio.sleep(0.02)
        if len(offline.adapter.requests) > before:
            break
    edits = [r for r in offline.adapter.requests[before:] if r.method == "PATCH"]
    assert edits, "the prompt was not edited on timeout"
    assert edits[-1].data["embeds"][0]["title"] == "No answer in time, so nothing changed."
    assert edits[-1].data["components"] == []
    assert prompt.message_id
    assert await received(offline, ALICE) == 1007


async def test_reset_and_restore_need_manage_server(offline: OfflineDiscord) -> None:
    await seed_alice(offline)
    for path in ("tally reset", "tally restore"):
        assert "Manage Server" in refusal(await tally(offline, path, {"member": ALICE}, user=BOB))
    assert "Manage Server" in refusal(await tally(offline, "tally reset", {"member": ALICE}))
    assert await received(offline, ALICE) == 1007
    assert all(e.archived is None for e in await ledger(offline))


async def test_reset_of_nobody_or_a_bot_is_refused(offline: OfflineDiscord) -> None:
    assert "no entries to reset" in refusal(
        await tally(offline, "tally reset", {"member": BOB}, user=MANAGER)
    )
    assert "is a bot" in refusal(
        await tally(offline, "tally reset", {"member": A_BOT}, user=MANAGER)
    )


# -- export ----------------------------------------------------------------------------------


def exported_rows(sent) -> list[dict[str, str]]:
    text = gzip.decompress(sent.files[0][1]).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


async def test_export_sends_the_ledger_as_csv_with_formulas_neutralised(offline) -> None:
    storage = offline.bot.storage
    await storage.ledger.add_entry(
        GUILD.id, ALICE.id, BOB.id, gift_name="Galaxy", count=2, coins=2000, diamonds=1000
    )
    for evil in ('=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)"):
        await storage.ledger.add_entry(
            GUILD.id, BOB.id, ALICE.id, gift_name=evil, count=1, coins=1, diamonds=0
        )
    await storage.ledger.add_entry(
        OTHER_GUILD.id, ALICE.id, ALICE.id, gift_name=None, count=1, coins=0, diamonds=99
    )
    await storage.ledger.undo_last(GUILD.id, ALICE.id)

    replies = await tally(offline, "tally export", user=MANAGER)
    deferred, sent = replies[0], replies[-1]
    assert deferred.callback_type == 5  # "thinking..."
    assert sent.files and sent.files[0][0] == f"tally-{GUILD.id}-part1.csv.gz"
    assert "Entries: 5" in embed_of(sent)["description"]
    rows = exported_rows(sent)
    assert len(rows) == 5
    assert rows[0]["gift"] == "Galaxy" and rows[0]["status"] == "active"
    assert rows[0]["recipient_id"] == str(ALICE.id) and rows[0]["diamonds"] == "1000"
    assert [r["gift"] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+1+2",
        "'-3",
        "'@SUM(A1)",
    ]
    assert [r["status"] for r in rows] == ["active"] * 4 + ["undone"]
    assert all(r["recorded_by"] == str(ALICE.id) for r in rows[1:])
    assert rows[0]["gifter_id"] == "" and rows[0]["recorded_by"] == str(BOB.id)
    assert all(not r["gift"].startswith(("=", "+", "-", "@")) for r in rows)
    assert str(99) not in [r["diamonds"] for r in rows]  # the other server's row is not there


async def test_export_marks_undone_and_archived_rows(offline: OfflineDiscord) -> None:
    await seed_alice(offline)
    await offline.bot.storage.ledger.undo_last(GUILD.id, BOB.id)
    ledger_store = offline.bot.storage.ledger
    preview = await ledger_store.reset_preview(GUILD.id, ALICE.id)
    await ledger_store.archive_member(GUILD.id, ALICE.id, MANAGER.id, preview.up_to_id)
    sent = (await tally(offline, "tally export", user=MANAGER))[-1]
    rows = exported_rows(sent)
    assert [r["status"] for r in rows] == ["archived", "undone"]
    assert rows[0]["archive_id"] != "" and rows[1]["archive_id"] == ""


async def test_export_needs_manage_server(offline: OfflineDiscord) -> None:
    await seed_alice(offline)
    replies = await tally(offline, "tally export", user=BOB)
    assert "Manage Server" in refusal(replies)
    assert not any(r.files for r in replies)
