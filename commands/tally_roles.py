"""/tally roles: a role for the period's top gifter and top receiver (moved at each period's
end), and roles given when a member's diamonds reach a threshold. The bot checks up front that
it can give the role (Manage Roles, the role below its own) and says exactly what is missing."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.access import Mention, Problems, role_mention, role_problems
from bot.client import GiftBot
from bot.context import ask_for
from bot.errors import UserError
from bot.permissions import require_guild
from bot.ratelimit import write_limited
from bot.render import notice
from bot.respond import reply
from bot.tree import MANAGER
from commands._options import Amount
from commands._schedules import KINDS, PERIOD_CHOICES
from commands._subgroups import Subgroup
from economy.storage import CommunityStore


def check_roles(bot: GiftBot, guild_id: int, roles: list[discord.Role]) -> None:
    """Refuse, naming every missing permission, unless the bot can give each role."""
    guild = bot.get_guild(guild_id)
    for role in roles:
        problems = role_problems(guild, role.id)
        if problems:
            raise UserError(
                "roles.cannot",
                role=Mention(role_mention(role.id)),
                problems=Problems(tuple(problems)),
            )


class RoleCommands(app_commands.Group):
    """/tally roles top | threshold | remove."""

    def __init__(self, bot: GiftBot) -> None:
        super().__init__(
            name="roles", description="Roles for top gifters, top receivers and thresholds"
        )
        self.bot = bot

    @property
    def community(self) -> CommunityStore:
        return self.bot.storage.community

    @app_commands.command(
        name="top",
        description="Roles for the period's top gifter and top receiver (Manage Server)",
        extras={MANAGER: True},
    )
    @app_commands.describe(
        period="Weekly or monthly",
        gifter="Role for the top gifter (leave both empty to stop)",
        receiver="Role for the top receiver",
    )
    @app_commands.choices(period=PERIOD_CHOICES)
    @write_limited()
    async def top(
        self,
        interaction: discord.Interaction[GiftBot],
        period: app_commands.Choice[str],
        gifter: discord.Role | None = None,
        receiver: discord.Role | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        check_roles(self.bot, guild_id, [r for r in (gifter, receiver) if r is not None])
        kind = KINDS[period.value]
        if gifter is None and receiver is None:
            if not await self.community.stop_schedule_roles(guild_id, kind):  # posts go on
                raise UserError(f"roles.none_{kind}")
            await reply(interaction, embed=notice(ask, ask.t(f"roles.top_off_{kind}")))
            return
        await self.community.set_schedule_roles(
            guild_id, kind, interaction.user.id,
            gifter_role_id=gifter.id if gifter else None,
            receiver_role_id=receiver.id if receiver else None,
            locale=str(interaction.guild_locale or interaction.locale),
        )  # fmt: skip
        text = ask.t(
            f"roles.top_on_{kind}",
            gifter=role_mention(gifter.id) if gifter else "-",
            receiver=role_mention(receiver.id) if receiver else "-",
        )
        await reply(interaction, embed=notice(ask, ask.t("roles.top_title"), text))

    @app_commands.command(
        name="threshold",
        description="Give a role when a member's diamonds reach an amount (Manage Server)",
        extras={MANAGER: True},
    )
    @app_commands.describe(role="The role to give", diamonds="All-time diamonds received")
    @write_limited()
    async def threshold(
        self, interaction: discord.Interaction[GiftBot], role: discord.Role, diamonds: Amount
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        check_roles(self.bot, guild_id, [role])
        await self.community.save_threshold_role(guild_id, role.id, diamonds, interaction.user.id)
        text = ask.t(
            "roles.threshold_on",
            plural=diamonds,
            role=role_mention(role.id),
            diamonds=ask.number(diamonds),
        )
        await reply(interaction, embed=notice(ask, ask.t("roles.threshold_title"), text))

    @app_commands.command(
        name="remove",
        description="Stop giving a role at a threshold (Manage Server)",
        extras={MANAGER: True},
    )
    @app_commands.describe(role="The threshold role")
    @write_limited()
    async def remove(self, interaction: discord.Interaction[GiftBot], role: discord.Role) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        if await self.community.remove_threshold_role(guild_id, role.id) is None:
            raise UserError("roles.not_threshold", role=Mention(role_mention(role.id)))
        text = ask.t("roles.threshold_off", role=role_mention(role.id))
        await reply(interaction, embed=notice(ask, ask.t("roles.threshold_title"), text))


class TallyRoles(Subgroup):
    """Puts /tally roles under /tally."""

    def __init__(self, bot: GiftBot) -> None:
        super().__init__(bot, RoleCommands(bot))


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(TallyRoles(bot))
