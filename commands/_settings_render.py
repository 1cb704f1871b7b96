"""How /settings reads: figure and setting labels, values in force or stored, the `show` embed,
and history and change lines, in the asker's language and number style."""

from __future__ import annotations

from decimal import Decimal

import discord

from bot.context import Ask
from bot.i18n import has
from bot.render import answer
from commands._purchase import region_name
from economy.errors import Label, Quantity
from economy.guild_settings import figure_in_force, figure_label, figure_quantity
from economy.rates import OVERRIDABLE_FIGURES, RateCard
from economy.storage import TALLY_OTHERS, AuditRow, GuildSettings, fx_key, override_key

SCALAR_KEYS = ("preset", "currency", "tally_others", "leaderboard_enabled")


# -- labels and values ------------------------------------------------------------------------


def setting_name(key: str) -> Label:
    """What a stored setting key is called, for the bot to say in the user's language."""
    if key in SCALAR_KEYS:
        return Label(f"settings.key.{key}")
    kind, _, rest = key.partition(":")
    if kind == "override" and rest in OVERRIDABLE_FIGURES:
        return figure_label(rest)
    if kind == "fx":
        return Label("settings.key.fx", {"currency": rest})
    if kind == "custom_gift":
        return Label("settings.key.custom_gift", {"gift": rest})
    return Label(key)


def setting_label(ask: Ask, key: str) -> str:
    """What a setting key is called in the asker's language."""
    return ask.value(setting_name(key))


def show_figure(ask: Ask, name: str, value: Decimal) -> str:
    """A figure the way people read it: `50%`, `0.005 USD`, `0.5`."""
    return ask.value(figure_quantity(name, value))


def switch_name(enabled: bool) -> Label:
    return Label("settings.switch.on" if enabled else "settings.switch.off")


def stored_value(key: str, raw: str | None) -> object:
    """A stored (audited) value as a raw value to show; `None` is the default."""
    if raw is None:
        return Label("settings.unset")
    kind, _, rest = key.partition(":")
    if key == "preset" and has(f"common.model.{raw}"):
        return Label(f"common.model.{raw}")
    try:
        if key == "tally_others" and raw in TALLY_OTHERS:
            return Label(f"settings.tally.{raw}")
        if key == "leaderboard_enabled":
            return switch_name(raw == "true")
        if kind == "override" and rest in OVERRIDABLE_FIGURES:
            return figure_quantity(rest, Decimal(raw))
        if kind == "fx":
            return Decimal(raw)
        if kind == "custom_gift":
            return Quantity(int(raw), "coins")
    except (ArithmeticError, ValueError):
        pass
    return raw


def in_force(ask: Ask, key: str) -> str:
    """What an answer assumes for `key` right now (preset value when not overridden)."""
    settings = ask.profile.settings or GuildSettings()
    if key == "preset":
        return ask.preset_name(ask.rates.preset)
    if key == "currency":
        return ask.currency
    if key == "tally_others":
        return ask.t(f"settings.tally.{settings.tally_others}")
    if key == "leaderboard_enabled":
        return ask.value(switch_name(settings.leaderboard_enabled))
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
        old=ask.value(stored_value(row.key, row.old_value)),
        new=ask.value(stored_value(row.key, row.new_value)),
    )


def show_embed(ask: Ask, custom_gifts: int, preset_card: RateCard) -> discord.Embed:
    """Every figure and switch in force, each with where it comes from and its date."""
    settings = ask.profile.settings or GuildSettings()
    embed = answer(ask, ask.t("settings.show.title"))
    currency_key = "settings.show.usd" if ask.currency == "USD" else "settings.show.currency"
    currency = ask.t(currency_key, currency=ask.currency, region=region_name(ask, ask.region))
    embed.add_field(name=ask.t("settings.key.preset"), value=ask.preset_name(ask.rates.preset))
    embed.add_field(name=ask.t("settings.key.currency"), value=currency)
    embed.add_field(name=ask.t("settings.key.tally_others"), value=in_force(ask, "tally_others"))
    embed.add_field(
        name=ask.t("settings.key.leaderboard_enabled"),
        value=in_force(ask, "leaderboard_enabled"),
    )
    embed.add_field(name=ask.t("settings.show.custom_gifts"), value=ask.number(custom_gifts))
    from_preset = ask.preset_name(ask.rates.preset)
    from_server = ask.t("settings.source.override")
    lines = []
    for name in OVERRIDABLE_FIGURES:
        value, as_of = figure_in_force(ask.rates, name)
        overridden = name in settings.overrides and override_key(name) not in ask.profile.ignored
        if not overridden:
            as_of = figure_in_force(preset_card, name)[1]
        lines.append(
            ask.t(
                "settings.show.line",
                label=ask.value(figure_label(name)),
                value=show_figure(ask, name, value),
                source=from_server if overridden else from_preset,
                as_of=ask.date(as_of),
            )
        )
    embed.description = f"**{ask.t('settings.show.figures')}**\n" + "\n".join(lines)
    fx_lines = []
    for code, figure in sorted(ask.rates.fx.items()):
        overridden = code in settings.fx_overrides and fx_key(code) not in ask.profile.ignored
        fx_lines.append(
            ask.t(
                "settings.show.line",
                label=code,
                value=ask.number(figure.value),
                source=from_server if overridden else figure.source,  # the ECB
                as_of=ask.date(figure.as_of),
            )
        )
    fx_text = "\n".join(fx_lines)[:1024]
    embed.add_field(name=ask.t("settings.show.fx"), value=fx_text, inline=False)
    if ask.profile.ignored:
        ignored = ", ".join(setting_label(ask, key) for key in ask.profile.ignored)
        embed.add_field(name=ask.t("settings.show.ignored"), value=ignored[:1024], inline=False)
    return embed
