"""A server's tallies as the community tests (and the README's screenshots) see them: people
with names and avatars as Discord shows them, gifts they received and gave, readers of the
pictures the bot answers with, and the week ends at which the bot posts and moves roles."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import discord
from PIL import Image

from bot.cards.samples import HOSTILE_NAMES, REAL_NAMES, avatar_png
from bot.offline import (
    CapturedRequest,
    FakeChannel,
    FakeRole,
    FakeUser,
    OfflineDiscord,
    ServerLayout,
)
from economy.storage import Gifter, Seen, as_utc, period_end, period_key, period_start
from tests.support.people import GUILD, MANAGER

BASE_ID = 820_000_000_000_000_000
CDN = "https://cdn.discordapp.com"
FANS = ("@luna.fans", "@rafa_br", "@dewi.id", "@joao_live", "@putri22")
SEND_ONLY = discord.Permissions(
    view_channel=True, send_messages=True, embed_links=True, attach_files=True
).value
MANAGE_ROLES = discord.Permissions(manage_roles=True).value
NO_FILES = discord.Permissions(attach_files=True).value


def person(index: int, name: str, *, avatar: bool = True) -> FakeUser:
    """Someone in the server; every other one has a custom avatar."""
    return FakeUser(BASE_ID + index, name, avatar=f"a{index:04x}" if avatar else None)


def avatar_address(user: FakeUser) -> str | None:
    """The address Discord gives for the user's avatar (None: Discord's default picture)."""
    if user.avatar is None:
        return None
    return f"{CDN}/avatars/{user.id}/{user.avatar}.png?size=1024"


def people(count: int, names: tuple[str, ...] = REAL_NAMES) -> list[FakeUser]:
    return [person(i, names[i % len(names)], avatar=i % 2 == 0) for i in range(count)]


def hostile_people() -> list[FakeUser]:
    return [person(100 + i, name) for i, name in enumerate(HOSTILE_NAMES.values())]


def serve_avatars(offline: OfflineDiscord, users: list[FakeUser]) -> None:
    """The CDN answers with a picture for each custom avatar."""
    for i, user in enumerate(users):
        if user.avatar is not None:
            offline.rest.avatars[f"/avatars/{user.id}/"] = avatar_png(i)


async def seed(
    offline: OfflineDiscord,
    users: list[FakeUser],
    *,
    guild=GUILD,
    fans: tuple[str, ...] = FANS,
    now: datetime | None = None,
) -> None:
    """Each user received Galaxies, the first most; TikTok fans and members gave them."""
    ledger = offline.bot.storage.ledger
    for i, user in enumerate(users):
        count = len(users) - i
        gifter = (
            Gifter.tiktok(fans[i % len(fans)])
            if i % 3
            else Gifter.member(users[-1 - i].id, users[-1 - i].name.title())
        )
        await ledger.add_entry(
            guild.id, user.id, MANAGER.id, gifter=gifter, gift_name="Galaxy", count=count,
            coins=1000 * count, diamonds=500 * count, now=now,
            seen=(Seen(user.id, user.name.title(), avatar_address(user)),),
        )  # fmt: skip


@dataclass(frozen=True)
class Picture:
    """A PNG the bot attached, decoded."""

    name: str
    data: bytes
    width: int
    height: int


def picture_of(reply: CapturedRequest) -> Picture:
    """The one picture attached to a reply; the embed shows it."""
    [(name, data)] = reply.files
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    assert reply.embeds[0]["image"]["url"] == f"attachment://{name}"
    return Picture(name, data, image.width, image.height)


# -- a server the bot sees (GUILD_CREATE): roles, a channel for posts -------------------------

POSTS = FakeChannel(GUILD.channel_id + 50, "tally-posts")
BOT_ROLE = FakeRole(GUILD.id + 1, "Gift Bot", 5, SEND_ONLY | MANAGE_ROLES)
TOP_GIFTER = FakeRole(GUILD.id + 2, "Top Gifter", 2)
TOP_RECEIVER = FakeRole(GUILD.id + 3, "Top Receiver", 3)
WHALE = FakeRole(GUILD.id + 4, "Whale", 1)
ADMINS = FakeRole(GUILD.id + 5, "Admins", 9)
INTEGRATION = FakeRole(GUILD.id + 6, "Some App", 4, managed=True)
ROLES = (BOT_ROLE, TOP_GIFTER, TOP_RECEIVER, WHALE, ADMINS, INTEGRATION)
LAYOUT = ServerLayout(
    roles=ROLES, channels=(FakeChannel(GUILD.channel_id), POSTS), bot_roles=(BOT_ROLE.id,)
)
NO_MANAGE_ROLES = replace(
    LAYOUT,
    roles=(FakeRole(BOT_ROLE.id, "Gift Bot", 5, SEND_ONLY), *ROLES[1:]),
)
CANNOT_POST = replace(
    LAYOUT,
    channels=(FakeChannel(GUILD.channel_id), FakeChannel(POSTS.id, POSTS.name, denied=NO_FILES)),
)


def role_path(user: FakeUser, role: FakeRole, guild=GUILD) -> str:
    return f"/guilds/{guild.id}/members/{user.id}/roles/{role.id}"


# -- periods the bot closes, and the weekly posts a manager sets up ----------------------------


def week_start(weeks: int = 0, *, now: datetime | None = None) -> datetime:
    """When the week `weeks` after the one in progress at `now` (default: now) starts."""
    return period_start(period_key("week", (now or as_utc()) + timedelta(weeks=weeks)))


def week_end(weeks: int = 0, *, now: datetime | None = None) -> datetime:
    """A minute after the week `weeks` after the one in progress at `now` (default: now)
    ends: the moment the bot's task next looks."""
    week = period_key("week", (now or as_utc()) + timedelta(weeks=weeks))
    return period_end(week) + timedelta(minutes=1)


async def weekly_posts(
    offline: OfflineDiscord, user: FakeUser = MANAGER, channel: FakeChannel = POSTS
) -> list[CapturedRequest]:
    """`user` asks for the weekly posts in `channel` (/tally posts set)."""
    return await offline.command(
        "tally posts set", {"period": "weekly", "channel": channel}, user=user, guild=GUILD
    )
