"""/tally posts: a weekly or monthly post of the server's leaderboard in a channel a manager
picks, and the background task that makes it when each period ends (see `_period_post`)."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import tasks

from bot.access import Mention, Problems, channel_mention, channel_problems, decode, describe
from bot.access import role_mention as role_text
from bot.client import GiftBot
from bot.context import Ask, ask_for
from bot.errors import UserError
from bot.permissions import require_guild
from bot.ratelimit import write_limited
from bot.render import notice
from bot.respond import reply
from bot.tree import MANAGER, PRIVATE
from commands._period_post import close_due_periods
from commands._schedules import KINDS, PERIOD_CHOICES, next_end
from commands._subgroups import Subgroup
from economy.storage import CommunityStore, Schedule, ThresholdRole

log = logging.getLogger(__name__)

TICK_SECONDS = 60.0


def schedule_lines(ask: Ask, schedule: Schedule) -> str:
    """A schedule as a manager reads it: where, which roles, and whether it works."""
    lines = [
        ask.t(
            "posts.show_channel",
            channel=channel_mention(schedule.channel_id) if schedule.channel_id else "-",
        ),
        ask.t(
            "posts.show_roles",
            gifter=role_text(schedule.gifter_role_id) if schedule.gifter_role_id else "-",
            receiver=role_text(schedule.receiver_role_id) if schedule.receiver_role_id else "-",
        ),
    ]
    if schedule.status == "failed":
        lines.append(ask.t("posts.show_failed"))
        lines.append(describe(decode(schedule.failure), ask.locale))
    else:
        lines.append(ask.t("posts.show_next", when=next_end(schedule.kind)))
    return "\n".join(lines)


def threshold_line(ask: Ask, role: ThresholdRole) -> str:
    line = ask.t(
        "roles.threshold_line",
        plural=role.diamonds,
        role=role_text(role.role_id),
        diamonds=ask.number(role.diamonds),
    )
    if role.status == "failed":
        line += "\n" + describe(decode(role.failure), ask.locale)
    return line


class PostCommands(app_commands.Group):
    """/tally posts set | stop | show."""

    def __init__(self, bot: GiftBot) -> None:
        super().__init__(name="posts", description="Weekly or monthly leaderboard posts")
        self.bot = bot

    @property
    def community(self) -> CommunityStore:
        return self.bot.storage.community

    @app_commands.command(
        name="set",
        description="Post the leaderboard in a channel each week or month (Manage Server)",
        extras={MANAGER: True},
    )
    @app_commands.describe(period="Weekly or monthly", channel="Where to post")
    @app_commands.choices(period=PERIOD_CHOICES)
    @write_limited()
    async def set_posts(
        self,
        interaction: discord.Interaction[GiftBot],
        period: app_commands.Choice[str],
        channel: app_commands.AppCommandChannel,
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        problems = channel_problems(self.bot.get_guild(guild_id), channel.id)
        if problems:
            raise UserError(
                "posts.cannot",
                channel=Mention(channel_mention(channel.id)),
                problems=Problems(tuple(problems)),
            )
        kind = KINDS[period.value]
        await self.community.set_schedule_posts(
            guild_id, kind, interaction.user.id, channel_id=channel.id,
            locale=str(interaction.guild_locale or interaction.locale),
        )  # fmt: skip
        text = ask.t(f"posts.on_{kind}", channel=channel_mention(channel.id), when=next_end(kind))
        await reply(interaction, embed=notice(ask, ask.t("posts.on_title"), text))

    @app_commands.command(
        name="stop", description="Stop a weekly or monthly post (Manage Server)",
        extras={MANAGER: True},
    )  # fmt: skip
    @app_commands.describe(period="Weekly or monthly")
    @app_commands.choices(period=PERIOD_CHOICES)
    @write_limited()
    async def stop_posts(
        self, interaction: discord.Interaction[GiftBot], period: app_commands.Choice[str]
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        kind = KINDS[period.value]
        if not await self.community.stop_schedule_posts(guild_id, kind):  # roles rotate on
            raise UserError(f"posts.none_{kind}")
        await reply(interaction, embed=notice(ask, ask.t(f"posts.off_{kind}")))

    @app_commands.command(
        name="show", description="Posts, rotated roles and threshold roles, and whether they work",
        extras={MANAGER: True, PRIVATE: True},
    )  # fmt: skip
    async def show_posts(self, interaction: discord.Interaction[GiftBot]) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        embed = notice(ask, ask.t("posts.show_title"))
        schedules = await self.community.schedules(guild_id)
        for schedule in schedules:
            embed.add_field(
                name=ask.t(f"posts.show_{schedule.kind}"),
                value=schedule_lines(ask, schedule),
                inline=False,
            )
        thresholds = await self.community.threshold_roles(guild_id)
        if thresholds:
            embed.add_field(
                name=ask.t("roles.threshold_title"),
                value="\n".join(threshold_line(ask, role) for role in thresholds),
                inline=False,
            )
        if not schedules and not thresholds:
            embed.description = ask.t("posts.show_nothing")
        await reply(interaction, embed=embed, ephemeral=True)


class PeriodPosts(Subgroup):
    """Puts /tally posts under /tally and closes each period when it ends."""

    def __init__(self, bot: GiftBot) -> None:
        super().__init__(bot, PostCommands(bot))

    async def cog_load(self) -> None:
        await super().cog_load()
        self.period_ends.start()

    async def cog_unload(self) -> None:
        self.period_ends.cancel()
        await super().cog_unload()

    @tasks.loop(seconds=TICK_SECONDS)
    async def period_ends(self) -> None:
        """Close the periods that have ended (a failure is logged; the next tick goes on)."""
        try:
            await close_due_periods(self.bot)
        except Exception:
            log.exception("Closing ended periods failed; trying again in a minute")

    @period_ends.before_loop
    async def connected(self) -> None:
        """Posts need the connection and the servers' roles and channels."""
        await self.bot.wait_until_ready()


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(PeriodPosts(bot))
