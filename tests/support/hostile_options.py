"""Option values a Discord client (or a stale or hostile one) could send, for fuzzing every
command through discord.py's real interaction path (tests/commands/test_hardening_fuzz.py):
text that pings, formats, injects or overflows, integers and floats at and past each option's
bounds, people, roles and channels in and out of the test server, and plausible values so the
fuzzing also reaches the success paths."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from hypothesis import strategies as st

from bot.offline import ALL_PERMISSIONS, FakeChannel, FakeRole, ServerLayout
from tests.support.people import A_BOT, ALICE, BOB, GUILD, MANAGER, OUTSIDER

OptionType = discord.AppCommandOptionType
SEEDED_GROUP = "Squad"  # a group the fuzzed server has

SPECIAL_TEXT = [
    "",
    " ",
    "\t\n",
    "@everyone",
    "@here hi",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&223456789012345678>",
    "<#323456789012345678>",
    "**bold** __under__ *it* ~~gone~~",
    "`code` ```block```",
    "||spoiler||",
    "> quote",
    "# Heading",
    "[click](https://example.com)",
    "'; DROP TABLE ledger; --",
    '" OR 1=1 --',
    "Robert'); DROP TABLE tally_groups;--",
    "%s %d {0} {name} {{}}",
    "\x00",
    "\u200b",
    "\u202eevil",
    "\ufeff",
    "Z̸̡̛̤͎̟a̶͔͓̓l̴̢̛̗g̵̱̈́o̸̙̍",
    "🌹" * 40,
    "👨‍👩‍👧‍👦🏳️‍🌈",
    "x" * 101,
    "y" * 6000,
    "NaN",
    "-inf",
    "1e309",
    "-1",
    "0",
    SEEDED_GROUP,
    SEEDED_GROUP.upper(),
    "galaxy",
    "Rose",
    "tiktok",
    "guides",
    "USD",
    "IDR",
    "everyone",
    "true",
]
ZALGO = st.lists(
    st.tuples(
        st.characters(min_codepoint=0x41, max_codepoint=0x7A),
        st.text(st.characters(min_codepoint=0x300, max_codepoint=0x36F), max_size=12),
    ),
    min_size=1,
    max_size=10,
).map(lambda parts: "".join(base + marks for base, marks in parts))
TEXT = st.one_of(
    st.sampled_from(SPECIAL_TEXT),
    st.text(max_size=120),
    ZALGO,
    st.builds(lambda a, b: f"{a}@everyone<@{b}>", st.text(max_size=20), st.integers(0, 10**19)),
)
BIG_INTS = [0, 1, -1, 2**31, 2**53, -(2**53), 2**63 - 1, 10**18, -(10**18)]
HUGE_FLOATS = [0.0, -0.0, 5e-324, 1e-300, 0.004, 0.005, 99.9999, 100.0001, 1e15, 1e18, 1.7e308]


def integers(param: app_commands.Parameter) -> st.SearchStrategy[int]:
    edges = list(BIG_INTS)
    for bound in (param.min_value, param.max_value):
        if bound is not None:
            edges += [int(bound) - 1, int(bound), int(bound) + 1]
    return st.one_of(st.sampled_from(edges), st.integers(-(10**18), 10**18))


def numbers(param: app_commands.Parameter) -> st.SearchStrategy[float]:
    edges = list(HUGE_FLOATS) + [-x for x in HUGE_FLOATS]
    for bound in (param.min_value, param.max_value):
        if bound is not None:
            edges += [float(bound) - 0.01, float(bound), float(bound) + 0.01]
    return st.one_of(
        st.sampled_from(edges),
        st.floats(-1e18, 1e18, allow_nan=False, allow_infinity=False),
        st.floats(allow_nan=False, allow_infinity=False),
    )


PEOPLE = [ALICE, BOB, MANAGER, A_BOT, OUTSIDER]
BOT_ROLE = FakeRole(GUILD.id + 10, "Bot", 5, ALL_PERMISSIONS)
ROLES = [
    FakeRole(GUILD.id + 11, "Top Gifter", 2),  # below the bot's role: can be given
    FakeRole(GUILD.id + 12, "Admins", 9),  # above it
    FakeRole(GUILD.id, "@everyone", 0),
    FakeRole(GUILD.id + 13, "Deleted", 1),  # not in the server
]
CHANNELS = [FakeChannel(GUILD.channel_id), FakeChannel(GUILD.channel_id + 1, "gone")]
LAYOUT = ServerLayout(roles=(BOT_ROLE, *ROLES[:2]), bot_roles=(BOT_ROLE.id,))
SEEDED_GIFT = "Sparkle"
PLAUSIBLE_TEXT = [
    "galaxy",
    "Rose",
    "gal",
    SEEDED_GROUP,
    SEEDED_GROUP,
    "Team 2",
    SEEDED_GIFT,
    "guides",
    "IDR",
]


def plausible(param: app_commands.Parameter) -> st.SearchStrategy[Any]:
    """Values a real user would send, so fuzzing also reaches the success paths."""
    low = param.min_value if param.min_value is not None else 1
    if param.type is OptionType.integer:
        high = param.max_value if param.max_value is not None else 10**6
        return st.integers(int(low), int(min(high, low + 10**6)))
    if param.type is OptionType.number:
        high = param.max_value if param.max_value is not None else 10**6
        return st.floats(float(low), float(min(high, low + 10**6)), allow_nan=False)
    if param.type is OptionType.string:
        if param.choices:
            return st.sampled_from([c.value for c in param.choices])
        return st.sampled_from(PLAUSIBLE_TEXT)
    if param.type is OptionType.role:
        return st.just(ROLES[0])
    if param.type is OptionType.channel:
        return st.just(CHANNELS[0])
    return st.sampled_from(PEOPLE[:3])  # users: members of the server


def option_values(param: app_commands.Parameter) -> st.SearchStrategy[Any]:
    """Values as a Discord client (or a stale or hostile one) could send for the option."""
    if param.type is OptionType.user:
        return st.sampled_from(PEOPLE)
    if param.type is OptionType.role:
        return st.sampled_from(ROLES)
    if param.type is OptionType.channel:
        return st.sampled_from(CHANNELS)
    if param.type is OptionType.integer:
        values = integers(param)
    elif param.type is OptionType.number:
        values = numbers(param)
    elif param.type is OptionType.boolean:
        values = st.booleans()
    elif param.type is OptionType.string:
        values = TEXT
    else:
        raise NotImplementedError(f"fuzzing {param.type} options: add a strategy here")
    if param.choices:  # Discord sends one of them, a stale client may send anything
        values = st.one_of(st.sampled_from([c.value for c in param.choices]), values)
    return st.one_of(plausible(param), values)
