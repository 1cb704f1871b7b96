"""One look for every answer: colour, title, fields and a footer naming the assumptions."""

from __future__ import annotations

from decimal import Decimal

import discord

from bot.context import Ask

COLOUR = discord.Colour(0xFE2C55)
ERROR_COLOUR = discord.Colour(0xED4245)
BAR_WIDTH = 20


def answer(ask: Ask, title: str, description: str | None = None) -> discord.Embed:
    """An embed in the house style, with the assumptions in the footer."""
    embed = discord.Embed(title=title, description=description, colour=COLOUR)
    embed.set_footer(text=ask.footer())
    return embed


def progress_bar(fraction: Decimal, width: int = BAR_WIDTH) -> str:
    """`▰▰▰▰▱▱▱▱ 50%`: a text bar for progress to a threshold."""
    bounded = min(max(fraction, Decimal(0)), Decimal(1))
    filled = int(bounded * width)
    percent = int(bounded * 100)
    return f"{'▰' * filled}{'▱' * (width - filled)} {percent}%"
