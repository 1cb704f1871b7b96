"""/settings: what this server's answers assume, and who changed it.

Every change is refused in the bot itself unless the caller has Manage Server (Discord's
default permissions only hide the command), validated by building the would-be profile before
anything is written, written with its audit row in one transaction, and then the cached profile
is dropped so the next command uses it. Changes are announced publicly; refusals and the two
read-only views (`show`, `history`) are ephemeral.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands
from discord.ext import commands
from pydantic import ValidationError

from bot.context import ASK_KEY, Ask, ask_for
from bot.permissions import require_guild, require_manager
from bot.ratelimit import write_limited
from bot.render import answer, safe
from bot.tree import UserError
from commands._purchase import region_name
from economy.catalog import Gift
from economy.conversions import gift_value
from economy.errors import EconomyError
from economy.money import SUPPORTED_CURRENCIES, format_percent
from economy.profiles import Profile, Profiles, custom_gift, custom_gift_key
from economy.rates import DEFAULT_PRESET, OVERRIDABLE_FIGURES, PRESET_NAMES, RateCard
from economy.storage import AuditRow, GuildConfig, Storage, clean_name, fx_key, override_key

if TYPE_CHECKING:
    from bot.client import GiftBot

T = TypeVar("T")

PERCENT_FIGURES = frozenset({"cashout_cut", "agency_cut_default"})
USD_FIGURES = frozenset(
    {
        "usd_per_diamond",
        "minimum_withdrawal_usd",
        "daily_cap_usd",
        "creator_fund_low",
        "creator_fund_high",
        "creator_rewards_low",
        "creator_rewards_high",
    }
)
VIEW_FIGURES: Mapping[str, tuple[str, str]] = {
    "creator_fund_low": ("creator-fund", "low_per_1000"),
    "creator_fund_high": ("creator-fund", "high_per_1000"),
    "creator_rewards_low": ("creator-rewards", "low_per_1000"),
    "creator_rewards_high": ("creator-rewards", "high_per_1000"),
}
OTHER_BOUND = {
    "creator_fund_low": "creator_fund_high",
    "creator_fund_high": "creator_fund_low",
    "creator_rewards_low": "creator_rewards_high",
    "creator_rewards_high": "creator_rewards_low",
}
FX_CURRENCIES = tuple(code for code in SUPPORTED_CURRENCIES if code != "USD")
FX_SPREAD = Decimal(5)  # an exchange rate may be set within 1/5 .. 5x the shipped one
MAX_CUSTOM_GIFTS = 100
MAX_GIFT_COINS = 1_000_000
HISTORY_ROWS = 20
TALLY_OTHERS = ("managers", "everyone")
SWITCH = ("on", "off")
SCALAR_KEYS = ("preset", "currency", "tally_others", "leaderboard_enabled")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Bounds:
    """The sane range of a figure, in stored units (percent figures as fractions)."""

    low: Decimal
    high: Decimal
    low_open: bool = False
    high_open: bool = False

    def holds(self, value: Decimal) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below


BOUNDS: Mapping[str, Bounds] = {
    "diamonds_per_coin": Bounds(ZERO, Decimal(1), low_open=True),
    "usd_per_diamond": Bounds(ZERO, Decimal("0.05"), low_open=True),
    "cashout_cut": Bounds(ZERO, Decimal(1), high_open=True),
    "minimum_withdrawal_usd": Bounds(ZERO, Decimal(10_000)),
    "daily_cap_usd": Bounds(ZERO, Decimal(1_000_000), low_open=True),
    "agency_cut_default": Bounds(ZERO, Decimal(1), high_open=True),
    "creator_fund_low": Bounds(ZERO, Decimal(100)),
    "creator_fund_high": Bounds(ZERO, Decimal(100)),
    "creator_rewards_low": Bounds(ZERO, Decimal(100)),
    "creator_rewards_high": Bounds(ZERO, Decimal(100)),
}
assert set(BOUNDS) == set(OVERRIDABLE_FIGURES), "every overridable figure needs bounds"

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
assert [c.value for c in FIGURE_CHOICES] == list(OVERRIDABLE_FIGURES)
PRESET_CHOICES = [
    app_commands.Choice(name="Seed (default estimates)", value="seed"),
    app_commands.Choice(name="One-to-one (1 coin = 1 diamond)", value="one-to-one"),
]
assert tuple(c.value for c in PRESET_CHOICES) == PRESET_NAMES
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


# -- reading figures --------------------------------------------------------------------------


def figure_in_force(rates: RateCard, name: str) -> tuple[Decimal, date]:
    """A figure's value and date on a card."""
    if name in VIEW_FIGURES:
        program, bound = VIEW_FIGURES[name]
        views = rates.views_range(program)
        return getattr(views, bound), views.as_of
    figure = getattr(rates, name)
    return figure.value, figure.as_of


def figure_label(ask: Ask, name: str) -> str:
    return ask.t(f"settings.figure.{name}")


def show_figure(ask: Ask, name: str, value: Decimal) -> str:
    """A figure the way people read it: `50%`, `0.005 USD`, `0.5`."""
    if name in PERCENT_FIGURES:
        return format_percent(value, ask.locale)
    if name in USD_FIGURES:
        return ask.t("settings.usd", amount=ask.number(value))
    return ask.number(value)


def show_bounds(ask: Ask, name: str, bounds: Bounds) -> str:
    low, high = show_figure(ask, name, bounds.low), show_figure(ask, name, bounds.high)
    if bounds.low_open:
        return ask.t("settings.range.above", low=low, high=high)
    if bounds.high_open:
        return ask.t("settings.range.below", low=low, high=high)
    return ask.t("settings.range.closed", low=low, high=high)


def plain(value: Decimal) -> str:
    """How a decimal is stored: no exponent, no trailing zeros (`0.4`, `100`)."""
    return format(value.normalize(), "f")


def to_decimal(value: float) -> Decimal:
    """An option number as an exact decimal (its shortest repr); refuses NaN and infinity."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise UserError("settings.error.not_a_number")
    return number


def setting_label(ask: Ask, key: str) -> str:
    """What a setting key is called in the asker's language."""
    if key in SCALAR_KEYS:
        return ask.t(f"settings.key.{key}")
    kind, _, rest = key.partition(":")
    if kind == "override" and rest in OVERRIDABLE_FIGURES:
        return figure_label(ask, rest)
    if kind == "fx":
        return ask.t("settings.key.fx", currency=safe(rest))
    if kind == "custom_gift":
        return ask.t("settings.key.custom_gift", gift=safe(rest))
    return safe(key)


def stored_value(ask: Ask, key: str, raw: str | None) -> str:
    """A stored (audited) value the way people read it; `None` is the default."""
    if raw is None:
        return ask.t("settings.unset")
    kind, _, rest = key.partition(":")
    try:
        if key == "tally_others" and raw in TALLY_OTHERS:
            return ask.t(f"settings.tally.{raw}")
        if key == "leaderboard_enabled":
            return ask.t("settings.switch.on" if raw == "true" else "settings.switch.off")
        if kind == "override" and rest in OVERRIDABLE_FIGURES:
            return show_figure(ask, rest, Decimal(raw))
        if kind == "fx":
            return ask.number(Decimal(raw))
        if kind == "custom_gift":
            return ask.t("settings.coins", coins=ask.number(int(raw)))
    except (ArithmeticError, ValueError):
        pass
    return safe(raw)


def in_force(ask: Ask, key: str) -> str:
    """What an answer assumes for `key` right now (preset value when not overridden)."""
    config = ask.profile.config or GuildConfig()
    if key == "preset":
        return ask.rates.preset
    if key == "currency":
        return ask.currency
    if key == "tally_others":
        return ask.t(f"settings.tally.{config.tally_others}")
    if key == "leaderboard_enabled":
        return ask.t("settings.switch.on" if config.leaderboard_enabled else "settings.switch.off")
    kind, _, rest = key.partition(":")
    if kind == "fx":
        return ask.number(ask.rates.fx_rate(rest))
    return show_figure(ask, rest, figure_in_force(ask.rates, rest)[0])


# -- the cog ----------------------------------------------------------------------------------


def manager_only() -> Callable[[T], T]:
    """`require_manager` as a check, so a refusal comes before (and costs no) write budget."""

    async def predicate(interaction: discord.Interaction) -> bool:
        require_guild(interaction)
        require_manager(interaction)
        return True

    return app_commands.check(predicate)


async def fresh_ask(interaction: discord.Interaction) -> Ask:
    """The interaction's Ask rebuilt after a change (the cached one holds the old profile)."""
    interaction.extras.pop(ASK_KEY, None)
    return await ask_for(interaction)


def replaced(config: GuildConfig, **changes: object) -> GuildConfig:
    """A would-be config (mappings frozen like the stored ones)."""
    frozen = {
        key: MappingProxyType(dict(value)) if isinstance(value, Mapping) else value
        for key, value in changes.items()
    }
    return dataclasses.replace(config, **frozen)  # type: ignore[arg-type]


@app_commands.guild_only()
@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.default_permissions(manage_guild=True)
class Settings(
    commands.GroupCog,
    group_name="settings",
    group_description="This server's figures, currency and switches (Manage Server)",
):
    """Per-server settings, audited; managers only for every change."""

    def __init__(self, bot: GiftBot) -> None:
        self.bot = bot

    @property
    def storage(self) -> Storage:
        return self.bot.storage

    @property
    def profiles(self) -> Profiles:
        assert self.bot.profiles is not None
        return self.bot.profiles

    # -- helpers ------------------------------------------------------------------------------

    def _validate(
        self,
        before: GuildConfig,
        before_customs: list[Gift],
        config: GuildConfig,
        customs: list[Gift],
    ) -> Profile:
        """The would-be profile; its EconomyError (a clear refusal) when the change breaks it.

        Stored settings that already do not apply (`Profile.ignored`, e.g. a custom gift a
        newer catalog now ships) are left out unless this change touches them, so they never
        block an unrelated change, and the refusal is always about the change itself.
        """
        stale = set(self.profiles.build(before, before_customs, strict=False).ignored)
        overrides = {
            name: value
            for name, value in config.overrides.items()
            if override_key(name) not in stale or before.overrides.get(name) != value
        }
        fx = {
            code: value
            for code, value in config.fx_overrides.items()
            if fx_key(code) not in stale or before.fx_overrides.get(code) != value
        }
        fresh = [gift for gift in customs if custom_gift_key(gift.name) not in stale]
        checked = replaced(config, overrides=overrides, fx_overrides=fx)
        return self.profiles.build(checked, fresh, strict=True)

    async def _save(self, interaction: discord.Interaction, key: str, value: str | None) -> None:
        guild_id = require_guild(interaction)
        await self.storage.set_config_value(guild_id, key, value, interaction.user.id)
        self.profiles.forget(guild_id)

    @staticmethod
    async def _announce(
        interaction: discord.Interaction, ask: Ask, title_key: str, lines: list[str]
    ) -> None:
        """The public answer to a change, built from the new profile (`ask` after it)."""
        body = "\n".join([*lines, "", ask.t("settings.applies_next")])
        await interaction.response.send_message(embed=answer(ask, ask.t(title_key), body))

    @staticmethod
    def _change_line(ask: Ask, key: str, before: str, after: str) -> str:
        return ask.t(
            "settings.changed_line", setting=setting_label(ask, key), old=before, new=after
        )

    async def _change(
        self, interaction: discord.Interaction, ask: Ask, key: str, value: str | None
    ) -> None:
        """Write one validated setting and announce it (in force before -> after)."""
        before = in_force(ask, key)
        await self._save(interaction, key, value)
        after = await fresh_ask(interaction)
        line = self._change_line(after, key, before, in_force(after, key))
        await self._announce(interaction, after, "settings.changed_title", [line])

    # -- read-only ----------------------------------------------------------------------------

    @app_commands.command(name="show", description="Every figure and switch this server uses")
    async def show(self, interaction: discord.Interaction) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        config = ask.profile.config or GuildConfig()
        customs = await self.storage.list_custom_gifts(guild_id)
        preset_card = self.profiles.presets.get(ask.rates.preset, ask.rates)
        embed = answer(ask, ask.t("settings.show.title"))
        currency_key = "settings.show.usd" if ask.currency == "USD" else "settings.show.currency"
        currency = ask.t(currency_key, currency=ask.currency, region=region_name(ask, ask.region))
        embed.add_field(name=ask.t("settings.key.preset"), value=ask.rates.preset)
        embed.add_field(name=ask.t("settings.key.currency"), value=currency)
        embed.add_field(
            name=ask.t("settings.key.tally_others"), value=in_force(ask, "tally_others")
        )
        embed.add_field(
            name=ask.t("settings.key.leaderboard_enabled"),
            value=in_force(ask, "leaderboard_enabled"),
        )
        embed.add_field(name=ask.t("settings.show.custom_gifts"), value=ask.number(len(customs)))
        from_preset = ask.t("settings.source.preset", preset=ask.rates.preset)
        from_server = ask.t("settings.source.override")
        lines = []
        for name in OVERRIDABLE_FIGURES:
            value, as_of = figure_in_force(ask.rates, name)
            overridden = name in config.overrides and override_key(name) not in ask.profile.ignored
            if not overridden:
                as_of = figure_in_force(preset_card, name)[1]
            lines.append(
                ask.t(
                    "settings.show.line",
                    label=figure_label(ask, name),
                    value=show_figure(ask, name, value),
                    source=from_server if overridden else from_preset,
                    as_of=as_of.isoformat(),
                )
            )
        embed.description = f"**{ask.t('settings.show.figures')}**\n" + "\n".join(lines)
        fx_lines = []
        for code, figure in sorted(ask.rates.fx.items()):
            overridden = code in config.fx_overrides and fx_key(code) not in ask.profile.ignored
            fx_lines.append(
                ask.t(
                    "settings.show.line",
                    label=code,
                    value=ask.number(figure.value),
                    source=from_server if overridden else from_preset,
                    as_of=figure.as_of.isoformat(),
                )
            )
        fx_text = "\n".join(fx_lines)[:1024]
        embed.add_field(name=ask.t("settings.show.fx"), value=fx_text, inline=False)
        if ask.profile.ignored:
            ignored = ", ".join(setting_label(ask, key) for key in ask.profile.ignored)
            embed.add_field(name=ask.t("settings.show.ignored"), value=ignored[:1024], inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="history", description="Who changed which setting, newest first")
    async def history(self, interaction: discord.Interaction) -> None:
        ask = await ask_for(interaction)
        rows = await self.storage.config_history(require_guild(interaction), HISTORY_ROWS)
        lines = [self._history_line(ask, row) for row in rows]
        text = "\n".join(lines) if lines else ask.t("settings.history.empty")
        embed = answer(ask, ask.t("settings.history.title"), text[:4000])
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @staticmethod
    def _history_line(ask: Ask, row: AuditRow) -> str:
        return ask.t(
            "settings.history.line",
            when=f"<t:{int(row.created_at.timestamp())}:f>",
            who=f"<@{row.actor_id}>",
            setting=setting_label(ask, row.key),
            old=stored_value(ask, row.key, row.old_value),
            new=stored_value(ask, row.key, row.new_value),
        )

    # -- changes ------------------------------------------------------------------------------

    @app_commands.command(name="preset", description="Start from a shipped set of figures")
    @app_commands.describe(name="Which preset")
    @app_commands.choices(name=PRESET_CHOICES)
    @write_limited()
    @manager_only()
    async def preset(self, interaction: discord.Interaction, name: str) -> None:
        ask = await ask_for(interaction)
        if name not in PRESET_NAMES:
            raise UserError("error.bad_option", value=safe(name))
        config, customs = await self.profiles.stored(require_guild(interaction))
        if name == (config.preset or DEFAULT_PRESET):
            raise UserError(
                "settings.error.unchanged", setting=setting_label(ask, "preset"), value=name
            )
        self._validate(config, customs, replaced(config, preset=name), customs)
        await self._change(interaction, ask, "preset", name)

    @app_commands.command(name="set", description="Override one figure for this server")
    @app_commands.describe(
        figure="Which figure",
        value="The new value (cuts as a percent, e.g. 40 for 40%)",
    )
    @app_commands.choices(figure=FIGURE_CHOICES)
    @write_limited()
    @manager_only()
    async def set_figure(self, interaction: discord.Interaction, figure: str, value: float) -> None:
        ask = await ask_for(interaction)
        if figure not in OVERRIDABLE_FIGURES:
            raise UserError("error.bad_option", value=safe(figure))
        number = to_decimal(value)
        stored = number / 100 if figure in PERCENT_FIGURES else number
        label = figure_label(ask, figure)
        bounds = BOUNDS[figure]
        if not bounds.holds(stored):
            raise UserError(
                "settings.error.range", figure=label, range=show_bounds(ask, figure, bounds)
            )
        config, customs = await self.profiles.stored(require_guild(interaction))
        old = config.overrides.get(figure)
        if old is not None and Decimal(old) == stored:
            raise UserError(
                "settings.error.unchanged", setting=label, value=show_figure(ask, figure, stored)
            )
        self._check_order(ask, figure, stored)
        self._validate(
            config,
            customs,
            replaced(config, overrides={**config.overrides, figure: plain(stored)}),
            customs,
        )
        await self._change(interaction, ask, override_key(figure), plain(stored))

    @staticmethod
    def _check_order(ask: Ask, figure: str, value: Decimal) -> None:
        """A views range stays low <= high."""
        if figure not in VIEW_FIGURES:
            return
        other = OTHER_BOUND[figure]
        other_value = figure_in_force(ask.rates, other)[0]
        low, high = (figure, other) if figure.endswith("_low") else (other, figure)
        values = {figure: value, other: other_value}
        if values[low] > values[high]:
            raise UserError(
                "settings.error.low_above_high",
                low=figure_label(ask, low),
                low_value=show_figure(ask, low, values[low]),
                high=figure_label(ask, high),
                high_value=show_figure(ask, high, values[high]),
            )

    @app_commands.command(name="reset", description="Back to the preset: one figure, or all")
    @app_commands.describe(figure="Which figure (default: every override, exchange rates too)")
    @app_commands.choices(figure=FIGURE_CHOICES)
    @write_limited()
    @manager_only()
    async def reset(self, interaction: discord.Interaction, figure: str | None = None) -> None:
        ask = await ask_for(interaction)
        config, customs = await self.profiles.stored(require_guild(interaction))
        if figure is not None:
            if figure not in OVERRIDABLE_FIGURES:
                raise UserError("error.bad_option", value=safe(figure))
            if figure not in config.overrides:
                raise UserError("settings.error.not_overridden", setting=figure_label(ask, figure))
            rest = {k: v for k, v in config.overrides.items() if k != figure}
            try:
                self._validate(config, customs, replaced(config, overrides=rest), customs)
            except EconomyError as err:
                if figure in OTHER_BOUND:
                    raise UserError(
                        "settings.error.reset_order",
                        setting=figure_label(ask, figure),
                        other=figure_label(ask, OTHER_BOUND[figure]),
                    ) from err
                raise
            keys = [override_key(figure)]
        else:
            keys = [override_key(name) for name in sorted(config.overrides)]
            keys += [fx_key(code) for code in sorted(config.fx_overrides)]
            if not keys:
                raise UserError("settings.error.no_overrides")
            self._validate(
                config, customs, replaced(config, overrides={}, fx_overrides={}), customs
            )
        before = {key: in_force(ask, key) for key in keys}
        for key in keys:
            await self._save(interaction, key, None)
        after = await fresh_ask(interaction)
        lines = [self._change_line(after, key, before[key], in_force(after, key)) for key in keys]
        await self._announce(interaction, after, "settings.reset_title", lines)

    @app_commands.command(name="currency", description="Show money in this currency beside USD")
    @app_commands.describe(code="Which currency")
    @app_commands.choices(code=CURRENCY_CHOICES)
    @write_limited()
    @manager_only()
    async def currency(self, interaction: discord.Interaction, code: str) -> None:
        ask = await ask_for(interaction)
        if code not in SUPPORTED_CURRENCIES:
            raise UserError("error.bad_option", value=safe(code))
        config, customs = await self.profiles.stored(require_guild(interaction))
        if code == (config.currency or "USD"):
            raise UserError(
                "settings.error.unchanged", setting=setting_label(ask, "currency"), value=code
            )
        self._validate(config, customs, replaced(config, currency=code), customs).rates.fx_rate(
            code
        )
        await self._change(interaction, ask, "currency", code)

    @app_commands.command(name="fx", description="Override an exchange rate (units per 1 USD)")
    @app_commands.describe(
        code="Which currency",
        rate="Units of it per 1 USD (leave out to go back to the shipped rate)",
    )
    @app_commands.choices(code=FX_CHOICES)
    @write_limited()
    @manager_only()
    async def fx(
        self, interaction: discord.Interaction, code: str, rate: float | None = None
    ) -> None:
        ask = await ask_for(interaction)
        if code not in FX_CURRENCIES:
            raise UserError("error.bad_option", value=safe(code))
        key = fx_key(code)
        config, customs = await self.profiles.stored(require_guild(interaction))
        old = config.fx_overrides.get(code)
        if rate is None:
            if old is None:
                raise UserError("settings.error.not_overridden", setting=setting_label(ask, key))
            overrides = {k: v for k, v in config.fx_overrides.items() if k != code}
            value = None
        else:
            number = to_decimal(rate)
            self._check_fx(ask, code, number)
            if old is not None and Decimal(old) == number:
                raise UserError(
                    "settings.error.unchanged",
                    setting=setting_label(ask, key),
                    value=ask.number(number),
                )
            value = plain(number)
            overrides = {**config.fx_overrides, code: value}
        self._validate(config, customs, replaced(config, fx_overrides=overrides), customs)
        await self._change(interaction, ask, key, value)

    def _check_fx(self, ask: Ask, code: str, rate: Decimal) -> None:
        shipped = self.profiles.presets[DEFAULT_PRESET].fx.get(code)
        if shipped is None:
            bounds = Bounds(ZERO, Decimal(10) ** 9, low_open=True)
        else:
            bounds = Bounds(shipped.value / FX_SPREAD, shipped.value * FX_SPREAD)
        if not bounds.holds(rate):
            raise UserError(
                "settings.error.fx_range",
                currency=code,
                low=ask.number(bounds.low),
                high=ask.number(bounds.high),
                shipped=ask.number(shipped.value) if shipped else "-",
            )

    @app_commands.command(name="tally-others", description="Who may add tallies for others")
    @app_commands.describe(who="Managers only, or everyone")
    @app_commands.choices(who=TALLY_CHOICES)
    @write_limited()
    @manager_only()
    async def tally_others(self, interaction: discord.Interaction, who: str) -> None:
        ask = await ask_for(interaction)
        if who not in TALLY_OTHERS:
            raise UserError("error.bad_option", value=safe(who))
        config, _ = await self.profiles.stored(require_guild(interaction))
        if who == config.tally_others:
            raise UserError(
                "settings.error.unchanged",
                setting=setting_label(ask, "tally_others"),
                value=ask.t(f"settings.tally.{who}"),
            )
        await self._change(interaction, ask, "tally_others", who)

    @app_commands.command(name="leaderboard", description="Turn the leaderboard on or off")
    @app_commands.describe(enabled="On or off")
    @app_commands.choices(enabled=SWITCH_CHOICES)
    @write_limited()
    @manager_only()
    async def leaderboard(self, interaction: discord.Interaction, enabled: str) -> None:
        ask = await ask_for(interaction)
        if enabled not in SWITCH:
            raise UserError("error.bad_option", value=safe(enabled))
        config, _ = await self.profiles.stored(require_guild(interaction))
        if (enabled == "on") == config.leaderboard_enabled:
            raise UserError(
                "settings.error.unchanged",
                setting=setting_label(ask, "leaderboard_enabled"),
                value=ask.t(f"settings.switch.{enabled}"),
            )
        value = "true" if enabled == "on" else "false"
        await self._change(interaction, ask, "leaderboard_enabled", value)

    @app_commands.command(name="gift-add", description="Add a gift only this server knows")
    @app_commands.describe(name="The gift's name", coins="What it costs, in coins")
    @write_limited()
    @manager_only()
    async def gift_add(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, 32],
        coins: app_commands.Range[int, 1, MAX_GIFT_COINS],
    ) -> None:
        ask = await ask_for(interaction)
        guild_id = require_guild(interaction)
        if not 1 <= coins <= MAX_GIFT_COINS:
            raise UserError(
                "settings.error.gift_coins",
                low=ask.number(1),
                high=ask.number(MAX_GIFT_COINS),
            )
        clean = clean_name(name, "gift name")
        try:
            gift = custom_gift(clean, coins)
        except ValidationError:
            raise UserError("settings.error.gift_name") from None
        config, customs = await self.profiles.stored(guild_id)
        if len(customs) >= MAX_CUSTOM_GIFTS:
            raise UserError("settings.error.too_many_gifts", limit=ask.number(MAX_CUSTOM_GIFTS))
        self._validate(config, customs, config, [*customs, gift])
        await self.storage.add_custom_gift(guild_id, clean, coins, interaction.user.id)
        self.profiles.forget(guild_id)
        after = await fresh_ask(interaction)
        value = gift_value(gift, 1, after.rates, after.store("app"))
        line = after.t(
            "settings.gift_added",
            gift=safe(clean),
            coins=after.number(coins),
            diamonds=after.number(value.diamonds),
            gross=after.usd(value.gross_usd),
        )
        await self._announce(interaction, after, "settings.gift_added_title", [line])

    @app_commands.command(name="gift-remove", description="Remove one of this server's gifts")
    @app_commands.describe(name="Which custom gift")
    @write_limited()
    @manager_only()
    async def gift_remove(self, interaction: discord.Interaction, name: str) -> None:
        guild_id = require_guild(interaction)
        await self.storage.remove_custom_gift(guild_id, name, interaction.user.id)
        self.profiles.forget(guild_id)
        ask = await fresh_ask(interaction)
        line = ask.t("settings.gift_removed", gift=safe(name.strip()))
        await self._announce(interaction, ask, "settings.gift_removed_title", [line])

    @gift_remove.autocomplete("name")
    async def _custom_gift_names(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        wanted = typed.strip().casefold()
        gifts = await self.storage.list_custom_gifts(interaction.guild_id)
        return [
            app_commands.Choice(name=gift.name, value=gift.name)
            for gift in gifts
            if wanted in gift.name.casefold()
        ][:25]


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Settings(bot))  # type: ignore[arg-type]
