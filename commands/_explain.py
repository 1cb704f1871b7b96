"""How the figures are worked out, in plain words: the two models side by side, what each
assumes and why they differ by about 4x. `/about` shows it; so does the "How is this worked
out?" button under every value answer, privately, to whoever presses it.

The button's custom_id is fixed (`p:how`), so it answers whenever it is pressed, also after a
restart, with the presser's language and server.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.client import GiftBot
from bot.context import Ask, ask_for
from bot.render import answer
from bot.respond import reply
from bot.views import PersistentPress
from economy.comparison import Comparison, ModelSummary, compare_models
from economy.rates import default_presets

HOW_ID = "p:how"


def model_text(ask: Ask, model: ModelSummary, comparison: Comparison) -> str:
    """One model: its rule with the example gift followed through, and why it says so."""
    cut = model.cashout_cut.value
    rule = ask.t(
        "info.model.rule",
        coins=ask.count("common.coin_count", model.coins),
        diamonds=ask.count("common.diamond_count", model.diamonds),
        per_diamond=ask.amount(model.usd_per_diamond.value, "USD"),
        gross=ask.amount(model.gross_usd, "USD"),
        cut=ask.percent(cut) if cut else ask.t("diamonds.no_cut"),
        net=ask.amount(model.net_usd, "USD"),
    )
    why = ask.t(
        f"info.model.why.{model.preset}",
        coin_price=ask.amount(comparison.coin_price.price_per_coin, "USD"),
        creator=ask.amount(model.creator_per_coin_usd, "USD"),
        day=ask.date(model.cashout_cut.as_of),
    )
    return f"{rule}\n{why}"


def add_models_fields(ask: Ask, embed: discord.Embed) -> None:
    """The models side by side (the one in use marked), and why they differ."""
    comparison = compare_models(default_presets())
    for model in comparison.models:
        name = ask.preset_name(model.preset)
        name = name[:1].upper() + name[1:]  # a heading: "Creator guides' model"
        if model.preset == ask.rates.preset:
            name = ask.t("info.model.in_use", model=name)
        embed.add_field(name=name, value=model_text(ask, model, comparison), inline=False)
    nets = sorted(comparison.models, key=lambda m: m.net_usd, reverse=True)
    if len(nets) >= 2:
        embed.add_field(
            name=ask.t(
                "info.model.differ_title", ratio=ask.number(round(comparison.ratio, 1).normalize())
            ),
            value=ask.t(
                "info.model.differ",
                coins=ask.count("common.coin_count", nets[0].coins),
                high=ask.amount(nets[0].net_usd, "USD"),
                high_model=ask.preset_name(nets[0].preset),
                low=ask.amount(nets[-1].net_usd, "USD"),
                low_model=ask.preset_name(nets[-1].preset),
            ),
            inline=False,
        )


def how_embed(ask: Ask) -> discord.Embed:
    """The answer to "How is this worked out?"."""
    embed = answer(ask, ask.t("info.how.title"), ask.t("info.how.intro"))
    add_models_fields(ask, embed)
    return embed


class HowButton(
    PersistentPress,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"p:how",
):
    """ "How is this worked out?": the models explained, privately, to anyone who presses."""

    def __init__(self, label: str = "How is this worked out?") -> None:
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=HOW_ID)
        )

    @classmethod
    async def from_custom_id(cls, *_: object) -> HowButton:
        """The button for a press (interaction, item, match): it carries no state."""
        return cls()

    async def pressed(self, interaction: discord.Interaction[GiftBot]) -> None:
        ask = await ask_for(interaction)
        await reply(interaction, embed=how_embed(ask), ephemeral=True)


def how_view(ask: Ask) -> discord.ui.View:
    """A view holding only the "How is this worked out?" button, in the asker's language."""
    view = discord.ui.View(timeout=None)
    view.add_item(HowButton(ask.t("info.how.button")))
    return view
