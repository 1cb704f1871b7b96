"""Reads written once for both backends, and what they need of a backend's database.

A read is the same on SQLite and PostgreSQL but for the placeholders: a shared statement
(``?``) goes to SQLite as it is and to PostgreSQL numbered. `SharedReads` holds the database
and that conversion; an aggregate's reads (`group_queries.GroupReads`,
`settings_queries.SettingsReads`, `community_queries.CommunityReads`) build on it, and each
backend's store adds its writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from economy.storage.queries import Row


class ReadSession(Protocol):
    """Reads in one snapshot (`Session` of either backend)."""

    async def rows(self, sql: str, params: Sequence[Any] = ...) -> Sequence[Row]: ...

    async def row(self, sql: str, params: Sequence[Any] = ...) -> Row | None: ...


class Reader(Protocol):
    """What a shared read needs of a backend's `Database`."""

    async def read(self, sql: str, params: Sequence[Any]) -> Sequence[Row]: ...

    def snapshot(self) -> AbstractAsyncContextManager[ReadSession]: ...


def as_is(sql: str) -> str:
    """A shared statement as SQLite runs it."""
    return sql


class SharedReads:
    """The database reads go to, and `sql`, which turns a shared statement into the
    backend's (`numbered` on PostgreSQL)."""

    def __init__(self, reader: Reader, sql: Callable[[str], str] = as_is) -> None:
        self._reader = reader
        self._sql = sql

    async def _read(self, sql: str, *params: Any) -> Sequence[Row]:
        """One statement on committed data."""
        return await self._reader.read(self._sql(sql), params)
