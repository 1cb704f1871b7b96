"""The per-person limits: 10 quick writes, then "try again in N s", then writes again;
a generous budget for every command and for autocomplete.

Driven through discord.py's real interaction path with a clock the test moves, plus the
limiter on its own and a throwaway cog (any command marked `@write_limited()` is covered).
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import discord
import pytest
from discord import app_commands
from discord.ext import commands

import bot.ratelimit as ratelimit
from bot.offline import OfflineDiscord
from bot.ratelimit import (
    AUTOCOMPLETE_BURST,
    BURST,
    COMMAND_BURST,
    PER_SECONDS,
    WriteLimiter,
    write_limited,
)
from tests.support.people import ALICE, BOB, GUILD, MEMBERS, OTHER_GUILD
from tests.support.replies import CHANNEL_MESSAGE, only_reply, refusal

START = 1_800_000_000.0
WAIT = re.compile(r"Try again in (\d+) s")


class Clock:
    """Stands in for time.time() where the cooldowns read it."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(app_commands.checks, "time", SimpleNamespace(time=fake.time))
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=fake.time))
    return fake


async def add(offline: OfflineDiscord, user=ALICE, guild=GUILD, gift: str = "rose"):
    return await offline.command(
        "tally add", {"gift": gift}, user=user, guild=guild, members=MEMBERS
    )


def accepted(replies) -> None:
    reply = only_reply(replies)
    assert reply.callback_type == CHANNEL_MESSAGE and not reply.ephemeral, reply.text()


def wait_seconds(replies) -> int:
    message = refusal(replies)
    match = WAIT.search(message)
    assert match, message
    return int(match.group(1))


async def ledger_rows(offline: OfflineDiscord, guild=GUILD) -> int:
    return len([e async for e in offline.bot.storage.ledger.export_rows(guild.id)])


async def test_ten_quick_writes_then_wait_then_write_again(
    offline: OfflineDiscord, clock: Clock
) -> None:
    for _ in range(BURST):
        accepted(await add(offline))
        clock.now += 0.1
    assert wait_seconds(await add(offline)) == 9  # the window opened 1.0 s ago
    clock.now += 4
    for _ in range(20):  # hammering does not extend the wait
        assert wait_seconds(await add(offline)) == 5
    assert await ledger_rows(offline) == BURST  # refused writes wrote nothing

    clock.now += 5.1
    for _ in range(BURST):
        accepted(await add(offline))
    assert wait_seconds(await add(offline)) == 10
    assert await ledger_rows(offline) == 2 * BURST


async def test_one_budget_across_every_write_command(offline: OfflineDiscord, clock) -> None:
    writes = [
        ("tally add", {"gift": "rose"}),
        ("tally add-diamonds", {"amount": 5}),
        ("tally undo", {}),
        ("group create", {"name": "Alpha"}),
        ("group join", {"name": "Alpha"}),  # the creator is not in it yet: refused, still spent
    ]
    for i in range(BURST):
        path, options = writes[i % len(writes)]
        replies = await offline.command(path, options, user=ALICE, guild=GUILD)
        assert not WAIT.search(only_reply(replies).text())
    for path, options in writes:
        replies = await offline.command(path, options, user=ALICE, guild=GUILD)
        assert wait_seconds(replies) == PER_SECONDS


async def test_reads_do_not_spend_the_write_budget(offline: OfflineDiscord, clock: Clock) -> None:
    for _ in range(BURST):
        accepted(await add(offline))
    assert wait_seconds(await add(offline))
    for path, options in [
        ("tally show", {}),
        ("tally leaderboard", {}),
        ("tally history", {}),
        ("gift value", {"gift": "rose"}),
    ]:
        for _ in range(3):
            accepted(await offline.command(path, options, user=ALICE, guild=GUILD))


async def test_refused_manager_commands_spend_no_write_budget(
    offline: OfflineDiscord, clock: Clock
) -> None:
    for _ in range(BURST + 2):  # a member trying a manager's write again and again
        replies = await offline.command(
            "tally reset", {"member": BOB}, user=ALICE, guild=GUILD, members=MEMBERS
        )
        assert "Manage Server" in refusal(replies)
    for _ in range(BURST):
        accepted(await add(offline))  # the whole budget is still there


async def test_reads_have_a_generous_budget_of_their_own(offline, clock: Clock) -> None:
    reads = [("tally show", {}), ("gift value", {"gift": "rose"}), ("tally leaderboard", {})]
    for i in range(COMMAND_BURST):
        path, options = reads[i % len(reads)]
        accepted(await offline.command(path, options, user=ALICE, guild=GUILD))
        clock.now += 0.1
    refused = await offline.command("tally show", {}, user=ALICE, guild=GUILD)
    assert wait_seconds(refused) == 7  # the window opened 3.0 s ago
    accepted(await offline.command("tally show", {}, user=BOB, guild=GUILD))  # others go on
    clock.now += 7.1
    accepted(await offline.command("tally show", {}, user=ALICE, guild=GUILD))


async def test_autocomplete_past_its_budget_offers_nothing(offline, clock: Clock) -> None:
    for _ in range(AUTOCOMPLETE_BURST):
        assert await offline.autocomplete("gift value", "gift", "ros", user=ALICE, guild=GUILD)
    assert await offline.autocomplete("gift value", "gift", "ros", user=ALICE, guild=GUILD) == []
    assert await offline.autocomplete("gift value", "gift", "ros", user=BOB, guild=GUILD)
    clock.now += PER_SECONDS + 0.01
    assert await offline.autocomplete("gift value", "gift", "ros", user=ALICE, guild=GUILD)


async def test_budgets_are_per_user_and_per_server(offline: OfflineDiscord, clock) -> None:
    for _ in range(BURST):
        accepted(await add(offline))
    assert wait_seconds(await add(offline))
    accepted(await add(offline, user=BOB))
    accepted(await add(offline, guild=OTHER_GUILD))
    assert await ledger_rows(offline) == BURST + 1
    assert await ledger_rows(offline, OTHER_GUILD) == 1


# -- the limiter itself ----------------------------------------------------------------------


def test_limiter_bursts_then_refills_after_its_window() -> None:
    limiter = WriteLimiter(burst=3, per=10)
    assert [limiter.retry_after(1, 7, now=START + i) for i in range(3)] == [0, 0, 0]
    assert limiter.retry_after(1, 7, now=START + 3) == pytest.approx(7)
    assert limiter.retry_after(1, 7, now=START + 9) == pytest.approx(1)
    assert limiter.retry_after(2, 7, now=START + 9) == 0  # another server
    assert limiter.retry_after(None, 7, now=START + 9) == 0  # a DM
    assert limiter.retry_after(1, 7, now=START + 10.5) == 0


def test_limiter_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "MAX_TRACKED", 100)
    limiter = WriteLimiter(burst=2, per=10)
    for user in range(100):
        limiter.retry_after(1, user, now=START)
    limiter.retry_after(1, 0, now=START + 1)
    limiter.retry_after(1, 0, now=START + 2)  # user 0 is now out of budget
    limiter.retry_after(1, 10_000, now=START + 60)  # full: idle users are forgotten
    assert len(limiter._buckets) <= 2
    assert limiter.retry_after(1, 0, now=START + 60) == 0


# -- any cog ---------------------------------------------------------------------------------


class Probe(commands.Cog):
    """A stand-in for a future cog with a write command."""

    def __init__(self) -> None:
        self.writes = 0

    @app_commands.command(name="probe-write", description="Test-only write")
    @write_limited()
    async def probe_write(self, interaction: discord.Interaction) -> None:
        self.writes += 1
        await interaction.response.send_message("written")


async def test_any_cog_marked_write_limited_is_limited(offline: OfflineDiscord, clock) -> None:
    probe = Probe()
    await offline.bot.add_cog(probe)
    for _ in range(BURST):
        assert only_reply(await offline.command("probe-write", user=ALICE)).content == "written"
    assert wait_seconds(await offline.command("probe-write", user=ALICE)) == PER_SECONDS
    assert probe.writes == BURST
    clock.now += PER_SECONDS + 0.01
    assert only_reply(await offline.command("probe-write", user=ALICE)).content == "written"
