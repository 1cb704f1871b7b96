"""/tally goal: a member's or a group's goal, in diamonds or in money to take home, by an
optional date. Progress shows in /tally show, /group show and their cards; reaching it is
announced once, under the /tally add that reached it."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

import discord
from discord import app_commands

from bot.client import GiftBot
from bot.context import Ask, ask_for
from bot.errors import UserError
from bot.permissions import is_manager, require_guild, require_member
from bot.ratelimit import write_limited
from bot.render import answer
from bot.respond import reply
from commands._goal_render import add_goal_field
from commands._options import Choice, Money, chosen, group_choices
from commands._subgroups import Subgroup
from economy.errors import Label, Person
from economy.limits import MAX_NAME_LENGTH
from economy.storage import GoalStanding, GoalTarget, as_utc
from economy.tally import may_record_for_others
from economy.tally_goals import GoalUnit, goal_amount, goal_progress, parse_due

GroupName = app_commands.Range[str, 1, MAX_NAME_LENGTH]
DateText = app_commands.Range[str, 1, 40]
UNIT_CHOICES = [
    app_commands.Choice(name="Diamonds", value="diamonds"),
    app_commands.Choice(name="Money to take home (server currency)", value="money"),
]


class GoalCommands(app_commands.Group):
    """/tally goal set | clear."""

    def __init__(self, bot: GiftBot) -> None:
        super().__init__(name="goal", description="Goals for members and groups")
        self.bot = bot

    async def target_of(
        self,
        interaction: discord.Interaction[GiftBot],
        ask: Ask,
        member: discord.User | None,
        group: str | None,
    ) -> tuple[GoalTarget, Person | Label]:
        """Whose goal, and who that is (a raw value: text for answers and refusals alike);
        refuses what the caller may not change."""
        guild_id = require_guild(interaction)
        if member is not None and group is not None:
            raise UserError("goal.one_target")
        if group is not None:
            found = await self.bot.storage.groups.get_group(guild_id, group)
            if found.creator_id != interaction.user.id and not is_manager(interaction):
                raise UserError("group.not_creator", name=found.name)
            return GoalTarget.group(found.id), Label("goal.of_group", {"name": found.name})
        if member is None or member.id == interaction.user.id:
            return GoalTarget.member(interaction.user.id), Person(interaction.user.id)
        target = require_member(interaction, member)
        if not may_record_for_others(ask.profile.settings, is_manager=is_manager(interaction)):
            raise UserError("goal.others_not_allowed")
        return GoalTarget.member(target.id), Person(target.id)

    @app_commands.command(name="set", description="Set a goal for you, a member or a group")
    @app_commands.describe(
        amount="How much: diamonds, or money in the server's currency",
        unit="Diamonds or money to take home (default: diamonds)",
        member="Whose goal (default: yours)",
        group="Or a group's goal",
        by="An optional date, YEAR-MONTH-DAY (e.g. 2026-12-31)",
    )
    @app_commands.choices(unit=UNIT_CHOICES)
    @write_limited()
    async def set_goal(
        self,
        interaction: discord.Interaction[GiftBot],
        amount: Money,
        unit: Choice | None = None,
        member: discord.User | None = None,
        group: GroupName | None = None,
        by: DateText | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        target, whose = await self.target_of(interaction, ask, member, group)
        today = as_utc().date()
        due = parse_due(by, today)
        kind = cast(GoalUnit, chosen(unit, "diamonds"))
        value, currency = goal_amount(Decimal(str(amount)), kind, ask.currency, ask.rates)
        guild_id = require_guild(interaction)
        goal = await self.bot.storage.community.set_goal(
            guild_id, target, value, currency, due, interaction.user.id
        )
        embed = answer(ask, ask.t("goal.set_title"), ask.t("goal.set", whose=ask.value(whose)))
        progress = goal_progress(GoalStanding.just_set(goal), ask.rates, today)
        add_goal_field(ask, embed, progress)
        await reply(interaction, embed=embed)

    @app_commands.command(name="clear", description="Remove a goal")
    @app_commands.describe(member="Whose goal (default: yours)", group="Or a group's goal")
    @write_limited()
    async def clear_goal(
        self,
        interaction: discord.Interaction[GiftBot],
        member: discord.User | None = None,
        group: GroupName | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        target, whose = await self.target_of(interaction, ask, member, group)
        removed = await self.bot.storage.community.clear_goal(require_guild(interaction), target)
        if removed is None:
            raise UserError("goal.none", whose=whose)
        text = ask.t("goal.cleared", whose=ask.value(whose))
        embed = answer(ask, ask.t("goal.cleared_title"), text)
        await reply(interaction, embed=embed)

    @set_goal.autocomplete("group")
    @clear_goal.autocomplete("group")
    async def group_autocomplete(
        self, interaction: discord.Interaction[GiftBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return await group_choices(interaction, current)


class TallyGoals(Subgroup):
    """Puts /tally goal under /tally."""

    def __init__(self, bot: GiftBot) -> None:
        super().__init__(bot, GoalCommands(bot))


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(TallyGoals(bot))
