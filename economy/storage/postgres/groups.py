"""`PostgresGroups`: named groups of members, join requests, and their diamonds.

Every group write first takes the server's groups lock (an advisory lock), so the caps
(groups per server and per creator, members per group, pending requests) and the look-alike
check hold against concurrent writes from any process, as SQLite's single writer ensures.
"""

from __future__ import annotations

from datetime import datetime

from economy.errors import AlreadyExists, LimitReached, NotFound, Person
from economy.limits import (
    MAX_GROUP_MEMBERS,
    MAX_GROUPS,
    MAX_GROUPS_PER_CREATOR,
    MAX_JOIN_REQUESTS,
)
from economy.names import clean_name, name_key
from economy.storage.checks import check_new_name, check_page, group_key
from economy.storage.groups import Decision, JoinRequest
from economy.storage.ledger import from_milli
from economy.storage.periods import Period, as_utc, period_key
from economy.storage.postgres.connection import Connection, Database, affected, lock
from economy.storage.queries import (
    GROUP_COLUMNS,
    GROUP_MEMBERS,
    autocomplete_terms,
    group_from,
    numbered,
)
from economy.storage.records import Group, MemberTotal

_BY_KEY = f"SELECT {GROUP_COLUMNS} FROM tally_groups g WHERE g.guild_id = $1 AND g.name_key = $2"
_BY_ID = f"SELECT {GROUP_COLUMNS} FROM tally_groups g WHERE g.guild_id = $1 AND g.id = $2"


async def _locked(conn: Connection, guild_id: int) -> None:
    await lock(conn, "groups", guild_id)


async def _find(conn: Connection, guild_id: int, name: str) -> Group:
    """A group inside a write; NotFound when missing."""
    row = await conn.fetchrow(_BY_KEY, guild_id, group_key(name))
    if row is None:
        raise NotFound("group", name.strip())
    return group_from(row)


async def _join(conn: Connection, group: Group, user_id: int, joined: datetime) -> Group:
    """Add a member (cap checked here); settles any pending request of theirs."""
    if group.member_count >= MAX_GROUP_MEMBERS:
        raise LimitReached("group members", MAX_GROUP_MEMBERS)
    added = await conn.fetchval(
        "INSERT INTO tally_group_members (group_id, user_id, joined_at) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING RETURNING user_id",
        group.id,
        user_id,
        joined,
    )
    if added is None:
        raise AlreadyExists("group member", Person(user_id), group=group.name)
    await conn.execute(
        "DELETE FROM group_requests WHERE group_id = $1 AND user_id = $2", group.id, user_id
    )
    return Group(
        group.id, group.guild_id, group.name, group.creator_id, group.created_at,
        group.member_count + 1,
    )  # fmt: skip


class PostgresGroups:
    """The `GroupStore` protocol on PostgreSQL."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create_group(
        self, guild_id: int, name: str, creator_id: int, now: datetime | None = None
    ) -> Group:
        """Create a group; refused when taken, look-alike, or past a cap."""
        clean = clean_name(name, "group name")
        key = name_key(clean)
        moment = as_utc(now)

        async def write(conn: Connection) -> int:
            await _locked(conn, guild_id)
            names = await conn.fetch(
                "SELECT name, name_key FROM tally_groups WHERE guild_id = $1", guild_id
            )
            check_new_name(names, clean, "group", ("groups", MAX_GROUPS))
            mine = await conn.fetchval(
                "SELECT COUNT(*) FROM tally_groups WHERE guild_id = $1 AND creator_id = $2",
                guild_id,
                creator_id,
            )
            if mine >= MAX_GROUPS_PER_CREATOR:
                raise LimitReached("groups per creator", MAX_GROUPS_PER_CREATOR)
            group_id: int = await conn.fetchval(
                "INSERT INTO tally_groups (guild_id, name, name_key, creator_id, created_at)"
                " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                guild_id, clean, key, creator_id, moment,
            )  # fmt: skip
            return group_id

        group_id = await self._db.write(write)
        return Group(group_id, guild_id, clean, creator_id, moment, 0)

    async def delete_group(self, guild_id: int, name: str) -> Group:
        """Delete a group with its memberships and requests; NotFound when missing."""

        async def write(conn: Connection) -> Group:
            await _locked(conn, guild_id)
            group = await _find(conn, guild_id, name)
            await conn.execute("DELETE FROM tally_groups WHERE id = $1", group.id)
            return group

        return await self._db.write(write)

    async def get_group(self, guild_id: int, name: str) -> Group:
        """A group by name, any case; NotFound when missing."""
        rows = await self._db.read(_BY_KEY, (guild_id, group_key(name)))
        if not rows:
            raise NotFound("group", name.strip())
        return group_from(rows[0])

    async def get_group_by_id(self, guild_id: int, group_id: int) -> Group:
        """A group by id, in this server only; NotFound when missing."""
        rows = await self._db.read(_BY_ID, (guild_id, group_id))
        if not rows:
            raise NotFound("group", group_id)
        return group_from(rows[0])

    async def list_groups(
        self, guild_id: int, offset: int = 0, limit: int = 20
    ) -> tuple[list[Group], int]:
        """One page of the server's groups by name, and how many there are."""
        check_page(offset, limit)
        async with self._db.snapshot() as session:
            rows = await session.rows(
                f"SELECT {GROUP_COLUMNS} FROM tally_groups g WHERE g.guild_id = $1"
                f" ORDER BY g.name_key LIMIT $2 OFFSET $3",
                (guild_id, limit, offset),
            )
            total = await session.row(
                "SELECT COUNT(*) FROM tally_groups WHERE guild_id = $1", (guild_id,)
            )
        return [group_from(row) for row in rows], int(total[0]) if total else 0

    async def group_names(self, guild_id: int, typed: str, limit: int = 25) -> list[str]:
        """Autocomplete: names starting with `typed` (index range), then containing it."""
        key, contains, limit = autocomplete_terms(typed, limit)
        rows = await self._db.read(
            "SELECT name FROM (SELECT name, name_key, 0 AS later FROM tally_groups"
            "  WHERE guild_id = $1 AND name_key >= $2 AND name_key < $2 || chr(1114111)"
            " UNION ALL SELECT name, name_key, 1 FROM tally_groups"
            "  WHERE guild_id = $1 AND name_key LIKE $3 ESCAPE '\\'"
            "  AND NOT starts_with(name_key, $2)) AS found"
            " ORDER BY later, name_key LIMIT $4",
            (guild_id, key, contains, limit),
        )
        return [name for (name,) in rows]  # disjoint branches, unique keys, LIMIT in SQL

    async def add_member(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> Group:
        """Put a member in a group; AlreadyExists when they are in it."""
        joined = as_utc(now)

        async def write(conn: Connection) -> Group:
            await _locked(conn, guild_id)
            return await _join(conn, await _find(conn, guild_id, name), user_id, joined)

        return await self._db.write(write)

    async def request_join(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> JoinRequest:
        """Ask to join; AlreadyExists when already a member or already asked."""
        moment = as_utc(now)

        async def write(conn: Connection) -> Group:
            await _locked(conn, guild_id)
            group = await _find(conn, guild_id, name)
            member = await conn.fetchval(
                "SELECT 1 FROM tally_group_members WHERE group_id = $1 AND user_id = $2",
                group.id,
                user_id,
            )
            if member is not None:
                raise AlreadyExists("group member", Person(user_id), group=group.name)
            pending = await conn.fetchval(
                "SELECT COUNT(*) FROM group_requests WHERE group_id = $1", group.id
            )
            if pending >= MAX_JOIN_REQUESTS:
                raise LimitReached("join requests", MAX_JOIN_REQUESTS)
            asked = await conn.fetchval(
                "INSERT INTO group_requests (group_id, user_id, requested_at)"
                " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING user_id",
                group.id,
                user_id,
                moment,
            )
            if asked is None:
                raise AlreadyExists("join request", Person(user_id), group=group.name)
            return group

        group = await self._db.write(write)
        return JoinRequest(group, user_id, moment)

    async def decide_request(
        self, guild_id: int, group_id: int, user_id: int, decision: Decision
    ) -> Group:
        """Approve or decline a pending request; NotFound when it was already decided."""
        joined = as_utc()

        async def write(conn: Connection) -> Group:
            await _locked(conn, guild_id)
            row = await conn.fetchrow(_BY_ID, guild_id, group_id)
            if row is None:
                raise NotFound("group", group_id)
            group = group_from(row)
            taken = await conn.fetchval(
                "DELETE FROM group_requests WHERE group_id = $1 AND user_id = $2 RETURNING user_id",
                group.id,
                user_id,
            )
            if taken is None:
                raise NotFound("join request", Person(user_id), group=group.name)
            return await _join(conn, group, user_id, joined) if decision == "approved" else group

        return await self._db.write(write)

    async def remove_member(self, guild_id: int, name: str, user_id: int) -> Group:
        """Leave a group; NotFound('group member', ...) when not in it."""

        async def write(conn: Connection) -> Group:
            await _locked(conn, guild_id)
            group = await _find(conn, guild_id, name)
            status = await conn.execute(
                "DELETE FROM tally_group_members WHERE group_id = $1 AND user_id = $2",
                group.id,
                user_id,
            )
            if not affected(status):
                raise NotFound("group member", Person(user_id), group=group.name)
            return group

        return await self._db.write(write)

    async def group_members(
        self, guild_id: int, name: str, period: Period = "all", now: datetime | None = None
    ) -> tuple[Group, list[MemberTotal]]:
        """The group and its members with diamonds received in the period, highest first."""
        key = group_key(name)
        async with self._db.snapshot() as session:
            row = await session.row(_BY_KEY, (guild_id, key))
            if row is None:
                raise NotFound("group", name.strip())
            group = group_from(row)
            members = await session.rows(
                numbered(GROUP_MEMBERS), (guild_id, period_key(period, now), group.id)
            )
        return group, [MemberTotal(user_id, from_milli(milli)) for user_id, milli in members]
