"""The gift source files as data: dated rows, TikTok's 2024 API dump and the curated overlay.

Build time only (`tools.build_gifts`). Everything here parses text; nothing reads a file except
`SourceTexts.read`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from economy.text import normalise

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = ROOT / "economy" / "data" / "sources"
ROWS_FILE = "gifts_sources_2025-12.csv"
API_FILE = "gifts_tiktok_api_2024-01-05.csv"
CURATED_FILE = "gifts_curated.json"

Locale = Literal["id", "pt-BR"]
Coins = Annotated[int, Field(strict=True, gt=0)]
Text = Annotated[str, Field(min_length=1)]


@dataclass(frozen=True)
class SourceTexts:
    """The contents of the three source files the catalog is built from."""

    rows: str
    api: str
    curated: str

    @classmethod
    def read(cls, folder: Path = SOURCES_DIR) -> SourceTexts:
        """Read the files from `folder` (default: `economy/data/sources/`)."""
        return cls(
            rows=(folder / ROWS_FILE).read_text(encoding="utf-8"),
            api=(folder / API_FILE).read_text(encoding="utf-8"),
            curated=(folder / CURATED_FILE).read_text(encoding="utf-8"),
        )


@dataclass(frozen=True)
class SourceRow:
    """One (gift name, price, source) row of the dated sources."""

    name: str
    coins: int
    ids: tuple[int, ...]
    source: str
    as_of: date

    @property
    def key(self) -> str:
        """The normalised name rows are matched on."""
        return normalise(self.name)


@dataclass(frozen=True)
class ApiGift:
    """A gift in TikTok's gift-list API dump of 2024-01-05 (the only source of streak flags)."""

    gift_id: int
    name: str
    coins: int
    streakable: bool


def clean_name(raw: str) -> str:
    """A source's spelling made printable: typographic apostrophe -> ', runs of spaces -> one."""
    return re.sub(r"\s+", " ", raw.replace("\u2019", "'")).strip()


def parse_rows(text: str) -> list[SourceRow]:
    """The rows of `gifts_sources_*.csv` (name, coins, gift_id, source_key, source_date)."""
    rows = []
    for raw in csv.DictReader(io.StringIO(text)):
        ids = tuple(int(part) for part in raw["gift_id"].split("|") if part.strip())
        rows.append(
            SourceRow(
                name=clean_name(raw["name"]),
                coins=int(raw["coins"]),
                ids=ids,
                source=raw["source_key"],
                as_of=date.fromisoformat(raw["source_date"]),
            )
        )
    return rows


def parse_api(text: str) -> dict[int, ApiGift]:
    """TikTok's 2024-01-05 dump by gift id; `combo` true (type 1) means streakable."""
    gifts = {}
    for raw in csv.DictReader(io.StringIO(text)):
        gift = ApiGift(
            gift_id=int(raw["id"]),
            name=clean_name(raw["name"]),
            coins=int(raw["diamond_count_coins"]),
            streakable=raw["combo"].strip().lower() == "true",
        )
        gifts[gift.gift_id] = gift
    return gifts


# -- the curated overlay (gifts_curated.json) ---------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceInfo(_Strict):
    """What one `source_key` of the rows is (from gifts_sources_README.md)."""

    title: Text
    as_of: date
    kind: Literal["tiktok_api", "site_list", "community_list", "spot_check", "research_notes"]
    region: Text
    current_list: bool
    reliability: Text
    ref: Text


class RowFix(_Strict):
    """A source row that is dropped, or read under another name, and why."""

    source: Text
    name: Text
    coins: Coins
    action: Literal["ignore", "rename", "drop_id"]
    rename_to: str | None = None
    why: Text
    ref: Text


class ExtraGift(_Strict):
    """A gift no source row has (e.g. a retired gift known only from the research notes)."""

    name: Text
    coins: Coins
    why: Text
    ref: Text


class Names(_Strict):
    names: tuple[Text, ...]
    ref: Text


class LocalName(_Strict):
    name: Text
    ref: Text


class Fact(_Strict):
    text: Text
    ref: Text


class StatusFact(_Strict):
    value: Literal["retired"]
    why: Text
    ref: Text


class StreakFact(_Strict):
    value: bool
    why: Text
    ref: Text


class CaveatFact(_Strict):
    key: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    coins: Coins | None = None
    since: date | None = None
    other: str | None = None
    ref: Text


class KeepName(_Strict):
    name: Text
    why: Text
    ref: Text


class GiftFacts(_Strict):
    """Curated facts about one gift, found by its TikTok name and price."""

    gift: Text
    coins: Coins
    aliases: Names | None = None
    local_names: dict[Locale, tuple[LocalName, ...]] = {}
    keep_name: KeepName | None = None
    status: StatusFact | None = None
    streakable: StreakFact | None = None
    region_note: Fact | None = None
    note: Fact | None = None
    caveat: CaveatFact | None = None

    @property
    def key(self) -> tuple[str, int]:
        return normalise(self.gift), self.coins


class Featured(_Strict):
    names: tuple[Text, ...]
    why: Text
    ref: Text


class Clash(_Strict):
    """A local name that is also another gift's own name: the own name wins (on purpose)."""

    name: Text
    locale: Locale
    why: Text
    ref: Text


class Curated(_Strict):
    """The hand-curated overlay: everything no CSV says."""

    about: tuple[Text, ...]
    references: dict[str, Text]
    sources: dict[str, SourceInfo]
    row_fixes: tuple[RowFix, ...] = ()
    extra_gifts: tuple[ExtraGift, ...] = ()
    gifts: tuple[GiftFacts, ...] = ()
    featured: Featured
    local_name_clashes: tuple[Clash, ...] = ()

    def refs_used(self) -> set[str]:
        """Every `ref` the overlay cites (each must be a key of `references`)."""
        found: set[str] = set()
        _collect_refs(self.model_dump(), found)
        return found


def _collect_refs(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "ref" and isinstance(item, str):
                found.add(item)
            else:
                _collect_refs(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect_refs(item, found)
