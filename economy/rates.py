"""The rate card: every figure the conversions use, each with a source and a date.

Figures live in `economy/data/rates.json` as presets (`tiktok`, `guides`) over a shared section
(stores, views, exchange rates, withdrawal limits). Exchange rates are kept there as the ECB's
raw EUR->X reference rates of one day (`fx_reference`); the card's per-USD rates are derived
from them at load. A server may override single figures (`RateCard.with_override`)
or exchange rates (`RateCard.with_fx`), and newer ECB rates replace the shipped ones
(`RateCard.with_reference_rates`); each returns a new, validated card.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from economy.errors import DataFileError, InvalidValue, NotFound
from economy.fx import ReferenceRates
from economy.model import (
    ExactDecimal,
    Figure,
    Frozen,
    Sourced,
    Text,
    clean_message,
    describe,
    is_currency_code,
)
from economy.money import SUPPORTED_CURRENCIES
from economy.stores import Bundle, CoinPrice, Store

__all__ = [
    "DEFAULT_PRESET",
    "FX_CURRENCIES",
    "OVERRIDABLE_FIGURES",
    "PRESET_NAMES",
    "VIEW_FIGURES",
    "VIEW_PROGRAMS",
    "Availability",
    "Bundle",
    "CoinPrice",
    "Figure",
    "RateCard",
    "Store",
    "ViewsRange",
    "default_presets",
    "get_preset",
    "load_presets",
]

# `tiktok` (the default): TikTok's own model, 1 diamond per coin and no fee at cash-out.
# `guides`: the creator guides' figures, 0.5 diamond per coin and 50% off at cash-out.
PRESET_NAMES: tuple[str, ...] = ("tiktok", "guides")
DEFAULT_PRESET = "tiktok"
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
FX_CURRENCIES: tuple[str, ...] = tuple(code for code in SUPPORTED_CURRENCIES if code != "USD")


class Availability(Sourced):
    """Where a views program runs (or ran), with the source that says so.

    `official` is False when only third-party pages say it; `check_in_app` when the app's own
    screen is the final word (TikTok publishes no list).
    """

    status: Literal["running", "ended"]
    countries: tuple[str, ...] = Field(min_length=1)  # ISO 3166 alpha-2: US, GB, DE ...
    ended_on: date | None = None
    official: bool
    check_in_app: bool = False

    @field_validator("countries")
    @classmethod
    def _codes(cls, countries: tuple[str, ...]) -> tuple[str, ...]:
        bad = [code for code in countries if not re.fullmatch(r"[A-Z]{2}", code)]
        if bad:
            raise ValueError(f"not country codes like 'US': {', '.join(bad)}")
        return countries

    @model_validator(mode="after")
    def _end_date(self) -> Availability:
        if (self.status == "ended") != (self.ended_on is not None):
            raise ValueError("an ended program needs ended_on; a running one must not have it")
        return self


class ViewsRange(Sourced):
    """What a views program pays per 1,000 views, as a low-high range."""

    low_per_1000: ExactDecimal = Field(ge=0)
    high_per_1000: ExactDecimal = Field(ge=0)
    availability: Availability

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


class RateCard(Frozen):
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
            if not is_currency_code(code):
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

    def with_reference_rates(
        self, reference: ReferenceRates, currencies: Iterable[str] | None = None
    ) -> RateCard:
        """A new card whose exchange rates come from `reference` (e.g. newer ECB rates).

        Only `currencies` are replaced (default: the currencies the card already has rates
        for); one `reference` lacks keeps its old, dated figure. Apply a server's own
        `with_fx` overrides after this, so they still win.
        """
        wanted = self.fx if currencies is None else currencies
        codes = [code.strip().upper() for code in wanted]
        known = set(reference.currencies)
        data = self.model_dump()
        for code, figure in reference.figures(c for c in codes if c in known).items():
            data["fx"][code] = figure.model_dump()
        return _revalidate(data, f"reference rates of {reference.as_of.isoformat()}")

    def fx_rate(self, currency: str) -> Decimal:
        """Units of `currency` per USD (1 for USD); `NotFound` if the card has no rate."""
        figure = self.fx_figure(currency)
        return Decimal(1) if figure is None else figure.value

    def fx_figure(self, currency: str) -> Figure | None:
        """The dated exchange rate of `currency` (its source and day); None for USD, the base.

        `NotFound` if the card has no rate for it.
        """
        code = currency.strip().upper()
        if code == "USD":
            return None
        figure = self.fx.get(code)
        if figure is None:
            raise NotFound("exchange rate", code)
        return figure

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
        raise InvalidValue(what, clean_message(first["msg"])) from None


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
    shared = _with_fx(shared, name)
    cards: dict[str, RateCard] = {}
    for preset, own in raw["presets"].items():
        if not isinstance(own, dict):
            raise DataFileError(f"{name}: preset {preset!r}: must be an object")
        try:
            cards[preset] = RateCard.model_validate({**shared, **own, "preset": preset})
        except ValidationError as err:
            raise DataFileError(f"{name}: preset {preset!r}: {describe(err, '(card)')}") from None
    return cards


def _with_fx(shared: dict[str, Any], name: str) -> dict[str, Any]:
    """`shared` with per-USD `fx` figures derived from its ECB `fx_reference` rates."""
    if "fx_reference" not in shared:
        raise DataFileError(f"{name}: 'shared' needs 'fx_reference' (the ECB rates of one day)")
    rest = {key: value for key, value in shared.items() if key != "fx_reference"}
    reference = ReferenceRates.from_data(shared["fx_reference"], f"{name}: fx_reference")
    missing = [code for code in FX_CURRENCIES if code not in reference.currencies]
    if missing:
        raise DataFileError(f"{name}: fx_reference has no rate for {', '.join(missing)}")
    figures = reference.figures(FX_CURRENCIES)
    rest["fx"] = {code: figure.model_dump() for code, figure in figures.items()}
    return rest


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
