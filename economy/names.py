"""User-supplied names (groups, custom gifts): what is accepted, and when two names are one."""

from __future__ import annotations

import unicodedata

from economy.errors import InvalidValue
from economy.limits import MAX_NAME_LENGTH

# Format characters that legitimate emoji need: zero-width joiner and the tag characters of
# subdivision flags. Every other control/format/separator character is refused.
_ALLOWED_FORMAT_CHARS = frozenset(["\u200d", *map(chr, range(0xE0020, 0xE0080))])
_FORBIDDEN_CATEGORIES = frozenset(["Cc", "Cf", "Cs", "Zl", "Zp"])


def _forbidden(char: str) -> bool:
    """True for control, format and line/paragraph separator characters (bar emoji joiners)."""
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
    name = raw.strip()
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
