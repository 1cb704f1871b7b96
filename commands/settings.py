"""/settings: what this server's answers assume, and who changed it.

Every change is refused in the bot itself unless the caller has Manage Server (Discord's
default permissions only hide the command), validated by building the would-be profile before
anything is written, written with its audit row in one transaction, and then the cached profile
is dropped so the next command uses it. Changes are announced publicly; refusals and the two
read-only views (`show`, `history`) are ephemeral.

The rules a change must keep live in `economy.guild_settings`; how settings and refusals read
lives in `commands._settings_render`. This module parses options and wires the two together.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import GiftBot
from bot.context import ASK_KEY, Ask, ask_for
from bot.errors import UserError
from bot.permissions import require_guild, require_manager
from bot.ratelimit import write_limited
from bot.render import answer, notice
from bot.respond import reply
from bot.text import safe
from bot.tree import PRIVATE
from commands._options import GUILD_INSTALLS, Choice
from commands._settings_render import (
    change_line,
    history_line,
    in_force,
    setting_name,
    show_embed,
    stored_value,
)
from economy.catalog import Gift
from economy.guild_settings import (
    check_fx,
    check_order,
    check_reset,
    check_room_for_gift,
    figure_label,
    figure_quantity,
    figure_value,
    new_custom_gift,
    plain,
    replaced,
    to_decimal,
    would_be_profile,
)
from economy.limits import AUTOCOMPLETE_CHOICES, MAX_GIFT_COINS, MAX_NAME_LENGTH
from economy.money import SUPPORTED_CURRENCIES
from economy.profiles import Profile, Profiles
from economy.quotes import single_gift_value
from economy.rates import DEFAULT_PRESET
from economy.storage import GuildSettings, GuildSettingsStore, fx_key, override_key

T = TypeVar("T")

HISTORY_ROWS = 20
SWITCH = ("on", "off")
NO_FIGURE_KEYS = ("tally_others", "leaderboard_enabled")  # changes whose answer shows no figure

# English choice names; the translator localizes them through `cmd.choice.<value>.name`.
FIGURE_CHOICES = [
    app_commands.Choice(name="Diamonds per coin", value="diamonds_per_coin"),
    app_commands.Choice(name="USD per diamond", value="usd_per_diamond"),
    app_commands.Choice(name="Cut at cash-out (percent)", value="cashout_cut"),
    app_commands.Choice(name="Minimum withdrawal (USD)", value="minimum_withdrawal_usd"),
    app_commands.Choice(name="Daily cash-out limit (USD)", value="daily_cap_usd"),
    app_commands.Choice(name="Default agency cut (percent)", value="agency_cut_default"),
    app_commands.Choice(name="Creator Fund, low (USD per 1,000 views)", value="creator_fund_low"),
    app_commands.Choice(name="Creator Fund, high (USD per 1,000 views)", value="creator_fund_high"),
    app_commands.Choice(
        name="Creator Rewards, low (USD per 1,000 views)", value="creator_rewards_low"
    ),
    app_commands.Choice(
        name="Creator Rewards, high (USD per 1,000 views)", value="creator_rewards_high"
    ),
]
PRESET_CHOICES = [
    app_commands.Choice(
        name="TikTok's model (1 coin = 1 diamond, no cash-out fee)", value="tiktok"
    ),
    app_commands.Choice(
        name="Creator guides' model (2 coins = 1 diamond, 50% at cash-out)", value="guides"
    ),
]
CURRENCY_NAMES = {
    "USD": "US dollar",
    "IDR": "Indonesian rupiah",
    "BRL": "Brazilian real",
    "EUR": "Euro",
    "GBP": "Pound sterling",
    "INR": "Indian rupee",
    "PHP": "Philippine peso",
    "MXN": "Mexican peso",
}
CURRENCY_CHOICES = [
    app_commands.Choice(name=f"{code} ({CURRENCY_NAMES[code]})", value=code)
    for code in SUPPORTED_CURRENCIES
]
FX_CHOICES = [choice for choice in CURRENCY_CHOICES if choice.value != "USD"]
TALLY_CHOICES = [
    app_commands.Choice(name="Managers only", value="managers"),
    app_commands.Choice(name="Everyone", value="everyone"),
]
SWITCH_CHOICES = [
    app_commands.Choice(name="On", value="on"),
    app_commands.Choice(name="Off", value="off"),
]


# -- the cog ----------------------------------------------------------------------------------


def manager_only() -> Callable[[T], T]:
    """`require_manager` as a check, so a refusal comes before (and costs no) write budget."""

    async def predicate(interaction: discord.Interaction[GiftBot]) -> bool:
        require_guild(interaction)
        require_manager(interaction)
        return True

    return app_commands.check(predicate)


async def fresh_ask(interaction: discord.Interaction[GiftBot]) -> Ask:
    """The interaction's Ask rebuilt after a change (the cached one holds the old profile)."""
    interaction.extras.pop(ASK_KEY, None)
    return await ask_for(interaction)


@app_commands.guild_only()
@GUILD_INSTALLS
@app_commands.default_permissions(manage_guild=True)
class SettingsCog(
    commands.GroupCog,
    group_name="settings",
    group_description="This server's figures, currency and switches (Manage Server)",
):
    """Per-server settings, audited; managers only for every change."""

    def __init__(self, bot: GiftBot) -> None:
        self.bot = bot

    @property
    def store(self) -> GuildSettingsStore:
        return self.bot.storage.guild_settings

    @property
    def profiles(self) -> Profiles:
        return self.bot.profiles

    # -- helpers ------------------------------------------------------------------------------

    def _validate(
        self,
        before: GuildSettings,
        before_customs: list[Gift],
        settings: GuildSettings,
        customs: list[Gift],
    ) -> Profile:
        """The would-be profile; its EconomyError (a clear refusal) when the change breaks it."""
        return would_be_profile(
            before,
            before_customs,
            settings,
            customs,
            catalog=self.profiles.catalog,
            presets=self.profiles.presets,
        )

    async def _save(
        self, interaction: discord.Interaction[GiftBot], changes: dict[str, str | None]
    ) -> None:
        """Write validated settings (all in one audited transaction); drop the cached profile."""
        guild_id = require_guild(interaction)
        await self.store.change_settings(guild_id, changes, interaction.user.id)
        self.profiles.forget(guild_id)

    @staticmethod
    async def _announce(
        interaction: discord.Interaction[GiftBot],
        ask: Ask,
        title_key: str,
        lines: list[str],
        *,
        figures: bool = True,
    ) -> None:
        """The public answer to a change, built from the new profile (`ask` after it); a
        change that touches no figure (who may tally, the leaderboard) has no assumptions
        footer."""
        body = "\n".join([*lines, "", ask.t("settings.applies_next")])
        embed = (answer if figures else notice)(ask, ask.t(title_key), body)
        await reply(interaction, embed=embed)

    async def _change(
        self, interaction: discord.Interaction[GiftBot], ask: Ask, key: str, value: str | None
    ) -> None:
        """Write one validated setting and announce it (in force before -> after)."""
        before = in_force(ask, key)
        await self._save(interaction, {key: value})
        after = await fresh_ask(interaction)
        line = change_line(after, key, before, in_force(after, key))
        figures = key not in NO_FIGURE_KEYS
        await self._announce(interaction, after, "settings.changed_title", [line], figures=figures)

    # -- read-only ----------------------------------------------------------------------------

    @app_commands.command(
        name="show", description="Every figure and switch this server uses", extras={PRIVATE: True}
    )
    async def show(self, interaction: discord.Interaction[GiftBot]) -> None:
        ask = await ask_for(interaction)
        customs = await self.store.list_custom_gifts(require_guild(interaction))
        preset_card = self.profiles.presets.get(ask.rates.preset, ask.rates)
        embed = show_embed(ask, len(customs), preset_card)
        await reply(interaction, embed=embed, ephemeral=True)

    @app_commands.command(
        name="history",
        description="Who changed which setting, newest first",
        extras={PRIVATE: True},
    )
    async def history(self, interaction: discord.Interaction[GiftBot]) -> None:
        ask = await ask_for(interaction)
        rows = await self.store.settings_history(require_guild(interaction), HISTORY_ROWS)
        lines = [history_line(ask, row) for row in rows]
        text = "\n".join(lines) if lines else ask.t("settings.history.empty")
        embed = notice(ask, ask.t("settings.history.title"), text[:4000])
        await reply(interaction, embed=embed, ephemeral=True)

    # -- changes ------------------------------------------------------------------------------

    @app_commands.command(name="preset", description="Start from a shipped set of figures")
    @app_commands.describe(name="Which preset")
    @app_commands.choices(name=PRESET_CHOICES)
    @write_limited()
    @manager_only()
    async def preset(self, interaction: discord.Interaction[GiftBot], name: Choice) -> None:
        ask = await ask_for(interaction)
        preset = name.value
        settings, customs = await self.profiles.stored(require_guild(interaction))
        if preset == (settings.preset or DEFAULT_PRESET):
            raise UserError(
                "settings.error.unchanged",
                setting=setting_name("preset"),
                value=stored_value("preset", preset),
            )
        self._validate(settings, customs, replaced(settings, preset=preset), customs)
        await self._change(interaction, ask, "preset", preset)

    @app_commands.command(name="set", description="Override one figure for this server")
    @app_commands.describe(
        figure="Which figure",
        value="The new value (cuts as a percent, e.g. 40 for 40%)",
    )
    @app_commands.choices(figure=FIGURE_CHOICES)
    @write_limited()
    @manager_only()
    async def set_figure(
        self, interaction: discord.Interaction[GiftBot], figure: Choice, value: float
    ) -> None:
        ask = await ask_for(interaction)
        name = figure.value
        stored = figure_value(name, to_decimal(value))
        settings, customs = await self.profiles.stored(require_guild(interaction))
        old = settings.overrides.get(name)
        if old is not None and Decimal(old) == stored:
            raise UserError(
                "settings.error.unchanged",
                setting=figure_label(name),
                value=figure_quantity(name, stored),
            )
        check_order(ask.rates, name, stored)
        self._validate(
            settings,
            customs,
            replaced(settings, overrides={**settings.overrides, name: plain(stored)}),
            customs,
        )
        await self._change(interaction, ask, override_key(name), plain(stored))

    @app_commands.command(name="reset", description="Back to the preset: one figure, or all")
    @app_commands.describe(figure="Which figure (default: every override, exchange rates too)")
    @app_commands.choices(figure=FIGURE_CHOICES)
    @write_limited()
    @manager_only()
    async def reset(
        self, interaction: discord.Interaction[GiftBot], figure: Choice | None = None
    ) -> None:
        ask = await ask_for(interaction)
        settings, customs = await self.profiles.stored(require_guild(interaction))
        if figure is not None:
            name = figure.value
            if name not in settings.overrides:
                raise UserError("settings.error.not_overridden", setting=figure_label(name))
            check_reset(
                settings,
                customs,
                name,
                catalog=self.profiles.catalog,
                presets=self.profiles.presets,
            )
            keys = [override_key(name)]
        else:
            keys = [override_key(name) for name in sorted(settings.overrides)]
            keys += [fx_key(code) for code in sorted(settings.fx_overrides)]
            if not keys:
                raise UserError("settings.error.no_overrides")
            self._validate(
                settings, customs, replaced(settings, overrides={}, fx_overrides={}), customs
            )
        before = {key: in_force(ask, key) for key in keys}
        await self._save(interaction, dict.fromkeys(keys))
        after = await fresh_ask(interaction)
        lines = [change_line(after, key, before[key], in_force(after, key)) for key in keys]
        await self._announce(interaction, after, "settings.reset_title", lines)

    @app_commands.command(name="currency", description="Show money in this currency beside USD")
    @app_commands.describe(code="Which currency")
    @app_commands.choices(code=CURRENCY_CHOICES)
    @write_limited()
    @manager_only()
    async def currency(self, interaction: discord.Interaction[GiftBot], code: Choice) -> None:
        ask = await ask_for(interaction)
        currency = code.value
        settings, customs = await self.profiles.stored(require_guild(interaction))
        if currency == (settings.currency or "USD"):
            raise UserError(
                "settings.error.unchanged", setting=setting_name("currency"), value=currency
            )
        profile = self._validate(settings, customs, replaced(settings, currency=currency), customs)
        profile.rates.fx_rate(currency)
        await self._change(interaction, ask, "currency", currency)

    @app_commands.command(name="fx", description="Override an exchange rate (units per 1 USD)")
    @app_commands.describe(
        code="Which currency",
        rate="Units of it per 1 USD (leave out to go back to the shipped rate)",
    )
    @app_commands.choices(code=FX_CHOICES)
    @write_limited()
    @manager_only()
    async def fx(
        self, interaction: discord.Interaction[GiftBot], code: Choice, rate: float | None = None
    ) -> None:
        ask = await ask_for(interaction)
        currency = code.value
        key = fx_key(currency)
        settings, customs = await self.profiles.stored(require_guild(interaction))
        old = settings.fx_overrides.get(currency)
        if rate is None:
            if old is None:
                raise UserError("settings.error.not_overridden", setting=setting_name(key))
            overrides = {k: v for k, v in settings.fx_overrides.items() if k != currency}
            value = None
        else:
            shipped = self.profiles.presets[DEFAULT_PRESET].fx.get(currency)
            number = to_decimal(rate)
            check_fx(currency, number, shipped.value if shipped is not None else None)
            if old is not None and Decimal(old) == number:
                raise UserError("settings.error.unchanged", setting=setting_name(key), value=number)
            value = plain(number)
            overrides = {**settings.fx_overrides, currency: value}
        self._validate(settings, customs, replaced(settings, fx_overrides=overrides), customs)
        await self._change(interaction, ask, key, value)

    @app_commands.command(name="tally-others", description="Who may add tallies for others")
    @app_commands.describe(who="Managers only, or everyone")
    @app_commands.choices(who=TALLY_CHOICES)
    @write_limited()
    @manager_only()
    async def tally_others(self, interaction: discord.Interaction[GiftBot], who: Choice) -> None:
        ask = await ask_for(interaction)
        settings, _ = await self.profiles.stored(require_guild(interaction))
        if who.value == settings.tally_others:
            raise UserError(
                "settings.error.unchanged",
                setting=setting_name("tally_others"),
                value=stored_value("tally_others", who.value),
            )
        await self._change(interaction, ask, "tally_others", who.value)

    @app_commands.command(name="leaderboard", description="Turn the leaderboard on or off")
    @app_commands.describe(enabled="On or off")
    @app_commands.choices(enabled=SWITCH_CHOICES)
    @write_limited()
    @manager_only()
    async def leaderboard(self, interaction: discord.Interaction[GiftBot], enabled: Choice) -> None:
        ask = await ask_for(interaction)
        settings, _ = await self.profiles.stored(require_guild(interaction))
        value = "true" if enabled.value == "on" else "false"
        if (value == "true") == settings.leaderboard_enabled:
            raise UserError(
                "settings.error.unchanged",
                setting=setting_name("leaderboard_enabled"),
                value=stored_value("leaderboard_enabled", value),
            )
        await self._change(interaction, ask, "leaderboard_enabled", value)

    @app_commands.command(name="gift-add", description="Add a gift only this server knows")
    @app_commands.describe(name="The gift's name", coins="What it costs, in coins")
    @write_limited()
    @manager_only()
    async def gift_add(
        self,
        interaction: discord.Interaction[GiftBot],
        name: app_commands.Range[str, 1, MAX_NAME_LENGTH],
        coins: app_commands.Range[int, 1, MAX_GIFT_COINS],
    ) -> None:
        guild_id = require_guild(interaction)
        gift = new_custom_gift(name, coins)
        settings, customs = await self.profiles.stored(guild_id)
        check_room_for_gift(len(customs))
        self._validate(settings, customs, settings, [*customs, gift])
        await self.store.add_custom_gift(guild_id, gift.name, coins, interaction.user.id)
        self.profiles.forget(guild_id)
        after = await fresh_ask(interaction)
        diamonds, gross = single_gift_value(gift, after.rates, after.currency)
        line = after.t(
            "settings.gift_added",
            gift=safe(gift.name),
            coins=after.count("common.coin_count", coins),
            diamonds=after.count("common.diamond_count", diamonds),
            gross=after.shown(gross),
        )
        await self._announce(interaction, after, "settings.gift_added_title", [line])

    @app_commands.command(name="gift-remove", description="Remove one of this server's gifts")
    @app_commands.describe(name="Which custom gift")
    @write_limited()
    @manager_only()
    async def gift_remove(
        self,
        interaction: discord.Interaction[GiftBot],
        name: app_commands.Range[str, 1, MAX_NAME_LENGTH],
    ) -> None:
        guild_id = require_guild(interaction)
        removed = await self.store.remove_custom_gift(guild_id, name, interaction.user.id)
        self.profiles.forget(guild_id)
        ask = await fresh_ask(interaction)
        line = ask.t("settings.gift_removed", gift=safe(removed.name))
        await self._announce(interaction, ask, "settings.gift_removed_title", [line], figures=False)

    @gift_remove.autocomplete("name")
    async def _custom_gift_names(
        self, interaction: discord.Interaction[GiftBot], typed: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        wanted = typed.strip().casefold()
        gifts = await self.store.list_custom_gifts(interaction.guild_id)
        return [
            app_commands.Choice(name=gift.name, value=gift.name)
            for gift in gifts
            if wanted in gift.name.casefold()
        ][:AUTOCOMPLETE_CHOICES]


async def setup(bot: GiftBot) -> None:
    await bot.add_cog(SettingsCog(bot))
