"""Message catalogs: every user-facing sentence, by locale, loaded once from `bot/locales/`.

A catalog is `locales/<locale>/<domain>.json`, a flat object of `key -> text`; the full key is
`<domain>.<key>` (`gift.value.title`). Texts use `str.format` placeholders (`{count}`).
"""

from __future__ import annotations

import json
import string
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_LOCALE = "en"
SUPPORTED_LOCALES = ("en", "id", "pt-BR")


def normalise_locale(locale: object) -> str:
    """Map a Discord locale (`en-US`, `id`, `pt-BR`, `es-ES`) to one we have text for."""
    value = str(getattr(locale, "value", locale) or "")
    if value in SUPPORTED_LOCALES:
        return value
    if value.lower().startswith("pt-br"):
        return "pt-BR"
    return DEFAULT_LOCALE


@cache
def catalogs() -> dict[str, dict[str, str]]:
    """Every locale's messages, keyed `<domain>.<key>`."""
    root = resources.files("bot") / "locales"
    result: dict[str, dict[str, str]] = {}
    for locale in SUPPORTED_LOCALES:
        messages: dict[str, str] = {}
        folder = root / locale
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".json"):
                continue
            domain = entry.name.removesuffix(".json")
            data = json.loads(entry.read_text(encoding="utf-8"))
            messages.update({f"{domain}.{key}": text for key, text in data.items()})
        result[locale] = messages
    return result


def placeholders(text: str) -> set[str]:
    """The `{name}` fields a message expects."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def has(key: str) -> bool:
    """Whether the English catalog defines `key`."""
    return key in catalogs()[DEFAULT_LOCALE]


def t(locale: object, key: str, /, **params: Any) -> str:
    """The message `key` in `locale` (English when missing), with `params` filled in."""
    all_messages = catalogs()
    text = all_messages[normalise_locale(locale)].get(key)
    if text is None:
        text = all_messages[DEFAULT_LOCALE].get(key, key)
    try:
        return text.format_map(params)
    except (KeyError, IndexError, ValueError):
        return text
