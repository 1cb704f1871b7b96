"""Which shards a process owns: shard specs, even splits, and Discord's recommended count.

Pure functions over plain ints; the one network call (`GET /gateway/bot`) is passed in, so
tests and the supervisor's planning need no connection.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import discord
import discord.http

IDENTIFY_WINDOW_SECONDS = 5.0  # Discord: max_concurrency IDENTIFYs per bucket every 5 seconds
MAX_SHARD_COUNT = 100_000  # far above any bot's need; stops a typo from allocating millions


class ShardSpecError(ValueError):
    """A shard spec, count or split that cannot work; the message says what to type instead."""


def check_shard_count(shard_count: int) -> None:
    """Refuses a shard count that is not a whole number in 1..MAX_SHARD_COUNT."""
    if (
        isinstance(shard_count, bool)
        or not isinstance(shard_count, int)
        or not 1 <= shard_count <= MAX_SHARD_COUNT
    ):
        raise ShardSpecError(
            f"The shard count must be a whole number from 1 to {MAX_SHARD_COUNT}, "
            f"not {shard_count!r}."
        )


def _shard_id(text: str, spec: str, shard_count: int) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ShardSpecError(
            f"{text!r} in shard spec {spec!r} is not a shard number "
            f"(use numbers and ranges like 0-3 or 0,2,5)."
        )
    shard_id = int(text)
    if shard_id >= shard_count:
        raise ShardSpecError(
            f"Shard {shard_id} in {spec!r} does not exist: with {shard_count} shards "
            f"the ids are 0-{shard_count - 1}."
        )
    return shard_id


def parse_shard_spec(spec: str, shard_count: int) -> tuple[int, ...]:
    """The sorted shard ids in `spec`: "7", "0-3", "0,2,5" or a mix ("0-3,8").

    Raises `ShardSpecError` for an empty spec, a non-number, a reversed range, an id not
    below `shard_count`, or an id named twice.
    """
    check_shard_count(shard_count)
    if not spec.strip():
        raise ShardSpecError("The shard spec is empty; give ids like 0-3 or 0,2,5.")
    seen: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            raise ShardSpecError(f"Shard spec {spec!r} has an empty item between commas.")
        low_text, dash, high_text = part.partition("-")
        low = _shard_id(low_text.strip(), spec, shard_count)
        high = _shard_id(high_text.strip(), spec, shard_count) if dash else low
        if high < low:
            raise ShardSpecError(f"Range {part!r} in {spec!r} runs backwards; write {high}-{low}.")
        seen.extend(range(low, high + 1))
    repeated = sorted(i for i, times in Counter(seen).items() if times > 1)
    if repeated:
        named = ", ".join(str(i) for i in repeated)
        raise ShardSpecError(f"Shard spec {spec!r} names shard {named} more than once.")
    return tuple(sorted(seen))


def format_shard_spec(shard_ids: Iterable[int]) -> str:
    """The shortest spec `parse_shard_spec` reads back as `shard_ids`: [0,1,2,3,5] -> "0-3,5"."""
    ids = sorted(set(shard_ids))
    if not ids:
        raise ShardSpecError("No shards to name.")
    parts: list[str] = []
    start = previous = ids[0]
    for shard_id in [*ids[1:], None]:
        if shard_id is not None and shard_id == previous + 1:
            previous = shard_id
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if shard_id is not None:
            start = previous = shard_id
    return ",".join(parts)


def split_shards(shard_count: int, processes: int) -> list[range]:
    """`shard_count` shards in `processes` contiguous ranges, sizes differing by at most one.

    The first `shard_count % processes` ranges get the extra shard: 10 in 3 -> 0-3, 4-6, 7-9.
    """
    check_shard_count(shard_count)
    if isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        raise ShardSpecError(f"The process count must be at least 1, not {processes!r}.")
    if processes > shard_count:
        raise ShardSpecError(
            f"{processes} processes for {shard_count} shards would leave a process with none; "
            f"use at most {shard_count} processes or more shards."
        )
    size, extra = divmod(shard_count, processes)
    ranges: list[range] = []
    start = 0
    for index in range(processes):
        stop = start + size + (1 if index < extra else 0)
        ranges.append(range(start, stop))
        start = stop
    return ranges


def identify_seconds(shards: int, max_concurrency: int = 1) -> float:
    """How long `shards` shards take to IDENTIFY one batch after another within the limit."""
    batches = -(-shards // max(1, max_concurrency))
    return batches * IDENTIFY_WINDOW_SECONDS


def start_delays(ranges: Sequence[range], max_concurrency: int = 1) -> list[float]:
    """Seconds after launch at which each process should start so that processes do not
    IDENTIFY at once: each waits for the shards of the ones before it."""
    delays: list[float] = []
    elapsed = 0.0
    for shards in ranges:
        delays.append(elapsed)
        elapsed += identify_seconds(len(shards), max_concurrency)
    return delays


@dataclass(frozen=True)
class GatewaySharding:
    """What `GET /gateway/bot` says about sharding this bot."""

    shard_count: int  # Discord's recommendation
    max_concurrency: int  # IDENTIFYs allowed per 5 seconds
    sessions_remaining: int  # session starts left before the daily limit resets
    reset_after_seconds: float


GatewayFetch = Callable[[], Awaitable[Mapping[str, Any]]]


def _number(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def sharding_from_payload(payload: Mapping[str, Any]) -> GatewaySharding:
    """Reads a `/gateway/bot` payload: `{"shards": N, "session_start_limit": {...}}`."""
    shard_count = _number(payload.get("shards"), 0)
    if shard_count < 1:
        raise ShardSpecError(
            f"Discord's gateway answer has no usable shard count ({payload.get('shards')!r}); "
            "pass --shard-count."
        )
    limits = payload.get("session_start_limit")
    if not isinstance(limits, Mapping):
        limits = {}
    return GatewaySharding(
        shard_count=shard_count,
        max_concurrency=max(1, _number(limits.get("max_concurrency"), 1)),
        sessions_remaining=_number(limits.get("remaining"), 0),
        reset_after_seconds=_number(limits.get("reset_after"), 0) / 1000,
    )


async def recommended_sharding(fetch: GatewayFetch) -> GatewaySharding:
    """Discord's recommended shard count and identify limits, from `fetch()`'s payload."""
    return sharding_from_payload(await fetch())


def discord_gateway_fetch(token: str) -> GatewayFetch:
    """The real fetch: log in over HTTP (no gateway connection) and ask `GET /gateway/bot`.

    Raises `discord.LoginFailure` for a rejected token, `discord.GatewayNotFound` otherwise.
    """

    async def fetch() -> Mapping[str, Any]:
        http = discord.http.HTTPClient(asyncio.get_running_loop())
        try:
            await http.static_login(token)
            shards, _url, limits = await http.get_bot_gateway()
        finally:
            await http.close()
        return {"shards": shards, "session_start_limit": dict(limits)}

    return fetch


def resolve_shard_count(requested: int | None, sharding: GatewaySharding | None) -> int:
    """The shard count to run: the one asked for, else Discord's recommendation."""
    if requested is not None:
        check_shard_count(requested)
        return requested
    if sharding is None:
        raise ShardSpecError("No shard count given and none fetched from Discord.")
    return sharding.shard_count
