"""Errors the domain raises. A user-fixable problem carries a message key and raw values.

Params are raw: user text as `str`, numbers as `int`/`Decimal`, and the typed values below for
what the bot must translate or format (a label, a quantity with its unit, an amount of money,
a range, a person).
The bot turns any of them into the user's language in one place (`bot.errors.explain`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Unit = Literal["number", "percent", "usd", "coins"]


@dataclass(frozen=True)
class Label:
    """Something the bot names in the user's language: the message key of its name, and the
    raw values that name takes (`Label("settings.key.fx", {"currency": "IDR"})`)."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, formatted the user's way (`50%`, `0.005 USD`, `1,000 coins`)."""

    value: Decimal | int
    unit: Unit = "number"


@dataclass(frozen=True)
class Money:
    """An amount in a currency, formatted as money the user's way (`Rp 179`, `R$ 0,05`)."""

    value: Decimal | int
    currency: str


@dataclass(frozen=True)
class Span:
    """A range of quantities; an open end excludes its bound."""

    low: Quantity
    high: Quantity
    low_open: bool = False
    high_open: bool = False


@dataclass(frozen=True)
class Person:
    """A Discord user, shown as a mention (embeds and ephemeral replies never ping)."""

    user_id: int


class EconomyError(Exception):
    """A problem with what the user asked for: shown to them, never logged as a crash."""

    key = "error.generic"

    def __init__(self, message: str, /, **params: Any) -> None:
        super().__init__(message)
        self.params: dict[str, Any] = params


class UnknownGift(EconomyError):
    """No gift is clearly meant; carries the names to suggest.

    `shared_name` is True when several gifts share exactly the typed name and none is likelier
    (e.g. "Gift Box" at 1,999 and 3,999 coins): the suggestions are all of them.
    """

    key = "error.unknown_gift"

    def __init__(
        self, query: str, suggestions: Sequence[str], *, shared_name: bool = False
    ) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        self.shared_name = shared_name
        shown = ", ".join(self.suggestions) or "-"
        what = "Several gifts are called" if shared_name else "No gift called"
        super().__init__(f"{what} {query!r}. Closest: {shown}.", query=query, suggestions=shown)


class OutOfRange(EconomyError):
    """A number outside what the bot accepts."""

    key = "error.out_of_range"

    def __init__(self, what: str, value: object, minimum: object, maximum: object) -> None:
        self.what = what
        super().__init__(
            f"{what} must be between {minimum} and {maximum} (got {value}).",
            what=what,
            value=value,
            minimum=minimum,
            maximum=maximum,
        )


class InvalidValue(EconomyError):
    """A value of the right type that does not make sense (a negative price, a bad name)."""

    key = "error.invalid_value"

    def __init__(self, what: str, reason: str) -> None:
        self.what = what
        super().__init__(f"Invalid {what}: {reason}", what=what, reason=reason)


class NotFound(EconomyError):
    """A named thing that does not exist: a group or entry, a figure, store, rate or preset.

    The bot prefers a message keyed `error.not_found.<what>` (spaces as `_`) when it has one.
    """

    key = "error.not_found"

    def __init__(self, what: str, name: object, **more: Any) -> None:
        self.what = what
        super().__init__(f"No {what} called {name}.", what=what, name=name, **more)


class AlreadyExists(EconomyError):
    """A name that is already taken in this server (`error.already_exists.<what>` if any)."""

    key = "error.already_exists"

    def __init__(self, what: str, name: object, **more: Any) -> None:
        self.what = what
        super().__init__(f"A {what} called {name} already exists.", what=what, name=name, **more)


class NotAllowed(EconomyError):
    """The caller may not do this (checked in the bot, never only by Discord)."""

    key = "error.not_allowed"

    def __init__(self, reason: str) -> None:
        super().__init__(f"Not allowed: {reason}", reason=reason)


class DataFileError(Exception):
    """A data file (catalog, rate card) is invalid: the message names the file, entry and field."""


class LimitReached(EconomyError):
    """A cap that keeps one member or server from slowing everyone
    (`error.limit_reached.<what>`)."""

    key = "error.limit_reached"

    def __init__(self, what: str, limit: int) -> None:
        self.what = what
        super().__init__(f"The {what} limit of {limit} is reached.", what=what, limit=limit)


class LooksLike(EconomyError):
    """A name that only looks like another one already taken (`error.looks_like.<what>`)."""

    key = "error.looks_like"

    def __init__(self, what: str, name: str, existing: str) -> None:
        self.what = what
        super().__init__(
            f"{name!r} looks like the {what} {existing!r}.", what=what, name=name, existing=existing
        )
