"""Ranked name keys for autocomplete: prefix and substring lookups without a Python-level scan.

Keys are held in rank order (the order autocomplete shows them) and, beside that, sorted by key
so every key starting with a prefix is one `bisect` range; substrings are found by `str.find`
over all keys joined, which runs in C.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_SEPARATOR = "\x00"  # never in a normalised key (letters and digits only)
_AFTER_ANY = "\U0010ffff"  # sorts after every character a key can hold


@dataclass(frozen=True)
class RankedKeys(Generic[T]):
    """`(key, item)` pairs in rank order, searchable by prefix and by substring."""

    ranked: tuple[tuple[str, T], ...]
    ranks: tuple[Any, ...]  # the rank of each ranked pair (kept so `plus` need not recompute)
    sorted_keys: tuple[str, ...]
    positions: tuple[int, ...]  # rank position of each key in `sorted_keys`
    haystack: str  # every key in rank order, joined by _SEPARATOR
    starts: tuple[int, ...]  # where each ranked key starts in `haystack`

    @classmethod
    def of(
        cls, pairs: Iterable[tuple[str, T]], rank: Callable[[tuple[str, T]], Any]
    ) -> RankedKeys[T]:
        """Rank `pairs` with `rank` (smaller first) and index them."""
        return cls._indexed(sorted(((rank(pair), pair) for pair in pairs), key=_order))

    def plus(
        self, pairs: Iterable[tuple[str, T]], rank: Callable[[tuple[str, T]], Any]
    ) -> RankedKeys[T]:
        """A copy with `pairs` added; only the new pairs are ranked."""
        added = sorted(((rank(pair), pair) for pair in pairs), key=_order)
        merged = heapq.merge(zip(self.ranks, self.ranked, strict=True), added, key=_order)
        return self._indexed(list(merged))

    @classmethod
    def _indexed(cls, ordered: list[tuple[Any, tuple[str, T]]]) -> RankedKeys[T]:
        ranks, ranked = zip(*ordered, strict=True) if ordered else ((), ())
        keys = [key for key, _ in ranked]
        by_key = sorted(range(len(keys)), key=keys.__getitem__)
        return cls(
            ranked=ranked,
            ranks=ranks,
            sorted_keys=tuple(map(keys.__getitem__, by_key)),
            positions=tuple(by_key),
            haystack=_SEPARATOR.join(keys),
            starts=tuple(itertools.accumulate((len(k) + 1 for k in keys[:-1]), initial=0)),
        )

    def keys(self) -> Iterator[str]:
        """Every key, in rank order."""
        return (key for key, _ in self.ranked)

    def starting_with(self, prefix: str) -> Iterator[T]:
        """Items whose key starts with `prefix`, in rank order."""
        low = bisect.bisect_left(self.sorted_keys, prefix)
        high = bisect.bisect_left(self.sorted_keys, prefix + _AFTER_ANY, lo=low)
        for position in sorted(self.positions[low:high]):
            yield self.ranked[position][1]

    def containing(self, part: str) -> Iterator[T]:
        """Items whose key contains `part`, in rank order."""
        if not part or _SEPARATOR in part:
            return
        at = self.haystack.find(part)
        while at >= 0:
            index = bisect.bisect_right(self.starts, at) - 1
            yield self.ranked[index][1]
            next_key = (
                self.starts[index + 1] if index + 1 < len(self.starts) else len(self.haystack)
            )
            at = self.haystack.find(part, next_key)


def _order(ranked: tuple[Any, tuple[str, Any]]) -> tuple[Any, str]:
    """Sort by rank, then by key (never by the item itself)."""
    rank, (key, _) = ranked
    return rank, key
