"""One TikTok gift as the catalog holds it, and the shape of `gifts.json`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from economy.text import normalise

GiftName = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=100)]
GiftId = Annotated[int, Field(strict=True, gt=0)]
Status = Literal["current", "not_listed", "retired"]
Region = Literal["us", "other"]
StreakBasis = Literal["tiktok_api_2024", "curated", "price_rule"]
LOCALES = ("id", "pt-BR")


def _check_keys(values: tuple[str, ...], what: str) -> tuple[str, ...]:
    for value in values:
        if not normalise(value):
            raise ValueError(f"{what} {value!r} must contain a letter or digit")
    return values


class Caveat(BaseModel):
    """Something a user should know about a gift's price: a message key and its figures.

    The text lives in the bot's message catalogs (`gift.caveat.<key>`), in every language.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    coins: Annotated[int, Field(strict=True, gt=0)] | None = None
    since: date | None = None
    other: str | None = None


class LocalNames(BaseModel):
    """A gift's names in the bot's other languages: Indonesian (`id`), Brazilian Portuguese."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    id: tuple[GiftName, ...] = ()
    pt_br: tuple[GiftName, ...] = Field(default=(), alias="pt-BR")

    @field_validator("id", "pt_br")
    @classmethod
    def _have_keys(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _check_keys(value, "local name")

    def items(self) -> Iterator[tuple[str, str]]:
        """`(locale, name)` pairs, locales in `LOCALES` order."""
        for name in self.id:
            yield "id", name
        for name in self.pt_br:
            yield "pt-BR", name


class Gift(BaseModel):
    """One gift: its unique display name, coin price, TikTok ids, sources and how it is sent.

    `name` is unique in a catalog (the key the bot stores and shows); `tiktok_name` is TikTok's
    own name when several gifts share it (the others are told apart by price, e.g.
    "Bouquet (100 coins)"), else absent.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: GiftName
    tiktok_name: GiftName | None = None
    coins: Annotated[int, Field(strict=True, gt=0)]
    gift_id: GiftId | None
    other_ids: tuple[GiftId, ...] = ()
    status: Status = "current"
    region: Region | None = None
    sources: tuple[str, ...] = ()
    as_of: date | None = None
    streakable: Annotated[bool, Field(strict=True)]
    streak_basis: StreakBasis | None = None
    aliases: tuple[GiftName, ...]
    local_names: LocalNames = LocalNames()
    region_note: str | None = None
    note: str | None = None
    caveat: Caveat | None = None
    custom: Annotated[bool, Field(strict=True)] = False

    @field_validator("name", "tiktok_name")
    @classmethod
    def _name_has_key(cls, value: str | None) -> str | None:
        """A name must keep at least one letter or digit once normalised."""
        if value is not None and not normalise(value):
            raise ValueError("must contain a letter or digit")
        return value

    @field_validator("aliases")
    @classmethod
    def _aliases_have_keys(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """Every alias must keep at least one letter or digit once normalised."""
        return _check_keys(value, "alias")

    @property
    def key(self) -> str:
        """The normalised name used for lookups."""
        return normalise(self.name)

    @property
    def shared_name(self) -> str:
        """TikTok's own name for this gift (several gifts may share it)."""
        return self.tiktok_name or self.name

    @property
    def retired(self) -> bool:
        """True when TikTok no longer offers the gift."""
        return self.status == "retired"

    @property
    def ids(self) -> tuple[int, ...]:
        """Every TikTok gift id of this gift, the main one first."""
        return (self.gift_id, *self.other_ids) if self.gift_id is not None else self.other_ids


class SourceInfo(BaseModel):
    """One dated source the catalog was built from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: date
    title: Annotated[str, StringConstraints(min_length=1)]
    kind: str
    region: str
    current_list: bool
    reliability: str


class CatalogFile(BaseModel):
    """The shape of `gifts.json`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: date
    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    notes: tuple[str, ...] = ()
    sources: dict[str, SourceInfo] = {}
    featured: tuple[str, ...] = ()
    gifts: tuple[Gift, ...]

    @field_validator("gifts")
    @classmethod
    def _not_empty(cls, value: tuple[Gift, ...]) -> tuple[Gift, ...]:
        """A catalog needs at least one gift."""
        if not value:
            raise ValueError("must list at least one gift")
        return value
