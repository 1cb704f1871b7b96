"""The servers and people the tests play, with ids and permissions shaped as Discord sends them."""

from __future__ import annotations

from bot.offline import ALL_PERMISSIONS, FakeGuild, FakeUser

GUILD = FakeGuild(id=900_000_000_000_000_001)
OTHER_GUILD = FakeGuild(id=900_000_000_000_000_002)
ALICE = FakeUser(800_000_000_000_000_001, "alice")
BOB = FakeUser(800_000_000_000_000_002, "bob")
MANAGER = FakeUser(800_000_000_000_000_003, "manager", permissions=ALL_PERMISSIONS)
OUTSIDER = FakeUser(800_000_000_000_000_004, "outsider")
A_BOT = FakeUser(800_000_000_000_000_005, "somebot", bot=True)
MEMBERS = {u.id: u for u in (ALICE, BOB, MANAGER, A_BOT)}
