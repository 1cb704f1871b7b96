"""Shard specs typed on the command line, even splits, and Discord's recommended count."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import discord
import discord.http
import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st

from bot.shards import (
    IDENTIFY_WINDOW_SECONDS,
    GatewaySharding,
    ShardSpecError,
    discord_gateway_fetch,
    format_shard_spec,
    parse_shard_spec,
    recommended_sharding,
    resolve_shard_count,
    split_shards,
    start_delays,
)

TOKEN = "MTEx.fake-token-for-shard-tests.abcdef"


@pytest.mark.parametrize(
    ("spec", "count", "ids"),
    [
        ("7", 8, (7,)),
        ("0-3", 4, (0, 1, 2, 3)),
        ("0,2,5", 6, (0, 2, 5)),
        (" 5 , 0-1 ", 6, (0, 1, 5)),
        ("2-2", 3, (2,)),
    ],
)
def test_shard_specs_name_the_shards(spec: str, count: int, ids: tuple[int, ...]) -> None:
    assert parse_shard_spec(spec, count) == ids


@pytest.mark.parametrize(
    ("spec", "count", "says"),
    [
        ("", 4, "empty"),
        ("two", 4, "'two' in shard spec 'two' is not a shard number"),
        ("-1", 4, "is not a shard number"),
        ("3-1", 4, "runs backwards; write 1-3"),
        ("4", 4, "Shard 4 in '4' does not exist: with 4 shards the ids are 0-3"),
        ("0-9", 4, "Shard 9"),
        ("0-3,2", 4, "names shard 2 more than once"),
        ("1,,2", 4, "empty item"),
        ("1-", 4, "is not a shard number"),
        ("٣", 4, "is not a shard number"),  # an Arabic-Indic digit is not an id
        ("0", 0, "shard count must be a whole number from 1"),
        ("0", 10**9, "shard count must be a whole number from 1"),
    ],
)
def test_bad_shard_specs_say_what_is_wrong(spec: str, count: int, says: str) -> None:
    with pytest.raises(ShardSpecError) as refused:
        parse_shard_spec(spec, count)
    assert says in str(refused.value)


@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.sets(st.integers(0, n - 1)))))
def test_a_formatted_spec_reads_back_as_the_same_shards(case: tuple[int, set[int]]) -> None:
    count, ids = case
    if ids:
        spec = format_shard_spec(ids)
        assert parse_shard_spec(spec, count) == tuple(sorted(ids))
        assert len(spec.split(",")) == sum(1 for i in ids if i - 1 not in ids)  # one per run


def test_consecutive_shards_are_written_as_ranges() -> None:
    assert format_shard_spec([5, 0, 1, 2, 3, 7, 8]) == "0-3,5,7-8"


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.just(n), st.integers(1, n))))
def test_a_split_covers_every_shard_once_in_near_equal_ranges(case: tuple[int, int]) -> None:
    count, processes = case
    ranges = split_shards(count, processes)
    assert len(ranges) == processes
    assert [i for shards in ranges for i in shards] == list(range(count))  # contiguous, in order
    sizes = [len(shards) for shards in ranges]
    assert max(sizes) - min(sizes) <= 1 and sizes == sorted(sizes, reverse=True)


def test_ten_shards_in_three_processes() -> None:
    assert [format_shard_spec(r) for r in split_shards(10, 3)] == ["0-3", "4-6", "7-9"]


@pytest.mark.parametrize(
    ("count", "processes", "says"),
    [(4, 5, "use at most 4 processes"), (4, 0, "at least 1"), (0, 1, "shard count")],
)
def test_impossible_splits_are_refused(count: int, processes: int, says: str) -> None:
    with pytest.raises(ShardSpecError) as refused:
        split_shards(count, processes)
    assert says in str(refused.value)


def test_later_processes_wait_for_the_earlier_ones_to_identify() -> None:
    ranges = split_shards(10, 3)  # 4, 3 and 3 shards
    assert start_delays(ranges, max_concurrency=1) == [
        0.0,
        4 * IDENTIFY_WINDOW_SECONDS,
        7 * IDENTIFY_WINDOW_SECONDS,
    ]
    assert start_delays(ranges, max_concurrency=16) == [0.0, IDENTIFY_WINDOW_SECONDS, 10.0]


def gateway_payload(shards: Any = 6, concurrency: Any = 1) -> dict[str, Any]:
    return {
        "url": "wss://gateway.discord.gg",
        "shards": shards,
        "session_start_limit": {
            "total": 1000,
            "remaining": 997,
            "reset_after": 14_400_000,
            "max_concurrency": concurrency,
        },
    }


async def test_the_recommended_count_comes_from_the_gateway_answer() -> None:
    async def fetch() -> Mapping[str, Any]:
        return gateway_payload(shards=6, concurrency=16)

    sharding = await recommended_sharding(fetch)
    assert sharding == GatewaySharding(6, 16, 997, 14_400.0)
    assert resolve_shard_count(None, sharding) == 6
    assert resolve_shard_count(8, sharding) == 8  # asked for wins


@pytest.mark.parametrize("shards", [None, 0, "6", True])
async def test_an_unusable_gateway_answer_asks_for_a_count(shards: Any) -> None:
    async def fetch() -> Mapping[str, Any]:
        return gateway_payload(shards=shards)

    with pytest.raises(ShardSpecError, match="pass --shard-count"):
        await recommended_sharding(fetch)


def discord_json(payload: Mapping[str, Any], status: int = 200) -> web.Response:
    """A reply as Discord sends it (discord.py reads JSON only for exactly this content type)."""
    body = json.dumps(payload).encode()
    return web.Response(body=body, status=status, headers={"Content-Type": "application/json"})


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[list[str]]:
    """Discord's HTTP API on localhost: /users/@me and /gateway/bot; yields the auth headers."""
    seen: list[str] = []

    async def me(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization", ""))
        if request.headers.get("Authorization") != f"Bot {TOKEN}":
            return discord_json({"message": "401: Unauthorized", "code": 0}, 401)
        user = {"id": "1", "username": "bot", "discriminator": "0", "avatar": None, "bot": True}
        return discord_json(user)

    async def gateway(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization", ""))
        return discord_json(gateway_payload(shards=12, concurrency=1))

    app = web.Application()
    app.router.add_get("/api/v10/users/@me", me)
    app.router.add_get("/api/v10/gateway/bot", gateway)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    yield seen
    await runner.cleanup()


async def test_the_real_fetch_logs_in_and_asks_the_gateway(fake_discord: list[str]) -> None:
    sharding = await recommended_sharding(discord_gateway_fetch(TOKEN))
    assert sharding.shard_count == 12 and sharding.max_concurrency == 1
    assert fake_discord == [f"Bot {TOKEN}", f"Bot {TOKEN}"]


async def test_the_real_fetch_reports_a_rejected_token(fake_discord: list[str]) -> None:
    with pytest.raises(discord.LoginFailure):
        await recommended_sharding(discord_gateway_fetch("not-the-token"))
