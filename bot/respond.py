"""Every interaction answered within Discord's 3-second deadline, whatever the database does.

`watch(interaction)` runs before a command (or a button) does any work:

* an interaction that is already too old to answer (the bot was overloaded) is refused at
  once with "busy, try again", and nothing is done;
* otherwise a timer defers the answer ("thinking...") `DEFER_AFTER` seconds after Discord
  created the interaction if nothing has been sent by then, and every write the work makes
  must start before `START_BY` unless that deferral went through (`WriteDeadline`): a write
  is either answered (now, or as a follow-up with its real result) or never performed.

`reply(...)` is the one way a handler answers: a response while none was sent, else a
follow-up that replaces the "thinking" message. Both go through one lock per interaction, so
the timer and the handler never answer twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord

from economy.storage.deadlines import WriteDeadline, write_deadline

log = logging.getLogger(__name__)

DEFER_AFTER = 1.5  # seconds after Discord created the interaction
START_BY = 2.5  # a write not started by then is dropped unless the answer was deferred
TOO_OLD = 2.4  # an interaction this old when it reaches a handler is refused as busy
AFTER_DEFER = 600.0  # once deferred, Discord accepts the follow-up for 15 minutes
RESPONDER_KEY = "tiktok_gift_bot.responder"


@dataclass
class Responder:
    """The answer state of one interaction."""

    interaction: discord.Interaction[Any]
    private: bool
    deadline: WriteDeadline
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    deferred: bool = False
    public_thinking: bool = False  # a public "thinking..." message stands in for the answer
    timer: asyncio.Task[None] | None = None

    async def defer_if_quiet(self, delay: float) -> None:
        """After `delay`, defer unless an answer was sent meanwhile."""
        await asyncio.sleep(max(0.0, delay))
        async with self.lock:
            response = self.interaction.response
            if response.is_done():
                return
            try:
                if self.interaction.type is discord.InteractionType.component:
                    await response.defer()  # "loading" on the message the button is on
                else:
                    await response.defer(thinking=True, ephemeral=self.private)
                    self.public_thinking = not self.private
            except discord.HTTPException as error:
                log.warning("Could not defer interaction %s: %s", self.interaction.id, error)
                return
            self.deferred = True
            self.deadline.start_by = time.monotonic() + AFTER_DEFER

    def stop(self) -> None:
        if self.timer is not None and not self.timer.done():
            self.timer.cancel()


def age_of(interaction: discord.Interaction[Any]) -> float:
    """Seconds since Discord created the interaction (from its snowflake id)."""
    return (datetime.now(UTC) - interaction.created_at).total_seconds()


def responder_of(interaction: discord.Interaction[Any]) -> Responder | None:
    found = interaction.extras.get(RESPONDER_KEY)
    return found if isinstance(found, Responder) else None


def watch(interaction: discord.Interaction[Any], *, private: bool = False) -> Responder | None:
    """Start the deadline of an interaction (once); None when it is already too old to do any
    work in (the caller answers "busy" and does nothing)."""
    existing = responder_of(interaction)
    if existing is not None:
        return existing
    age = age_of(interaction)
    if age > TOO_OLD:
        return None
    deadline = WriteDeadline(time.monotonic() + (START_BY - age))
    write_deadline.set(deadline)
    responder = Responder(interaction, private, deadline)
    responder.timer = asyncio.create_task(responder.defer_if_quiet(DEFER_AFTER - age))
    interaction.extras[RESPONDER_KEY] = responder
    return responder


async def reply(
    interaction: discord.Interaction[Any],
    *,
    content: str | None = None,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
    ephemeral: bool = False,
) -> None:
    """Answer once: the response when none was sent, else a follow-up in its place."""
    responder = responder_of(interaction)
    lock = responder.lock if responder is not None else contextlib.nullcontext()
    allowed = discord.AllowedMentions.none()
    extra: dict[str, Any] = {}
    if embed is not None:
        extra["embed"] = embed
    if view is not None:
        extra["view"] = view
    if file is not None:
        extra["file"] = file
    async with lock:
        if responder is not None:
            responder.stop()
        if not interaction.response.is_done():
            await interaction.response.send_message(
                content, ephemeral=ephemeral, allowed_mentions=allowed, **extra
            )
            return
        if ephemeral and responder is not None and responder.public_thinking:
            # A private answer cannot replace a public "thinking" message: remove it. (A
            # deferred button press has none: its original is the message the button is on.)
            with contextlib.suppress(discord.HTTPException):
                await interaction.delete_original_response()
        await interaction.followup.send(
            content if content is not None else discord.utils.MISSING,
            ephemeral=ephemeral,
            allowed_mentions=allowed,
            **extra,
        )


async def update(
    interaction: discord.Interaction[Any],
    *,
    embed: discord.Embed | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Replace the message a pressed button is on (also after a deferral)."""
    responder = responder_of(interaction)
    lock = responder.lock if responder is not None else contextlib.nullcontext()
    async with lock:
        if responder is not None:
            responder.stop()
        if not interaction.response.is_done():
            await interaction.response.edit_message(embed=embed, view=view)
        else:
            await interaction.edit_original_response(embed=embed, view=view)


async def attach(
    interaction: discord.Interaction[Any],
    *,
    embed: discord.Embed,
    file: discord.File,
    view: discord.ui.View | None = None,
) -> None:
    """Add `file` (a picture `embed` shows) to the answer already sent; if Discord refuses
    (the message is gone), the answer stays as it was."""
    responder = responder_of(interaction)
    lock = responder.lock if responder is not None else contextlib.nullcontext()
    async with lock:
        try:
            await interaction.edit_original_response(embed=embed, attachments=[file], view=view)
        except discord.HTTPException as error:
            log.warning("Could not add a picture to interaction %s: %s", interaction.id, error)


async def defer(interaction: discord.Interaction[Any]) -> None:
    """Defer now (a long answer follows); nothing when already answered or deferred."""
    responder = responder_of(interaction)
    if responder is None:
        if not interaction.response.is_done():
            await interaction.response.defer(thinking=True, ephemeral=True)
        return
    await responder.defer_if_quiet(0)
