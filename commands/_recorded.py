"""Recording a gift, from the people of the write to its answer: who received, gave and
recorded it (and may they), and what the entry sets off: goals it reached (announced once, in
the answer) and threshold roles it earned (given once). Shared by /tally add and the "Record
a gift" menu."""

from __future__ import annotations

import discord

from bot.access import describe, role_mention
from bot.client import GiftBot
from bot.context import Ask
from bot.errors import UserError
from bot.permissions import is_manager, require_member
from bot.respond import reply
from bot.text import safe
from commands._goal_render import goal_title
from commands._roles import grant_threshold_roles
from commands._tally_render import added_embed, mention, require_person
from commands._tally_undo import undo_view
from economy.errors import NotFound
from economy.storage import Gifter, Recorded, Seen, as_utc
from economy.storage.deadlines import no_deadline
from economy.tally import Who, may_record_for_others, tiktok_gifter
from economy.tally_goals import GoalProgress, goal_progress


def seen(user: discord.abc.User) -> Seen:
    """The name and avatar Discord shows for someone now (kept for pictures and posts)."""
    return Seen(user.id, user.display_name, user.display_avatar.url)


def who_for(
    interaction: discord.Interaction[GiftBot],
    ask: Ask,
    member: discord.abc.User | None,
    gave: discord.User | None,
    tiktok: str | None,
) -> Who:
    """Recipient, gifter and recorder of an entry, checking who may record for whom."""
    recipient = recipient_for(interaction, ask, member)
    if gave is not None and tiktok is not None:
        raise UserError("tally.add.two_gifters")
    people = {interaction.user.id: interaction.user, recipient.id: recipient}
    gifter: Gifter | None = None
    if gave is not None:
        giver = require_person(gave)
        gifter = Gifter.member(giver.id, giver.display_name)
        people[giver.id] = giver
    elif tiktok is not None:
        gifter = tiktok_gifter(tiktok)
    return Who(recipient.id, interaction.user.id, gifter, tuple(seen(p) for p in people.values()))


def recipient_for(
    interaction: discord.Interaction[GiftBot], ask: Ask, member: discord.abc.User | None
) -> discord.abc.User:
    """Who receives: the caller, or a member of this server the caller may add to."""
    if member is None or member.id == interaction.user.id:
        return interaction.user
    target = require_member(interaction, member)
    if not may_record_for_others(ask.profile.settings, is_manager=is_manager(interaction)):
        raise UserError("tally.others_not_allowed")
    return target


async def answer_recorded(
    interaction: discord.Interaction[GiftBot], ask: Ask, recorded: Recorded
) -> None:
    """The public answer to a write: the entry, what it set off, and its Undo button."""
    entry = recorded.entry
    view = undo_view(entry.id, entry.recorder_id, ask.t("tally.undo_button"))
    embed = added_embed(ask, recorded)
    with no_deadline():  # the entry is committed: what it set off must not be dropped as late
        await after_recording(interaction, ask, recorded, embed)
    await reply(interaction, embed=embed, view=view)


async def reached_goals(bot: GiftBot, ask: Ask, recorded: Recorded) -> list[GoalProgress]:
    """The recipient's goals and their groups' goals this entry reached, each claimed by
    this write alone (another process or a second entry never announces it again)."""
    entry = recorded.entry
    community = bot.storage.community
    today = as_utc().date()
    reached = []
    for standing in await community.open_goals(entry.guild_id, entry.recipient_id):
        progress = goal_progress(standing, ask.rates, today)
        if progress.reached and await community.claim_goal_reached(standing.goal.id):
            reached.append(progress)
    return reached


async def whose(bot: GiftBot, ask: Ask, progress: GoalProgress) -> str:
    target = progress.goal.target
    if target.user_id is not None:
        return mention(target.user_id)
    try:
        group = await bot.storage.groups.get_group_by_id(
            progress.goal.guild_id, target.group_id or 0
        )
    except NotFound:
        return ask.t("goal.of_group", name="?")
    return ask.t("goal.of_group", name=safe(group.name))


async def after_recording(
    interaction: discord.Interaction[GiftBot], ask: Ask, recorded: Recorded, embed: discord.Embed
) -> None:
    """Announce the goals the entry reached and the roles it earned, in its answer."""
    bot = interaction.client
    reached = await reached_goals(bot, ask, recorded) if recorded.open_goals else []
    lines = [
        ask.t("goal.reached_line", whose=await whose(bot, ask, p), goal=goal_title(ask, p))
        for p in reached
    ]
    if lines:
        embed.add_field(name=ask.t("goal.reached_field"), value="\n".join(lines), inline=False)
    entry = recorded.entry
    granted = await grant_threshold_roles(
        bot, entry.guild_id, entry.recipient_id, recorded.roles_reached
    )
    if granted.given:
        roles = ", ".join(role_mention(role) for role in granted.given)
        embed.add_field(
            name=ask.t("roles.given_field"),
            value=ask.t("roles.given", roles=roles, member=mention(entry.recipient_id)),
            inline=False,
        )
    for role_id, problems in granted.failed:
        embed.add_field(
            name=ask.t("roles.not_given_field"),
            value=ask.t("roles.not_given", role=role_mention(role_id))
            + "\n"
            + describe(problems, ask.locale),
            inline=False,
        )
