"""The TikTok gift catalog: a dated, sourced list of gifts and their coin prices.

Loaded once from `economy/data/gifts.json` (built by `make gifts` from the dated sources in
`economy/data/sources/`); every lookup is a dict hit or a bounded fuzzy match over names
prepared at load time.
"""

from __future__ import annotations

import bisect
import copy
import functools
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

from rapidfuzz import fuzz, process

from economy.catalog_file import read_catalog_file
from economy.errors import AlreadyExists, InvalidValue, UnknownGift
from economy.gift import Caveat, Gift, LocalNames, SourceInfo
from economy.gift_names import (
    REGION_ORDER,
    STATUS_ORDER,
    GiftMatch,
    KeyHit,
    Level,
    MatchKind,
    NamedKey,
    build_hits,
    find_clash,
    named_keys,
    word_suffixes,
)
from economy.limits import AUTOCOMPLETE_CHOICES, MAX_QUERY_LENGTH
from economy.ranked_keys import RankedKeys
from economy.text import normalise

__all__ = [
    "Catalog",
    "Caveat",
    "Gift",
    "GiftMatch",
    "LocalNames",
    "MatchKind",
    "SourceInfo",
    "default_catalog",
]

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "gifts.json"
MAX_KEY_CHARS = 48  # fuzzy matching sees at most this much (about twice the longest real key)
FUZZY_ACCEPT = 85.0  # resolve(): a closest match must score at least this ...
FUZZY_MARGIN = 5.0  # ... and beat the next gift by this much
SEARCH_CUTOFF = 70.0  # search(): typo matches (plain ratio) weaker than this are noise
SUGGESTIONS = 3

SortOrder = Literal["coins", "name"]
Scorer = Callable[..., float]
T = TypeVar("T")
_Named = tuple[Gift, Level]  # a gift and which kind of its names a search key is


@dataclass(frozen=True)
class _Index:
    """Per-gift names, computed once and reused by every server's catalog."""

    gifts: tuple[Gift, ...]
    named: tuple[tuple[NamedKey, ...], ...]
    suffixes: tuple[tuple[str, ...], ...]

    @classmethod
    def of(
        cls, gifts: Iterable[Gift], named: Sequence[tuple[NamedKey, ...]] | None = None
    ) -> _Index:
        """The index of `gifts`; `named`: their `named_keys`, when already worked out."""
        listed = tuple(gifts)
        names = tuple(named_keys(g) for g in listed) if named is None else tuple(named)
        return cls(listed, names, tuple(word_suffixes(n) for n in names))

    def plus(self, other: _Index) -> _Index:
        return _Index(
            self.gifts + other.gifts, self.named + other.named, self.suffixes + other.suffixes
        )


@dataclass(frozen=True)
class _Closest:
    """A fuzzy candidate: the gift a near key names (None when that key is ambiguous)."""

    gift: Gift | None
    score: float
    hit: KeyHit


class Catalog:
    """An immutable set of gifts with O(1) exact lookup, fuzzy fallback and autocomplete."""

    def __init__(
        self,
        gifts: Iterable[Gift],
        *,
        as_of: date,
        source: str,
        notes: Sequence[str] = (),
        featured: Sequence[str] = (),
        sources: Mapping[str, SourceInfo] | None = None,
    ) -> None:
        """Index `gifts`; `AlreadyExists` when a name or alias would make lookups ambiguous."""
        index = _Index.of(gifts)
        clash = find_clash(index.named)
        if clash is not None:
            raise AlreadyExists("gift", clash.value)
        self._build(index, as_of, source, notes, featured, sources)

    def _build(
        self,
        index: _Index,
        as_of: date,
        source: str,
        notes: Sequence[str],
        featured: Sequence[str],
        sources: Mapping[str, SourceInfo] | None,
    ) -> None:
        """Everything lookups need, from an index whose names are checked."""
        self._index = index
        self._gifts = index.gifts
        self._as_of = as_of
        self._source = source
        self._notes = tuple(notes)
        self._sources = dict(sources or {})
        self._hits = build_hits(index.named)
        self._featured_names = self._resolve_featured(featured)
        self._build_search_index()
        self._orders: dict[str, tuple[Gift, ...]] = {
            sort: tuple(sorted(self._gifts, key=order)) for sort, order in _ORDER_KEYS.items()
        }

    def _resolve_featured(self, featured: Sequence[str]) -> tuple[str, ...]:
        """The catalog names of the featured gifts (each must be a gift's own name)."""
        names = []
        for name in featured:
            hit = self._hits.get(normalise(name))
            if hit is None or hit.winner is None or hit.winner.kind is not MatchKind.NAME:
                raise ValueError(f"featured gift not in the catalog: {name!r}")
            names.append(hit.winner.gift.name)
        return tuple(names)

    def _rank(self, entry: tuple[str, _Named]) -> tuple[int, bool, bool, int, int, int, int, str]:
        """Autocomplete order: current, English before local names, custom or featured,
        shorter name, a gift's own name before a shared TikTok name, US, cheaper."""
        key, (gift, level) = entry
        local = level is Level.LOCAL_NAME
        prominent = gift.custom or gift.name in self._featured_set
        status = STATUS_ORDER[gift.status]
        region = REGION_ORDER[gift.region]
        return (
            status,
            local,
            not prominent,
            len(key),
            level,
            region,
            gift.coins,
            gift.name.casefold(),
        )

    def _build_search_index(self) -> None:
        """Precompute the ranked key lists that `search` and `resolve` scan."""
        self._featured_set = frozenset(self._featured_names)
        self._full_keys = RankedKeys.of(_full_entries(self._index), self._rank)
        self._word_keys = RankedKeys.of(_word_entries(self._index), self._rank)
        self._fuzzy_keys = list(dict.fromkeys(self._full_keys.keys()))
        by_name = {g.name: g for g in self._gifts}
        customs = [g for g in self._gifts if g.custom]
        self._first_page = (*customs, *(by_name[n] for n in self._featured_names))

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Catalog:
        """Read and validate a catalog file (default: the packaged `gifts.json`): a bad file
        is refused with `DataFileError` naming the entry and field. The file's names are
        checked once, by `read_catalog_file`, and indexed as they were checked."""
        checked = read_catalog_file(Path(path) if path is not None else DEFAULT_PATH)
        data = checked.data
        catalog = cls.__new__(cls)
        index = _Index.of(data.gifts, checked.named)
        catalog._build(index, data.as_of, data.source, data.notes, data.featured, data.sources)
        return catalog

    # -- properties ----------------------------------------------------------------------------

    @property
    def as_of(self) -> date:
        """The date of the newest source a current gift's price comes from."""
        return self._as_of

    @property
    def source(self) -> str:
        """Where the prices come from."""
        return self._source

    @property
    def notes(self) -> tuple[str, ...]:
        """How the data was put together (matching, naming, inferred fields)."""
        return self._notes

    @property
    def sources(self) -> Mapping[str, SourceInfo]:
        """The dated sources gifts name in `Gift.sources`, by key."""
        return self._sources

    @property
    def featured(self) -> tuple[Gift, ...]:
        """What autocomplete offers before anything is typed: custom gifts, then well-known ones."""
        return self._first_page

    def __len__(self) -> int:
        return len(self._gifts)

    def __iter__(self) -> Iterator[Gift]:
        return iter(self._gifts)

    def __repr__(self) -> str:
        return f"<Catalog {len(self)} gifts as of {self._as_of.isoformat()}>"

    # -- lookups -------------------------------------------------------------------------------

    def resolve(self, query: str) -> GiftMatch:
        """The gift `query` names, how it matched, and the other gifts sharing that name.

        Case, accents, spacing and punctuation never matter. A name several gifts share goes
        to the likeliest one (see `economy.gift_names`) and reports the others in `also`; a
        name that is no gift's gives the clearly closest gift, marked `MatchKind.CLOSEST`.
        Raises `UnknownGift` with candidates when no gift is clearly meant.
        """
        shown = query[:MAX_QUERY_LENGTH]
        key = normalise(shown)
        hit = self._hits.get(key)
        if hit is not None:
            if hit.winner is None:
                raise UnknownGift(shown, [g.name for g in hit.gifts()], shared_name=True)
            named = hit.winner
            return GiftMatch(
                gift=named.gift,
                how=named.kind,
                query=shown,
                matched=named.text,
                locale=named.locale,
                also=hit.others(),
            )
        ranked = self._closest(key, limit=SUGGESTIONS + 2) if key else []
        if _clearly_best(ranked):
            best = ranked[0]
            if best.gift is None:  # _clearly_best refuses an ambiguous top key
                raise RuntimeError(f"ambiguous closest match for {key!r}")
            matched = next(n.text for n in best.hit.named if n.gift is best.gift)
            return GiftMatch(best.gift, MatchKind.CLOSEST, shown, matched, score=best.score)
        suggestions = _suggestions(ranked) or list(self._featured_names)
        raise UnknownGift(shown, suggestions[:SUGGESTIONS])

    def get(self, name: str) -> Gift:
        """The gift `resolve(name)` finds (exact or closest); `UnknownGift` when unclear."""
        return self.resolve(name).gift

    def sharing(self, gift: Gift) -> tuple[Gift, ...]:
        """The other gifts TikTok gives the same name as `gift` (cheapest first)."""
        key = normalise(gift.shared_name)
        hit = self._hits.get(key)
        gifts = hit.gifts() if hit is not None else ()
        found = [g for g in gifts if g is not gift and normalise(g.shared_name) == key]
        return tuple(sorted(found, key=lambda g: (g.coins, g.name.casefold())))

    def search(self, query: str, limit: int = AUTOCOMPLETE_CHOICES) -> list[Gift]:
        """Autocomplete, best first: exact (and gifts sharing that name), prefix, word prefix,
        substring, then typo matches.

        Never more than `limit` (itself clamped to 25); an empty query gives the featured gifts.
        """
        limit = max(0, min(limit, AUTOCOMPLETE_CHOICES))
        key = normalise(query[:MAX_QUERY_LENGTH])
        if not key:
            return list(self._first_page[:limit])
        found: dict[str, Gift] = {}
        hit = self._hits.get(key)
        if hit is not None:
            for gift in hit.gifts():
                found.setdefault(gift.name, gift)
        _add_matching(found, self._full_keys.starting_with(key), limit)
        _add_matching(found, self._word_keys.starting_with(key), limit)
        _add_matching(found, self._full_keys.containing(key), limit)
        if len(found) < limit:
            for candidate in self._closest(
                key, limit=limit, cutoff=SEARCH_CUTOFF, scorer=fuzz.ratio
            ):
                for gift in (candidate.gift,) if candidate.gift else candidate.hit.gifts():
                    found.setdefault(gift.name, gift)
        return list(found.values())[:limit]

    def _closest(
        self, key: str, *, limit: int, cutoff: float = 0.0, scorer: Scorer = fuzz.WRatio
    ) -> list[_Closest]:
        """Near names, best first, one entry per gift (or per ambiguous name)."""
        matches = process.extract(
            key[:MAX_KEY_CHARS],
            self._fuzzy_keys,
            scorer=scorer,
            processor=None,
            limit=limit * 2,
            score_cutoff=cutoff,
        )
        best: dict[object, _Closest] = {}
        for near, score, _ in matches:
            hit = self._hits[near]
            gift = hit.winner.gift if hit.winner is not None else None
            handle: object = gift.name if gift is not None else near
            best.setdefault(handle, _Closest(gift, score, hit))
        return list(best.values())[:limit]

    # -- listings ------------------------------------------------------------------------------

    def listing(
        self,
        sort: SortOrder = "coins",
        min_coins: int | None = None,
        max_coins: int | None = None,
    ) -> list[Gift]:
        """All gifts sorted by coins (ties by name) or by name, optionally within a coin range."""
        ordered = self._orders.get(sort)
        if ordered is None:
            raise InvalidValue("sort", f"{sort!r} is not one of 'coins', 'name'")
        _check_range(min_coins, max_coins)
        low = 0 if min_coins is None else min_coins
        high = math.inf if max_coins is None else max_coins
        return [gift for gift in ordered if low <= gift.coins <= high]

    def partition_custom(self, gifts: Iterable[Gift]) -> tuple[list[Gift], list[tuple[Gift, str]]]:
        """A server's custom gifts split, in order, into those that can be added and those that
        clash (with the name that clashes): a name or alias any gift, or an earlier custom
        gift, already answers to. Only names are compared; nothing is built."""
        kept: list[Gift] = []
        clashing: list[tuple[Gift, str]] = []
        added: set[str] = set()
        for gift in gifts:
            keys: set[str] = set()
            clash = None
            for entry in named_keys(gift):
                if entry.key in self._hits or entry.key in added or entry.key in keys:
                    clash = entry.text
                    break
                keys.add(entry.key)
            if clash is None:
                kept.append(gift)
                added |= keys
            else:
                clashing.append((gift, clash))
        return kept, clashing

    def with_custom(self, gifts: Iterable[Gift]) -> Catalog:
        """A new catalog with a server's custom gifts added (marked `custom=True`).

        Raises `AlreadyExists` when a custom name or alias is any name a gift answers to
        (`partition_custom` says which). Reuses this catalog's indexes: the keys are merged
        into them, not rebuilt from the whole catalog's gifts.
        """
        listed = list(gifts)
        _, clashing = self.partition_custom(listed)
        if clashing:
            raise AlreadyExists("gift", clashing[0][1])
        customs = [g if g.custom else g.model_copy(update={"custom": True}) for g in listed]
        added = _Index.of(customs)
        new = copy.copy(self)
        new._index = self._index.plus(added)
        new._gifts = new._index.gifts
        new._hits = {**self._hits, **build_hits(added.named)}
        new._full_keys = self._full_keys.plus(_full_entries(added), self._rank)
        new._word_keys = self._word_keys.plus(_word_entries(added), self._rank)
        new._fuzzy_keys = [*self._fuzzy_keys, *(n.key for named in added.named for n in named)]
        shipped = [g for g in self._first_page if not g.custom]
        new._first_page = (*(g for g in new._gifts if g.custom), *shipped)
        new._orders = {
            sort: tuple(_inserted(list(ordered), customs, _ORDER_KEYS[sort]))
            for sort, ordered in self._orders.items()
        }
        return new


@functools.cache
def default_catalog() -> Catalog:
    """The packaged catalog, loaded and validated once per process."""
    return Catalog.load()


# -- helpers -----------------------------------------------------------------------------------

_ORDER_KEYS: dict[str, Callable[[Gift], tuple[object, ...]]] = {
    "coins": lambda g: (g.coins, g.name.casefold()),
    "name": lambda g: (g.name.casefold(), g.coins),
}


def _full_entries(index: _Index) -> list[tuple[str, _Named]]:
    return [(n.key, (n.gift, n.level)) for named in index.named for n in named]


def _word_entries(index: _Index) -> list[tuple[str, _Named]]:
    pairs = zip(index.gifts, index.suffixes, strict=True)
    return [(key, (gift, Level.NAME)) for gift, suffixes in pairs for key in suffixes]


def _inserted(ordered: Sequence[T], items: Iterable[T], key: Callable[[T], Any]) -> list[T]:
    """A copy of the sorted `ordered` with `items` inserted in place."""
    result = list(ordered)
    for item in items:
        bisect.insort(result, item, key=key)
    return result


def _clearly_best(ranked: Sequence[_Closest]) -> bool:
    """True when the top fuzzy hit names one gift, scores high and is well ahead."""
    if not ranked or ranked[0].gift is None or ranked[0].score < FUZZY_ACCEPT:
        return False
    return len(ranked) == 1 or ranked[0].score - ranked[1].score >= FUZZY_MARGIN


def _suggestions(ranked: Sequence[_Closest]) -> list[str]:
    """Distinct gift names from fuzzy candidates, best first."""
    names: dict[str, None] = {}
    for candidate in ranked:
        for gift in (candidate.gift,) if candidate.gift else candidate.hit.gifts():
            names.setdefault(gift.name)
    return list(names)


def _add_matching(found: dict[str, Gift], named: Iterator[_Named], limit: int) -> None:
    """Add gifts from `named` (already in rank order) until there are `limit`."""
    for gift, _ in named:
        if len(found) >= limit:
            return
        found.setdefault(gift.name, gift)


def _check_range(min_coins: int | None, max_coins: int | None) -> None:
    """Reject negative bounds and a minimum above the maximum."""
    for what, bound in (("minimum coins", min_coins), ("maximum coins", max_coins)):
        if bound is not None and bound < 0:
            raise InvalidValue(what, f"{bound} is negative")
    if min_coins is not None and max_coins is not None and min_coins > max_coins:
        raise InvalidValue("coin range", f"minimum {min_coins} is above maximum {max_coins}")
