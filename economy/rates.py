"""The rate card: every figure the conversions use, each with a source and a date.

Figures live in `economy/data/rates.json` as presets (`seed`, `one-to-one`) over a shared
section (stores, views, exchange rates, withdrawal limits). A server may override single
figures (`RateCard.with_override`) or exchange rates (`RateCard.with_fx`); each override
returns a new, validated card.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from economy.errors import DataFileError, InvalidValue, NotFound

PRESET_NAMES: tuple[str, ...] = ("seed", "one-to-one")
DEFAULT_PRESET = "seed"
VIEW_PROGRAMS: tuple[str, ...] = ("creator-fund", "creator-rewards")
FALLBACK_REGION = "US"  # whose coin prices answer for a region with no store of its own

OVERRIDABLE_FIGURES: Mapping[str, str] = {
    "diamonds_per_coin": "Diamonds a creator receives per coin spent on a gift",
    "usd_per_diamond": "USD value of one diamond before the cash-out cut",
    "cashout_cut": "Fraction TikTok keeps at cash-out (0 to below 1)",
    "minimum_withdrawal_usd": "Smallest cash-out, in USD of diamond value",
    "daily_cap_usd": "Largest cash-out per calendar day, in USD",
    "agency_cut_default": "Default agency or manager cut (0 to below 1)",
    "creator_fund_low": "Creator Fund: low USD per 1,000 views",
    "creator_fund_high": "Creator Fund: high USD per 1,000 views",
    "creator_rewards_low": "Creator Rewards Program: low USD per 1,000 views",
    "creator_rewards_high": "Creator Rewards Program: high USD per 1,000 views",
}

# Overridable figures that are one bound of a views program: figure -> (program, field).
VIEW_FIGURES: Mapping[str, tuple[str, str]] = {
    "creator_fund_low": ("creator-fund", "low_per_1000"),
    "creator_fund_high": ("creator-fund", "high_per_1000"),
    "creator_rewards_low": ("creator-rewards", "low_per_1000"),
    "creator_rewards_high": ("creator-rewards", "high_per_1000"),
}

_DATA_FILE = "rates.json"
_PLAIN = Context(prec=28)


def _exact_decimal(value: Any) -> Any:
    """Refuse floats (inexact); strings and ints load exactly, and pydantic refuses NaN/inf."""
    if isinstance(value, float):
        raise ValueError('write money and rates as strings (e.g. "0.005"), not JSON numbers')
    return value


ExactDecimal = Annotated[Decimal, BeforeValidator(_exact_decimal)]
Text = Annotated[str, Field(min_length=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Figure(_Frozen):
    """One number with where it comes from and when it was true."""

    value: ExactDecimal
    source: Text
    as_of: date
    note: str | None = None


class Bundle(_Frozen):
    """A coin pack: so many coins for a price in the store's currency."""

    coins: int = Field(gt=0)
    price: ExactDecimal = Field(gt=0)


class Store(_Frozen):
    """Where coins are bought: bundles, and optionally custom amounts.

    A custom amount of c coins (`custom_min_coins` <= c <= `custom_max_coins`, no maximum if
    None) costs c * `custom_rate.price` / `custom_rate.coins`: a rate written as a price per
    so many coins, so that e.g. USD 0.99 per 70 coins stays exact.
    """

    name: Literal["app", "web"]
    region: str = Field(pattern=r"^[A-Z]{2}$")
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    bundles: tuple[Bundle, ...]
    custom_rate: Bundle | None = None
    custom_min_coins: int = Field(default=1, gt=0)
    custom_max_coins: int | None = Field(default=None, gt=0)
    source: Text
    as_of: date
    note: str | None = None

    @field_validator("bundles")
    @classmethod
    def _bundles_valid(cls, bundles: tuple[Bundle, ...]) -> tuple[Bundle, ...]:
        if not bundles:
            raise ValueError("a store needs at least one bundle")
        coins = [bundle.coins for bundle in bundles]
        if len(set(coins)) != len(coins):
            raise ValueError("two bundles have the same number of coins")
        return tuple(sorted(bundles, key=lambda bundle: bundle.coins))

    @model_validator(mode="after")
    def _custom_limits(self) -> Store:
        if self.custom_max_coins is not None and self.custom_max_coins < self.custom_min_coins:
            raise ValueError("custom_max_coins is below custom_min_coins")
        return self

    @property
    def sells_custom(self) -> bool:
        """Whether the store also sells custom amounts (at `custom_rate`, within the limits)."""
        return self.custom_rate is not None

    @property
    def custom_price_per_coin(self) -> Decimal | None:
        """Price of one custom coin (28 significant digits; exact maths uses `custom_rate`)."""
        if self.custom_rate is None:
            return None
        return _PLAIN.divide(self.custom_rate.price, self.custom_rate.coins)

    @property
    def key(self) -> str:
        """`name/region`, e.g. `app/US`."""
        return f"{self.name}/{self.region}"


class ViewsRange(_Frozen):
    """What a views program pays per 1,000 views, as a low-high range."""

    low_per_1000: ExactDecimal = Field(ge=0)
    high_per_1000: ExactDecimal = Field(ge=0)
    source: Text
    as_of: date
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ViewsRange:
        if self.low_per_1000 > self.high_per_1000:
            raise ValueError("low_per_1000 is above high_per_1000")
        return self


@dataclass(frozen=True)
class StoreChoice:
    """The store a price comes from, and the region that was asked for."""

    store: Store
    wanted_region: str

    @property
    def fell_back(self) -> bool:
        """Whether the asked region has no such store, so another region's prices are used."""
        return self.store.region != self.wanted_region


def _check(figure: Figure, ok: bool, rule: str) -> Figure:
    if not ok:
        raise ValueError(f"{rule} (got {figure.value})")
    return figure


class RateCard(_Frozen):
    """All figures one server's answers use."""

    preset: Text
    diamonds_per_coin: Figure
    usd_per_diamond: Figure
    cashout_cut: Figure
    minimum_withdrawal_usd: Figure
    daily_cap_usd: Figure
    agency_cut_default: Figure
    views: dict[str, ViewsRange]
    stores: tuple[Store, ...]
    fx: dict[str, Figure]

    @field_validator("diamonds_per_coin", "usd_per_diamond", "daily_cap_usd")
    @classmethod
    def _positive(cls, figure: Figure) -> Figure:
        return _check(figure, figure.value > 0, "must be greater than 0")

    @field_validator("cashout_cut", "agency_cut_default")
    @classmethod
    def _fraction(cls, figure: Figure) -> Figure:
        return _check(figure, 0 <= figure.value < 1, "must be a fraction from 0 to below 1")

    @field_validator("minimum_withdrawal_usd")
    @classmethod
    def _not_negative(cls, figure: Figure) -> Figure:
        return _check(figure, figure.value >= 0, "must be 0 or more")

    @field_validator("views")
    @classmethod
    def _programs(cls, views: dict[str, ViewsRange]) -> dict[str, ViewsRange]:
        missing = [program for program in VIEW_PROGRAMS if program not in views]
        if missing:
            raise ValueError(f"missing views program(s): {', '.join(missing)}")
        return views

    @field_validator("stores")
    @classmethod
    def _unique_stores(cls, stores: tuple[Store, ...]) -> tuple[Store, ...]:
        keys = [store.key for store in stores]
        if len(set(keys)) != len(keys):
            raise ValueError("two stores have the same name and region")
        return stores

    @field_validator("fx")
    @classmethod
    def _fx_valid(cls, fx: dict[str, Figure]) -> dict[str, Figure]:
        for code, figure in fx.items():
            if len(code) != 3 or not code.isalpha() or not code.isupper():
                raise ValueError(f"{code!r} is not a currency code like 'EUR'")
            if code == "USD":
                raise ValueError("USD is the base currency; do not list it")
            _check(figure, figure.value > 0, f"{code} rate must be greater than 0")
        return fx

    def with_override(self, name: str, value: Decimal, source: str, as_of: date) -> RateCard:
        """A new card with one figure replaced (names in `OVERRIDABLE_FIGURES`)."""
        if name not in OVERRIDABLE_FIGURES:
            raise NotFound("figure", name)
        data = self.model_dump()
        if name in VIEW_FIGURES:
            program, bound = VIEW_FIGURES[name]
            entry = data["views"][program]
            entry.update({bound: value, "source": source, "as_of": as_of, "note": None})
        else:
            data[name] = {"value": value, "source": source, "as_of": as_of}
        return _revalidate(data, name)

    def with_fx(self, currency: str, rate: Decimal, source: str, as_of: date) -> RateCard:
        """A new card with one exchange rate (units of `currency` per USD) set."""
        code = currency.strip().upper()
        data = self.model_dump()
        data["fx"][code] = {"value": rate, "source": source, "as_of": as_of}
        return _revalidate(data, f"exchange rate {code}")

    def store(self, name: str, region: str) -> Store:
        """The store called `name` (`app`/`web`) in `region`; `NotFound` if there is none."""
        for store in self.stores:
            if store.name == name and store.region == region.upper():
                return store
        raise NotFound("store", f"{name}/{region}")

    def store_for(self, name: str, region: str) -> StoreChoice:
        """The store to price coins in for `region`: its own, else the US one (said so)."""
        wanted = region.upper()
        for candidate in dict.fromkeys((wanted, FALLBACK_REGION)):
            for store in self.stores:
                if store.name == name and store.region == candidate:
                    return StoreChoice(store, wanted)
        raise NotFound("store", f"{name}/{wanted}")

    @property
    def as_of(self) -> date:
        """The newest date among the scalar figures: how fresh the rate card is."""
        figures = (
            self.diamonds_per_coin,
            self.usd_per_diamond,
            self.cashout_cut,
            self.minimum_withdrawal_usd,
            self.daily_cap_usd,
        )
        return max(figure.as_of for figure in figures)

    def stores_for(self, region: str) -> tuple[Store, ...]:
        """Every store in `region` (possibly none)."""
        return tuple(store for store in self.stores if store.region == region.upper())

    def fx_rate(self, currency: str) -> Decimal:
        """Units of `currency` per USD (1 for USD); `NotFound` if the card has no rate."""
        code = currency.upper()
        if code == "USD":
            return Decimal(1)
        figure = self.fx.get(code)
        if figure is None:
            raise NotFound("exchange rate", code)
        return figure.value

    def views_range(self, program: str) -> ViewsRange:
        """The pay range of a views program; `NotFound` if unknown."""
        found = self.views.get(program)
        if found is None:
            raise NotFound("views program", program)
        return found


def _revalidate(data: dict[str, Any], what: str) -> RateCard:
    try:
        return RateCard.model_validate(data)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        raise InvalidValue(what, _clean(first["msg"])) from None


def _clean(message: str) -> str:
    return message.removeprefix("Value error, ")


def _describe(err: ValidationError) -> str:
    parts = []
    for item in err.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "(card)"
        parts.append(f"field {field}: {_clean(item['msg'])}")
    return "; ".join(parts)


def _read(path: Path | None) -> tuple[str, Any]:
    if path is None:
        source = resources.files("economy") / "data" / _DATA_FILE
        name = f"economy/data/{_DATA_FILE}"
        text = source.read_text(encoding="utf-8")
    else:
        name = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as err:
            raise DataFileError(f"{name}: cannot read: {err.strerror or err}") from err
    try:
        return name, json.loads(text)
    except json.JSONDecodeError as err:
        raise DataFileError(f"{name}: not valid JSON: {err}") from err


def load_presets(path: Path | str | None = None) -> dict[str, RateCard]:
    """Every preset in a rate file (default: the packaged one), validated.

    A preset is the file's `shared` section with the preset's own keys on top. Raises
    `DataFileError` naming the file, preset and field of the first problem found.
    """
    name, raw = _read(Path(path) if path is not None else None)
    if not isinstance(raw, dict) or not isinstance(raw.get("presets"), dict):
        raise DataFileError(f"{name}: expected an object with a 'presets' object")
    shared = raw.get("shared", {})
    if not isinstance(shared, dict):
        raise DataFileError(f"{name}: 'shared' must be an object")
    missing = [preset for preset in PRESET_NAMES if preset not in raw["presets"]]
    if missing:
        raise DataFileError(f"{name}: missing preset(s) {', '.join(missing)}")
    cards: dict[str, RateCard] = {}
    for preset, own in raw["presets"].items():
        if not isinstance(own, dict):
            raise DataFileError(f"{name}: preset {preset!r}: must be an object")
        try:
            cards[preset] = RateCard.model_validate({**shared, **own, "preset": preset})
        except ValidationError as err:
            raise DataFileError(f"{name}: preset {preset!r}: {_describe(err)}") from None
    return cards


@cache
def _default_presets() -> dict[str, RateCard]:
    return load_presets()


def default_presets() -> dict[str, RateCard]:
    """The packaged presets, loaded once (a fresh dict over the same frozen cards)."""
    return dict(_default_presets())


def get_preset(name: str) -> RateCard:
    """One packaged preset; `NotFound` if there is no preset called `name`."""
    presets = _default_presets()
    if name not in presets:
        raise NotFound("preset", name)
    return presets[name]
