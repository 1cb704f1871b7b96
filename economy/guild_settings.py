"""The rules a server's settings must keep: sane figures, ordered view ranges, exchange rates
near the shipped ones, a bounded set of custom gifts, and a would-be profile that builds.

Pure functions over plain values (a `RateCard`, a figure name, a `Decimal`, a stored
`GuildSettings`). A broken rule raises a `SettingRefused` whose `key` is the message the bot
shows; its attributes hold the raw values (figure names, stored units) and its `params` the
same values in plain text, so a caller can show them in the asker's language and number style.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from pydantic import ValidationError

from economy.catalog import Catalog, Gift
from economy.errors import EconomyError, Label, NotFound, Quantity, Span, Unit
from economy.limits import MAX_CUSTOM_GIFTS, MAX_GIFT_COINS
from economy.names import clean_name
from economy.profiles import Profile, build_profile, custom_gift
from economy.rates import VIEW_FIGURES, RateCard
from economy.storage import GuildSettings, custom_gift_key, fx_key, override_key

ZERO = Decimal(0)

PERCENT_FIGURES = frozenset({"cashout_cut", "agency_cut_default"})  # entered as percent
USD_FIGURES = frozenset(
    {
        "usd_per_diamond",
        "minimum_withdrawal_usd",
        "daily_cap_usd",
        "creator_fund_low",
        "creator_fund_high",
        "creator_rewards_low",
        "creator_rewards_high",
    }
)
# The other bound of the same views program: creator_fund_low <-> creator_fund_high.
OTHER_BOUND: Mapping[str, str] = {
    name: other
    for name, (program, _) in VIEW_FIGURES.items()
    for other, (other_program, _) in VIEW_FIGURES.items()
    if other_program == program and other != name
}
FX_SPREAD = Decimal(5)  # an exchange rate may be set within 1/5 .. 5x the shipped one
FX_CEILING = Decimal(10) ** 9  # the limit for a currency that ships without a rate


@dataclass(frozen=True)
class Bounds:
    """The sane range of a figure, in stored units (percent figures as fractions)."""

    low: Decimal
    high: Decimal
    low_open: bool = False
    high_open: bool = False

    def holds(self, value: Decimal) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below

    def span(self, unit: Unit) -> Span:
        """The bounds as a range of quantities in `unit`, for a message."""
        return Span(
            Quantity(self.low, unit), Quantity(self.high, unit), self.low_open, self.high_open
        )

    def __str__(self) -> str:
        low, high = plain(self.low), plain(self.high)
        if self.low_open:
            return f"above {low} and at most {high}"
        if self.high_open:
            return f"from {low} to below {high}"
        return f"from {low} to {high}"


BOUNDS: Mapping[str, Bounds] = {
    "diamonds_per_coin": Bounds(ZERO, Decimal(1), low_open=True),
    "usd_per_diamond": Bounds(ZERO, Decimal("0.05"), low_open=True),
    "cashout_cut": Bounds(ZERO, Decimal(1), high_open=True),
    "minimum_withdrawal_usd": Bounds(ZERO, Decimal(10_000)),
    "daily_cap_usd": Bounds(ZERO, Decimal(1_000_000), low_open=True),
    "agency_cut_default": Bounds(ZERO, Decimal(1), high_open=True),
    "creator_fund_low": Bounds(ZERO, Decimal(100)),
    "creator_fund_high": Bounds(ZERO, Decimal(100)),
    "creator_rewards_low": Bounds(ZERO, Decimal(100)),
    "creator_rewards_high": Bounds(ZERO, Decimal(100)),
}


def figure_unit(name: str) -> Unit:
    """How a figure reads: cuts as percent, money figures in USD, the rest as numbers."""
    if name in PERCENT_FIGURES:
        return "percent"
    if name in USD_FIGURES:
        return "usd"
    return "number"


def figure_label(name: str) -> Label:
    """A figure's name, for the bot to show in the user's language."""
    return Label(f"settings.figure.{name}")


def figure_quantity(name: str, value: Decimal) -> Quantity:
    """A figure's value (stored units) as the user reads it."""
    return Quantity(value, figure_unit(name))


# -- refusals ---------------------------------------------------------------------------------


class SettingRefused(EconomyError):
    """A change a settings rule refuses; nothing is written."""


class NotANumber(SettingRefused):
    key = "settings.error.not_a_number"

    def __init__(self) -> None:
        super().__init__("That is not a number.")


class FigureOutOfRange(SettingRefused):
    """A figure outside its `BOUNDS` (`value` in stored units)."""

    key = "settings.error.range"

    def __init__(self, figure: str, value: Decimal, bounds: Bounds) -> None:
        self.figure, self.value, self.bounds = figure, value, bounds
        super().__init__(
            f"{figure} must be {bounds} (got {plain(value)}).",
            figure=figure_label(figure),
            range=bounds.span(figure_unit(figure)),
        )


class LowAboveHigh(SettingRefused):
    """A views range whose low bound would be above its high bound."""

    key = "settings.error.low_above_high"

    def __init__(self, low: str, low_value: Decimal, high: str, high_value: Decimal) -> None:
        self.low, self.low_value, self.high, self.high_value = low, low_value, high, high_value
        super().__init__(
            f"{low} ({plain(low_value)}) can't be above {high} ({plain(high_value)}).",
            low=figure_label(low),
            low_value=figure_quantity(low, low_value),
            high=figure_label(high),
            high_value=figure_quantity(high, high_value),
        )


class ResetBreaksOrder(SettingRefused):
    """Resetting one bound of a views range alone would leave the range inverted."""

    key = "settings.error.reset_order"

    def __init__(self, figure: str, other: str) -> None:
        self.figure, self.other = figure, other
        super().__init__(
            f"Resetting {figure} alone would invert its range with {other}.",
            setting=figure_label(figure),
            other=figure_label(other),
        )


class FxOutOfRange(SettingRefused):
    """An exchange rate too far from the shipped one (`shipped` None: the currency ships none)."""

    key = "settings.error.fx_range"

    def __init__(
        self, currency: str, rate: Decimal, bounds: Bounds, shipped: Decimal | None
    ) -> None:
        self.currency, self.rate, self.bounds, self.shipped = currency, rate, bounds, shipped
        super().__init__(
            f"The {currency} rate must be {bounds} per USD (got {plain(rate)}).",
            currency=currency,
            low=bounds.low,
            high=bounds.high,
            shipped=shipped if shipped is not None else "-",
        )


class GiftCoinsOutOfRange(SettingRefused):
    key = "settings.error.gift_coins"

    def __init__(self, coins: int) -> None:
        self.coins, self.low, self.high = coins, 1, MAX_GIFT_COINS
        super().__init__(
            f"A gift costs from {self.low} to {self.high} coins (got {coins}).",
            low=self.low,
            high=Quantity(self.high, "coins"),
        )


class BadGiftName(SettingRefused):
    key = "settings.error.gift_name"

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"A gift name needs at least one letter or digit (got {name!r}).")


class TooManyGifts(SettingRefused):
    key = "settings.error.too_many_gifts"

    def __init__(self, limit: int = MAX_CUSTOM_GIFTS) -> None:
        self.limit = limit
        super().__init__(f"A server may have at most {limit} custom gifts.", limit=limit)


# -- values -----------------------------------------------------------------------------------


def plain(value: Decimal) -> str:
    """How a decimal is stored: no exponent, no trailing zeros (`0.4`, `100`)."""
    return format(value.normalize(), "f")


def to_decimal(value: float) -> Decimal:
    """An option number as an exact decimal (its shortest repr); refuses NaN and infinity."""
    number = Decimal(str(value))
    if not number.is_finite():
        raise NotANumber()
    return number


def figure_in_force(rates: RateCard, name: str) -> tuple[Decimal, date]:
    """A figure's value and date on a card."""
    if name in VIEW_FIGURES:
        program, bound = VIEW_FIGURES[name]
        views = rates.views_range(program)
        return getattr(views, bound), views.as_of
    figure = getattr(rates, name)
    return figure.value, figure.as_of


def figure_value(name: str, entered: Decimal) -> Decimal:
    """The stored value of a figure as entered (cuts in percent), checked against its bounds."""
    bounds = BOUNDS.get(name)
    if bounds is None:
        raise NotFound("figure", name)
    stored = entered / 100 if name in PERCENT_FIGURES else entered
    if not bounds.holds(stored):
        raise FigureOutOfRange(name, stored, bounds)
    return stored


def check_order(rates: RateCard, figure: str, value: Decimal) -> None:
    """A views range stays low <= high when `figure` becomes `value` on `rates`."""
    if figure not in VIEW_FIGURES:
        return
    other = OTHER_BOUND[figure]
    other_value = figure_in_force(rates, other)[0]
    low, high = (figure, other) if figure.endswith("_low") else (other, figure)
    values = {figure: value, other: other_value}
    if values[low] > values[high]:
        raise LowAboveHigh(low, values[low], high, values[high])


def fx_bounds(shipped: Decimal | None) -> Bounds:
    """Where an exchange rate may be set: within `FX_SPREAD` of the shipped rate."""
    if shipped is None:
        return Bounds(ZERO, FX_CEILING, low_open=True)
    return Bounds(shipped / FX_SPREAD, shipped * FX_SPREAD)


def check_fx(currency: str, rate: Decimal, shipped: Decimal | None) -> None:
    """Refuse an exchange rate (units per USD) outside `fx_bounds(shipped)`."""
    bounds = fx_bounds(shipped)
    if not bounds.holds(rate):
        raise FxOutOfRange(currency, rate, bounds, shipped)


# -- custom gifts -----------------------------------------------------------------------------


def new_custom_gift(name: str, coins: int) -> Gift:
    """A server-only gift from a manager's input: coins in range, a usable trimmed name."""
    if not 1 <= coins <= MAX_GIFT_COINS:
        raise GiftCoinsOutOfRange(coins)
    clean = clean_name(name, "gift name")
    try:
        return custom_gift(clean, coins)
    except ValidationError:
        raise BadGiftName(clean) from None


def check_room_for_gift(existing: int) -> None:
    """A server with `existing` custom gifts may add one more."""
    if existing >= MAX_CUSTOM_GIFTS:
        raise TooManyGifts(MAX_CUSTOM_GIFTS)


# -- would-be profiles ------------------------------------------------------------------------


def replaced(settings: GuildSettings, **changes: object) -> GuildSettings:
    """A would-be settings (mappings frozen like the stored ones)."""
    frozen = {
        key: MappingProxyType(dict(value)) if isinstance(value, Mapping) else value
        for key, value in changes.items()
    }
    return dataclasses.replace(settings, **frozen)  # type: ignore[arg-type]


def would_be_profile(
    before: GuildSettings,
    before_customs: Sequence[Gift],
    settings: GuildSettings,
    customs: Sequence[Gift],
    *,
    catalog: Catalog,
    presets: dict[str, RateCard],
) -> Profile:
    """The profile after a change; the EconomyError (a clear refusal) when the change breaks it.

    Stored settings that already do not apply (`Profile.ignored`, e.g. a custom gift a newer
    catalog now ships) are left out unless this change touches them, so they never block an
    unrelated change, and the refusal is always about the change itself.
    """
    current = build_profile(before, list(before_customs), catalog, presets, strict=False)
    stale = set(current.ignored)
    overrides = {
        name: value
        for name, value in settings.overrides.items()
        if override_key(name) not in stale or before.overrides.get(name) != value
    }
    fx = {
        code: value
        for code, value in settings.fx_overrides.items()
        if fx_key(code) not in stale or before.fx_overrides.get(code) != value
    }
    fresh = [gift for gift in customs if custom_gift_key(gift.name) not in stale]
    checked = replaced(settings, overrides=overrides, fx_overrides=fx)
    return build_profile(checked, fresh, catalog, presets, strict=True)


def check_reset(
    before: GuildSettings,
    customs: Sequence[Gift],
    figure: str,
    *,
    catalog: Catalog,
    presets: dict[str, RateCard],
) -> Profile:
    """The profile once `figure`'s override is dropped; a views bound names its partner."""
    rest = {name: value for name, value in before.overrides.items() if name != figure}
    try:
        return would_be_profile(
            before,
            customs,
            replaced(before, overrides=rest),
            customs,
            catalog=catalog,
            presets=presets,
        )
    except EconomyError as err:
        if figure in OTHER_BOUND:
            raise ResetBreaksOrder(figure, OTHER_BOUND[figure]) from err
        raise
