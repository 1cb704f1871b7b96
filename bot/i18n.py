"""Message catalogs: every user-facing sentence, by locale, loaded once from `bot/locales/`.

A catalog is `locales/<locale>/<domain>.json`, a flat object of `key -> text`; the full key is
`<domain>.<key>` (`gift.value.title`). Texts use `str.format` placeholders (`{count}`).

A text that depends on a number is an object of CLDR plural forms instead
(`{"one": "{n} coin", "other": "{n} coins"}`): each language lists exactly the categories its
CLDR rules use (English `one`/`other`, Indonesian `other`, Brazilian Portuguese
`one`/`many`/`other`), and `t(..., plural=n)` picks the form for `n` (Babel's rules).
"""

from __future__ import annotations

import json
import string
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from economy.money import babel_locale

DEFAULT_LOCALE = "en"
SUPPORTED_LOCALES = ("en", "id", "pt-BR")
OTHER = "other"  # the plural category every language has

Message = str | dict[str, str]  # a text, or its plural forms by CLDR category


def normalise_locale(locale: object) -> str:
    """Map a Discord locale (`en-US`, `id`, `pt-BR`, `es-ES`) to one we have text for."""
    value = str(getattr(locale, "value", locale) or "")
    if value in SUPPORTED_LOCALES:
        return value
    if value.lower().startswith("pt-br"):
        return "pt-BR"
    return DEFAULT_LOCALE


@cache
def catalogs() -> dict[str, dict[str, Message]]:
    """Every locale's messages, keyed `<domain>.<key>`."""
    root = resources.files("bot") / "locales"
    result: dict[str, dict[str, Message]] = {}
    for locale in SUPPORTED_LOCALES:
        messages: dict[str, Message] = {}
        folder = root / locale
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".json"):
                continue
            domain = entry.name.removesuffix(".json")
            data = json.loads(entry.read_text(encoding="utf-8"))
            messages.update({f"{domain}.{key}": text for key, text in data.items()})
        result[locale] = messages
    return result


def placeholders(text: Message) -> set[str]:
    """The `{name}` fields a message expects (every plural form's)."""
    forms = text.values() if isinstance(text, dict) else (text,)
    return {field for form in forms for _, field, _, _ in string.Formatter().parse(form) if field}


def plural_categories(locale: object) -> frozenset[str]:
    """The CLDR plural categories a language uses (`one`, `many`, ... and always `other`)."""
    return frozenset({OTHER, *babel_locale(normalise_locale(locale)).plural_form.tags})


def plural_category(number: int | Decimal, locale: object) -> str:
    """The CLDR category of `number` as it is written (2.5 has a visible decimal, 1 none)."""
    if isinstance(number, Decimal):
        number = number.normalize()
        if number == number.to_integral_value():
            number = int(number)
    return str(babel_locale(normalise_locale(locale)).plural_form(number))


def has(key: str) -> bool:
    """Whether the English catalog defines `key`."""
    return key in catalogs()[DEFAULT_LOCALE]


def t(locale: object, key: str, /, *, plural: int | Decimal | None = None, **params: Any) -> str:
    """The message `key` in `locale` (English when missing), with `params` filled in; a
    message with plural forms takes the form of `plural` (else its `other` form)."""
    all_messages = catalogs()
    where = normalise_locale(locale)
    message = all_messages[where].get(key)
    if message is None:
        where, message = DEFAULT_LOCALE, all_messages[DEFAULT_LOCALE].get(key, key)
    if isinstance(message, dict):
        form = OTHER if plural is None else plural_category(plural, where)
        message = message.get(form, message[OTHER])
    try:
        return message.format_map(params)
    except (KeyError, IndexError, ValueError):
        return message
