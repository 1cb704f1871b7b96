"""Message catalogs and command localizations: complete, consistent, and what Discord accepts."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.i18n import (
    DEFAULT_LOCALE,
    SUPPORTED_LOCALES,
    catalogs,
    placeholders,
    plural_categories,
    t,
)
from bot.offline import OfflineDiscord
from bot.translator import DISCORD_LOCALES, CatalogTranslator, command_texts

LOCALES_DIR = Path(str(resources.files("bot") / "locales"))
CODE_DIRS = ("bot", "commands")
TRANSLATED = ("id", "pt-BR")
SEPARATORS = frozenset("-_'")

# A message key written as a literal: ask.t("x.y"), t(locale, "x.y"), UserError("x.y").
LITERAL_KEY = re.compile(
    r"""(?:\b(?:t|count)\(\s*(?:[\w.]+\s*,\s*)?|UserError\(\s*)"""
    r"""["']([a-z][\w-]*(?:\.[\w-]+)+)["']"""
)


def domain_files(locale: str) -> dict[str, dict[str, str]]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((LOCALES_DIR / locale).glob("*.json"))
    }


def name_is_valid(name: str) -> bool:
    """Discord's ^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$, lowercase where possible."""

    def allowed(char: str) -> bool:
        code = ord(char)
        return (
            char in SEPARATORS
            or unicodedata.category(char)[0] in "LN"
            or 0x0900 <= code <= 0x097F  # Devanagari
            or 0xA8E0 <= code <= 0xA8FF  # Devanagari extended
            or 0x0E00 <= code <= 0x0E7F  # Thai
        )

    return 1 <= len(name) <= 32 and all(allowed(c) for c in name) and name == name.lower()


# -- the catalogs ----------------------------------------------------------------------------


def test_every_locale_has_the_same_files_and_keys() -> None:
    english = domain_files(DEFAULT_LOCALE)
    assert english, "no English catalogs found"
    for locale in SUPPORTED_LOCALES:
        files = domain_files(locale)
        assert set(files) == set(english), f"{locale}: files differ from English"
        for domain, messages in english.items():
            missing = set(messages) - set(files[domain])
            extra = set(files[domain]) - set(messages)
            assert not missing, f"{locale}/{domain}.json misses {sorted(missing)}"
            assert not extra, f"{locale}/{domain}.json has keys English lacks: {sorted(extra)}"


def test_placeholders_match_between_languages() -> None:
    english = catalogs()[DEFAULT_LOCALE]
    for locale in SUPPORTED_LOCALES:
        for key, text in catalogs()[locale].items():
            forms = text.values() if isinstance(text, dict) else [text]
            assert all(form.strip() for form in forms), f"{locale}: {key} is empty"
            assert placeholders(text) == placeholders(english[key]), (
                f"{locale}: {key} has {sorted(placeholders(text))}, "
                f"English has {sorted(placeholders(english[key]))}"
            )


def test_plural_messages_have_exactly_the_forms_their_language_uses() -> None:
    """CLDR: English one/other, Indonesian other, Brazilian Portuguese one/many/other."""
    assert plural_categories("en") == {"one", "other"}
    assert plural_categories("id") == {"other"}
    assert plural_categories("pt-BR") == {"one", "many", "other"}
    english = catalogs()[DEFAULT_LOCALE]
    plural_keys = {key for key, text in english.items() if isinstance(text, dict)}
    assert len(plural_keys) > 20, "the counts the bot shows should follow plural rules"
    for locale in SUPPORTED_LOCALES:
        for key, text in catalogs()[locale].items():
            if key in plural_keys:
                assert isinstance(text, dict), f"{locale}: {key} needs plural forms"
                assert set(text) == plural_categories(locale), (locale, key, sorted(text))
                for form in text.values():
                    assert placeholders(form) == placeholders(english[key]), (locale, key)
            else:
                assert isinstance(text, str), f"{locale}: {key} has plural forms, English not"


@pytest.mark.parametrize(
    ("locale", "n", "text"),
    [
        ("en", 1, "1 coin"),
        ("en", 2, "2 coins"),
        ("en", 0, "0 coins"),
        ("en", Decimal("0.5"), "0.5 coins"),
        ("en", Decimal("1.000"), "1 coin"),
        ("id", 1, "1 koin"),
        ("id", 1_000_000, "1.000.000 koin"),
        ("pt-BR", 1, "1 moeda"),
        ("pt-BR", Decimal("1.5"), "1,5 moeda"),
        ("pt-BR", 2, "2 moedas"),
        ("pt-BR", 1_000_000, "1.000.000 de moedas"),
        ("pt-BR", 1_000_001, "1.000.001 moedas"),
    ],
)
def test_counts_take_the_plural_form_cldr_gives(locale: str, n: object, text: str) -> None:
    from economy.money import format_number

    shown = format_number(n, locale)  # type: ignore[arg-type]
    assert t(locale, "common.coin_count", plural=n, n=shown) == text  # type: ignore[arg-type]


def test_every_key_the_code_names_exists() -> None:
    english = catalogs()[DEFAULT_LOCALE]
    root = Path(__file__).resolve().parents[2]
    used: dict[str, str] = {}
    for folder in CODE_DIRS:
        for path in (root / folder).rglob("*.py"):
            for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8")):
                used.setdefault(key, str(path.relative_to(root)))
    assert len(used) > 50, "the key scanner found suspiciously few keys"
    missing = {key: where for key, where in used.items() if key not in english}
    assert not missing, f"keys used in code but missing from the catalogs: {missing}"


def test_replies_fall_back_to_english() -> None:
    assert t("fr", "gift.value.coins") == "Coins spent"
    assert t("pt-BR", "gift.value.coins") == "Moedas gastas"
    assert t("id", "gift.value.coins") == "Koin yang dipakai"
    assert t("en-GB", "error.rate_limited", seconds=3) == "Easy there! Try again in 3 s."
    assert t("id", "no.such.key") == "no.such.key"


# -- command localizations ---------------------------------------------------------------------


def every_command(
    tree: app_commands.CommandTree,
) -> Iterator[app_commands.Command | app_commands.Group]:
    yield from tree.walk_commands()


def expected_keys(tree: app_commands.CommandTree) -> dict[str, str]:
    """Every `cmd.` key (without the prefix) the tree needs, with its English text from code."""
    keys: dict[str, str] = {}
    for command in every_command(tree):
        name = command.qualified_name
        keys[f"{name}.name"] = command.name
        keys[f"{name}.description"] = command.description
        if isinstance(command, app_commands.Command):
            for param in command.parameters:
                keys[f"{name}.{param.name}.name"] = param.name
                keys[f"{name}.{param.name}.description"] = param.description
                for choice in param.choices:
                    keys[f"choice.{choice.value}.name"] = choice.name
    for kind in (discord.AppCommandType.user, discord.AppCommandType.message):
        for menu in tree.get_commands(type=kind):
            keys[f"menu.{menu.name}.name"] = menu.name
    return keys


async def test_every_cmd_key_maps_to_a_real_command_param_or_choice(
    offline: OfflineDiscord,
) -> None:
    wanted = expected_keys(offline.bot.tree)
    for locale in SUPPORTED_LOCALES:
        texts = command_texts()[locale]
        stray = sorted(set(texts) - set(wanted))
        assert not stray, f"{locale}: cmd.* keys for nothing: {stray}"
        missing = sorted(set(wanted) - set(texts))
        assert not missing, f"{locale}: commands, options or choices without text: {missing}"


async def test_english_command_texts_match_the_code(offline: OfflineDiscord) -> None:
    texts = command_texts()[DEFAULT_LOCALE]
    for key, from_code in expected_keys(offline.bot.tree).items():
        assert texts[key] == from_code, f"en cmd.{key} is {texts[key]!r}, code says {from_code!r}"


async def test_localized_names_and_descriptions_fit_discord(offline: OfflineDiscord) -> None:
    for locale in SUPPORTED_LOCALES:
        for key, text in command_texts()[locale].items():
            if key.startswith("choice."):
                assert 1 <= len(text) <= 100, f"{locale}: choice {key} is {len(text)} chars"
            elif key.startswith("menu."):  # an Apps menu name: any case, spaces allowed
                assert 1 <= len(text) <= 32 and text.strip() == text, f"{locale}: {key}"
            elif key.endswith(".name"):
                assert name_is_valid(text), f"{locale}: {key} = {text!r} is not a valid name"
            else:
                assert 1 <= len(text) <= 100, f"{locale}: {key} is {len(text)} chars"


async def test_sibling_names_stay_unique_in_every_language(offline: OfflineDiscord) -> None:
    tree = offline.bot.tree
    for locale in SUPPORTED_LOCALES:
        texts = command_texts()[locale]
        slash = tree.get_commands(type=discord.AppCommandType.chat_input)
        roots = [texts[f"{c.qualified_name}.name"] for c in slash]
        assert len(roots) == len(set(roots)), f"{locale}: two top-level commands share a name"
        for command in every_command(tree):
            if isinstance(command, app_commands.Group):
                subs = [texts[f"{c.qualified_name}.name"] for c in command.commands]
            else:
                subs = [
                    texts[f"{command.qualified_name}.{p.name}.name"] for p in command.parameters
                ]
            assert len(subs) == len(set(subs)), f"{locale}: {command.qualified_name}: {subs}"


def localizations_missing(payload: dict[str, Any], where: str) -> Iterator[str]:
    """Every name/description in a translated payload that lacks an id or pt-BR version."""
    wanted = {locale.value for locale in DISCORD_LOCALES}
    for field in ("name", "description"):
        if field in payload:
            have = set(payload.get(f"{field}_localizations") or {})
            if not wanted <= have:
                yield f"{where} {field}: {sorted(wanted - have)}"
    for option in payload.get("options") or []:
        yield from localizations_missing(option, f"{where} > {option['name']}")
    for choice in payload.get("choices") or []:
        have = set(choice.get("name_localizations") or {})
        if not wanted <= have:
            yield f"{where} choice {choice['value']}: {sorted(wanted - have)}"


async def test_synced_payloads_carry_id_and_pt_br(offline: OfflineDiscord) -> None:
    tree = offline.bot.tree
    translator = CatalogTranslator()
    assert {locale.value for locale in DISCORD_LOCALES} == {"id", "pt-BR"}
    problems: list[str] = []
    for command in tree.get_commands():
        payload = await command.get_translated_payload(tree, translator)
        problems.extend(localizations_missing(payload, f"/{command.name}"))
    assert not problems, "\n".join(problems)


async def test_settings_payload_is_localized_and_manager_only(offline: OfflineDiscord) -> None:
    tree = offline.bot.tree
    settings = tree.get_command("settings")
    assert settings is not None
    payload = await settings.get_translated_payload(tree, CatalogTranslator())
    assert payload["name_localizations"]["id"] == "pengaturan"
    assert payload["name_localizations"]["pt-BR"] == "configuracoes"
    assert (
        int(payload["default_member_permissions"]) == discord.Permissions(manage_guild=True).value
    )
    assert payload["contexts"] == [0] and payload["integration_types"] == [0]
    subcommands = {option["name"]: option for option in payload["options"]}
    assert subcommands["set"]["name_localizations"] == {"id": "atur", "pt-BR": "definir"}
    figure = next(o for o in subcommands["set"]["options"] if o["name"] == "figure")
    cut = next(c for c in figure["choices"] if c["value"] == "cashout_cut")
    assert cut["name_localizations"]["pt-BR"] == "Taxa no saque (porcentagem)"


def test_command_and_option_names_are_typed_without_accents() -> None:
    """The one rule for localized names (docs/architecture.md): lowercase ASCII letters,
    digits, `-` and `_`, so a name types the same on any keyboard (`configuracoes`, `regiao`);
    descriptions, choice names and Apps menu names (picked, never typed) keep their accents."""
    for locale in TRANSLATED:
        for key, text in command_texts()[locale].items():
            if key.endswith(".name") and not key.startswith(("choice.", "menu.")):
                assert re.fullmatch(r"[a-z0-9_-]{1,32}", text), (locale, key, text)
    descriptions = [v for k, v in command_texts()["pt-BR"].items() if k.endswith("description")]
    assert any("ç" in text or "ã" in text for text in descriptions)


@pytest.mark.parametrize("name", ["ab c", "ABC", "", "x" * 33, "a.b", "emoji🌹"])
def test_name_check_refuses_what_discord_refuses(name: str) -> None:
    assert not name_is_valid(name)


@pytest.mark.parametrize("name", ["configurações", "tally-orang-lain", "moedas_min", "हिन्दी"])
def test_name_check_accepts_what_discord_accepts(name: str) -> None:
    assert name_is_valid(name)


def test_keys_built_at_run_time_exist() -> None:
    from commands._options import PROGRAM_CHOICES, REGION_CHOICES, STORE_CHOICES
    from commands.settings import SWITCH
    from economy.rates import OVERRIDABLE_FIGURES
    from economy.storage import TALLY_OTHERS

    english = catalogs()[DEFAULT_LOCALE]
    keys = [f"settings.figure.{name}" for name in OVERRIDABLE_FIGURES]
    keys += [f"settings.tally.{who}" for who in TALLY_OTHERS]
    keys += [f"settings.switch.{state}" for state in SWITCH]
    keys += [f"coins.region.{choice.value}" for choice in REGION_CHOICES]
    keys += [f"coins.store_{choice.value}" for choice in STORE_CHOICES]
    keys += [f"payout.program.{choice.value}" for choice in PROGRAM_CHOICES]
    assert [key for key in keys if key not in english] == []
