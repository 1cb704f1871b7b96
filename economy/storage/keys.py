"""The keys a server's settings are stored under, and the shape each stored value must have."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from economy.errors import InvalidValue
from economy.storage.records import TALLY_OTHERS

KEY_PRESET = "preset"
KEY_CURRENCY = "currency"
KEY_TALLY_OTHERS = "tally_others"
KEY_LEADERBOARD_ENABLED = "leaderboard_enabled"
OVERRIDE_PREFIX = "override:"
FX_PREFIX = "fx:"
CUSTOM_GIFT_PREFIX = "custom_gift:"  # audit rows only: custom gifts have their own table

BOOLEAN_VALUES = ("true", "false")

_PRESET_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
_FIGURE_RE = re.compile(r"[a-z][a-z0-9_]{0,47}")
_CURRENCY_RE = re.compile(r"[A-Z]{3}")


def override_key(figure: str) -> str:
    """Setting key of a rate-card figure override, e.g. ``override:usd_per_diamond``."""
    return f"{OVERRIDE_PREFIX}{figure}"


def fx_key(currency: str) -> str:
    """Setting key of an exchange-rate override, e.g. ``fx:IDR``."""
    return f"{FX_PREFIX}{currency}"


def custom_gift_key(name: str) -> str:
    """Audit key of a custom gift added or removed, e.g. ``custom_gift:Golden Mic``."""
    return f"{CUSTOM_GIFT_PREFIX}{name}"


def _check_decimal(key: str, value: str, *, positive: bool) -> None:
    """Raise InvalidValue unless `value` is a finite decimal (and > 0 when `positive`)."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise InvalidValue(key, f"{value!r} is not a number") from None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        raise InvalidValue(key, f"{value!r} must be a finite number above zero")


def check_config(key: str, value: str | None) -> None:
    """Raise InvalidValue unless `key` is a known setting and `value` fits its shape.

    Only the shape is checked here (the storage must stay independent of the rate card);
    whether a preset, figure or currency exists is the caller's business. `None` clears.
    """
    if key.startswith(OVERRIDE_PREFIX):
        if not _FIGURE_RE.fullmatch(key.removeprefix(OVERRIDE_PREFIX)):
            raise InvalidValue("setting", f"unknown figure in {key!r}")
        if value is not None:
            _check_decimal(key, value, positive=False)
    elif key.startswith(FX_PREFIX):
        if not _CURRENCY_RE.fullmatch(key.removeprefix(FX_PREFIX)):
            raise InvalidValue("setting", f"unknown currency in {key!r}")
        if value is not None:
            _check_decimal(key, value, positive=True)
    elif key not in (KEY_PRESET, KEY_CURRENCY, KEY_TALLY_OTHERS, KEY_LEADERBOARD_ENABLED):
        raise InvalidValue("setting", f"unknown setting {key!r}")
    elif value is not None:
        _check_scalar(key, value)


def _check_scalar(key: str, value: str) -> None:
    """Shape of the four plain settings."""
    allowed: tuple[str, ...] | None = {
        KEY_TALLY_OTHERS: TALLY_OTHERS,
        KEY_LEADERBOARD_ENABLED: BOOLEAN_VALUES,
    }.get(key)
    if allowed is not None and value not in allowed:
        raise InvalidValue(key, f"must be one of {', '.join(allowed)}")
    if key == KEY_PRESET and not _PRESET_RE.fullmatch(value):
        raise InvalidValue(key, f"{value!r} is not a preset name")
    if key == KEY_CURRENCY and not _CURRENCY_RE.fullmatch(value):
        raise InvalidValue(key, f"{value!r} is not a three-letter currency code")
