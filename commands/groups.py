"""/group: named groups of members, their diamonds, and a payout split between them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.context import Ask, ask_for
from bot.pager import Pager
from bot.permissions import is_manager, require_guild, require_member
from bot.ratelimit import write_limited
from bot.render import answer, safe
from bot.tree import UserError
from commands._tally_render import (
    GUILD_CONTEXTS,
    PERIOD_CHOICES,
    add_page_field,
    check_period,
    mention,
    page_count,
    period_label,
)
from economy.conversions import convert, payout
from economy.errors import AlreadyExists, InvalidValue, NotFound
from economy.money import currency_digits, format_money, format_percent
from economy.splits import split_proportionally
from economy.storage import MAX_NAME_LENGTH, Group, MemberTotal, Storage, clean_name, name_key

if TYPE_CHECKING:
    from bot.client import GiftBot

GroupName = app_commands.Range[str, 1, MAX_NAME_LENGTH]
AgencyCut = app_commands.Range[float, 0.0, 100.0]
PER_PAGE = 20
MAX_CHOICES = 25


def group_name(raw: str) -> str:
    """A trimmed group name, or a clear refusal (1-32 characters, no control characters)."""
    try:
        return clean_name(raw, "group name")
    except InvalidValue:
        raise UserError("group.bad_name", max=MAX_NAME_LENGTH) from None


@contextmanager
def group_errors(name: str, member: str | None = None) -> Iterator[None]:
    """Storage's NotFound / AlreadyExists as messages that echo names safely."""
    try:
        yield
    except NotFound as error:
        if error.what == "group":
            raise UserError("group.not_found", name=safe(name)) from None
        if member is None:
            raise UserError("group.not_in_self", name=safe(name)) from None
        raise UserError("group.not_in", name=safe(name), member=member) from None
    except AlreadyExists as error:
        if error.what == "group":
            raise UserError("group.exists", name=safe(name)) from None
        if member is None:
            raise UserError("group.already_in_self", name=safe(name)) from None
        raise UserError("group.already_in", name=safe(name), member=member) from None


def require_creator_or_manager(interaction: discord.Interaction, group: Group) -> None:
    if group.creator_id != interaction.user.id and not is_manager(interaction):
        raise UserError("group.not_creator", name=safe(group.name))


def agency_fraction(ask: Ask, agency_cut: float | None) -> Decimal:
    """The agency cut as a fraction: the option (a percentage), else the rate card's default."""
    if agency_cut is None:
        return ask.rates.agency_cut_default.value
    if not 0 <= agency_cut <= 100:  # also refuses NaN
        raise UserError("group.payout.bad_agency_cut")
    return Decimal(str(agency_cut)) / 100


class Split:
    """A group payout in the display currency: the shares add up exactly to `net_local`."""

    def __init__(
        self, ask: Ask, members: list[MemberTotal], fraction: Decimal, currency: str
    ) -> None:
        self.diamonds = sum(m.diamonds_received for m in members)
        self.result = payout(self.diamonds, ask.rates)
        self.fraction = fraction
        self.agency_usd = self.result.net_usd * fraction
        self.net_usd = self.result.net_usd - self.agency_usd
        self.currency = currency
        local = (
            self.net_usd if currency == "USD" else convert(self.net_usd, "USD", currency, ask.rates)
        )
        quantum = Decimal(1).scaleb(-currency_digits(currency))
        self.shares = split_proportionally(
            local, {m.user_id: m.diamonds_received for m in members}, quantum
        )
        self.net_local = sum(self.shares.values(), Decimal(0))


@app_commands.guild_only()
@GUILD_CONTEXTS
class Groups(
    commands.GroupCog, group_name="group", group_description="Groups of members and their payouts"
):
    """Create, join and manage groups; see their diamonds and split a payout."""

    def __init__(self, bot: GiftBot) -> None:
        self.bot = bot

    @property
    def storage(self) -> Storage:
        return self.bot.storage

    async def _group(self, guild_id: int, name: str) -> Group:
        with group_errors(name):
            return await self.storage.get_group(guild_id, name)

    # -- writing -----------------------------------------------------------------------------

    @app_commands.command(name="create", description="Create a group")
    @app_commands.describe(name="The group's name (1-32 characters)")
    @write_limited()
    async def create(self, interaction: discord.Interaction, name: GroupName) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        clean = group_name(name)
        with group_errors(clean):
            group = await self.storage.create_group(guild_id, clean, interaction.user.id)
        embed = answer(
            ask, ask.t("group.created.title"), ask.t("group.created", name=safe(group.name))
        )
        await interaction.response.send_message(embed=embed)

    @app_commands.command(name="delete", description="Delete a group (creator or Manage Server)")
    @app_commands.describe(name="The group")
    @write_limited()
    async def delete(self, interaction: discord.Interaction, name: GroupName) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        group = await self._group(guild_id, group_name(name))
        require_creator_or_manager(interaction, group)
        with group_errors(group.name):
            await self.storage.delete_group(guild_id, group.name)
        embed = answer(
            ask, ask.t("group.deleted.title"), ask.t("group.deleted", name=safe(group.name))
        )
        await interaction.response.send_message(embed=embed)

    @app_commands.command(name="join", description="Join a group")
    @app_commands.describe(name="The group")
    @write_limited()
    async def join(self, interaction: discord.Interaction, name: GroupName) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        group = await self._group(guild_id, group_name(name))
        with group_errors(group.name):
            await self.storage.add_member(guild_id, group.name, interaction.user.id)
        embed = answer(
            ask,
            ask.t("group.joined.title"),
            ask.t("group.joined", name=safe(group.name), member=mention(interaction.user.id)),
        )
        await interaction.response.send_message(embed=embed)

    @app_commands.command(name="leave", description="Leave a group")
    @app_commands.describe(name="The group")
    @write_limited()
    async def leave(self, interaction: discord.Interaction, name: GroupName) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        group = await self._group(guild_id, group_name(name))
        with group_errors(group.name):
            await self.storage.remove_member(guild_id, group.name, interaction.user.id)
        embed = answer(
            ask,
            ask.t("group.left.title"),
            ask.t("group.left", name=safe(group.name), member=mention(interaction.user.id)),
        )
        await interaction.response.send_message(embed=embed)

    @app_commands.command(
        name="add", description="Put a member in a group (creator or Manage Server)"
    )
    @app_commands.describe(name="The group", member="Who to add")
    @write_limited()
    async def add(
        self, interaction: discord.Interaction, name: GroupName, member: discord.User
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        target = require_member(interaction, member)
        group = await self._group(guild_id, group_name(name))
        require_creator_or_manager(interaction, group)
        with group_errors(group.name, mention(target.id)):
            await self.storage.add_member(guild_id, group.name, target.id)
        embed = answer(
            ask,
            ask.t("group.added.title"),
            ask.t(
                "group.added",
                name=safe(group.name),
                member=mention(target.id),
                actor=mention(interaction.user.id),
            ),
        )
        await interaction.response.send_message(embed=embed)

    @app_commands.command(
        name="remove", description="Take a member out of a group (creator or Manage Server)"
    )
    @app_commands.describe(name="The group", member="Who to take out")
    @write_limited()
    async def remove(
        self, interaction: discord.Interaction, name: GroupName, member: discord.User
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        group = await self._group(guild_id, group_name(name))
        require_creator_or_manager(interaction, group)
        # Former members are fine here: people who left the server must be removable.
        with group_errors(group.name, mention(member.id)):
            await self.storage.remove_member(guild_id, group.name, member.id)
        embed = answer(
            ask,
            ask.t("group.removed.title"),
            ask.t(
                "group.removed",
                name=safe(group.name),
                member=mention(member.id),
                actor=mention(interaction.user.id),
            ),
        )
        await interaction.response.send_message(embed=embed)

    # -- reading -----------------------------------------------------------------------------

    @app_commands.command(name="list", description="This server's groups")
    async def list_groups(self, interaction: discord.Interaction) -> None:
        ask = await ask_for(interaction)
        groups = await self.storage.list_groups(require_guild(interaction))
        pages = page_count(len(groups), PER_PAGE)

        async def render(page: int) -> discord.Embed:
            shown = groups[(page - 1) * PER_PAGE : page * PER_PAGE]
            lines = [
                ask.t(
                    "group.list.line",
                    name=safe(g.name),
                    members=ask.number(g.member_count),
                    creator=mention(g.creator_id),
                )
                for g in shown
            ]
            embed = answer(
                ask,
                ask.t("group.list.title", total=ask.number(len(groups))),
                "\n".join(lines) or ask.t("group.list.empty"),
            )
            add_page_field(ask, embed, page, pages)
            return embed

        await Pager(interaction.user.id, pages, render, locale=ask.locale).start(interaction)

    @app_commands.command(name="show", description="A group's members and their diamonds")
    @app_commands.describe(name="The group")
    async def show(self, interaction: discord.Interaction, name: GroupName) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        group = await self._group(guild_id, group_name(name))
        with group_errors(group.name):
            members = await self.storage.group_members(guild_id, group.name)
        total = sum(m.diamonds_received for m in members)
        pages = page_count(len(members), PER_PAGE)

        async def render(page: int) -> discord.Embed:
            shown = members[(page - 1) * PER_PAGE : page * PER_PAGE]
            lines = [
                ask.t(
                    "group.show.line",
                    member=mention(m.user_id),
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
            add_page_field(ask, embed, page, pages)
            return embed

        await Pager(interaction.user.id, pages, render, locale=ask.locale).start(interaction)

    @app_commands.command(name="payout", description="What a group's diamonds pay, split by share")
    @app_commands.describe(
        name="The group",
        agency_cut="Agency or manager cut in percent, taken after the platform's cut",
        period="Which period's diamonds (default: all time)",
    )
    @app_commands.choices(period=PERIOD_CHOICES)
    async def payout(
        self,
        interaction: discord.Interaction,
        name: GroupName,
        agency_cut: AgencyCut | None = None,
        period: str = "all",
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        period_value = check_period(period)
        fraction = agency_fraction(ask, agency_cut)
        group = await self._group(guild_id, group_name(name))
        with group_errors(group.name):
            members = await self.storage.group_members(guild_id, group.name, period_value)
        if not members:
            raise UserError("group.payout.empty", name=safe(group.name))
        split = Split(ask, members, fraction, ask.currency)
        pages = page_count(len(members), PER_PAGE)

        def local(amount: Decimal) -> str:
            return format_money(amount, split.currency, ask.locale)

        async def render(page: int) -> discord.Embed:
            shown = members[(page - 1) * PER_PAGE : page * PER_PAGE]
            lines = [
                ask.t(
                    "group.payout.share_line",
                    member=mention(m.user_id),
                    diamonds=ask.number(m.diamonds_received),
                    share=local(split.shares[m.user_id]),
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
            )
            embed.add_field(name=ask.t("group.payout.diamonds"), value=ask.number(split.diamonds))
            embed.add_field(name=ask.t("group.payout.gross"), value=ask.usd(split.result.gross_usd))
            embed.add_field(
                name=ask.t(
                    "group.payout.platform",
                    cut=format_percent(ask.rates.cashout_cut.value, ask.locale),
                ),
                value=ask.usd(split.result.cut_usd),
            )
            embed.add_field(
                name=ask.t("group.payout.agency", cut=format_percent(split.fraction, ask.locale)),
                value=ask.usd(split.agency_usd),
            )
            net = local(split.net_local)
            if split.currency != "USD":
                net += f" (≈ {format_money(split.net_usd, 'USD', ask.locale)})"
            embed.add_field(name=ask.t("group.payout.net"), value=net)
            embed.add_field(
                name=ask.t("group.payout.how"), value=ask.t("group.payout.how_value"), inline=False
            )
            add_page_field(ask, embed, page, pages)
            return embed

        await Pager(interaction.user.id, pages, render, locale=ask.locale).start(interaction)

    # -- autocomplete ------------------------------------------------------------------------

    @delete.autocomplete("name")
    @join.autocomplete("name")
    @leave.autocomplete("name")
    @add.autocomplete("name")
    @remove.autocomplete("name")
    @show.autocomplete("name")
    @payout.autocomplete("name")
    async def name_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        groups = await self.storage.list_groups(interaction.guild_id)
        typed = name_key(current)
        keyed = ((name_key(g.name), g.name) for g in groups)
        # Names starting with what was typed first, then those containing it; by key within.
        found = sorted(
            (not key.startswith(typed), key, name) for key, name in keyed if typed in key
        )
        return [app_commands.Choice(name=name, value=name) for *_, name in found[:MAX_CHOICES]]


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Groups(bot))  # type: ignore[arg-type]
