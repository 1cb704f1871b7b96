"""`PostgresGroups`: named groups of members, join requests, and their diamonds.

Every group write first takes the server's groups lock (an advisory lock), so the caps
(groups per server and per creator, members per group, pending requests) and the look-alike
check hold against concurrent writes from any process, as SQLite's single writer ensures.
The statements, caps, errors and reads are SQLite's (`economy.storage.group_queries`,
numbered); timestamps are passed as datetimes, for TIMESTAMPTZ columns.
"""

from __future__ import annotations

from datetime import datetime

from economy.storage import group_queries as gq
from economy.storage.checks import group_key
from economy.storage.groups import Decision, JoinRequest
from economy.storage.periods import as_utc
from economy.storage.postgres.connection import Connection, Database, affected, lock
from economy.storage.queries import numbered
from economy.storage.records import Group


async def _locked(conn: Connection, guild_id: int) -> None:
    await lock(conn, "groups", guild_id)


async def _find(conn: Connection, guild_id: int, name: str) -> Group:
    """A group inside a write; NotFound when missing."""
    return gq.found(await conn.fetchrow(numbered(gq.GROUP_BY_KEY), guild_id, group_key(name)), name)


async def _join(conn: Connection, group: Group, user_id: int, joined: datetime) -> Group:
    """Add a member (cap checked here); settles any pending request of theirs."""
    gq.check_room(group)
    added = await conn.fetchval(numbered(gq.ADD_MEMBER), group.id, user_id, joined)
    group = gq.joined(group, user_id, added)
    await conn.execute(numbered(gq.DROP_REQUEST), group.id, user_id)
    return group


class PostgresGroups(gq.GroupReads):
    """The `GroupStore` protocol on PostgreSQL: the shared reads, and the writes."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, numbered)
        self._db = db

    async def create_group(
        self, guild_id: int, name: str, creator_id: int, now: datetime | None = None
    ) -> Group:
        clean, key = gq.new_name(name)
        moment = as_utc(now)

        async def write(conn: Connection) -> int:
            await _locked(conn, guild_id)
            names = await conn.fetch(numbered(gq.NAMES_TAKEN), guild_id)
            gq.check_name(names, clean)
            gq.check_created(await conn.fetchval(numbered(gq.COUNT_CREATED), guild_id, creator_id))
            params = (guild_id, clean, key, creator_id, moment)
            group_id: int = await conn.fetchval(numbered(gq.INSERT_GROUP), *params)
            return group_id

        group_id = await self._db.write(write)
        return Group(group_id, guild_id, clean, creator_id, moment, 0)

    async def delete_group(self, guild_id: int, name: str) -> Group:
        async def write(conn: Connection) -> Group:
            await _locked(conn, guild_id)
            group = await _find(conn, guild_id, name)
            await conn.execute(numbered(gq.DELETE_GROUP), group.id)
            return group

        return await self._db.write(write)

    async def add_member(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> Group:
        joined = as_utc(now)

        async def write(conn: Connection) -> Group:
            await _locked(conn, guild_id)
            return await _join(conn, await _find(conn, guild_id, name), user_id, joined)

        return await self._db.write(write)

    async def request_join(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> JoinRequest:
        moment = as_utc(now)

        async def write(conn: Connection) -> Group:
            await _locked(conn, guild_id)
            group = await _find(conn, guild_id, name)
            if await conn.fetchval(numbered(gq.IS_MEMBER), group.id, user_id) is not None:
                raise gq.already_member(group, user_id)
            gq.check_pending(await conn.fetchval(numbered(gq.COUNT_REQUESTS), group.id))
            asked = await conn.fetchval(numbered(gq.ADD_REQUEST), group.id, user_id, moment)
            if asked is None:
                raise gq.already_asked(group, user_id)
            return group

        group = await self._db.write(write)
        return JoinRequest(group, user_id, moment)

    async def decide_request(
        self, guild_id: int, group_id: int, user_id: int, decision: Decision
    ) -> Group:
        joined = as_utc()

        async def write(conn: Connection) -> Group:
            await _locked(conn, guild_id)
            row = await conn.fetchrow(numbered(gq.GROUP_BY_ID), guild_id, group_id)
            group = gq.found(row, group_id)
            if await conn.fetchval(numbered(gq.TAKE_REQUEST), group.id, user_id) is None:
                raise gq.no_request(group, user_id)
            return await _join(conn, group, user_id, joined) if decision == "approved" else group

        return await self._db.write(write)

    async def remove_member(self, guild_id: int, name: str, user_id: int) -> Group:
        async def write(conn: Connection) -> Group:
            await _locked(conn, guild_id)
            group = await _find(conn, guild_id, name)
            status = await conn.execute(numbered(gq.REMOVE_MEMBER), group.id, user_id)
            if not affected(status):
                raise gq.no_member(group, user_id)
            return group

        return await self._db.write(write)
