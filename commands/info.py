"""/about (/help is its own cog: commands/help.py)."""

from __future__ import annotations

from importlib import metadata

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot
from bot.context import ask_for
from bot.render import answer
from bot.respond import reply
from commands._options import LOOKUP_CONTEXTS, LOOKUP_INSTALLS


def version() -> str:
    try:
        return metadata.version("tiktok-gift-bot")
    except metadata.PackageNotFoundError:
        return "dev"


class Info(commands.Cog):
    """What the bot can do and where its figures come from."""

    def __init__(self, bot: GiftBot) -> None:
        self.bot = bot

    @app_commands.command(name="about", description="Version, sources and the figures in use")
    @LOOKUP_CONTEXTS
    @LOOKUP_INSTALLS
    async def about(self, interaction: discord.Interaction[GiftBot]) -> None:
        ask = await ask_for(interaction)
        embed = answer(ask, ask.t("info.about.title"), ask.t("info.about.description"))
        embed.add_field(name=ask.t("info.about.version"), value=version())
        embed.add_field(
            name=ask.t("info.about.rates"),
            value=ask.t(
                "info.about.rates_value",
                preset=ask.rates.preset,
                as_of=ask.rates.as_of.isoformat(),
            ),
        )
        embed.add_field(
            name=ask.t("info.about.catalog"),
            value=ask.t(
                "info.about.catalog_value",
                gifts=ask.number(len(ask.catalog)),
                as_of=ask.catalog.as_of.isoformat(),
            ),
        )
        embed.add_field(
            name=ask.t("info.about.sources"), value=ask.t("info.about.sources_value"), inline=False
        )
        await reply(interaction, embed=embed)


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(Info(bot))
