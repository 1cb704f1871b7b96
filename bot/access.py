"""What the bot may do in a server: checked up front from the server Discord describes (the
guilds intent keeps its roles, channels and the bot's own member), and read back from
Discord's refusals. Each problem names exactly what is missing, in the reader's language.

A problem is stored with a schedule or a role that failed (`encode` / `decode`), so it is
told to whoever looks later in their own language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import discord

from bot.i18n import t

POST_PERMISSIONS = ("view_channel", "send_messages", "embed_links", "attach_files")
ROLE_PERMISSION = "manage_roles"
_SEPARATOR, _FIELD = ";", "|"

# Discord's JSON error codes the bot can explain.
UNKNOWN_CHANNEL, UNKNOWN_MEMBER, UNKNOWN_ROLE = 10003, 10007, 10011
MISSING_ACCESS, MISSING_PERMISSIONS, CANNOT_DM = 50001, 50013, 50007


@dataclass(frozen=True)
class Problem:
    """One thing in the way: `code` names it (`access.<code>` says it), `subject` and
    `other` fill it in (a permission key, a role or channel mention)."""

    code: str
    subject: str = ""
    other: str = ""

    def text(self, locale: object) -> str:
        subject = self.subject
        if self.code in ("missing_permission", "channel_permission"):
            subject = t(locale, f"access.permission.{subject}")
        return t(locale, f"access.{self.code}", subject=subject, other=self.other)


def describe(problems: Iterable[Problem], locale: object) -> str:
    """Every problem, one a line."""
    return "\n".join(f"• {problem.text(locale)}" for problem in problems)


@dataclass(frozen=True)
class Problems:
    """Problems as a refusal's value (`UserError(..., problems=Problems(...))`)."""

    items: tuple[Problem, ...]

    def text(self, locale: object) -> str:
        return describe(self.items, locale)


@dataclass(frozen=True)
class Mention:
    """A role or channel mention as a refusal's value (made from an id, shown as is)."""

    mention: str

    def text(self, locale: object) -> str:
        return self.mention


def encode(problems: Iterable[Problem]) -> str:
    """Problems as stored text (at most 200 characters are kept)."""
    return _SEPARATOR.join(_FIELD.join((p.code, p.subject, p.other)) for p in problems)[:200]


def decode(text: str | None) -> list[Problem]:
    """Stored problems back (unknown text becomes a generic problem)."""
    problems = []
    for part in (text or "").split(_SEPARATOR):
        fields = part.split(_FIELD)
        if len(fields) == 3 and fields[0].isidentifier():
            problems.append(Problem(*fields))
        elif part:
            problems.append(Problem("refused", part[:80]))
    return problems


def role_mention(role_id: int) -> str:
    return f"<@&{role_id}>"


def channel_mention(channel_id: int) -> str:
    return f"<#{channel_id}>"


def role_problems(guild: discord.Guild | None, role_id: int) -> list[Problem]:
    """Why the bot could not give `role_id` to members, or [] when it can."""
    if guild is None:
        return [Problem("server_unknown")]
    me, role = guild.me, guild.get_role(role_id)
    if role is None:
        return [Problem("role_gone", role_mention(role_id))]
    if role.is_default():
        return [Problem("role_everyone")]
    if role.managed:
        return [Problem("role_managed", role_mention(role_id))]
    problems = []
    if me is None or not me.guild_permissions.manage_roles:
        problems.append(Problem("missing_permission", ROLE_PERMISSION))
    if me is not None and role >= me.top_role:
        problems.append(
            Problem("role_too_high", role_mention(role_id), role_mention(me.top_role.id))
        )
    return problems


def channel_problems(guild: discord.Guild | None, channel_id: int) -> list[Problem]:
    """Why the bot could not post a card in `channel_id`, or [] when it can."""
    if guild is None:
        return [Problem("server_unknown")]
    channel = guild.get_channel(channel_id)
    if not isinstance(channel, discord.TextChannel | discord.Thread | discord.VoiceChannel):
        return [Problem("channel_gone", channel_mention(channel_id))]
    if guild.me is None:
        return [Problem("server_unknown")]
    allowed = channel.permissions_for(guild.me)
    return [
        Problem("channel_permission", name, channel_mention(channel_id))
        for name in POST_PERMISSIONS
        if not getattr(allowed, name)
    ]


def refused(error: discord.HTTPException, *, channel_id: int = 0, role_id: int = 0) -> Problem:
    """What Discord's refusal means, for the channel or role the request was about."""
    if error.code in (UNKNOWN_CHANNEL, MISSING_ACCESS) and channel_id:
        return Problem("channel_gone", channel_mention(channel_id))
    if error.code == UNKNOWN_ROLE:
        return Problem("role_gone", role_mention(role_id))
    if error.code == MISSING_PERMISSIONS and role_id:
        return Problem("missing_permission", ROLE_PERMISSION)
    if error.code == MISSING_PERMISSIONS and channel_id:
        return Problem("channel_permission", "send_messages", channel_mention(channel_id))
    return Problem("refused", f"{error.status} {error.code}")
