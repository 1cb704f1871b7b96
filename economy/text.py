"""Name normalisation for lookups: case, accents, spacing and punctuation never matter."""

from __future__ import annotations

import unicodedata

# Symbols that carry meaning in gift names ("Leon & Lion", "TikTok Universe+") become words.
_SYMBOL_WORDS = {"&": " and ", "+": " plus "}


def _fold(text: str) -> str:
    """Casefold, strip accents (NFKD) and spell out the symbols that carry meaning."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    for symbol, word in _SYMBOL_WORDS.items():
        folded = folded.replace(symbol, word)
    return folded


def words(text: str) -> list[str]:
    """The folded alphanumeric words of `text`: `"Leon & Lion!"` -> `["leon", "and", "lion"]`."""
    found: list[str] = []
    current: list[str] = []
    for char in _fold(text):
        if char.isalnum():
            current.append(char)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def normalise(text: str) -> str:
    """The lookup key of a name: `"  Leon & Lion "` and `"leon and lion"` -> `"leonandlion"`."""
    return "".join(words(text))
