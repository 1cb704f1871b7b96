"""Giving and taking roles: threshold roles when a member's diamonds reach them, and the
period's top gifter and top receiver roles, moved at each period's end.

Every change is checked against the server Discord describes first (Manage Roles, the role
below the bot's highest), then made; a refusal names exactly what is missing and the role (or
schedule) is marked failed by the caller, so it is not tried again and again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import discord

from bot.access import UNKNOWN_MEMBER, Problem, encode, refused, role_problems
from bot.client import GiftBot
from economy.storage import PeriodReport, RoleReached

log = logging.getLogger(__name__)

REASON = "tiktok-gift-bot: {why}"


async def change_role(
    bot: GiftBot, guild_id: int, user_id: int, role_id: int, *, add: bool, why: str
) -> list[Problem]:
    """Give (or take) a role; the problems in the way, [] when done. A member who left the
    server is not a problem."""
    guild = bot.get_guild(guild_id)
    problems = role_problems(guild, role_id) if guild is not None else []
    if problems:
        return problems
    change = bot.http.add_role if add else bot.http.remove_role
    try:
        await change(guild_id, user_id, role_id, reason=REASON.format(why=why))
    except discord.HTTPException as error:
        if error.code == UNKNOWN_MEMBER:
            return []
        log.info("Role %s for %s in %s refused: %s", role_id, user_id, guild_id, error)
        return [refused(error, role_id=role_id)]
    return []


@dataclass
class Granted:
    """Threshold roles given after a write, and those that could not be given (why)."""

    given: list[int] = field(default_factory=list)
    failed: list[tuple[int, list[Problem]]] = field(default_factory=list)


async def grant_threshold_roles(
    bot: GiftBot, guild_id: int, user_id: int, reached: Sequence[RoleReached]
) -> Granted:
    """Give the threshold roles an entry's write claimed for the member (each claimed once);
    a role that cannot be given is marked failed with the reason."""
    result = Granted()
    community = bot.storage.community
    for role in reached:
        why = f"{role.diamonds} diamonds reached"
        problems = await change_role(bot, guild_id, user_id, role.role_id, add=True, why=why)
        if problems:
            await community.settle_threshold_role(guild_id, role.role_id, user_id, encode(problems))
            result.failed.append((role.role_id, problems))
        else:
            result.given.append(role.role_id)
    return result


@dataclass
class Rotation:
    """Who holds each rotated role after a period's end, and what went wrong."""

    holders: dict[int, int | None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


async def rotate_roles(bot: GiftBot, report: PeriodReport) -> Rotation:
    """Move the top gifter and top receiver roles to the period's winners: taken from the
    previous holders, given to the new (nobody holds one after an empty period)."""
    schedule = report.schedule
    receiver = report.receivers[0].user_id if report.receivers else None
    gifter = report.top_member_gifter.user_id if report.top_member_gifter else None
    rotation = Rotation()
    pairs = ((schedule.gifter_role_id, gifter), (schedule.receiver_role_id, receiver))
    for role_id, winner in pairs:
        if role_id is None:
            continue
        why = f"top of {report.period_key}"
        previous: Sequence[int] = report.holders.get(role_id, ())
        kept: int | None = None
        for holder in previous:
            if holder == winner:
                kept = holder
                continue
            problems = await change_role(
                bot, schedule.guild_id, holder, role_id, add=False, why=why
            )
            rotation.problems.extend(problems)
        if winner is not None and kept is None:
            problems = await change_role(bot, schedule.guild_id, winner, role_id, add=True, why=why)
            rotation.problems.extend(problems)
            kept = None if problems else winner
        rotation.holders[role_id] = kept
    rotation.problems = list(dict.fromkeys(rotation.problems))
    return rotation
