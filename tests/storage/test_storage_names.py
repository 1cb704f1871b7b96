"""The names (and avatars) Discord showed at each write: what leaderboards and cards show for
people the bot has no member list of, on every backend."""

from __future__ import annotations

from economy.storage import Seen, Storage

G1, G2 = 111, 222
ALICE, BOB = 1, 2
AVATAR = "https://cdn.discordapp.com/avatars/1/a1b2c3.png"


async def record(storage: Storage, *seen: Seen, guild: int = G1) -> None:
    await storage.ledger.add_entry(
        guild, ALICE, BOB, gift_name="Rose", count=1, coins=1, diamonds=1, seen=seen
    )


async def test_the_latest_name_and_avatar_are_the_ones_shown(storage: Storage) -> None:
    await record(storage, Seen(ALICE, "Alice"), Seen(BOB, "Bob"))
    await record(storage, Seen(ALICE, "Alice"), Seen(BOB, "Bob"))  # the same again
    assert await storage.ledger.names(G1, [ALICE, BOB]) == {
        ALICE: Seen(ALICE, "Alice"), BOB: Seen(BOB, "Bob"),
    }  # fmt: skip
    await record(storage, Seen(ALICE, "Alicia", AVATAR))
    await record(storage, Seen(BOB, "Bob", AVATAR), guild=G2)  # another server's
    assert await storage.ledger.names(G1, [ALICE, BOB]) == {
        ALICE: Seen(ALICE, "Alicia", AVATAR), BOB: Seen(BOB, "Bob"),
    }  # fmt: skip
    await record(storage, Seen(ALICE, "Alicia"))  # the avatar removed
    assert (await storage.ledger.names(G1, [ALICE]))[ALICE] == Seen(ALICE, "Alicia")
    board = await storage.ledger.leaderboard(G1, "received", "all")
    assert [(row.user_id, row.name) for row in board] == [(ALICE, "Alicia")]
