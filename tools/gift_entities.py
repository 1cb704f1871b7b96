"""From source rows to gifts: one gift per TikTok gift id, or per (name, price) without an id.

Rows are joined when they share a gift id or the same normalised name and price (the research
notes: disagreements are almost always two gifts sharing one name, so match by id, and by
(name, price) when there is no id).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from economy.text import normalise
from tools.gift_sources import ExtraGift, RowFix, SourceInfo, SourceRow


class BuildError(Exception):
    """The sources or the curated overlay do not fit together; the message says where."""


@dataclass
class Entity:
    """One gift as the sources describe it, before naming."""

    coins: int
    rows: list[SourceRow] = field(default_factory=list)
    extra: ExtraGift | None = None
    dropped_ids: list[tuple[str, int, int]] = field(default_factory=list)  # source, id, price

    def sources(self, order: Sequence[str]) -> list[str]:
        """The source keys that list this gift, best source first."""
        keys = {row.source for row in self.rows} | ({"research_notes"} if self.extra else set())
        return sorted(keys, key=order.index)

    def ids(self, order: Sequence[str]) -> list[int]:
        """TikTok gift ids, the main one first: best source, then most rows, then lowest."""
        best: dict[int, tuple[int, int]] = {}
        for row in self.rows:
            for gift_id in row.ids:
                rank, count = best.get(gift_id, (len(order), 0))
                best[gift_id] = (min(rank, order.index(row.source)), count + 1)
        return sorted(best, key=lambda i: (best[i][0], -best[i][1], i))

    def spellings(self, order: Sequence[str]) -> list[str]:
        """Distinct spellings, TikTok's own first: the best source's most used spelling."""
        if self.extra is not None:
            return [self.extra.name]
        counts = Counter(row.name for row in self.rows)
        top = min(order.index(row.source) for row in self.rows)
        best = {row.name for row in self.rows if order.index(row.source) == top}

        def rank(name: str) -> tuple[bool, int, str]:
            return (name not in best, -counts[name], name)

        return sorted(counts, key=rank)

    @property
    def keys(self) -> set[str]:
        """Every normalised name the sources give this gift."""
        if self.extra is not None:
            return {normalise(self.extra.name)}
        return {row.key for row in self.rows}

    def as_of(self, dates: Mapping[str, date], order: Sequence[str]) -> date:
        """The date of the newest source that lists this gift."""
        return max(dates[key] for key in self.sources(order))


def apply_fixes(rows: Sequence[SourceRow], fixes: Iterable[RowFix]) -> list[SourceRow]:
    """Drop or rename the rows the overlay names; every fix must match at least one row."""
    by_target: dict[tuple[str, str, int], RowFix] = {}
    for entry in fixes:
        by_target[(entry.source, normalise(entry.name), entry.coins)] = entry
    used: set[tuple[str, str, int]] = set()
    kept: list[SourceRow] = []
    for row in rows:
        target = (row.source, row.key, row.coins)
        fix = by_target.get(target)
        if fix is None:
            kept.append(row)
            continue
        used.add(target)
        if fix.action == "rename":
            if not fix.rename_to:
                raise BuildError(f"row_fixes: {fix.name!r} ({fix.source}): rename_to missing")
            kept.append(
                SourceRow(fix.rename_to, row.coins, row.ids, row.source, row.as_of),
            )
        elif fix.action == "drop_id":
            kept.append(SourceRow(row.name, row.coins, (), row.source, row.as_of))
    stale = sorted(set(by_target) - used)
    if stale:
        raise BuildError(f"row_fixes match no source row: {stale}")
    return kept


def check_dates(rows: Iterable[SourceRow], sources: Mapping[str, SourceInfo]) -> None:
    """Every row's source is described in the overlay, with the row's date."""
    for row in rows:
        info = sources.get(row.source)
        if info is None:
            raise BuildError(f"source {row.source!r} is not described in the curated sources")
        if info.as_of != row.as_of:
            raise BuildError(
                f"source {row.source!r}: rows are dated {row.as_of}, the overlay says {info.as_of}"
            )


def id_prices(rows: Sequence[SourceRow], order: Sequence[str]) -> dict[int, int]:
    """Each gift id's price, as the newest source that lists the id gives it."""
    newest: dict[int, tuple[date, int, int]] = {}
    for row in rows:
        for gift_id in row.ids:
            rank = (row.as_of, -order.index(row.source), row.coins)
            if gift_id not in newest or rank > newest[gift_id]:
                newest[gift_id] = rank
    return {gift_id: rank[2] for gift_id, rank in newest.items()}


def group_rows(rows: Sequence[SourceRow], order: Sequence[str]) -> list[Entity]:
    """Join rows into gifts by shared id or by (normalised name, price).

    An id a row gives at a price other than the newest source's is a wrong join in that
    source: the row keeps its name and price but loses the id (recorded on the gift).
    """
    prices = id_prices(rows, order)
    cleaned: list[SourceRow] = []
    dropped: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for index, row in enumerate(rows):
        good = tuple(i for i in row.ids if prices[i] == row.coins)
        for bad in sorted(set(row.ids) - set(good)):
            dropped[index].append((row.source, bad, prices[bad]))
        cleaned.append(SourceRow(row.name, row.coins, good, row.source, row.as_of))
    parent = list(range(len(cleaned)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[object, int] = {}
    for index, row in enumerate(cleaned):
        for handle in (*(("id", i) for i in row.ids), ("name", row.key, row.coins)):
            other = first.setdefault(handle, index)
            parent[find(index)] = find(other)
    groups: dict[int, Entity] = {}
    for index, row in enumerate(cleaned):
        entity = groups.setdefault(find(index), Entity(coins=row.coins))
        if entity.coins != row.coins:
            raise BuildError(f"{row.name!r}: one gift at {entity.coins} and {row.coins} coins")
        entity.rows.append(row)
        entity.dropped_ids.extend(dropped.get(index, ()))
    return list(groups.values())


def extra_entities(extras: Iterable[ExtraGift], built: Sequence[Entity]) -> list[Entity]:
    """The overlay's gifts that no source row has; refused if a row already has one."""
    taken = {(key, entity.coins) for entity in built for key in entity.keys}
    found = []
    for extra in extras:
        if (normalise(extra.name), extra.coins) in taken:
            raise BuildError(f"extra_gifts: {extra.name!r} ({extra.coins}) is in the rows")
        found.append(Entity(coins=extra.coins, extra=extra))
    return found
