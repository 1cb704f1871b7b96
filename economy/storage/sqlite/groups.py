"""`SqliteGroups`: named groups of members, join requests, and their diamonds.

Every cap (groups per server and per creator, members per group, pending requests) is checked
inside the write that would pass it, so concurrent writes cannot overshoot: SQLite has one
writer at a time. The statements, caps, errors and reads are the shared ones
(`economy.storage.group_queries`); timestamps are written as ISO text, as SQLite keeps them.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from economy.storage import group_queries as gq
from economy.storage.checks import group_key
from economy.storage.groups import Decision, JoinRequest
from economy.storage.periods import as_utc
from economy.storage.records import Group
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


class SqliteGroups(gq.GroupReads):
    """The `GroupStore` protocol on SQLite: the shared reads, and the writes."""

    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._db = db

    async def create_group(
        self, guild_id: int, name: str, creator_id: int, now: datetime | None = None
    ) -> Group:
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
        def write(db: sqlite3.Connection) -> Group:
            group = _find(db, guild_id, name)
            db.execute(gq.DELETE_GROUP, (group.id,))
            return group

        return await self._db.write(write)

    async def add_member(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> Group:
        joined = as_utc(now).isoformat()

        def write(db: sqlite3.Connection) -> Group:
            return _join(db, _find(db, guild_id, name), user_id, joined)

        return await self._db.write(write)

    async def request_join(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> JoinRequest:
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
        joined = as_utc().isoformat()

        def write(db: sqlite3.Connection) -> Group:
            row = db.execute(gq.GROUP_BY_ID, (guild_id, group_id)).fetchone()
            group = gq.found(row, group_id)
            if db.execute(gq.TAKE_REQUEST, (group.id, user_id)).fetchone() is None:
                raise gq.no_request(group, user_id)
            return _join(db, group, user_id, joined) if decision == "approved" else group

        return await self._db.write(write)

    async def remove_member(self, guild_id: int, name: str, user_id: int) -> Group:
        def write(db: sqlite3.Connection) -> Group:
            group = _find(db, guild_id, name)
            if not db.execute(gq.REMOVE_MEMBER, (group.id, user_id)).rowcount:
                raise gq.no_member(group, user_id)
            return group

        return await self._db.write(write)
