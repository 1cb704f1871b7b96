"""Buttons (and select menus) only the person who ran the command may use, routed to the one
error handler.

Each view's buttons carry the view's own id at the end of their custom_id, and the view is
registered with the bot (`GiftBot.live_views`) when it is sent, so a press on a button whose
view has stopped (timed out, finished, or from before a restart) is answered "expired".
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import UserError, report_error
from bot.i18n import t
from bot.respond import reply, update, watch

if TYPE_CHECKING:
    from bot.client import GiftBot

CONFIRM_TIMEOUT_SECONDS = 60.0
EmbedMaker = Callable[[discord.Interaction["GiftBot"]], Awaitable[discord.Embed]]


class PersistentPress:
    """Mixin for a persistent button (a `DynamicItem` whose custom_id carries its state):
    its press runs `pressed` under the interaction deadline, and any error is answered
    through the one error path. Put it before `DynamicItem` in the bases."""

    async def pressed(self, interaction: discord.Interaction[Any]) -> None:
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if watch(interaction) is None:
                raise UserError("error.busy")
            await self.pressed(interaction)
        except Exception as error:
            await report_error(interaction, error)


class CallerView(discord.ui.View):
    """A view whose buttons answer only `owner_id`; anyone else is told so, privately."""

    def __init__(self, owner_id: int, *, timeout: float | None) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.origin: discord.Interaction[GiftBot] | None = None
        self.view_id = secrets.token_hex(8)
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select) and item.custom_id:
                item.custom_id = f"{item.custom_id}:{self.view_id}"

    def listen(self, interaction: discord.Interaction[GiftBot]) -> None:
        """Remember the interaction the view answers, and tell the bot it listens."""
        self.origin = interaction
        interaction.client.live_views.add(self.view_id, self)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Only the owner; and the press's answer deadline starts before any work."""
        if interaction.user.id != self.owner_id:
            await reply(interaction, content=t(interaction.locale, "common.only_caller"),
                        ephemeral=True)  # fmt: skip
            return False
        if watch(interaction) is None:
            await reply(interaction, content=t(interaction.locale, "error.busy"), ephemeral=True)
            return False
        return True

    async def on_error(
        self,
        interaction: discord.Interaction[Any],
        error: Exception,
        item: discord.ui.Item[Any],
    ) -> None:
        await report_error(interaction, error)


class ConfirmView(CallerView):
    """Confirm / Cancel for a destructive action; expires to "nothing changed"."""

    def __init__(
        self,
        owner_id: int,
        *,
        locale: str,
        confirm_label: str,
        on_confirm: EmbedMaker,
        cancelled: discord.Embed,
        timed_out: discord.Embed,
        timeout: float | None = None,
    ) -> None:
        super().__init__(owner_id, timeout=CONFIRM_TIMEOUT_SECONDS if timeout is None else timeout)
        self.on_confirm = on_confirm
        self.cancelled = cancelled
        self.timed_out = timed_out
        self.finished = False
        self.confirm.label = confirm_label
        self.cancel.label = t(locale, "common.cancel")

    async def start(self, interaction: discord.Interaction[GiftBot], embed: discord.Embed) -> None:
        self.listen(interaction)
        await reply(interaction, embed=embed, view=self)

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger, custom_id="confirm:yes")
    async def confirm(
        self, interaction: discord.Interaction[GiftBot], _: discord.ui.Button[ConfirmView]
    ) -> None:
        if self.finished:
            await reply(interaction, content=t(interaction.locale, "common.already_done"),
                        ephemeral=True)  # fmt: skip
            return
        self.finished = True
        try:
            embed = await self.on_confirm(interaction)
        except BaseException:
            self.finished = False
            raise
        self.stop()
        await update(interaction, embed=embed, view=None)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary, custom_id="confirm:no")
    async def cancel(
        self, interaction: discord.Interaction[GiftBot], _: discord.ui.Button[ConfirmView]
    ) -> None:
        if self.finished:
            await reply(interaction, content=t(interaction.locale, "common.already_done"),
                        ephemeral=True)  # fmt: skip
            return
        self.finished = True
        self.stop()
        await update(interaction, embed=self.cancelled, view=None)

    async def on_timeout(self) -> None:
        if self.finished:
            return
        self.finished = True
        if self.origin is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.origin.edit_original_response(embed=self.timed_out, view=None)
