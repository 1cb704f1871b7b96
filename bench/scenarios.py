"""The interactions the benchmark times, built as Discord would send them."""

from __future__ import annotations

import random
from typing import Any

from bench.bulk import MEMBER_BASE
from bench.harness import BENCH_GUILD
from bot.offline import ALL_PERMISSIONS, MEMBER_PERMISSIONS, FakeGuild, FakeUser, OfflineDiscord
from economy.catalog import default_catalog

Payload = dict[str, Any]

ASKER = FakeUser(1_600_000_000_000_000_001, "asker")
GARBAGE = [
    "",
    " ",
    "zzzzqqqxxx",
    "'; DROP TABLE ledger; --",
    "@everyone <@123> <@&456>",
    "**bold** __under__ `code` ||spoiler||",
    "Z̸̡̛̤͎̟a̶͔͓̓l̴̢̛̗g̵̱̈́o̸̙̍",
    "💎🌹🦁" * 10,
    "x" * 100,
    "\u200b\u200d\u202e",
    "ガラクシー",
    "0123456789" * 10,
]


def has_command(driver: OfflineDiscord, path: str) -> bool:
    try:
        driver.find_command(path)
    except LookupError:
        return False
    return True


def member(index: int, *, manager: bool = False) -> FakeUser:
    """The bulk loader's member `index` (so reads hit people with real tallies)."""
    permissions = ALL_PERMISSIONS if manager else MEMBER_PERMISSIONS
    return FakeUser(MEMBER_BASE + index, f"member{index}", permissions=permissions)


def gift_value_payloads(driver: OfflineDiscord, n: int, seed: int = 1) -> list[Payload]:
    """`/gift value` over the whole catalog, counts 1..1000, both stores."""
    rng = random.Random(seed)
    gifts = list(default_catalog())
    payloads = []
    for i in range(n):
        options: dict[str, Any] = {"gift": gifts[i % len(gifts)].name}
        if rng.random() < 0.7:
            options["count"] = rng.randint(1, 1000)
        if rng.random() < 0.3:
            options["store"] = "web"
        payloads.append(
            driver.command_payload("gift value", options, user=ASKER, guild=BENCH_GUILD)
        )
    return payloads


def typo(name: str, rng: random.Random) -> str:
    """Drop, double or swap one character of a name."""
    if len(name) < 3:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return name[:i] + name[i + 1 :]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]


def autocomplete_inputs(seed: int = 2) -> list[str]:
    """For every gift: 1- and 3-letter prefixes, the full name, a typo; plus garbage."""
    rng = random.Random(seed)
    typed: list[str] = []
    for gift in default_catalog():
        name = gift.name.lower()
        typed += [name[:1], name[:3], name, typo(name, rng)]
    for _ in range(4):
        typed += GARBAGE
    typed += [
        "".join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(rng.randrange(1, 100)))
        for _ in range(50)
    ]
    rng.shuffle(typed)
    return typed


def autocomplete_payloads(driver: OfflineDiscord, inputs: list[str]) -> list[Payload]:
    return [
        driver.command_payload(
            "gift value", {"gift": typed}, user=ASKER, guild=BENCH_GUILD, focused="gift"
        )
        for typed in inputs
    ]


def tally_add_payloads(
    driver: OfflineDiscord, n: int, senders: int, seed: int = 3, guild: FakeGuild = BENCH_GUILD
) -> list[Payload]:
    """`/tally add` from `senders` distinct members, each recording gifts for themselves."""
    rng = random.Random(seed)
    gifts = default_catalog().listing(sort="coins")[:60]
    payloads = []
    for i in range(n):
        options: dict[str, Any] = {"gift": gifts[rng.randrange(len(gifts))].name}
        if rng.random() < 0.5:
            options["count"] = rng.randint(1, 20)
        sender = member(50_000 + i % senders)
        payloads.append(driver.command_payload("tally add", options, user=sender, guild=guild))
    return payloads


def tally_read_payloads(
    driver: OfflineDiscord, n: int, members: int, seed: int = 4
) -> dict[str, list[dict[str, Any]]]:
    """`/tally leaderboard` (every by x period) and `/tally show` of busy and quiet members, as
    text (`style: text`): these time the reads; drawing the cards is timed in `bench.cards`."""
    rng = random.Random(seed)
    boards, shows = [], []
    for i in range(n):
        asker = member(rng.randrange(members))
        options = {
            "by": ("received", "gifted")[i % 2],
            "period": ("all", "month", "week")[i % 3],
            "style": "text",
        }
        boards.append(
            driver.command_payload("tally leaderboard", options, user=asker, guild=BENCH_GUILD)
        )
        who = member(int(members * rng.random() ** 2))  # mostly the busy ones
        shows.append(
            driver.command_payload(
                "tally show",
                {"member": who, "style": "text"},
                user=asker,
                guild=BENCH_GUILD,
                members={who.id: who},
            )
        )
    return {"leaderboard": boards, "show": shows}
