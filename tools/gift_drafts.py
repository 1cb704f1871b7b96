"""Each built gift's facts: status, region, names, streak flag, notes; and the naming rule.

Naming rule: gifts whose TikTok names normalise to the same key share that name. The one a
user most likely means keeps the plain name: current before not listed before retired, then
on a US list, then the newer US list, then listed by TikTok's own API, then the newer source.
The others (and all of them when that still ties) are called "Name (N coins)". A gift the
2025-08 catalog already shipped may keep that name (`keep_name`), because tallies store names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from economy.text import normalise
from tools.gift_entities import BuildError, Entity
from tools.gift_sources import ApiGift, GiftFacts, SourceInfo

Status = Literal["current", "not_listed", "retired"]
STATUS_RANK: dict[Status, int] = {"retired": 0, "not_listed": 1, "current": 2}
US = "US"
PRICE_RULE_LIMIT = 100  # TikTok's usual rule: gifts under 100 coins can be sent in a streak


def coins_label(name: str, coins: int) -> str:
    """`Bouquet (100 coins)`, `Love you (1 coin)`: a shared name told apart by its price."""
    return f"{name} ({coins:,} coin{'' if coins == 1 else 's'})"


@dataclass
class Draft:
    """A gift being built: the entity, its curated facts and what follows from them."""

    entity: Entity
    facts: GiftFacts | None
    sources: list[str]
    ids: list[int]
    spellings: list[str]
    status: Status
    region: str | None
    as_of: date
    display: str = ""
    aliases: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def tiktok_name(self) -> str:
        return self.spellings[0]

    @property
    def key(self) -> str:
        return normalise(self.tiktok_name)

    @property
    def coins(self) -> int:
        return self.entity.coins


def make_draft(
    entity: Entity,
    facts: GiftFacts | None,
    infos: Mapping[str, SourceInfo],
    order: Sequence[str],
) -> Draft:
    """Status, region and dates of one gift from the sources that list it."""
    sources = entity.sources(order)
    listed = [infos[key] for key in sources]
    if facts is not None and facts.status is not None:
        status: Status = facts.status.value
    elif any(info.current_list for info in listed):
        status = "current"
    else:
        status = "not_listed"
    if any(info.region == US for info in listed):
        region: str | None = "us"
    elif status == "current":
        region = "other"
    else:
        region = None
    return Draft(
        entity=entity,
        facts=facts,
        sources=sources,
        ids=entity.ids(order),
        spellings=entity.spellings(order),
        status=status,
        region=region,
        as_of=max(infos[key].as_of for key in sources),
    )


def match_facts(
    facts: Sequence[GiftFacts], entities: Sequence[Entity], order: Sequence[str]
) -> dict[int, GiftFacts]:
    """Curated facts by entity index; each entry must name exactly one gift."""
    by_key: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, entity in enumerate(entities):
        for key in entity.keys:
            by_key[(key, entity.coins)].append(index)
    found: dict[int, GiftFacts] = {}
    for entry in facts:
        matches = by_key.get(entry.key, [])
        if len(matches) != 1:
            raise BuildError(
                f"curated gifts: {entry.gift!r} ({entry.coins} coins) matches "
                f"{len(matches)} gifts, expected 1"
            )
        if matches[0] in found:
            raise BuildError(f"curated gifts: {entry.gift!r} ({entry.coins}) is listed twice")
        found[matches[0]] = entry
    return found


def _rank(draft: Draft, infos: Mapping[str, SourceInfo]) -> tuple[int, bool, date, bool, date]:
    """How likely a user typing the shared name means this gift (higher is likelier)."""
    listed = [infos[key] for key in draft.sources]
    us_dates = [info.as_of for info in listed if info.region == US]
    return (
        STATUS_RANK[draft.status],
        bool(us_dates),
        max(us_dates, default=date.min),
        any(info.kind == "tiktok_api" and info.current_list for info in listed),
        draft.as_of,
    )


def name_drafts(drafts: Sequence[Draft], infos: Mapping[str, SourceInfo]) -> None:
    """Give every draft a unique display name (see the module docstring for the rule)."""
    groups: dict[str, list[Draft]] = defaultdict(list)
    for draft in drafts:
        groups[draft.key].append(draft)
    for group in groups.values():
        ranked = sorted(group, key=lambda d: _rank(d, infos), reverse=True)
        plain = len(group) == 1 or _rank(ranked[0], infos) > _rank(ranked[1], infos)
        for draft in group:
            keeps = plain and draft is ranked[0]
            draft.display = (
                draft.tiktok_name if keeps else coins_label(draft.tiktok_name, draft.coins)
            )
    for draft in drafts:
        if draft.facts is not None and draft.facts.keep_name is not None:
            draft.display = draft.facts.keep_name.name
    seen: dict[str, Draft] = {}
    for draft in drafts:
        other = seen.setdefault(normalise(draft.display), draft)
        if other is not draft:
            raise BuildError(
                f"two gifts would be called {draft.display!r} ({other.coins}, {draft.coins})"
            )


def add_aliases(drafts: Sequence[Draft]) -> None:
    """Curated aliases plus the other spellings sources use, unless another gift owns them."""
    owners: dict[str, set[int]] = defaultdict(set)
    for index, draft in enumerate(drafts):
        for key in (normalise(draft.display), *draft.entity.keys):
            owners[key].add(index)
    for index, draft in enumerate(drafts):
        own = {normalise(draft.display), draft.key}
        taken: set[str] = set(own)
        if draft.facts is not None and draft.facts.aliases is not None:
            for alias in draft.facts.aliases.names:
                key = normalise(alias)
                if owners.get(key, {index}) != {index}:
                    raise BuildError(f"alias {alias!r} of {draft.display!r} names another gift")
                if key in taken:
                    raise BuildError(f"alias {alias!r} of {draft.display!r} repeats a name")
                taken.add(key)
                draft.aliases.append(alias)
        for spelling in draft.spellings[1:]:
            key = normalise(spelling)
            if key not in taken and owners[key] == {index}:
                taken.add(key)
                draft.aliases.append(spelling)


def streak(draft: Draft, api: Mapping[int, ApiGift]) -> tuple[bool, str]:
    """The streak flag and its basis: TikTok's 2024 API, the overlay, or the price rule."""
    for gift_id in draft.ids:
        if gift_id in api:
            return api[gift_id].streakable, "tiktok_api_2024"
    if draft.facts is not None and draft.facts.streakable is not None:
        return draft.facts.streakable.value, "curated"
    return draft.coins < PRICE_RULE_LIMIT, "price_rule"


def region_note(draft: Draft, infos: Mapping[str, SourceInfo]) -> str | None:
    """The curated region note, else whether only an older US list has the gift."""
    if draft.facts is not None and draft.facts.region_note is not None:
        return draft.facts.region_note.text
    us_all = sorted((info.as_of, key) for key, info in infos.items() if info.region == US)
    mine = [(infos[key].as_of, key) for key in draft.sources if infos[key].region == US]
    if not mine or len(us_all) < 2 or max(mine) == us_all[-1]:
        return None
    return (
        f"On the {max(mine)[0].isoformat()} US list; "
        f"the {us_all[-1][0].isoformat()} US list does not have it."
    )


def notes(draft: Draft) -> str | None:
    """What a reader of the file should know about this gift, in one paragraph."""
    parts: list[str] = []
    extra = draft.entity.extra
    if extra is not None:
        parts.append(extra.why)
    facts = draft.facts
    if facts is not None and facts.status is not None:
        parts.append(f"Retired: {facts.status.why}")
    by_spelling: dict[str, set[str]] = defaultdict(set)
    for row in draft.entity.rows:
        if normalise(row.name) not in {draft.key, normalise(draft.display)}:
            by_spelling[row.name].add(row.source)
    if by_spelling:
        listed = "; ".join(
            f"'{name}' ({', '.join(sorted(keys))})" for name, keys in sorted(by_spelling.items())
        )
        parts.append(f"Also listed as {listed}.")
    for source, gift_id, price in sorted(set(draft.entity.dropped_ids)):
        parts.append(
            f"{source} gives it id {gift_id}, which newer sources give a {price:,}-coin gift; "
            "that id is not used here."
        )
    if facts is not None and facts.note is not None:
        parts.append(facts.note.text)
    return " ".join(parts) or None
