"""User-supplied names (groups, custom gifts, gifters): what is accepted, and when two names
are one (`name_key`) or only look alike (`look_key`)."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources

from economy.errors import InvalidValue
from economy.limits import MAX_NAME_LENGTH, MAX_TIKTOK_NAME_LENGTH

# Format characters that legitimate emoji need: zero-width joiner and the tag characters of
# subdivision flags. Every other control/format/separator character is refused.
_ALLOWED_FORMAT_CHARS = frozenset(["\u200d", *map(chr, range(0xE0020, 0xE0080))])
_FORBIDDEN_CATEGORIES = frozenset(["Cc", "Cf", "Cs", "Zl", "Zp"])
# Letters that render as nothing: used to fake blank or look-alike names.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u200b\u2060\ufeff")


def _forbidden(char: str) -> bool:
    """True for control, format, separator and blank-rendering characters (bar emoji joiners)."""
    if char in _BLANK_LETTERS:
        return True
    return unicodedata.category(char) in _FORBIDDEN_CATEGORIES and char not in _ALLOWED_FORMAT_CHARS


class BadName(InvalidValue):
    """A name that is empty, too long, or holds control or invisible characters."""

    key = "error.bad_name"

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(what, reason)
        self.params["max"] = MAX_NAME_LENGTH


def clean_name(raw: str, what: str = "name") -> str:
    """Return `raw` trimmed, or raise BadName (empty, too long, control characters)."""
    if not isinstance(raw, str):
        raise BadName(what, "must be text")
    name = unicodedata.normalize("NFKC", raw).strip()
    if not name:
        raise BadName(what, "must not be empty")
    if any(_forbidden(char) for char in name):
        raise BadName(what, "must not contain control or invisible formatting characters")
    if len(name) > MAX_NAME_LENGTH:
        raise BadName(what, f"must be at most {MAX_NAME_LENGTH} characters (got {len(name)})")
    return name


def name_key(name: str) -> str:
    """The uniqueness key of a name: NFKC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@cache
def _lookalikes() -> dict[str, str]:
    """Characters that look like an ASCII letter or digit (economy/data/lookalikes.json)."""
    source = resources.files("economy") / "data" / "lookalikes.json"
    table: dict[str, str] = json.loads(source.read_text(encoding="utf-8"))["map"]
    return table


def look_key(name: str) -> str:
    """What a name looks like: `name_key` with look-alike letters as their ASCII twin, so
    "Аlpha" (Cyrillic А) and "alpha" share a key."""
    table = _lookalikes()
    twins = "".join(table.get(char, char) for char in unicodedata.normalize("NFKC", name))
    return "".join(table.get(char, char) for char in name_key(twins))


def clean_tiktok_name(raw: str) -> str:
    """A gifter's TikTok name as typed: the rules of `clean_name`, at most
    MAX_TIKTOK_NAME_LENGTH characters, and more than an @."""
    name = clean_name(raw, "TikTok name")
    if len(name) > MAX_TIKTOK_NAME_LENGTH:
        raise BadName("TikTok name", f"must be at most {MAX_TIKTOK_NAME_LENGTH} characters")
    if not name.lstrip("@").strip():
        raise BadName("TikTok name", "must have more than an @")
    return name
