"""Subcommand groups another cog puts under a top-level group (`/tally goal`, `/tally posts`,
`/tally roles` under the Tally cog's `/tally`): one module each, small files.

Cogs load by module name, so `commands.tally` is loaded before `commands.tally_goals`.
"""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot

PARENT = "tally"


class Subgroup(commands.Cog):
    """A cog whose only commands are `group`, put under the top-level group `parent`
    (subclass it: a cog's name is its class's)."""

    def __init__(self, bot: GiftBot, group: app_commands.Group, parent: str = PARENT) -> None:
        self.bot = bot
        self.group = group
        self.parent = parent

    async def cog_load(self) -> None:
        found = self.bot.tree.get_command(self.parent)
        if not isinstance(found, app_commands.Group):
            raise RuntimeError(
                f"/{self.parent} must be loaded before /{self.parent} {self.group.name}"
            )
        found.add_command(self.group)

    async def cog_unload(self) -> None:
        found = self.bot.tree.get_command(self.parent)
        if isinstance(found, app_commands.Group):
            found.remove_command(self.group.name)
