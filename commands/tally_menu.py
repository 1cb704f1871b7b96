"""Right-click a member, Apps > "Record a gift": a form (gift, how many, the gifter's TikTok
name) that records exactly like /tally add: the same checks, the same answer, its Undo."""

from __future__ import annotations

import secrets

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot
from bot.context import Ask, ask_for
from bot.errors import UserError, report_error
from bot.permissions import require_guild
from bot.ratelimit import over_limit
from bot.respond import responder_of, watch
from commands._recorded import answer_recorded, recipient_for, who_for
from commands._tally_render import require_person
from economy.limits import MAX_QUERY_LENGTH, MAX_TIKTOK_NAME_LENGTH
from economy.tally import parse_count, record_gifts

MENU_NAME = "Record a gift"
FORM_SECONDS = 600.0


class RecordGiftForm(discord.ui.Modal):
    """Gift, count and an optional TikTok gifter, for one member."""

    def __init__(self, ask: Ask, member: discord.abc.User) -> None:
        title = ask.t("menu.title", name=member.display_name)
        super().__init__(
            title=title if len(title) <= 45 else title[:44] + "…",
            timeout=FORM_SECONDS,
            custom_id=f"record-gift:{member.id}:{secrets.token_hex(6)}",
        )
        self.member = member
        self.gift: discord.ui.TextInput[RecordGiftForm] = discord.ui.TextInput(
            label=ask.t("menu.gift"), placeholder=ask.t("menu.gift_hint"),
            max_length=MAX_QUERY_LENGTH, custom_id="gift",
        )  # fmt: skip
        self.count: discord.ui.TextInput[RecordGiftForm] = discord.ui.TextInput(
            label=ask.t("menu.count"), default="1", max_length=12, custom_id="count"
        )
        self.tiktok: discord.ui.TextInput[RecordGiftForm] = discord.ui.TextInput(
            label=ask.t("menu.tiktok"), placeholder="@", required=False,
            max_length=MAX_TIKTOK_NAME_LENGTH, custom_id="tiktok",
        )  # fmt: skip
        for field in (self.gift, self.count, self.tiktok):
            self.add_item(field)

    async def on_submit(self, interaction: discord.Interaction[GiftBot]) -> None:  # type: ignore[override]
        if watch(interaction) is None:
            raise UserError("error.busy")
        over_limit(interaction.client.write_limiter, interaction)
        ask = await ask_for(interaction)
        match = ask.catalog.resolve(self.gift.value)  # as /tally add's gift option does
        ask.gift_matches.append(match)  # the answer says which gift a typo was taken for
        gift = match.gift
        count = parse_count(self.count.value)
        tiktok = self.tiktok.value.strip() or None
        who = who_for(interaction, ask, self.member, None, tiktok)
        storage = interaction.client.storage
        guild_id = require_guild(interaction)
        recorded = await record_gifts(storage.ledger, guild_id, who, gift, count, ask.rates)
        await answer_recorded(interaction, ask, recorded)

    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[GiftBot], error: Exception
    ) -> None:
        await report_error(interaction, error)


class RecordGiftMenu(commands.Cog):
    """The "Record a gift" user menu."""

    def __init__(self, bot: GiftBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(name=MENU_NAME, callback=self.open_form)
        self.menu.guild_only = True
        self.menu.allowed_contexts = app_commands.AppCommandContext(guild=True)
        self.menu.allowed_installs = app_commands.AppInstallationType(guild=True)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def open_form(
        self, interaction: discord.Interaction[GiftBot], member: discord.Member
    ) -> None:
        """Refuse at once what the form could never record; else open it. A form must be the
        first response, so no "thinking..." deferral may come before it."""
        responder = responder_of(interaction)
        if responder is not None:
            responder.stop()
        ask = await ask_for(interaction)
        require_guild(interaction)
        recipient_for(interaction, ask, require_person(member))
        await interaction.response.send_modal(RecordGiftForm(ask, member))


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(RecordGiftMenu(bot))
