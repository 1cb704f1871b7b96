"""Sending `/tally export`: the ledger streamed into gzip parts, each under the upload limit,
with a progress line on the deferred answer while a long one is written."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from pathlib import Path

import discord

from bot.client import GiftBot
from bot.context import Ask
from bot.render import notice
from bot.respond import reply
from economy.ledger_export import export_ledger
from economy.storage import LedgerStore

PROGRESS_EVERY = 100_000  # rows between progress edits of a long export


async def send_export(
    interaction: discord.Interaction[GiftBot],
    ask: Ask,
    ledger: LedgerStore,
    guild_id: int,
    limit: int,
) -> None:
    """Write the server's ledger off the event loop and send it, a part per message."""
    shown = 0
    edits: set[asyncio.Task[None]] = set()

    def progress(rows: int) -> None:
        nonlocal shown
        if rows - shown >= PROGRESS_EVERY:
            shown = rows
            text = ask.t("tally.export.progress", plural=rows, rows=ask.number(rows))
            task = asyncio.create_task(show_progress(interaction, text))
            edits.add(task)
            task.add_done_callback(edits.discard)

    with tempfile.TemporaryDirectory(prefix="tally-export-") as folder:
        stem = f"tally-{guild_id}"
        parts = await export_ledger(
            ledger.export_rows(guild_id), Path(folder), stem, limit, progress
        )
        await asyncio.gather(*edits)
        total = len(parts.files)
        done = ask.t(
            "tally.export.done", plural=total, rows=ask.number(parts.rows), parts=ask.number(total)
        )
        for number, path in enumerate(parts.files, start=1):
            title = ask.t("tally.export.title")
            if total > 1:
                title += " · " + ask.t("tally.export.part", part=number, parts=total)
            embed = notice(ask, title, done)
            await reply(interaction, embed=embed, file=discord.File(path), ephemeral=True)


async def show_progress(interaction: discord.Interaction[GiftBot], text: str) -> None:
    """Show progress on the deferred answer; a failed edit only loses the progress line."""
    with contextlib.suppress(discord.HTTPException):
        await interaction.edit_original_response(content=text)
