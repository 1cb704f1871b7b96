"""Pictures in answers: /tally leaderboard, /tally show and /group show attach a card (names
kept at write time, avatars from Discord's CDN, bars) beside the text answer, which stays
for screen readers; `style: text` leaves the picture out."""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import commands._tally_cards as tally_cards
from bot.cards import CardWorkerError
from bot.cards.parts import WIDTH
from bot.offline import OfflineDiscord
from economy.storage import GoalTarget, as_utc
from tests.support.cards import MAX_PNG_BYTES
from tests.support.community import (
    avatar_address,
    hostile_people,
    people,
    picture_of,
    seed,
    serve_avatars,
)
from tests.support.people import ALICE, BOB, GUILD, MANAGER, MEMBERS
from tests.support.replies import UPDATE_MESSAGE, embed_of, field, only_reply, public_embed


async def board(offline: OfflineDiscord, user=ALICE, **options):
    return only_reply(await offline.command("tally leaderboard", options, user=user, guild=GUILD))


@pytest.mark.parametrize("count", [1, 10, 25])
async def test_the_leaderboard_answers_with_a_card_and_its_text(
    offline: OfflineDiscord, count: int
) -> None:
    users = people(count)
    await seed(offline, users)
    reply = await board(offline, user=users[0])
    embed = embed_of(reply)
    assert embed["title"] == "Top receivers · all time"
    assert len(embed["description"].splitlines()) == min(count, 10)  # the text is all there
    card = picture_of(reply)
    assert card.name == "leaderboard.png" and card.width == WIDTH
    assert 150 < card.height < 2400 and len(card.data) < MAX_PNG_BYTES
    assert reply.allowed_mentions == {"parse": []}


async def test_more_people_make_a_taller_card(offline: OfflineDiscord) -> None:
    users = people(10)
    await seed(offline, users[:2])
    short = picture_of(await board(offline, user=users[0]))
    await seed(offline, users[2:])
    tall = picture_of(await board(offline, user=users[0]))
    assert tall.height > short.height


async def test_a_reader_off_the_board_sees_their_own_row_pinned(offline: OfflineDiscord) -> None:
    users = people(12)
    await seed(offline, users)
    on_board = picture_of(await board(offline, user=users[0]))
    pinned = picture_of(await board(offline, user=users[11]))  # 12th: under the top 10
    assert pinned.height > on_board.height


async def test_text_only_leaves_the_picture_out(offline: OfflineDiscord) -> None:
    await seed(offline, people(3))
    reply = await board(offline, style="text")
    assert reply.files == [] and "image" not in embed_of(reply)
    assert len(embed_of(reply)["description"].splitlines()) == 3


async def test_hostile_names_render_on_both_boards(offline: OfflineDiscord) -> None:
    users = hostile_people()[:-1]  # Discord cannot send a lone surrogate
    await seed(offline, users, fans=tuple(u.name for u in users))
    for by in ("received", "gifted"):
        reply = await board(offline, user=users[0], by=by)
        card = picture_of(reply)
        assert card.width == WIDTH and len(card.data) < MAX_PNG_BYTES
        assert "*" not in embed_of(reply)["title"]


async def test_avatars_come_from_the_cdn_at_a_small_size(offline: OfflineDiscord) -> None:
    users = people(4)  # 0 and 2 have custom avatars, 1 and 3 Discord's default
    await seed(offline, users)
    without = picture_of(await board(offline, user=ALICE))
    asked = sorted(offline.rest.cdn_requests)
    assert asked == sorted(
        (avatar_address(u) or "").replace("size=1024", "size=128") for u in users[::2]
    )
    serve_avatars(offline, users)
    offline.bot.avatars._known.clear()  # a new day: the pictures are there now
    with_pictures = picture_of(await board(offline, user=ALICE))
    assert with_pictures.data != without.data
    picture_of(await board(offline, user=ALICE))
    assert len(offline.rest.cdn_requests) == 4  # fetched once, then remembered


async def test_a_card_that_cannot_be_drawn_leaves_the_text_answer(
    offline: OfflineDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(card: object) -> bytes:
        raise CardWorkerError("the card worker process died twice")

    monkeypatch.setattr(tally_cards, "render_leaderboard_async", broken)
    await seed(offline, people(2))
    reply = await board(offline)
    assert reply.files == [] and "image" not in embed_of(reply)
    assert len(embed_of(reply)["description"].splitlines()) == 2


async def test_show_is_a_personal_card_with_the_goal(offline: OfflineDiscord) -> None:
    await offline.bot.storage.ledger.add_entry(
        GUILD.id, ALICE.id, BOB.id, gift_name="Galaxy", count=30, coins=30_000, diamonds=15_000
    )
    reply = only_reply(
        await offline.command(
            "tally show", {"member": ALICE}, user=BOB, guild=GUILD, members=MEMBERS
        )
    )
    card = picture_of(reply)
    assert card.name == "tally.png" and card.width == WIDTH
    assert field(embed_of(reply), "Diamonds received") == "15,000"
    text_only = only_reply(
        await offline.command("tally show", {"style": "text"}, user=ALICE, guild=GUILD)
    )
    assert text_only.files == []


async def test_group_show_card_stays_while_the_text_pages(offline: OfflineDiscord) -> None:
    users = people(25)
    await seed(offline, users)
    group = await offline.bot.storage.groups.create_group(GUILD.id, "Crew", MANAGER.id)
    for user in users:
        await offline.bot.storage.groups.add_member(GUILD.id, group.name, user.id)
    reply = only_reply(
        await offline.command("group show", {"name": "crew"}, user=MANAGER, guild=GUILD)
    )
    card = picture_of(reply)
    assert card.name == "group.png" and card.width == WIDTH
    assert field(embed_of(reply), "Members") == "25"
    page2 = only_reply(
        await offline.press(reply.message_id, "pager:next", user=MANAGER, guild=GUILD)
    )
    assert page2.callback_type == UPDATE_MESSAGE and page2.files == []  # the file stays
    assert embed_of(page2)["image"]["url"] == "attachment://group.png"


async def test_public_answers_keep_their_house_style(offline: OfflineDiscord) -> None:
    await seed(offline, people(2))
    embed = public_embed(await offline.command("tally leaderboard", {}, user=ALICE, guild=GUILD))
    assert embed["image"]["url"] == "attachment://leaderboard.png"


@pytest.mark.sqlite_only  # one writer of docs/images under `make screenshots` (xdist)
async def test_screenshots_for_the_readme(offline: OfflineDiscord, tmp_path: Path) -> None:
    """`make screenshots` runs this with SCREENSHOTS=docs/images: the README's pictures are
    the cards these tests draw."""
    folder = Path(os.environ.get("SCREENSHOTS") or tmp_path)
    os.makedirs(folder, exist_ok=True)
    users = people(10)
    serve_avatars(offline, users)
    await seed(offline, users)
    storage = offline.bot.storage
    group = await storage.groups.create_group(GUILD.id, "Night Shift", MANAGER.id)
    for user in users[:6]:
        await storage.groups.add_member(GUILD.id, group.name, user.id)
    due = as_utc().date() + timedelta(days=24)
    await storage.community.set_goal(
        GUILD.id, GoalTarget.member(users[1].id), Decimal(10_000), None, due, users[1].id
    )
    await storage.community.set_goal(
        GUILD.id, GoalTarget.group(group.id), Decimal(100), "USD", None, MANAGER.id
    )
    await seed(offline, users[:6])  # after the goals were set: progress towards them
    shots = {
        "leaderboard.png": ("tally leaderboard", {"period": "week"}, users[4]),
        "gifters.png": ("tally leaderboard", {"by": "gifted"}, users[4]),
        "tally-show.png": ("tally show", {}, users[1]),
        "group-show.png": ("group show", {"name": "night shift"}, users[0]),
    }
    for name, (path, options, user) in shots.items():
        reply = only_reply(await offline.command(path, options, user=user, guild=GUILD))
        written = folder / name
        written.write_bytes(picture_of(reply).data)
    replies = await offline.command("gift value", {"gift": "galaxy"}, user=ALICE, guild=GUILD)
    [flow] = [r for r in replies if r.method == "PATCH"]  # added after the text answer
    (folder / "money-flow.png").write_bytes(picture_of(flow).data)  # a PNG, or it fails here
