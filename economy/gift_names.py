"""The names a gift answers to, and what a typed name matched.

A gift answers to its display name (unique), its aliases (unique), TikTok's own name (which
several gifts may share: "Bouquet" is 20, 100 and 500 coins) and its local-language names.
When several gifts answer to one name, the best level wins (display name, alias, TikTok name,
local name); a tie at that level is ambiguous. The others are reported as sharing the name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from economy.gift import Gift
from economy.text import normalise, words


class MatchKind(StrEnum):
    """How a typed name found its gift."""

    NAME = "name"  # the gift's own name (display name or TikTok's name)
    ALIAS = "alias"  # another English name for it ("donut")
    LOCAL_NAME = "local_name"  # its Indonesian or Brazilian Portuguese name ("Mawar")
    CLOSEST = "closest"  # no name matched exactly: the clearly closest name (a typo)


class Level(IntEnum):
    """Which kind of name wins when several gifts answer to one (lower wins)."""

    NAME = 0
    ALIAS = 1
    TIKTOK_NAME = 2
    LOCAL_NAME = 3


KIND_OF_LEVEL = {
    Level.NAME: MatchKind.NAME,
    Level.ALIAS: MatchKind.ALIAS,
    Level.TIKTOK_NAME: MatchKind.NAME,
    Level.LOCAL_NAME: MatchKind.LOCAL_NAME,
}
STATUS_ORDER = {"current": 0, "not_listed": 1, "retired": 2}
REGION_ORDER = {"us": 0, "other": 1, None: 2}


@dataclass(frozen=True)
class GiftMatch:
    """A typed name resolved to a gift: which gift, how, and who else shares the name."""

    gift: Gift
    how: MatchKind
    query: str
    matched: str  # the name, alias or local name that matched (the closest one for CLOSEST)
    locale: str | None = None  # for LOCAL_NAME: "id" or "pt-BR"
    also: tuple[Gift, ...] = ()  # other gifts answering to the typed name (cheapest first)
    score: float | None = None  # for CLOSEST: the fuzzy score (0-100)

    @property
    def exact(self) -> bool:
        """True unless the gift is only the closest match to a name nobody has."""
        return self.how is not MatchKind.CLOSEST


@dataclass(frozen=True)
class NamedKey:
    """One name a gift answers to, normalised."""

    key: str
    gift: Gift
    level: Level
    text: str
    locale: str | None = None

    @property
    def kind(self) -> MatchKind:
        return KIND_OF_LEVEL[self.level]


@dataclass(frozen=True)
class KeyHit:
    """Every gift answering to one normalised name; `winner` is None when it is ambiguous."""

    winner: NamedKey | None
    named: tuple[NamedKey, ...]  # one per gift: best level first, then current, US, cheaper

    def others(self) -> tuple[Gift, ...]:
        """The gifts sharing the name besides the winner, cheapest first."""
        found = [n.gift for n in self.named if n is not self.winner]
        return tuple(sorted(found, key=lambda g: (g.coins, g.name.casefold())))

    def gifts(self) -> tuple[Gift, ...]:
        """Every gift answering to the name, winner first."""
        return tuple(n.gift for n in self.named)


@dataclass(frozen=True)
class Clash:
    """A name or alias that would make a lookup ambiguous: gift `index`'s `field` `value`."""

    index: int
    field: str
    value: str
    other: int


def gift_rank(gift: Gift) -> tuple[int, int, int, str]:
    """Likelier first: current, on a US list, cheaper, then by name."""
    return (STATUS_ORDER[gift.status], REGION_ORDER[gift.region], gift.coins, gift.name.casefold())


def named_keys(gift: Gift) -> tuple[NamedKey, ...]:
    """Every name `gift` answers to, each key once at its best level."""
    found: dict[str, NamedKey] = {}

    def add(text: str, level: Level, locale: str | None = None) -> None:
        key = normalise(text)
        if key and key not in found:
            found[key] = NamedKey(key, gift, level, text, locale)

    add(gift.name, Level.NAME)
    for alias in gift.aliases:
        add(alias, Level.ALIAS)
    if gift.tiktok_name is not None:
        add(gift.tiktok_name, Level.TIKTOK_NAME)
    for locale, name in gift.local_names.items():
        add(name, Level.LOCAL_NAME, locale)
    return tuple(found.values())


def word_suffixes(named: Iterable[NamedKey]) -> tuple[str, ...]:
    """Keys starting at each later word: "TikTok Universe+" -> ("universeplus", "plus")."""
    found: list[str] = []
    for entry in named:
        parts = words(entry.text)
        found += ["".join(parts[i:]) for i in range(1, len(parts))]
    return tuple(dict.fromkeys(found))


def build_hits(named: Iterable[Iterable[NamedKey]]) -> dict[str, KeyHit]:
    """Every normalised name -> the gifts answering to it and the winner, if there is one."""
    by_key: dict[str, list[NamedKey]] = defaultdict(list)
    for entries in named:
        for entry in entries:
            by_key[entry.key].append(entry)
    hits = {}
    for key, entries in by_key.items():
        ordered = tuple(sorted(entries, key=lambda n: (n.level, *gift_rank(n.gift))))
        best = [n for n in ordered if n.level == ordered[0].level]
        hits[key] = KeyHit(best[0] if len(best) == 1 else None, ordered)
    return hits


def find_clash(named: Sequence[Sequence[NamedKey]]) -> Clash | None:
    """The first display name or alias that would make a lookup ambiguous (names first).

    Display names and aliases belong to one gift each; an alias may not be another gift's
    TikTok name either. TikTok names and local names may be shared (the best level wins).
    """
    owned: dict[str, tuple[int, Level]] = {}
    shared: dict[str, int] = {}
    passes = (Level.NAME, Level.ALIAS, Level.TIKTOK_NAME)
    for level in passes:
        for index, entries in enumerate(named):
            for entry in entries:
                if entry.level is not level:
                    continue
                clash = _clash_of(entry, index, owned, shared)
                if clash is not None:
                    return clash
                if level is Level.TIKTOK_NAME:
                    shared.setdefault(entry.key, index)
                else:
                    owned[entry.key] = (index, level)
    return None


def _clash_of(
    entry: NamedKey, index: int, owned: dict[str, tuple[int, Level]], shared: dict[str, int]
) -> Clash | None:
    field = {Level.NAME: "name", Level.ALIAS: "aliases"}.get(entry.level, "tiktok_name")
    holder = owned.get(entry.key)
    if entry.level is Level.TIKTOK_NAME:
        if holder is not None and holder[0] != index and holder[1] is Level.ALIAS:
            return Clash(index, field, entry.text, holder[0])
        return None
    if holder is not None and holder[0] != index:
        return Clash(index, field, entry.text, holder[0])
    return None
