"""How /settings reads: figure and setting labels, values in force or stored, the `show` embed,
history and change lines, and settings refusals in the asker's language and number style."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import discord

from bot.context import Ask
from bot.render import answer, safe
from bot.tree import UserError
from commands._purchase import region_name
from economy.money import format_percent
from economy.rates import OVERRIDABLE_FIGURES, RateCard
from economy.server_settings import (
    PERCENT_FIGURES,
    TALLY_OTHERS,
    USD_FIGURES,
    Bounds,
    FigureOutOfRange,
    FxOutOfRange,
    GiftCoinsOutOfRange,
    LowAboveHigh,
    ResetBreaksOrder,
    SettingRefused,
    TooManyGifts,
    figure_in_force,
)
from economy.storage import AuditRow, GuildConfig, fx_key, override_key

SCALAR_KEYS = ("preset", "currency", "tally_others", "leaderboard_enabled")


# -- labels and values ------------------------------------------------------------------------


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


# -- lines and embeds -------------------------------------------------------------------------


def change_line(ask: Ask, key: str, before: str, after: str) -> str:
    return ask.t("settings.changed_line", setting=setting_label(ask, key), old=before, new=after)


def history_line(ask: Ask, row: AuditRow) -> str:
    return ask.t(
        "settings.history.line",
        when=discord.utils.format_dt(row.created_at, "f"),
        who=f"<@{row.actor_id}>",
        setting=setting_label(ask, row.key),
        old=stored_value(ask, row.key, row.old_value),
        new=stored_value(ask, row.key, row.new_value),
    )


def show_embed(ask: Ask, custom_gifts: int, preset_card: RateCard) -> discord.Embed:
    """Every figure and switch in force, each with where it comes from and its date."""
    config = ask.profile.config or GuildConfig()
    embed = answer(ask, ask.t("settings.show.title"))
    currency_key = "settings.show.usd" if ask.currency == "USD" else "settings.show.currency"
    currency = ask.t(currency_key, currency=ask.currency, region=region_name(ask, ask.region))
    embed.add_field(name=ask.t("settings.key.preset"), value=ask.rates.preset)
    embed.add_field(name=ask.t("settings.key.currency"), value=currency)
    embed.add_field(name=ask.t("settings.key.tally_others"), value=in_force(ask, "tally_others"))
    embed.add_field(
        name=ask.t("settings.key.leaderboard_enabled"),
        value=in_force(ask, "leaderboard_enabled"),
    )
    embed.add_field(name=ask.t("settings.show.custom_gifts"), value=ask.number(custom_gifts))
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
    return embed


# -- refusals ---------------------------------------------------------------------------------


def refusal(ask: Ask, err: SettingRefused) -> UserError:
    """A settings rule's refusal with its figures, numbers and labels shown the asker's way."""
    match err:
        case FigureOutOfRange():
            params = {
                "figure": figure_label(ask, err.figure),
                "range": show_bounds(ask, err.figure, err.bounds),
            }
        case LowAboveHigh():
            params = {
                "low": figure_label(ask, err.low),
                "low_value": show_figure(ask, err.low, err.low_value),
                "high": figure_label(ask, err.high),
                "high_value": show_figure(ask, err.high, err.high_value),
            }
        case ResetBreaksOrder():
            params = {
                "setting": figure_label(ask, err.figure),
                "other": figure_label(ask, err.other),
            }
        case FxOutOfRange():
            params = {
                "currency": err.currency,
                "low": ask.number(err.bounds.low),
                "high": ask.number(err.bounds.high),
                "shipped": ask.number(err.shipped) if err.shipped is not None else "-",
            }
        case GiftCoinsOutOfRange():
            params = {"low": ask.number(err.low), "high": ask.number(err.high)}
        case TooManyGifts():
            params = {"limit": ask.number(err.limit)}
        case _:
            params = dict(err.params)
    return UserError(err.key, **params)


@contextmanager
def refusals_shown(ask: Ask) -> Iterator[None]:
    """Re-raise a settings rule's refusal (`SettingRefused`) as `refusal(ask, err)`."""
    try:
        yield
    except SettingRefused as err:
        raise refusal(ask, err) from err
