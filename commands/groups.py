"""/group: named groups of members, their diamonds, and a payout split between them."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot
from bot.context import Ask, ask_for
from bot.errors import UserError
from bot.pager import Page, Pager
from bot.permissions import is_manager, require_guild, require_member
from bot.ratelimit import write_limited
from bot.render import answer, notice
from bot.respond import reply
from bot.text import safe
from commands._goal_render import add_goal_field
from commands._group_requests import RequestButton, request_view
from commands._options import (
    GUILD_CONTEXTS,
    GUILD_INSTALLS,
    PERIOD_CHOICES,
    Choice,
    chosen,
    group_choices,
)
from commands._tally_cards import (
    STYLE_CHOICES,
    group_picture,
    show_in,
    wants_card,
)
from commands._tally_render import add_page_field, mention, period_label
from economy.group_payout import GroupParts, agency_fraction, split_payout
from economy.limits import MAX_NAME_LENGTH
from economy.paging import page_count
from economy.quotes import exchange_used, payout_quote
from economy.storage import GoalTarget, Group, GroupStore, Period, as_utc
from economy.tally_goals import goal_progress

GroupName = app_commands.Range[str, 1, MAX_NAME_LENGTH]
AgencyCut = app_commands.Range[float, 0.0, 100.0]
PER_PAGE = 20


def require_creator_or_manager(interaction: discord.Interaction[GiftBot], group: Group) -> None:
    if group.creator_id != interaction.user.id and not is_manager(interaction):
        raise UserError("group.not_creator", name=group.name)


@app_commands.guild_only()
@GUILD_CONTEXTS
@GUILD_INSTALLS
class Groups(
    commands.GroupCog, group_name="group", group_description="Groups of members and their payouts"
):
    """Create, join and manage groups; see their diamonds and split a payout."""

    def __init__(self, bot: GiftBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(RequestButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(RequestButton)

    @property
    def groups(self) -> GroupStore:
        return self.bot.storage.groups

    # -- writing -----------------------------------------------------------------------------

    @app_commands.command(name="create", description="Create a group")
    @app_commands.describe(name="The group's name (1-32 characters)")
    @write_limited()
    async def create(self, interaction: discord.Interaction[GiftBot], name: GroupName) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        group = await self.groups.create_group(guild_id, name, interaction.user.id)
        embed = notice(
            ask, ask.t("group.created.title"), ask.t("group.created", name=safe(group.name))
        )
        await reply(interaction, embed=embed)

    @app_commands.command(name="delete", description="Delete a group (creator or Manage Server)")
    @app_commands.describe(name="The group")
    @write_limited()
    async def delete(self, interaction: discord.Interaction[GiftBot], name: GroupName) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        group = await self.groups.get_group(guild_id, name)
        require_creator_or_manager(interaction, group)
        await self.groups.delete_group(guild_id, group.name)
        embed = notice(
            ask, ask.t("group.deleted.title"), ask.t("group.deleted", name=safe(group.name))
        )
        await reply(interaction, embed=embed)

    @app_commands.command(
        name="join", description="Ask to join a group (its creator or a manager decides)"
    )
    @app_commands.describe(name="The group")
    @write_limited()
    async def join(self, interaction: discord.Interaction[GiftBot], name: GroupName) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        group = await self.groups.get_group(guild_id, name)
        if group.creator_id == interaction.user.id or is_manager(interaction):
            group = await self.groups.add_member(guild_id, group.name, interaction.user.id)
            text = ask.t("group.joined", name=safe(group.name), member=mention(interaction.user.id))
            await reply(interaction, embed=notice(ask, ask.t("group.joined.title"), text))
            return
        request = await self.groups.request_join(guild_id, group.name, interaction.user.id)
        text = ask.t("group.request", member=mention(interaction.user.id), name=safe(group.name))
        view = request_view(
            request.group.id,
            interaction.user.id,
            ask.t("group.request.approve"),
            ask.t("group.request.decline"),
        )
        await reply(interaction, embed=notice(ask, ask.t("group.request.title"), text), view=view)

    @app_commands.command(name="leave", description="Leave a group")
    @app_commands.describe(name="The group")
    @write_limited()
    async def leave(self, interaction: discord.Interaction[GiftBot], name: GroupName) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        group = await self.groups.get_group(guild_id, name)
        await self.groups.remove_member(guild_id, group.name, interaction.user.id)
        embed = notice(
            ask,
            ask.t("group.left.title"),
            ask.t("group.left", name=safe(group.name), member=mention(interaction.user.id)),
        )
        await reply(interaction, embed=embed)

    @app_commands.command(
        name="add", description="Put a member in a group (creator or Manage Server)"
    )
    @app_commands.describe(name="The group", member="Who to add")
    @write_limited()
    async def add(
        self, interaction: discord.Interaction[GiftBot], name: GroupName, member: discord.User
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        target = require_member(interaction, member)
        group = await self.groups.get_group(guild_id, name)
        require_creator_or_manager(interaction, group)
        await self.groups.add_member(guild_id, group.name, target.id)
        embed = notice(
            ask,
            ask.t("group.added.title"),
            ask.t(
                "group.added",
                name=safe(group.name),
                member=mention(target.id),
                actor=mention(interaction.user.id),
            ),
        )
        await reply(interaction, embed=embed)

    @app_commands.command(
        name="remove", description="Take a member out of a group (creator or Manage Server)"
    )
    @app_commands.describe(name="The group", member="Who to take out")
    @write_limited()
    async def remove(
        self, interaction: discord.Interaction[GiftBot], name: GroupName, member: discord.User
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        group = await self.groups.get_group(guild_id, name)
        require_creator_or_manager(interaction, group)
        # Former members are fine here: people who left the server must be removable.
        await self.groups.remove_member(guild_id, group.name, member.id)
        embed = notice(
            ask,
            ask.t("group.removed.title"),
            ask.t(
                "group.removed",
                name=safe(group.name),
                member=mention(member.id),
                actor=mention(interaction.user.id),
            ),
        )
        await reply(interaction, embed=embed)

    # -- reading -----------------------------------------------------------------------------

    @app_commands.command(name="list", description="This server's groups")
    async def list_groups(self, interaction: discord.Interaction[GiftBot]) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)

        async def render(page: int) -> Page:
            shown, count = await self.groups.list_groups(guild_id, (page - 1) * PER_PAGE, PER_PAGE)
            lines = [
                ask.t(
                    "group.list.line",
                    name=safe(g.name),
                    plural=g.member_count,
                    members=ask.number(g.member_count),
                    creator=mention(g.creator_id),
                )
                for g in shown
            ]
            embed = notice(
                ask,
                ask.t("group.list.title", total=ask.number(count)),
                "\n".join(lines) or ask.t("group.list.empty"),
            )
            pages = page_count(count, PER_PAGE)
            add_page_field(ask, embed, page, pages)
            return Page(embed, pages)

        await Pager(interaction.user.id, render, locale=ask.locale).start(interaction)

    @app_commands.command(name="show", description="A group's members and their diamonds")
    @app_commands.describe(
        name="The group", style="Picture and text, or text only (default: picture)"
    )
    @app_commands.choices(style=STYLE_CHOICES)
    async def show(
        self,
        interaction: discord.Interaction[GiftBot],
        name: GroupName,
        style: Choice | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        group, members = await self.groups.group_members(guild_id, name)
        total = sum((m.diamonds_received for m in members), Decimal(0))
        pages = page_count(len(members), PER_PAGE)
        standing = await self.bot.storage.community.goal(guild_id, GoalTarget.group(group.id))
        goal = goal_progress(standing, ask.rates, as_utc().date()) if standing else None
        file = None
        if wants_card(style):
            quote = payout_quote(total, ask.rates, ask.currency)
            file = await group_picture(interaction, ask, group, members, quote, goal)

        async def render(page: int) -> Page:
            shown = members[(page - 1) * PER_PAGE : page * PER_PAGE]
            lines = [
                ask.t(
                    "group.show.line",
                    member=mention(m.user_id),
                    plural=m.diamonds_received,
                    diamonds=ask.number(m.diamonds_received),
                )
                for m in shown
            ]
            embed = answer(
                ask,
                ask.t("group.show.title", name=safe(group.name)),
                "\n".join(lines) or ask.t("group.show.empty"),
            )
            embed.add_field(name=ask.t("group.show.members"), value=ask.number(len(members)))
            embed.add_field(name=ask.t("group.show.diamonds"), value=ask.number(total))
            embed.add_field(name=ask.t("group.show.creator"), value=mention(group.creator_id))
            add_goal_field(ask, embed, goal)
            add_page_field(ask, embed, page, pages)
            show_in(embed, file)
            return Page(embed, pages)

        pager = Pager(interaction.user.id, render, locale=ask.locale)
        await pager.start(interaction, **({"file": file} if file else {}))

    @app_commands.command(name="payout", description="What a group's diamonds pay, split by share")
    @app_commands.describe(
        name="The group",
        agency_cut="Agency or manager cut in percent, taken after the platform's cut",
        period="Which period's diamonds (default: all time)",
    )
    @app_commands.choices(period=PERIOD_CHOICES)
    async def payout(
        self,
        interaction: discord.Interaction[GiftBot],
        name: GroupName,
        agency_cut: AgencyCut | None = None,
        period: Choice | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        period_value = cast(Period, chosen(period, "all"))
        percent = None if agency_cut is None else Decimal(str(agency_cut))
        fraction = agency_fraction(percent, ask.rates)
        group, members = await self.groups.group_members(guild_id, name, period_value)
        if not members:
            raise UserError("group.payout.empty", name=group.name)
        split = split_payout(members, ask.rates, ask.currency, fraction)
        pages = page_count(len(members), PER_PAGE)

        async def render(page: int) -> Page:
            shown = members[(page - 1) * PER_PAGE : page * PER_PAGE]
            lines = [
                ask.t(
                    "group.payout.share_line",
                    member=mention(m.user_id),
                    plural=m.diamonds_received,
                    diamonds=ask.number(m.diamonds_received),
                    share=ask.money(split.shares[m.user_id], split.currency),
                )
                for m in shown
            ]
            embed = answer(
                ask,
                ask.t(
                    "group.payout.title",
                    name=safe(group.name),
                    period=period_label(ask, period_value),
                ),
                "\n".join(lines),
                exchange=exchange_used(split),
            )
            embed.add_field(name=ask.t("group.payout.diamonds"), value=ask.number(split.diamonds))
            gross, platform, agency, net = group_amounts(ask, split.parts)
            embed.add_field(name=ask.t("group.payout.gross"), value=gross)
            embed.add_field(
                name=ask.t("group.payout.platform", cut=ask.percent(split.platform_fraction)),
                value=platform,
            )
            embed.add_field(
                name=ask.t("group.payout.agency", cut=ask.percent(split.agency_fraction)),
                value=agency,
            )
            embed.add_field(name=ask.t("group.payout.net"), value=net)
            embed.add_field(
                name=ask.t("group.payout.how"), value=ask.t("group.payout.how_value"), inline=False
            )
            add_page_field(ask, embed, page, pages)
            return Page(embed, pages)

        await Pager(interaction.user.id, render, locale=ask.locale).start(interaction)

    # -- autocomplete ------------------------------------------------------------------------

    @delete.autocomplete("name")
    @join.autocomplete("name")
    @leave.autocomplete("name")
    @add.autocomplete("name")
    @remove.autocomplete("name")
    @show.autocomplete("name")
    @payout.autocomplete("name")
    async def name_autocomplete(
        self, interaction: discord.Interaction[GiftBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return await group_choices(interaction, current)


def group_amounts(ask: Ask, parts: GroupParts) -> list[str]:
    """Gross, the two cuts and the net in the server's currency, USD beside: each column adds
    up as shown."""
    local = [ask.shown_part(part, parts.currency) for part in parts.local]
    if parts.usd is None:
        return local
    beside = [ask.shown_part(part, "USD") for part in parts.usd]
    return [f"{text} (≈ {usd})" for text, usd in zip(local, beside, strict=True)]


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(Groups(bot))
