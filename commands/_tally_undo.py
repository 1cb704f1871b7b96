"""The Undo button under every `/tally add` answer: only its recorder, for 15 minutes.

The button's custom_id carries the entry and the recorder (`p:undo:<entry>:<recorder>`), so
it works after a restart (a persistent dynamic item) and refuses anyone else without a read.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import discord

from bot.client import GiftBot
from bot.context import ask_for
from bot.errors import UserError
from bot.respond import update
from bot.views import PersistentPress
from commands._tally_render import undone_embed
from economy.limits import UNDO_WINDOW_SECONDS
from economy.storage import as_utc

UNDO_ID = "p:undo:{entry}:{recorder}"


class UndoButton(
    PersistentPress,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"p:undo:(?P<entry>[0-9]{1,19}):(?P<recorder>[0-9]{1,20})",
):
    """Undo one entry, pressed by the person who recorded it, within the undo window."""

    def __init__(self, entry_id: int, recorder_id: int, label: str = "Undo") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=UNDO_ID.format(entry=entry_id, recorder=recorder_id),
            )
        )
        self.entry_id = entry_id
        self.recorder_id = recorder_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> UndoButton:
        return cls(int(match["entry"]), int(match["recorder"]))

    async def pressed(self, interaction: discord.Interaction[GiftBot]) -> None:
        """Undo the entry, or tell the presser why not."""
        if interaction.user.id != self.recorder_id:
            raise UserError("tally.undo.not_yours")
        ask = await ask_for(interaction)
        guild_id = interaction.guild_id
        if guild_id is None:
            raise UserError("error.guild_only")
        since = as_utc() - timedelta(seconds=UNDO_WINDOW_SECONDS)
        entry = await interaction.client.storage.ledger.undo_entry(
            guild_id, self.entry_id, interaction.user.id, since=since
        )
        if entry is None:
            raise UserError("tally.undo.too_late")
        await update(interaction, embed=undone_embed(ask, entry), view=None)


def undo_view(entry_id: int, recorder_id: int, label: str) -> discord.ui.View:
    """A message's view holding only the Undo button."""
    view = discord.ui.View(timeout=None)
    view.add_item(UndoButton(entry_id, recorder_id, label))
    return view
