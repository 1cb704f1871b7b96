"""/tally: record the gifts members receive, and read the server's tallies back."""

from __future__ import annotations

from typing import cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot
from bot.context import ask_for
from bot.errors import UserError
from bot.pager import Page, Pager
from bot.permissions import require_guild, require_manager
from bot.ratelimit import write_limited
from bot.render import answer, notice
from bot.respond import defer, reply
from bot.transformers import GiftOption
from bot.tree import MANAGER, PRIVATE
from bot.views import ConfirmView
from commands._goal_render import add_goal_field
from commands._options import (
    BY_CHOICES,
    GUILD_CONTEXTS,
    GUILD_INSTALLS,
    PERIOD_CHOICES,
    Amount,
    Choice,
    Count,
    chosen,
)
from commands._recorded import answer_recorded, who_for
from commands._tally_cards import (
    STYLE_CHOICES,
    STYLE_DESCRIPTION,
    board_picture,
    personal_picture,
    show_in,
    wants_card,
)
from commands._tally_export import send_export
from commands._tally_render import (
    HISTORY_PER_PAGE,
    board_line,
    display_name,
    history_embed,
    mention,
    period_label,
    require_person,
    show_embed,
    undone_embed,
)
from commands._tally_undo import UndoButton
from economy.limits import MAX_TIKTOK_NAME_LENGTH
from economy.paging import page_count
from economy.quotes import payout_quote
from economy.storage import (
    By,
    GoalTarget,
    LedgerStore,
    Period,
    as_utc,
)
from economy.tally import (
    record_diamonds,
    record_gifts,
)
from economy.tally_goals import goal_progress

LEADERBOARD_SIZE = 10
TOP_GIFTS = 5
DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024
TikTokName = app_commands.Range[str, 1, MAX_TIKTOK_NAME_LENGTH]


@app_commands.guild_only()
@GUILD_CONTEXTS
@GUILD_INSTALLS
class Tally(
    commands.GroupCog, group_name="tally", group_description="Gift tallies for this server"
):
    """Record gifts, undo, totals, history, leaderboards, resets and the ledger export."""

    def __init__(self, bot: GiftBot) -> None:
        self.bot = bot
        self._exporting: set[int] = set()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(UndoButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(UndoButton)

    @property
    def ledger(self) -> LedgerStore:
        return self.bot.storage.ledger

    # -- writing -----------------------------------------------------------------------------

    @app_commands.command(name="add", description="Record gifts a member received")
    @app_commands.describe(
        gift="The gift (start typing its name)",
        count="How many (default 1)",
        member="Who received them (default: you)",
        gifter="Who gave them, a member of this server (optional)",
        tiktok="Or the gifter's TikTok name (optional)",
    )
    @write_limited()
    async def add(
        self,
        interaction: discord.Interaction[GiftBot],
        gift: GiftOption,
        count: Count = 1,
        member: discord.User | None = None,
        gifter: discord.User | None = None,
        tiktok: TikTokName | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        who = who_for(interaction, ask, member, gifter, tiktok)
        guild_id = require_guild(interaction)
        recorded = await record_gifts(self.ledger, guild_id, who, gift, count, ask.rates)
        await answer_recorded(interaction, ask, recorded)

    @app_commands.command(name="add-diamonds", description="Record diamonds a member received")
    @app_commands.describe(
        amount="How many diamonds",
        member="Who received them (default: you)",
        gifter="Who gave them, a member of this server (optional)",
        tiktok="Or the gifter's TikTok name (optional)",
    )
    @write_limited()
    async def add_diamonds(
        self,
        interaction: discord.Interaction[GiftBot],
        amount: Amount,
        member: discord.User | None = None,
        gifter: discord.User | None = None,
        tiktok: TikTokName | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        who = who_for(interaction, ask, member, gifter, tiktok)
        recorded = await record_diamonds(self.ledger, require_guild(interaction), who, amount)
        await answer_recorded(interaction, ask, recorded)

    @app_commands.command(name="undo", description="Take back the last entry you recorded")
    @write_limited()
    async def undo(self, interaction: discord.Interaction[GiftBot]) -> None:
        ask = await ask_for(interaction)
        entry = await self.ledger.undo_last(require_guild(interaction), interaction.user.id)
        if entry is None:
            raise UserError("tally.undo.nothing")
        await reply(interaction, embed=undone_embed(ask, entry))

    # -- reading -----------------------------------------------------------------------------

    @app_commands.command(name="show", description="A member's diamonds, payout and top gifts")
    @app_commands.describe(member="Whose tally (default: yours)", style=STYLE_DESCRIPTION)
    @app_commands.choices(style=STYLE_CHOICES)
    async def show(
        self,
        interaction: discord.Interaction[GiftBot],
        member: discord.User | None = None,
        style: Choice | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        target = require_person(member or interaction.user)
        tally = await self.ledger.member_tally(guild_id, target.id, TOP_GIFTS)
        standing = await self.bot.storage.community.goal(guild_id, GoalTarget.member(target.id))
        goal = goal_progress(standing, ask.rates, as_utc().date()) if standing else None
        quote = payout_quote(tally.all_time.diamonds_received, ask.rates, ask.currency)
        embed = show_embed(ask, display_name(target), tally, quote)
        add_goal_field(ask, embed, goal)
        file = None
        if wants_card(style):
            file = await personal_picture(interaction, ask, target, tally, quote, goal)
            show_in(embed, file)
        await reply(interaction, embed=embed, file=file)

    @app_commands.command(name="history", description="A member's entries, newest first")
    @app_commands.describe(member="Whose history (default: yours)")
    async def history(
        self, interaction: discord.Interaction[GiftBot], member: discord.User | None = None
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        target = require_person(member or interaction.user)

        async def render(page: int) -> Page:
            offset = (page - 1) * HISTORY_PER_PAGE
            entries, count = await self.ledger.history(
                guild_id, target.id, offset, HISTORY_PER_PAGE
            )
            embed = history_embed(ask, display_name(target), entries, count, page)
            return Page(embed, page_count(count, HISTORY_PER_PAGE))

        await Pager(interaction.user.id, render, locale=ask.locale).start(interaction)

    @app_commands.command(name="leaderboard", description="Who received (or gave) the most")
    @app_commands.describe(
        by="Rank by diamonds received or coins given (default: received)",
        period="Which period (default: all time)",
        style=STYLE_DESCRIPTION,
    )
    @app_commands.choices(by=BY_CHOICES, period=PERIOD_CHOICES, style=STYLE_CHOICES)
    async def leaderboard(
        self,
        interaction: discord.Interaction[GiftBot],
        by: Choice | None = None,
        period: Choice | None = None,
        style: Choice | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        by_value = cast(By, chosen(by, "received"))
        period_value = cast(Period, chosen(period, "all"))
        settings = ask.profile.settings
        if settings is not None and not settings.leaderboard_enabled:
            raise UserError("tally.leaderboard.off")
        standings = await self.ledger.standings(
            guild_id, interaction.user.id, by_value, period_value, LEADERBOARD_SIZE
        )
        lines = [board_line(ask, row, by_value) for row in standings.rows]
        title = ask.t(f"tally.leaderboard.title_{by_value}", period=period_label(ask, period_value))
        embed = answer(ask, title, "\n".join(lines) or ask.t("tally.leaderboard.empty"))
        mine = standings.viewer
        own = (
            board_line(ask, mine, by_value)
            if mine is not None
            else ask.t("tally.leaderboard.not_ranked")
        )
        embed.add_field(name=ask.t("tally.leaderboard.you"), value=own, inline=False)
        file = None
        if wants_card(style):
            file = await board_picture(
                interaction, ask, guild_id, title, by_value, standings.rows, mine
            )
            show_in(embed, file)
        await reply(interaction, embed=embed, file=file)

    # -- managing ----------------------------------------------------------------------------

    @app_commands.command(
        name="reset",
        description="Archive a member's tally (Manage Server)",
        extras={MANAGER: True},
    )
    @app_commands.describe(member="Whose tally to archive")
    @write_limited()
    async def reset(self, interaction: discord.Interaction[GiftBot], member: discord.User) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        target = require_person(member)
        preview = await self.ledger.reset_preview(guild_id, target.id)
        if preview.entries == 0:
            raise UserError("tally.reset.nothing", name=target.display_name)

        async def confirmed(press: discord.Interaction[GiftBot]) -> discord.Embed:
            require_manager(press)
            archived = await self.ledger.archive_member(
                guild_id, target.id, press.user.id, preview.up_to_id
            )
            if archived == 0:
                raise UserError("tally.reset.nothing", name=target.display_name)
            return notice(
                ask,
                ask.t("tally.reset.done_title"),
                ask.t(
                    "tally.reset.done",
                    entries=ask.number(archived),
                    member=mention(target.id),
                    actor=mention(press.user.id),
                ),
            )

        prompt = answer(
            ask,
            ask.t("tally.reset.confirm_title", name=display_name(target)),
            ask.t(
                "tally.reset.confirm",
                entries=ask.number(preview.entries),
                diamonds=ask.number(preview.diamonds),
                member=mention(target.id),
            ),
        )
        view = ConfirmView(
            interaction.user.id,
            locale=ask.locale,
            confirm_label=ask.t("tally.reset.confirm_button"),
            on_confirm=confirmed,
            cancelled=notice(ask, ask.t("tally.reset.cancelled")),
            timed_out=notice(ask, ask.t("tally.reset.timed_out")),
        )
        await view.start(interaction, prompt)

    @app_commands.command(
        name="restore",
        description="Bring back a member's last reset (Manage Server)",
        extras={MANAGER: True},
    )
    @app_commands.describe(member="Whose tally to bring back")
    @write_limited()
    async def restore(
        self, interaction: discord.Interaction[GiftBot], member: discord.User
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        target = require_person(member)
        restored, total = await self.ledger.restore_member(guild_id, target.id)
        if restored == 0:
            raise UserError("tally.restore.nothing", name=target.display_name)
        embed = answer(
            ask,
            ask.t("tally.restore.title"),
            ask.t(
                "tally.restore.done",
                entries=ask.number(restored),
                member=mention(target.id),
                diamonds=ask.number(total),
            ),
        )
        await reply(interaction, embed=embed)

    @app_commands.command(
        name="export",
        description="The server's ledger as a CSV file",
        extras={PRIVATE: True, MANAGER: True},
    )
    async def export(self, interaction: discord.Interaction[GiftBot]) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        if guild_id in self._exporting:
            raise UserError("tally.export.running")
        self._exporting.add(guild_id)
        try:
            await defer(interaction)
            limit = interaction.filesize_limit or DEFAULT_UPLOAD_LIMIT
            await send_export(interaction, ask, self.ledger, guild_id, limit)
        finally:
            self._exporting.discard(guild_id)


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(Tally(bot))
