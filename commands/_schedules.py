"""Week and month schedules as the /tally posts and /tally roles commands name them."""

from __future__ import annotations

import discord
from discord import app_commands

from economy.storage import PeriodKind, as_utc, period_end, period_key

PERIOD_CHOICES = [
    app_commands.Choice(name="Weekly (ends Monday 00:00 UTC)", value="weekly"),
    app_commands.Choice(name="Monthly (ends on the 1st, 00:00 UTC)", value="monthly"),
]
KINDS: dict[str, PeriodKind] = {"weekly": "week", "monthly": "month"}


def next_end(kind: PeriodKind) -> str:
    """When the period in progress ends, as Discord shows a time to each reader."""
    ends = period_end(period_key(kind, as_utc()))
    return discord.utils.format_dt(ends, "F")
