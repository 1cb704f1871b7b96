"""The TikTok gift catalog: a dated, sourced list of gifts and their coin prices.

Loaded once from `economy/data/gifts.json`; every lookup is a dict hit or a bounded fuzzy match
over names prepared at load time.
"""

from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from rapidfuzz import fuzz, process

from economy.errors import AlreadyExists, DataFileError, InvalidValue, UnknownGift
from economy.text import normalise, words

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "gifts.json"
SEARCH_LIMIT = 25  # Discord shows at most 25 autocomplete choices
MAX_QUERY_CHARS = 100  # Discord's longest option value; longer input is cut before matching
MAX_KEY_CHARS = 48  # fuzzy matching sees at most this much (twice the longest shipped key)
FUZZY_ACCEPT = 85.0  # get(): a fuzzy hit must score at least this ...
FUZZY_MARGIN = 5.0  # ... and beat the next gift by this much
SEARCH_CUTOFF = 70.0  # search(): typo matches (plain ratio) weaker than this are noise
SUGGESTIONS = 3

SortOrder = Literal["coins", "name"]
Scorer = Callable[..., float]
GiftName = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=100)]


class Caveat(BaseModel):
    """Something a user should know about a gift's price: a message key and its figures.

    The text lives in the bot's message catalogs (`gift.caveat.<key>`), in every language.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    coins: Annotated[int, Field(strict=True, gt=0)] | None = None
    since: date | None = None
    other: str | None = None


class Gift(BaseModel):
    """One gift: its display name, coin price and how TikTok sends it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: GiftName
    coins: Annotated[int, Field(strict=True, gt=0)]
    gift_id: Annotated[int, Field(strict=True, gt=0)] | None
    aliases: tuple[GiftName, ...]
    streakable: Annotated[bool, Field(strict=True)]
    retired: Annotated[bool, Field(strict=True)] = False
    note: str | None = None
    caveat: Caveat | None = None
    custom: Annotated[bool, Field(strict=True)] = False

    @field_validator("name")
    @classmethod
    def _name_has_key(cls, value: str) -> str:
        """A name must keep at least one letter or digit once normalised."""
        if not normalise(value):
            raise ValueError("must contain a letter or digit")
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases_have_keys(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """Every alias must keep at least one letter or digit once normalised."""
        for alias in value:
            if not normalise(alias):
                raise ValueError(f"alias {alias!r} must contain a letter or digit")
        return value

    @property
    def key(self) -> str:
        """The normalised name used for lookups."""
        return normalise(self.name)


class CatalogFile(BaseModel):
    """The shape of `gifts.json`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: date
    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    notes: tuple[str, ...] = ()
    featured: tuple[str, ...] = ()
    gifts: tuple[Gift, ...]

    @field_validator("gifts")
    @classmethod
    def _not_empty(cls, value: tuple[Gift, ...]) -> tuple[Gift, ...]:
        """A catalog needs at least one gift."""
        if not value:
            raise ValueError("must list at least one gift")
        return value


@dataclass(frozen=True)
class _Clash:
    """Two gifts whose names or aliases normalise to the same key."""

    index: int
    field: str
    value: str
    other: int


def _find_clash(gifts: Sequence[Gift]) -> _Clash | None:
    """The first name or alias that normalises to a key already taken (names first)."""
    seen: dict[str, int] = {}
    for field in ("name", "aliases"):
        for index, gift in enumerate(gifts):
            values = (gift.name,) if field == "name" else gift.aliases
            for value in values:
                key = normalise(value)
                if key in seen:
                    return _Clash(index, field, value, seen[key])
                seen[key] = index
    return None


def _word_suffixes(text: str) -> list[str]:
    """Keys starting at each later word: "TikTok Universe+" -> ["universeplus", "plus"]."""
    parts = words(text)
    return ["".join(parts[i:]) for i in range(1, len(parts))]


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
    ) -> None:
        """Index `gifts`; `AlreadyExists` when two names or aliases normalise to one key."""
        self._gifts = tuple(gifts)
        clash = _find_clash(self._gifts)
        if clash is not None:
            raise AlreadyExists("gift", clash.value)
        self._as_of = as_of
        self._source = source
        self._notes = tuple(notes)
        self._exact = {normalise(v): g for g in self._gifts for v in (g.name, *g.aliases)}
        self._featured_names = self._resolve_featured(featured)
        self._build_search_index()
        self._orders: dict[str, tuple[Gift, ...]] = {
            "coins": tuple(sorted(self._gifts, key=lambda g: (g.coins, g.name.casefold()))),
            "name": tuple(sorted(self._gifts, key=lambda g: (g.name.casefold(), g.coins))),
        }

    def _resolve_featured(self, featured: Sequence[str]) -> tuple[str, ...]:
        """The catalog names of the featured gifts (each must exist)."""
        unknown = [name for name in featured if normalise(name) not in self._exact]
        if unknown:
            raise ValueError(f"featured gifts not in the catalog: {unknown}")
        return tuple(self._exact[normalise(name)].name for name in featured)

    def _build_search_index(self) -> None:
        """Precompute the ranked key lists that `search` and `get` scan."""
        featured = set(self._featured_names)

        def rank(entry: tuple[str, Gift]) -> tuple[bool, bool, int, int, str]:
            key, gift = entry
            prominent = gift.custom or gift.name in featured
            return (gift.retired, not prominent, len(key), gift.coins, gift.name.casefold())

        full = [(normalise(v), g) for g in self._gifts for v in (g.name, *g.aliases)]
        later = [
            (k, g) for g in self._gifts for v in (g.name, *g.aliases) for k in _word_suffixes(v)
        ]
        self._prefix_entries = sorted(full, key=rank)
        self._word_entries = sorted(later, key=rank)
        self._fuzzy_keys = [key for key, _ in self._prefix_entries]
        self._fuzzy_gifts = [gift for _, gift in self._prefix_entries]
        customs = [g for g in self._gifts if g.custom]
        self._first_page = (*customs, *(self._exact[normalise(n)] for n in self._featured_names))

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Catalog:
        """Read and validate a catalog file (default: the packaged `gifts.json`)."""
        file = Path(path) if path is not None else DEFAULT_PATH
        raw = _read_json(file)
        try:
            data = CatalogFile.model_validate(raw)
        except ValidationError as err:
            raise DataFileError(_describe_validation(file, raw, err)) from None
        _check_unique(file, data.gifts)
        _check_featured(file, data)
        return cls(
            data.gifts,
            as_of=data.as_of,
            source=data.source,
            notes=data.notes,
            featured=data.featured,
        )

    # -- properties ----------------------------------------------------------------------------

    @property
    def as_of(self) -> date:
        """The date the prices were collected."""
        return self._as_of

    @property
    def source(self) -> str:
        """Where the prices come from."""
        return self._source

    @property
    def notes(self) -> tuple[str, ...]:
        """How the data was put together (disagreements, inferred fields)."""
        return self._notes

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

    def get(self, name: str) -> Gift:
        """The gift called `name` (any case, accents, spacing, punctuation; aliases; typos).

        Raises `UnknownGift` with the three closest names when nothing matches clearly.
        """
        shown = name[:MAX_QUERY_CHARS]
        key = normalise(shown)
        exact = self._exact.get(key)
        if exact is not None:
            return exact
        ranked = self._fuzzy(key, limit=SUGGESTIONS + 2, cutoff=0.0) if key else []
        if _clearly_best(ranked):
            return ranked[0][0]
        suggestions = [gift.name for gift, _ in ranked] or list(self._featured_names)
        raise UnknownGift(shown, suggestions[:SUGGESTIONS])

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[Gift]:
        """Autocomplete, best first: exact, prefix, word prefix, substring, then typo matches.

        Never more than `limit` (itself clamped to 25); an empty query gives the featured gifts.
        """
        limit = max(0, min(limit, SEARCH_LIMIT))
        key = normalise(query[:MAX_QUERY_CHARS])
        if not key:
            return list(self._first_page[:limit])
        found: dict[str, Gift] = {}
        exact = self._exact.get(key)
        if exact is not None:
            found[exact.name] = exact
        _add_matching(found, self._prefix_entries, key, str.startswith, limit)
        _add_matching(found, self._word_entries, key, str.startswith, limit)
        _add_matching(found, self._prefix_entries, key, str.__contains__, limit)
        if len(found) < limit:
            for gift, _ in self._fuzzy(key, limit=limit, cutoff=SEARCH_CUTOFF, scorer=fuzz.ratio):
                found.setdefault(gift.name, gift)
        return list(found.values())[:limit]

    def _fuzzy(
        self, key: str, *, limit: int, cutoff: float, scorer: Scorer = fuzz.WRatio
    ) -> list[tuple[Gift, float]]:
        """Best distinct gifts for `key` over names and aliases, best first."""
        matches = process.extract(
            key[:MAX_KEY_CHARS],
            self._fuzzy_keys,
            scorer=scorer,
            processor=None,
            limit=limit * 2,
            score_cutoff=cutoff,
        )
        best: dict[str, tuple[Gift, float]] = {}
        for _, score, index in matches:
            gift = self._fuzzy_gifts[index]
            if gift.name not in best:
                best[gift.name] = (gift, score)
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

    def with_custom(self, gifts: Iterable[Gift]) -> Catalog:
        """A new catalog with a server's custom gifts added (marked `custom=True`).

        Raises `AlreadyExists` when a custom name or alias matches any gift already present.
        """
        customs = [g if g.custom else g.model_copy(update={"custom": True}) for g in gifts]
        return Catalog(
            (*self._gifts, *customs),
            as_of=self._as_of,
            source=self._source,
            notes=self._notes,
            featured=self._featured_names,
        )


@functools.cache
def default_catalog() -> Catalog:
    """The packaged catalog, loaded and validated once per process."""
    return Catalog.load()


# -- helpers -----------------------------------------------------------------------------------


def _clearly_best(ranked: Sequence[tuple[Gift, float]]) -> bool:
    """True when the top fuzzy hit is strong and well ahead of the runner-up."""
    if not ranked or ranked[0][1] < FUZZY_ACCEPT:
        return False
    return len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= FUZZY_MARGIN


def _add_matching(
    found: dict[str, Gift],
    entries: Sequence[tuple[str, Gift]],
    key: str,
    matches: Callable[[str, str], bool],
    limit: int,
) -> None:
    """Add gifts whose entry key `matches` `key`, in rank order, until there are `limit`."""
    for entry_key, gift in entries:
        if len(found) >= limit:
            return
        if matches(entry_key, key):
            found.setdefault(gift.name, gift)


def _check_range(min_coins: int | None, max_coins: int | None) -> None:
    """Reject negative bounds and a minimum above the maximum."""
    for what, bound in (("minimum coins", min_coins), ("maximum coins", max_coins)):
        if bound is not None and bound < 0:
            raise InvalidValue(what, f"{bound} is negative")
    if min_coins is not None and max_coins is not None and min_coins > max_coins:
        raise InvalidValue("coin range", f"minimum {min_coins} is above maximum {max_coins}")


def _read_json(file: Path) -> Any:
    """The parsed JSON of `file`, or `DataFileError` naming the file and position."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as err:
        raise DataFileError(f"{file}: cannot read: {err.strerror or err}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise DataFileError(
            f"{file}: line {err.lineno}, column {err.colno}: invalid JSON: {err.msg}"
        ) from None


def _entry_label(raw: Any, index: int) -> str:
    """`gifts[3] ('Rose')` for error messages, using the raw entry's name when it has one."""
    entries = raw.get("gifts") if isinstance(raw, dict) else None
    entry = entries[index] if isinstance(entries, list) and 0 <= index < len(entries) else None
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"gifts[{index}] ({name!r})" if isinstance(name, str) else f"gifts[{index}] (no name)"


def _field_path(loc: Sequence[str | int]) -> str:
    """`('aliases', 1)` -> `aliases[1]`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe_validation(file: Path, raw: Any, err: ValidationError) -> str:
    """One sentence naming the file, the entry and the field of the first problem."""
    errors = err.errors(include_url=False)
    first = errors[0]
    loc = tuple(first["loc"])
    if len(loc) >= 2 and loc[0] == "gifts" and isinstance(loc[1], int):
        where = _entry_label(raw, loc[1])
        field = _field_path(loc[2:]) or "entry"
        message = f"{file}: {where}: field {field!r}: {first['msg']}"
    else:
        message = f"{file}: field {_field_path(loc) or '(top level)'!r}: {first['msg']}"
    more = len(errors) - 1
    return message + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")


def _check_unique(file: Path, gifts: Sequence[Gift]) -> None:
    """`DataFileError` when two names or aliases normalise to the same key."""
    clash = _find_clash(gifts)
    if clash is None:
        return
    this, other = gifts[clash.index], gifts[clash.other]
    raise DataFileError(
        f"{file}: gifts[{clash.index}] ({this.name!r}): field {clash.field!r}: "
        f"{clash.value!r} duplicates a name or alias of gifts[{clash.other}] ({other.name!r})"
    )


def _check_featured(file: Path, data: CatalogFile) -> None:
    """`DataFileError` when a featured name is not a gift name."""
    names = {g.key for g in data.gifts}
    for index, name in enumerate(data.featured):
        if normalise(name) not in names:
            raise DataFileError(
                f"{file}: featured[{index}] ({name!r}): field 'featured': no such gift"
            )
