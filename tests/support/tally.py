"""Reading a bot's tally in tests: its ledger, a member's total, a /tally command as a
member of the test server."""

from __future__ import annotations

from decimal import Decimal

from bot.offline import CapturedRequest, FakeUser, OfflineDiscord
from economy.storage import Entry
from tests.support.people import ALICE, GUILD, MEMBERS


async def ledger(offline: OfflineDiscord, guild=GUILD) -> list[Entry]:
    return [e async for e in offline.bot.storage.ledger.export_rows(guild.id)]


async def received(offline: OfflineDiscord, user: FakeUser, guild=GUILD) -> Decimal:
    summary = await offline.bot.storage.ledger.user_summary(guild.id, user.id)
    return summary.diamonds_received


async def tally(
    offline: OfflineDiscord, path: str, options=None, *, user=ALICE, guild=GUILD
) -> list[CapturedRequest]:
    return await offline.command(path, options or {}, user=user, guild=guild, members=MEMBERS)
