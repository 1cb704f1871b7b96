"""Previous / Next buttons over pages of an answer; only the caller may press; they expire."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import discord

from bot.i18n import t
from bot.respond import reply, update
from bot.views import CallerView

if TYPE_CHECKING:
    from bot.client import GiftBot


class Page(NamedTuple):
    """One rendered page and how many pages there are now (the count comes with the page,
    read in the same snapshot, so no count is read before the first page)."""

    embed: discord.Embed
    pages: int


PageRenderer = Callable[[int], Awaitable[Page]]
TIMEOUT_SECONDS = 180.0


class Pager(CallerView):
    """Pages rendered on demand by `render(page)`, which also says how many there are."""

    def __init__(
        self,
        owner_id: int,
        render: PageRenderer,
        *,
        locale: str,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        super().__init__(owner_id, timeout=timeout)
        self.pages = 1
        self.page = 1
        self.render = render
        self.locale = locale
        self.previous.label = t(locale, "common.previous")
        self.next.label = t(locale, "common.next")
        self._sync_buttons()

    async def start(self, interaction: discord.Interaction[GiftBot], **send: Any) -> None:
        """Send page 1 (buttons only when there is more than one page)."""
        embed = await self._render(1)
        self.listen(interaction)
        if self.pages > 1:
            await reply(interaction, embed=embed, view=self, **send)
        else:
            self.stop()
            await reply(interaction, embed=embed, **send)

    async def _render(self, page: int) -> discord.Embed:
        """Page `page`; the page count (and so the buttons) follows what it says."""
        rendered = await self.render(page)
        self.pages = max(1, rendered.pages)
        self._sync_buttons()
        return rendered.embed

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page <= 1
        self.next.disabled = self.page >= self.pages

    async def _show(self, interaction: discord.Interaction[GiftBot], page: int) -> None:
        self.page = min(max(page, 1), self.pages)
        embed = await self._render(self.page)
        if self.page > self.pages:  # the list shrank since the last page was drawn
            self.page = self.pages
            embed = await self._render(self.page)
        await update(interaction, embed=embed, view=self)

    @discord.ui.button(
        label="Previous", style=discord.ButtonStyle.secondary, custom_id="pager:prev"
    )
    async def previous(
        self, interaction: discord.Interaction[GiftBot], _: discord.ui.Button[Pager]
    ) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary, custom_id="pager:next")
    async def next(
        self, interaction: discord.Interaction[GiftBot], _: discord.ui.Button[Pager]
    ) -> None:
        await self._show(interaction, self.page + 1)

    async def on_timeout(self) -> None:
        """Grey the buttons out so nobody presses a dead pager."""
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.origin is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.origin.edit_original_response(view=self)
