"""Lifting a person's write budget for tests that write faster than a person may (the bot
allows each member 10 writes per 10 seconds; see bot/ratelimit.py)."""

from __future__ import annotations

from bot.client import GiftBot
from bot.ratelimit import WriteLimiter

UNLIMITED = 10**9


def lift_write_limit(bot: GiftBot) -> None:
    """Give `bot` a write budget no test runs out of."""
    bot.write_limiter = WriteLimiter(burst=UNLIMITED)
