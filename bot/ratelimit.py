"""Per-person limits, so one member can never slow what others use.

* writes: each (server, user) may make 10 writes per 10-second window (discord.py's
  cooldown): a burst of 10 at once, and one a second sustained on average;
* every command (reads included): 30 per 10 seconds, far above what a person types;
* autocomplete: 100 per 10 seconds (one request a keystroke); past it no choices are offered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

BURST = 10
PER_SECONDS = 10.0
COMMAND_BURST = 30
AUTOCOMPLETE_BURST = 100
MAX_TRACKED = 50_000

T = TypeVar("T")


class Limiter:
    """One window per (server, user): `burst` uses every `per` seconds."""

    def __init__(self, burst: int = BURST, per: float = PER_SECONDS) -> None:
        self.burst = burst
        self.per = per
        self._buckets: dict[tuple[int | None, int], app_commands.Cooldown] = {}

    def retry_after(self, guild_id: int | None, user_id: int, now: float | None = None) -> float:
        """0 when the write may go ahead (and spend a token); else seconds to wait."""
        key = (guild_id, user_id)
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_TRACKED:
                self._forget_idle(now or time.time())
            bucket = self._buckets[key] = app_commands.Cooldown(self.burst, self.per)
        return bucket.update_rate_limit(now) or 0.0

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, b in self._buckets.items() if b.get_tokens(now) >= self.burst]
        for key in idle:
            del self._buckets[key]


class WriteLimiter(Limiter):
    """`BURST` writes every `PER_SECONDS`."""


def command_limiter() -> Limiter:
    return Limiter(COMMAND_BURST, PER_SECONDS)


def autocomplete_limiter() -> Limiter:
    return Limiter(AUTOCOMPLETE_BURST, PER_SECONDS)


def over_limit(limiter: Limiter, interaction: discord.Interaction[Any]) -> None:
    """Spend one use; CommandOnCooldown ("try again in N s") past the person's budget."""
    retry = limiter.retry_after(interaction.guild_id, interaction.user.id)
    if retry:
        raise app_commands.CommandOnCooldown(
            app_commands.Cooldown(limiter.burst, limiter.per), retry
        )


def write_limited() -> Callable[[T], T]:
    """An app-command check: refuse with "try again in N s" past the user's write budget."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        over_limit(interaction.client.write_limiter, interaction)
        return True

    return app_commands.check(predicate)
