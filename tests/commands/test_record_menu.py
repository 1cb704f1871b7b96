"""Right-click a member, "Record a gift": a form that records like /tally add, refusing bad
input privately and changing nothing."""

from __future__ import annotations

from bot.offline import OfflineDiscord
from tests.support.people import A_BOT, ALICE, BOB, GUILD, MANAGER, MEMBERS
from tests.support.replies import buttons, embed_of, field, only_reply, public_embed, refusal
from tests.support.tally import ledger

MODAL = 9


async def open_form(offline: OfflineDiscord, target=BOB, user=MANAGER):
    return await offline.menu("Record a gift", target, user=user, guild=GUILD, members=MEMBERS)


async def test_the_form_records_like_tally_add(offline: OfflineDiscord) -> None:
    form = only_reply(await open_form(offline))
    assert form.callback_type == MODAL
    assert form.data["title"] == "Record a gift for Bob"
    sent = await offline.submit(
        form, {"gift": "galaxy", "count": "1.000", "tiktok": "@Rosie_Fan"},
        user=MANAGER, guild=GUILD,
    )  # fmt: skip
    embed = public_embed(sent)
    assert "**Galaxy** × 1,000" in embed["description"] and f"<@{BOB.id}>" in embed["description"]
    assert "**@Rosie\\_Fan** (TikTok)" in embed["description"]
    assert field(embed, "Diamonds added") == "+1,000,000"
    assert any(b.startswith("p:undo:") for b in buttons(only_reply(sent)))
    [entry] = await ledger(offline)
    assert (entry.recipient_id, entry.recorder_id, entry.count) == (BOB.id, MANAGER.id, 1000)
    assert entry.gifter is not None and entry.gifter.name == "@Rosie_Fan"


async def test_bad_input_is_refused_privately_and_nothing_is_written(
    offline: OfflineDiscord,
) -> None:
    form = only_reply(await open_form(offline))
    for values, said in (
        ({"gift": "qqqzzz", "count": "1"}, "Did you mean"),
        ({"gift": "rose", "count": "two"}, "between 1 and 1,000,000"),
        ({"gift": "rose", "count": "0"}, "between 1 and 1,000,000"),
        ({"gift": "rose", "count": "1", "tiktok": "@"}, "Names are 1 to 32 characters"),
    ):
        assert said in refusal(await offline.submit(form, values, user=MANAGER, guild=GUILD))
    assert await ledger(offline) == []


async def test_the_menu_refuses_before_the_form_what_it_could_never_record(
    offline: OfflineDiscord,
) -> None:
    assert "Manage Server" in refusal(await open_form(offline, target=BOB, user=ALICE))
    assert "is a bot" in refusal(await open_form(offline, target=A_BOT))
    own = only_reply(await open_form(offline, target=ALICE, user=ALICE))  # your own: fine
    assert own.callback_type == MODAL
    done = await offline.submit(own, {"gift": "rose", "count": "3"}, user=ALICE, guild=GUILD)
    assert "**Rose** × 3" in embed_of(only_reply(done))["description"]


async def test_the_form_says_which_gift_a_typo_was_taken_for(offline: OfflineDiscord) -> None:
    form = only_reply(await open_form(offline))
    sent = await offline.submit(form, {"gift": "galxy", "count": "1"}, user=MANAGER, guild=GUILD)
    embed = public_embed(sent)
    assert "No gift is called “galxy”; the closest match is **Galaxy**." in embed["description"]
    [entry] = await ledger(offline)
    assert entry.gift_name == "Galaxy"
