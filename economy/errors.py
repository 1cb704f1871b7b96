"""Errors the domain raises. User-fixable problems carry a message key and display-ready params."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


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
    """A named thing that does not exist: a group or entry, a figure, store, rate or preset."""

    key = "error.not_found"

    def __init__(self, what: str, name: object) -> None:
        self.what = what
        super().__init__(f"No {what} called {name}.", what=what, name=name)


class AlreadyExists(EconomyError):
    """A name that is already taken in this server."""

    key = "error.already_exists"

    def __init__(self, what: str, name: object) -> None:
        self.what = what
        super().__init__(f"A {what} called {name} already exists.", what=what, name=name)


class NotAllowed(EconomyError):
    """The caller may not do this (checked in the bot, never only by Discord)."""

    key = "error.not_allowed"

    def __init__(self, reason: str) -> None:
        super().__init__(f"Not allowed: {reason}", reason=reason)


class DataFileError(Exception):
    """A data file (catalog, rate card) is invalid: the message names the file, entry and field."""
