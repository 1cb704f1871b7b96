"""Option types and choices shared by several cogs."""

from __future__ import annotations

from discord import app_commands

from economy.conversions import MAX_AMOUNT, MAX_COUNT

Count = app_commands.Range[int, 1, MAX_COUNT]
Amount = app_commands.Range[int, 1, MAX_AMOUNT]
Money = app_commands.Range[float, 0.01, float(MAX_AMOUNT)]

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

LOOKUP_CONTEXTS = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
LOOKUP_INSTALLS = app_commands.allowed_installs(guilds=True, users=True)
