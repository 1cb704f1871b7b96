"""Option types, fixed choices and install contexts shared by several cogs.

An option with fixed choices is annotated `app_commands.Choice[str]`, so discord.py itself
refuses any value that is not one of them (a stale client, a hand-made request).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from economy.limits import MAX_AMOUNT, MAX_COUNT

if TYPE_CHECKING:
    from bot.client import GiftBot

Count = app_commands.Range[int, 1, MAX_COUNT]
Amount = app_commands.Range[int, 1, MAX_AMOUNT]
Money = app_commands.Range[float, 0.01, float(MAX_AMOUNT)]
Choice = app_commands.Choice[str]

STORE_CHOICES = [
    app_commands.Choice(name="App (in-app purchase)", value="app"),
    app_commands.Choice(name="Web (tiktok.com/coin)", value="web"),
]
# Regions with coin prices in economy/data/rates.json (a missing store falls back to US).
REGION_CHOICES = [
    app_commands.Choice(name="United States (USD)", value="US"),
    app_commands.Choice(name="Indonesia (IDR)", value="ID"),
    app_commands.Choice(name="Brazil (BRL)", value="BR"),
    app_commands.Choice(name="United Kingdom (GBP)", value="GB"),
]
PROGRAM_CHOICES = [
    app_commands.Choice(name="Creator Rewards Program", value="creator-rewards"),
    app_commands.Choice(name="Creator Fund (ended 2023)", value="creator-fund"),
]
BY_CHOICES = [
    app_commands.Choice(name="Diamonds received", value="received"),
    app_commands.Choice(name="Coins given (gifters)", value="gifted"),
]
PERIOD_CHOICES = [
    app_commands.Choice(name="All time", value="all"),
    app_commands.Choice(name="This month", value="month"),
    app_commands.Choice(name="This week", value="week"),
]
SORT_CHOICES = [
    app_commands.Choice(name="Coins", value="coins"),
    app_commands.Choice(name="Name", value="name"),
]

LOOKUP_CONTEXTS = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
LOOKUP_INSTALLS = app_commands.allowed_installs(guilds=True, users=True)
GUILD_CONTEXTS = app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
GUILD_INSTALLS = app_commands.allowed_installs(guilds=True, users=False)


def chosen(choice: Choice | None, default: str) -> str:
    """The value picked for an optional choice option, else `default`."""
    return default if choice is None else choice.value


async def group_choices(
    interaction: discord.Interaction[GiftBot], current: str
) -> list[app_commands.Choice[str]]:
    """Autocomplete for a group name option: the server's groups matching what is typed."""
    if interaction.guild_id is None:
        return []
    names = await interaction.client.storage.groups.group_names(interaction.guild_id, current)
    return [app_commands.Choice(name=name, value=name) for name in names]
