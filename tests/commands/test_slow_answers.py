"""When the bot is slow to read a server's figures (a cold cache, a busy database), the
deferral that keeps an interaction alive must not change what the user ends up with: a press
keeps the message it was pressed on, a form still opens, a private answer never shows a public
"thinking..." first."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.offline import CapturedRequest, OfflineDiscord
from tests.support.people import BOB, GUILD, MANAGER, MEMBERS

SLOW_S = 2.0  # past the deferral (1.5 s after Discord created the interaction)
DEFERRED_UPDATE, DEFERRED_MESSAGE, MODAL = 6, 5, 9


def slow_down(offline: OfflineDiscord) -> None:
    """From now on every read of a server's profile takes `SLOW_S` (as after a settings
    change, on a busy database)."""
    profiles = offline.bot.profiles
    original = profiles.get

    async def get(guild_id: int | None) -> Any:
        await asyncio.sleep(SLOW_S)
        return await original(guild_id)

    profiles.get = get  # type: ignore[method-assign]


@pytest.fixture
def slow_profiles(offline: OfflineDiscord) -> None:
    slow_down(offline)


def deletes(requests: list[CapturedRequest]) -> list[str]:
    return [r.path for r in requests if r.method == "DELETE"]


async def test_a_slow_press_keeps_the_message_it_was_pressed_on(offline: OfflineDiscord) -> None:
    [answer, *_] = await offline.command("gift value", {"gift": "galaxy"}, user=BOB, guild=GUILD)
    slow_down(offline)
    pressed = await offline.press(answer.message_id, "p:how", user=MANAGER, guild=GUILD)
    assert pressed[0].callback_type == DEFERRED_UPDATE  # "loading" on Bob's message
    assert deletes(pressed) == []  # Bob's answer stays
    [how] = [r for r in pressed if r.callback_type is None]
    assert how.ephemeral and how.embeds[0]["title"]


@pytest.mark.usefixtures("slow_profiles")
async def test_the_record_form_opens_when_reading_the_server_is_slow(
    offline: OfflineDiscord,
) -> None:
    requests = await offline.menu("Record a gift", BOB, user=MANAGER, guild=GUILD, members=MEMBERS)
    assert [r.callback_type for r in requests] == [MODAL]  # the form, not "thinking..."


@pytest.mark.usefixtures("slow_profiles")
@pytest.mark.parametrize("path", ["settings show", "settings history", "help"])
async def test_a_slow_private_answer_never_thinks_in_public(
    offline: OfflineDiscord, path: str
) -> None:
    requests = await offline.command(path, {}, user=MANAGER, guild=GUILD, members=MEMBERS)
    deferral, answer = requests[0], requests[-1]
    assert deferral.callback_type == DEFERRED_MESSAGE and deferral.ephemeral
    assert deletes(requests) == []
    assert answer.callback_type is None and answer.ephemeral
