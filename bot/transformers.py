"""Turns a typed gift name into a catalog entry, and offers names while the user types."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.context import ask_for
from economy.catalog import Gift
from economy.limits import AUTOCOMPLETE_CHOICES, MAX_QUERY_LENGTH

if TYPE_CHECKING:
    from bot.client import GiftBot


def gift_label(gift: Gift, coins: str) -> str:
    """`Galaxy · 1,000 coins`, cut to Discord's 100-character limit."""
    label = f"{gift.name} · {coins}"
    return label if len(label) <= 100 else label[:99] + "…"


class GiftTransformer(app_commands.Transformer["GiftBot"]):
    """`gift:` options: autocomplete over names and aliases, resolved to a `Gift`."""

    @property
    def max_value(self) -> int:
        """The longest text Discord lets anyone type here (`max_length` in the payload)."""
        return MAX_QUERY_LENGTH

    async def transform(self, interaction: discord.Interaction[GiftBot], value: str) -> Gift:
        """The gift `value` names (exact, or clearly the closest); the answer says which it
        took when the name was not exact or other gifts share it (`Ask.gift_matches`)."""
        ask = await ask_for(interaction)
        match = ask.catalog.resolve(value)
        ask.gift_matches.append(match)
        return match.gift

    async def autocomplete(  # type: ignore[override]  # discord.py types `value` as int | float | str
        self, interaction: discord.Interaction[GiftBot], value: str
    ) -> list[app_commands.Choice[str]]:
        ask = await ask_for(interaction)
        return [
            app_commands.Choice(
                name=gift_label(gift, ask.count("common.coin_count", gift.coins)),
                value=gift.name[:100],
            )
            for gift in ask.catalog.search(value, limit=AUTOCOMPLETE_CHOICES)
        ]


GiftOption = app_commands.Transform[Gift, GiftTransformer]
