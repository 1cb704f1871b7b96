"""`SqliteGroups`: named groups of members, join requests, and their diamonds.

Every cap (groups per server and per creator, members per group, pending requests) is checked
inside the write that would pass it, so concurrent writes cannot overshoot: SQLite has one
writer at a time. The statements, caps and errors are the shared ones
(`economy.storage.group_queries`); timestamps are written as ISO text, as SQLite keeps them.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from economy.storage import group_queries as gq
from economy.storage.checks import check_page, group_key
from economy.storage.groups import Decision, JoinRequest
from economy.storage.ledger import from_milli
from economy.storage.periods import Period, as_utc, period_key
from economy.storage.records import Group, MemberTotal
from economy.storage.sqlite.connection import Database


def _find(db: sqlite3.Connection, guild_id: int, name: str) -> Group:
    """A group inside a write; NotFound when missing."""
    return gq.found(db.execute(gq.GROUP_BY_KEY, (guild_id, group_key(name))).fetchone(), name)


def _count(db: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> int:
    (found,) = db.execute(sql, params).fetchone()
    return int(found)


def _join(db: sqlite3.Connection, group: Group, user_id: int, joined: str) -> Group:
    """Add a member (cap checked here); settles any pending request of theirs."""
    gq.check_room(group)
    added = db.execute(gq.ADD_MEMBER, (group.id, user_id, joined)).fetchone()
    group = gq.joined(group, user_id, added)
    db.execute(gq.DROP_REQUEST, (group.id, user_id))
    return group


class SqliteGroups:
    """The `GroupStore` protocol on SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create_group(
        self, guild_id: int, name: str, creator_id: int, now: datetime | None = None
    ) -> Group:
        """Create a group; refused when taken, look-alike, or past a cap."""
        clean, key = gq.new_name(name)
        moment = as_utc(now)

        def write(db: sqlite3.Connection) -> int:
            names = db.execute(gq.NAMES_TAKEN, (guild_id,)).fetchall()
            gq.check_name(names, clean)
            gq.check_created(_count(db, gq.COUNT_CREATED, (guild_id, creator_id)))
            params = (guild_id, clean, key, creator_id, moment.isoformat())
            (group_id,) = db.execute(gq.INSERT_GROUP, params).fetchone()
            return int(group_id)

        group_id = await self._db.write(write)
        return Group(group_id, guild_id, clean, creator_id, moment, 0)

    async def delete_group(self, guild_id: int, name: str) -> Group:
        """Delete a group with its memberships and requests; NotFound when missing."""

        def write(db: sqlite3.Connection) -> Group:
            group = _find(db, guild_id, name)
            db.execute(gq.DELETE_GROUP, (group.id,))
            return group

        return await self._db.write(write)

    async def get_group(self, guild_id: int, name: str) -> Group:
        """A group by name, any case; NotFound when missing."""
        rows = await self._db.read(gq.GROUP_BY_KEY, (guild_id, group_key(name)))
        return gq.found(gq.first(rows), name)

    async def get_group_by_id(self, guild_id: int, group_id: int) -> Group:
        """A group by id, in this server only; NotFound when missing."""
        rows = await self._db.read(gq.GROUP_BY_ID, (guild_id, group_id))
        return gq.found(gq.first(rows), group_id)

    async def list_groups(
        self, guild_id: int, offset: int = 0, limit: int = 20
    ) -> tuple[list[Group], int]:
        """One page of the server's groups by name, and how many there are."""
        check_page(offset, limit)
        async with self._db.snapshot() as session:
            rows = await session.rows(gq.GROUP_PAGE, (guild_id, limit, offset))
            total = await session.row(gq.COUNT_GROUPS, (guild_id,))
        return [gq.group_from(row) for row in rows], int(total[0]) if total else 0

    async def group_names(self, guild_id: int, typed: str, limit: int = 25) -> list[str]:
        """Autocomplete: names starting with `typed` (index range), then containing it."""
        rows = await self._db.read(gq.GROUP_NAMES, gq.names_params(guild_id, typed, limit))
        return [name for (name,) in rows]  # disjoint branches, unique keys, LIMIT in SQL

    async def add_member(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> Group:
        """Put a member in a group; AlreadyExists when they are in it."""
        joined = as_utc(now).isoformat()

        def write(db: sqlite3.Connection) -> Group:
            return _join(db, _find(db, guild_id, name), user_id, joined)

        return await self._db.write(write)

    async def request_join(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> JoinRequest:
        """Ask to join; AlreadyExists when already a member or already asked."""
        moment = as_utc(now)

        def write(db: sqlite3.Connection) -> Group:
            group = _find(db, guild_id, name)
            if db.execute(gq.IS_MEMBER, (group.id, user_id)).fetchone() is not None:
                raise gq.already_member(group, user_id)
            gq.check_pending(_count(db, gq.COUNT_REQUESTS, (group.id,)))
            params = (group.id, user_id, moment.isoformat())
            if db.execute(gq.ADD_REQUEST, params).fetchone() is None:
                raise gq.already_asked(group, user_id)
            return group

        group = await self._db.write(write)
        return JoinRequest(group, user_id, moment)

    async def decide_request(
        self, guild_id: int, group_id: int, user_id: int, decision: Decision
    ) -> Group:
        """Approve or decline a pending request; NotFound when it was already decided."""
        joined = as_utc().isoformat()

        def write(db: sqlite3.Connection) -> Group:
            row = db.execute(gq.GROUP_BY_ID, (guild_id, group_id)).fetchone()
            group = gq.found(row, group_id)
            if db.execute(gq.TAKE_REQUEST, (group.id, user_id)).fetchone() is None:
                raise gq.no_request(group, user_id)
            return _join(db, group, user_id, joined) if decision == "approved" else group

        return await self._db.write(write)

    async def remove_member(self, guild_id: int, name: str, user_id: int) -> Group:
        """Leave a group; NotFound('group member', ...) when not in it."""

        def write(db: sqlite3.Connection) -> Group:
            group = _find(db, guild_id, name)
            if not db.execute(gq.REMOVE_MEMBER, (group.id, user_id)).rowcount:
                raise gq.no_member(group, user_id)
            return group

        return await self._db.write(write)

    async def group_members(
        self, guild_id: int, name: str, period: Period = "all", now: datetime | None = None
    ) -> tuple[Group, list[MemberTotal]]:
        """The group and its members with diamonds received in the period, highest first."""
        key = group_key(name)
        async with self._db.snapshot() as session:
            group = gq.found(await session.row(gq.GROUP_BY_KEY, (guild_id, key)), name)
            members = await session.rows(
                gq.GROUP_MEMBERS, (guild_id, period_key(period, now), group.id)
            )
        return group, [MemberTotal(user_id, from_milli(milli)) for user_id, milli in members]
