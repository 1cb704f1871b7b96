"""/tally: record the gifts members receive, and read the server's tallies back."""

from __future__ import annotations

import gzip
import io
from typing import cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot
from bot.context import Ask, ask_for
from bot.errors import UserError
from bot.pager import Pager
from bot.permissions import is_manager, require_guild, require_manager, require_member
from bot.ratelimit import write_limited
from bot.render import answer
from bot.transformers import GiftOption
from bot.views import ConfirmView
from commands._options import (
    BY_CHOICES,
    GUILD_CONTEXTS,
    PERIOD_CHOICES,
    Amount,
    Choice,
    Count,
    chosen,
)
from commands._payout_render import add_payout_fields
from commands._tally_render import (
    add_page_field,
    display_name,
    entry_what,
    mention,
    period_label,
    require_person,
)
from economy.paging import page_count
from economy.quotes import payout_quote
from economy.storage import By, Entry, LedgerStore, MemberTally, Period, Recorded
from economy.tally import ledger_csv, may_record_for_others, record_diamonds, record_gifts

HISTORY_PER_PAGE = 10
LEADERBOARD_SIZE = 10
TOP_GIFTS = 5
DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024


def recipient_for(
    interaction: discord.Interaction[GiftBot], ask: Ask, member: discord.User | None
) -> discord.abc.User:
    """Who receives: the caller, or a member of this server the caller may add to."""
    if member is None or member.id == interaction.user.id:
        return interaction.user
    target = require_member(interaction, member)
    if not may_record_for_others(ask.profile.settings, is_manager=is_manager(interaction)):
        raise UserError("tally.others_not_allowed")
    return target


def added_embed(ask: Ask, recorded: Recorded) -> discord.Embed:
    entry = recorded.entry
    if entry.gift_name is None:
        line = ask.t(
            "tally.add.line_raw",
            diamonds=ask.number(entry.diamonds),
            member=mention(entry.recipient_id),
        )
    else:
        what = entry_what(ask, entry.gift_name, entry.count)
        line = ask.t("tally.add.line", what=what, member=mention(entry.recipient_id))
    lines = [line]
    if entry.sender_id != entry.recipient_id:
        lines.append(ask.t("tally.add.by", member=mention(entry.sender_id)))
    lines.append(ask.t("tally.add.undo_hint"))
    embed = answer(ask, ask.t("tally.add.title"), "\n".join(lines))
    embed.add_field(
        name=ask.t("tally.add.diamonds"), value=f"+{ask.number(entry.diamonds)}", inline=True
    )
    if entry.coins:
        embed.add_field(name=ask.t("tally.add.coins"), value=ask.number(entry.coins))
    embed.add_field(
        name=ask.t("tally.add.total"),
        value=ask.t("tally.diamonds", diamonds=ask.number(recorded.recipient_total)),
    )
    return embed


def show_embed(ask: Ask, name: str, tally: MemberTally) -> discord.Embed:
    """A member's totals, payout, top gifts and what they sent."""
    summary = tally.all_time
    embed = answer(ask, ask.t("tally.show.title", name=name))
    embed.add_field(name=ask.t("tally.show.received"), value=ask.number(summary.diamonds_received))
    rank = (
        ask.t("tally.show.rank_value", rank=ask.number(summary.rank_received))
        if summary.rank_received is not None
        else ask.t("tally.show.unranked")
    )
    embed.add_field(name=ask.t("tally.show.rank"), value=rank)
    embed.add_field(
        name=ask.t("tally.show.recent"),
        value=ask.t(
            "tally.show.recent_value",
            month=ask.number(tally.month.diamonds_received),
            week=ask.number(tally.week.diamonds_received),
        ),
    )
    add_payout_fields(ask, embed, payout_quote(summary.diamonds_received, ask.rates, ask.currency))
    lines = [
        ask.t(
            "tally.show.gift_line",
            what=entry_what(ask, g.gift_name, g.count),
            diamonds=ask.number(g.diamonds),
        )
        for g in tally.top_gifts
    ]
    embed.add_field(
        name=ask.t("tally.show.top_gifts"),
        value="\n".join(lines) or ask.t("tally.show.no_gifts"),
        inline=False,
    )
    embed.add_field(name=ask.t("tally.show.sent"), value=ask.number(summary.coins_sent))
    return embed


@app_commands.guild_only()
@GUILD_CONTEXTS
class Tally(
    commands.GroupCog, group_name="tally", group_description="Gift tallies for this server"
):
    """Record gifts, undo, totals, history, leaderboards, resets and the ledger export."""

    def __init__(self, bot: GiftBot) -> None:
        self.bot = bot

    @property
    def ledger(self) -> LedgerStore:
        return self.bot.storage.ledger

    # -- writing -----------------------------------------------------------------------------

    @app_commands.command(name="add", description="Record gifts a member received")
    @app_commands.describe(
        gift="The gift (start typing its name)",
        count="How many (default 1)",
        member="Who received them (default: you)",
    )
    @write_limited()
    async def add(
        self,
        interaction: discord.Interaction[GiftBot],
        gift: GiftOption,
        count: Count = 1,
        member: discord.User | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        recipient = recipient_for(interaction, ask, member)
        recorded = await record_gifts(
            self.ledger,
            require_guild(interaction),
            recipient.id,
            interaction.user.id,
            gift,
            count,
            ask.rates,
        )
        await interaction.response.send_message(embed=added_embed(ask, recorded))

    @app_commands.command(name="add-diamonds", description="Record diamonds a member received")
    @app_commands.describe(amount="How many diamonds", member="Who received them (default: you)")
    @write_limited()
    async def add_diamonds(
        self,
        interaction: discord.Interaction[GiftBot],
        amount: Amount,
        member: discord.User | None = None,
    ) -> None:
        ask = await ask_for(interaction)
        recipient = recipient_for(interaction, ask, member)
        recorded = await record_diamonds(
            self.ledger, require_guild(interaction), recipient.id, interaction.user.id, amount
        )
        await interaction.response.send_message(embed=added_embed(ask, recorded))

    @app_commands.command(name="undo", description="Take back the last entry you recorded")
    @write_limited()
    async def undo(self, interaction: discord.Interaction[GiftBot]) -> None:
        ask = await ask_for(interaction)
        entry = await self.ledger.undo_last(require_guild(interaction), interaction.user.id)
        if entry is None:
            raise UserError("tally.undo.nothing")
        description = ask.t(
            "tally.undo.line" if entry.gift_name is not None else "tally.undo.line_raw",
            what=entry_what(ask, entry.gift_name, entry.count),
            member=mention(entry.recipient_id),
            diamonds=ask.number(entry.diamonds),
        )
        embed = answer(ask, ask.t("tally.undo.title"), description)
        await interaction.response.send_message(embed=embed)

    # -- reading -----------------------------------------------------------------------------

    @app_commands.command(name="show", description="A member's diamonds, payout and top gifts")
    @app_commands.describe(member="Whose tally (default: yours)")
    async def show(
        self, interaction: discord.Interaction[GiftBot], member: discord.User | None = None
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        target = require_person(member or interaction.user)
        tally = await self.ledger.member_tally(guild_id, target.id, TOP_GIFTS)
        embed = show_embed(ask, display_name(target), tally)
        await interaction.response.send_message(embed=embed)

    @app_commands.command(name="history", description="A member's entries, newest first")
    @app_commands.describe(member="Whose history (default: yours)")
    async def history(
        self, interaction: discord.Interaction[GiftBot], member: discord.User | None = None
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        target = require_person(member or interaction.user)
        _, total = await self.ledger.history(guild_id, target.id, 0, 1)

        async def render(page: int) -> discord.Embed:
            offset = (page - 1) * HISTORY_PER_PAGE
            entries, count = await self.ledger.history(
                guild_id, target.id, offset, HISTORY_PER_PAGE
            )
            return history_embed(ask, display_name(target), entries, count, page)

        pages = page_count(total, HISTORY_PER_PAGE)
        await Pager(interaction.user.id, pages, render, locale=ask.locale).start(interaction)

    @app_commands.command(name="leaderboard", description="Who received (or sent) the most")
    @app_commands.describe(
        by="Rank by diamonds received or coins sent (default: received)",
        period="Which period (default: all time)",
    )
    @app_commands.choices(by=BY_CHOICES, period=PERIOD_CHOICES)
    async def leaderboard(
        self,
        interaction: discord.Interaction[GiftBot],
        by: Choice | None = None,
        period: Choice | None = None,
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
        unit = "tally.diamonds" if by_value == "received" else "tally.coins"

        def line(rank: int, user_id: int, value: int) -> str:
            return ask.t(
                "tally.leaderboard.line",
                rank=ask.number(rank),
                member=mention(user_id),
                value=ask.t(unit, diamonds=ask.number(value), coins=ask.number(value)),
            )

        lines = [line(r.rank, r.user_id, r.value) for r in standings.rows]
        embed = answer(
            ask,
            ask.t(f"tally.leaderboard.title_{by_value}", period=period_label(ask, period_value)),
            "\n".join(lines) or ask.t("tally.leaderboard.empty"),
        )
        mine = standings.viewer
        own = (
            line(mine.rank, mine.user_id, mine.value)
            if mine is not None
            else ask.t("tally.leaderboard.not_ranked")
        )
        embed.add_field(name=ask.t("tally.leaderboard.you"), value=own, inline=False)
        await interaction.response.send_message(embed=embed)

    # -- managing ----------------------------------------------------------------------------

    @app_commands.command(name="reset", description="Archive a member's tally (Manage Server)")
    @app_commands.describe(member="Whose tally to archive")
    @write_limited()
    async def reset(self, interaction: discord.Interaction[GiftBot], member: discord.User) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        require_manager(interaction)
        target = require_person(member)
        summary = await self.ledger.user_summary(guild_id, target.id)
        if summary.entries_received == 0:
            raise UserError("tally.reset.nothing", name=target.display_name)

        async def confirmed(press: discord.Interaction[GiftBot]) -> discord.Embed:
            require_manager(press)
            archived = await self.ledger.archive_member(guild_id, target.id, press.user.id)
            if archived == 0:
                raise UserError("tally.reset.nothing", name=target.display_name)
            return answer(
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
                entries=ask.number(summary.entries_received),
                diamonds=ask.number(summary.diamonds_received),
                member=mention(target.id),
            ),
        )
        view = ConfirmView(
            interaction.user.id,
            locale=ask.locale,
            confirm_label=ask.t("tally.reset.confirm_button"),
            on_confirm=confirmed,
            cancelled=answer(ask, ask.t("tally.reset.cancelled")),
            timed_out=answer(ask, ask.t("tally.reset.timed_out")),
        )
        await view.start(interaction, prompt)

    @app_commands.command(
        name="restore", description="Bring back a member's last reset (Manage Server)"
    )
    @app_commands.describe(member="Whose tally to bring back")
    @write_limited()
    async def restore(
        self, interaction: discord.Interaction[GiftBot], member: discord.User
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        require_manager(interaction)
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
        await interaction.response.send_message(embed=embed)

    @app_commands.command(name="export", description="The server's ledger as a CSV file")
    async def export(self, interaction: discord.Interaction[GiftBot]) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        require_manager(interaction)
        await interaction.response.defer(thinking=True, ephemeral=True)
        data, rows = await ledger_csv(self.ledger.export_rows(guild_id))
        filename = f"tally-{guild_id}.csv"
        limit = interaction.filesize_limit or DEFAULT_UPLOAD_LIMIT
        if len(data) > limit:
            data, filename = gzip.compress(data), filename + ".gz"
            if len(data) > limit:
                raise UserError("tally.export.too_big", rows=rows)
        embed = answer(
            ask, ask.t("tally.export.title"), ask.t("tally.export.done", rows=ask.number(rows))
        )
        await interaction.followup.send(
            embed=embed, file=discord.File(io.BytesIO(data), filename), ephemeral=True
        )


def history_embed(
    ask: Ask, name: str, entries: list[Entry], count: int, page: int
) -> discord.Embed:
    """One page of a member's received entries, newest first."""
    lines = [
        ask.t(
            "tally.history.line",
            when=discord.utils.format_dt(e.created_at, "d"),
            what=entry_what(ask, e.gift_name, e.count),
            diamonds=ask.number(e.diamonds),
            sender=mention(e.sender_id),
        )
        for e in entries
    ]
    embed = answer(
        ask,
        ask.t("tally.history.title", name=name, total=ask.number(count)),
        "\n".join(lines) or ask.t("tally.history.empty"),
    )
    add_page_field(ask, embed, page, page_count(count, HISTORY_PER_PAGE))
    return embed


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(Tally(bot))
