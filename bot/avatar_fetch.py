"""Avatar pictures for cards, downloaded from Discord's CDN with a short deadline.

Discord gives avatar addresses (in an interaction's payload, and in the names kept at write
time), never the pictures. A card asks for a few at once; each address is fetched once at
128 px and remembered (failures too, so a gone avatar is not asked for again and again).
Whatever has not arrived by the deadline is drawn as an initial instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import TypeVar

import aiohttp
import discord

log = logging.getLogger(__name__)

CDN = "https://cdn.discordapp.com/"
AVATAR_SIZE = 128
DEADLINE_SECONDS = 0.8
MAX_REMEMBERED = 512
MAX_BYTES = 2 * 2**20

K = TypeVar("K", bound=Hashable)
Download = Callable[[str], Awaitable[bytes]]


def avatar_address(url: str | None) -> str | None:
    """A custom avatar's address at 128 px; None for Discord's default pictures and for
    anything that is not on Discord's CDN."""
    if not url or not url.startswith(CDN) or "/embed/avatars/" in url:
        return None
    return f"{url.split('?', 1)[0]}?size={AVATAR_SIZE}"


class AvatarFetcher:
    """Fetches avatar pictures through `download` (the bot's CDN client), remembering them."""

    def __init__(self, download: Download) -> None:
        self._download = download
        self._known: OrderedDict[str, bytes | None] = OrderedDict()

    async def fetch(
        self, addresses: Mapping[K, str | None], deadline: float = DEADLINE_SECONDS
    ) -> dict[K, bytes]:
        """The pictures that arrived within `deadline` seconds, by the caller's keys."""
        wanted = {key: avatar_address(url) for key, url in addresses.items()}
        missing = {url for url in wanted.values() if url is not None and url not in self._known}
        if missing:
            tasks = {asyncio.ensure_future(self._one(url)): url for url in missing}
            _, late = await asyncio.wait(tasks, timeout=deadline)
            for task in late:
                task.cancel()
        found: dict[K, bytes] = {}
        for key, url in wanted.items():
            picture = self._known.get(url) if url is not None else None
            if picture is not None:
                self._known.move_to_end(url or "")
                found[key] = picture
        return found

    async def _one(self, url: str) -> None:
        try:
            data: bytes | None = await self._download(url)
        except (discord.HTTPException, aiohttp.ClientError, OSError, ValueError) as error:
            log.debug("Avatar %s not fetched: %s", url, error)
            data = None
        self._known[url] = data if data and len(data) <= MAX_BYTES else None
        while len(self._known) > MAX_REMEMBERED:
            self._known.popitem(last=False)
