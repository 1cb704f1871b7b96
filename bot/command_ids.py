"""The ids Discord gave the bot's commands when they were synced, for clickable mentions
(`</tally add:123>`). Read from Discord on first use and kept: the global commands, and the
development server's own (`DEV_GUILD_ID`, where `make sync` puts them); no other server has
commands of its own, so no other server's list is asked for (that was a REST call per server
an hour). Until a sync there are none, and /help writes plain `/tally add` instead."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

import discord

log = logging.getLogger(__name__)

KEEP_SECONDS = 3600.0  # a sync done meanwhile shows within the hour
RETRY_SECONDS = 300.0  # after Discord could not be asked
MAX_SERVERS = 256

Fetch = Callable[[discord.abc.Snowflake | None], Awaitable[list[discord.app_commands.AppCommand]]]


class CommandIds:
    """Top-level command name -> id, globally and in `own_commands_in` (servers commands are
    synced to), fetched through `fetch` (the tree's `fetch_commands`)."""

    def __init__(self, fetch: Fetch, own_commands_in: frozenset[int] = frozenset()) -> None:
        self._fetch = fetch
        self._own_commands_in = own_commands_in
        self._known: OrderedDict[int | None, tuple[float, dict[str, int]]] = OrderedDict()

    async def ids(self, guild_id: int | None) -> dict[str, int]:
        """The ids that work in this server (its own commands win over global ones)."""
        found = dict(await self._ids(None))
        if guild_id in self._own_commands_in:
            found.update(await self._ids(guild_id))
        return found

    async def _ids(self, guild_id: int | None) -> dict[str, int]:
        now = time.monotonic()
        cached = self._known.get(guild_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        where = discord.Object(id=guild_id) if guild_id is not None else None
        try:
            commands = await self._fetch(where)
        except (discord.HTTPException, discord.ClientException) as error:
            log.info("Command ids not fetched (%s); mentions stay plain for now", error)
            self._remember(guild_id, now + RETRY_SECONDS, {})
            return {}
        ids = {command.name: command.id for command in commands}
        self._remember(guild_id, now + KEEP_SECONDS, ids)
        return ids

    def _remember(self, guild_id: int | None, until: float, ids: dict[str, int]) -> None:
        self._known[guild_id] = (until, ids)
        self._known.move_to_end(guild_id)
        while len(self._known) > MAX_SERVERS:
            self._known.popitem(last=False)

    def forget(self) -> None:
        """Ask Discord again next time (after a sync)."""
        self._known.clear()


def mention(path: str, ids: dict[str, int], plain: str) -> str:
    """`</tally add:123>` when the top-level command's id is known, else `plain`."""
    command_id = ids.get(path.split(" ", 1)[0])
    return f"</{path}:{command_id}>" if command_id else plain
