"""`SqliteGroups`: named groups of members, join requests, and their diamonds.

Every cap (groups per server and per creator, members per group, pending requests) is checked
inside the write that would pass it, so concurrent writes cannot overshoot.
"""

from __future__ import annotations

import sqlite3
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
from economy.storage.queries import GROUP_COLUMNS as _GROUP_COLUMNS
from economy.storage.queries import GROUP_MEMBERS, autocomplete_terms
from economy.storage.queries import group_from as _group
from economy.storage.records import Group, MemberTotal
from economy.storage.sqlite.connection import Database


def _find(db: sqlite3.Connection, guild_id: int, name: str) -> Group:
    """A group inside a write; NotFound when missing."""
    row = db.execute(
        f"SELECT {_GROUP_COLUMNS} FROM tally_groups g WHERE g.guild_id = ? AND g.name_key = ?",
        (guild_id, group_key(name)),
    ).fetchone()
    if row is None:
        raise NotFound("group", name.strip())
    return _group(row)


def _count(db: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> int:
    (found,) = db.execute(sql, params).fetchone()
    return int(found)


def _join(db: sqlite3.Connection, group: Group, user_id: int, joined: str) -> Group:
    """Add a member (cap checked here); settles any pending request of theirs."""
    if group.member_count >= MAX_GROUP_MEMBERS:
        raise LimitReached("group members", MAX_GROUP_MEMBERS)
    added = db.execute(
        "INSERT INTO tally_group_members (group_id, user_id, joined_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING RETURNING user_id",
        (group.id, user_id, joined),
    ).fetchone()
    if added is None:
        raise AlreadyExists("group member", Person(user_id), group=group.name)
    db.execute("DELETE FROM group_requests WHERE group_id = ? AND user_id = ?", (group.id, user_id))
    return Group(
        group.id, group.guild_id, group.name, group.creator_id, group.created_at,
        group.member_count + 1,
    )  # fmt: skip


# Autocomplete: names starting with the typed key (an index range), then names containing it
# (a scan of one server's groups, at most MAX_GROUPS); never another server's rows.
GROUP_NAMES = (
    "SELECT name FROM (SELECT name, name_key, 0 AS later FROM tally_groups"
    "  WHERE guild_id = ? AND name_key >= ? AND name_key < ? || char(1114111)"
    " UNION ALL SELECT name, name_key, 1 FROM tally_groups"
    "  WHERE guild_id = ? AND name_key LIKE ? ESCAPE '\\'"
    "  AND substr(name_key, 1, length(?)) != ?)"
    " ORDER BY later, name_key LIMIT ?"
)


class SqliteGroups:
    """The `GroupStore` protocol on SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create_group(
        self, guild_id: int, name: str, creator_id: int, now: datetime | None = None
    ) -> Group:
        """Create a group; refused when taken, look-alike, or past a cap."""
        clean = clean_name(name, "group name")
        key = name_key(clean)
        moment = as_utc(now)

        def write(db: sqlite3.Connection) -> int:
            names = db.execute(
                "SELECT name, name_key FROM tally_groups WHERE guild_id = ?", (guild_id,)
            ).fetchall()
            check_new_name(names, clean, "group", ("groups", MAX_GROUPS))
            mine = _count(
                db,
                "SELECT COUNT(*) FROM tally_groups WHERE guild_id = ? AND creator_id = ?",
                (guild_id, creator_id),
            )
            if mine >= MAX_GROUPS_PER_CREATOR:
                raise LimitReached("groups per creator", MAX_GROUPS_PER_CREATOR)
            (group_id,) = db.execute(
                "INSERT INTO tally_groups (guild_id, name, name_key, creator_id, created_at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                (guild_id, clean, key, creator_id, moment.isoformat()),
            ).fetchone()
            return int(group_id)

        group_id = await self._db.write(write)
        return Group(group_id, guild_id, clean, creator_id, moment, 0)

    async def delete_group(self, guild_id: int, name: str) -> Group:
        """Delete a group with its memberships and requests; NotFound when missing."""

        def write(db: sqlite3.Connection) -> Group:
            group = _find(db, guild_id, name)
            db.execute("DELETE FROM tally_groups WHERE id = ?", (group.id,))
            return group

        return await self._db.write(write)

    async def get_group(self, guild_id: int, name: str) -> Group:
        """A group by name, any case; NotFound when missing."""
        rows = await self._db.read(
            f"SELECT {_GROUP_COLUMNS} FROM tally_groups g WHERE g.guild_id = ? AND g.name_key = ?",
            (guild_id, group_key(name)),
        )
        if not rows:
            raise NotFound("group", name.strip())
        return _group(rows[0])

    async def get_group_by_id(self, guild_id: int, group_id: int) -> Group:
        """A group by id, in this server only; NotFound when missing."""
        rows = await self._db.read(
            f"SELECT {_GROUP_COLUMNS} FROM tally_groups g WHERE g.guild_id = ? AND g.id = ?",
            (guild_id, group_id),
        )
        if not rows:
            raise NotFound("group", group_id)
        return _group(rows[0])

    async def list_groups(
        self, guild_id: int, offset: int = 0, limit: int = 20
    ) -> tuple[list[Group], int]:
        """One page of the server's groups by name, and how many there are."""
        check_page(offset, limit)
        async with self._db.snapshot() as session:
            rows = await session.rows(
                f"SELECT {_GROUP_COLUMNS} FROM tally_groups g WHERE g.guild_id = ?"
                f" ORDER BY g.name_key LIMIT ? OFFSET ?",
                (guild_id, limit, offset),
            )
            total = await session.row(
                "SELECT COUNT(*) FROM tally_groups WHERE guild_id = ?", (guild_id,)
            )
        return [_group(row) for row in rows], int(total[0]) if total else 0

    async def group_names(self, guild_id: int, typed: str, limit: int = 25) -> list[str]:
        """Autocomplete: names starting with `typed` (index range), then containing it."""
        key, contains, limit = autocomplete_terms(typed, limit)
        rows = await self._db.read(
            GROUP_NAMES, (guild_id, key, key, guild_id, contains, key, key, limit)
        )
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
            member = db.execute(
                "SELECT 1 FROM tally_group_members WHERE group_id = ? AND user_id = ?",
                (group.id, user_id),
            ).fetchone()
            if member is not None:
                raise AlreadyExists("group member", Person(user_id), group=group.name)
            pending = _count(
                db, "SELECT COUNT(*) FROM group_requests WHERE group_id = ?", (group.id,)
            )
            if pending >= MAX_JOIN_REQUESTS:
                raise LimitReached("join requests", MAX_JOIN_REQUESTS)
            asked = db.execute(
                "INSERT INTO group_requests (group_id, user_id, requested_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING user_id",
                (group.id, user_id, moment.isoformat()),
            ).fetchone()
            if asked is None:
                raise AlreadyExists("join request", Person(user_id), group=group.name)
            return group

        group = await self._db.write(write)
        return JoinRequest(group, user_id, moment)

    async def decide_request(
        self, guild_id: int, group_id: int, user_id: int, decision: Decision
    ) -> Group:
        """Approve or decline a pending request; NotFound when it was already decided."""
        joined = as_utc().isoformat()

        def write(db: sqlite3.Connection) -> Group:
            row = db.execute(
                f"SELECT {_GROUP_COLUMNS} FROM tally_groups g WHERE g.guild_id = ? AND g.id = ?",
                (guild_id, group_id),
            ).fetchone()
            if row is None:
                raise NotFound("group", group_id)
            group = _group(row)
            taken = db.execute(
                "DELETE FROM group_requests WHERE group_id = ? AND user_id = ? RETURNING user_id",
                (group.id, user_id),
            ).fetchone()
            if taken is None:
                raise NotFound("join request", Person(user_id), group=group.name)
            return _join(db, group, user_id, joined) if decision == "approved" else group

        return await self._db.write(write)

    async def remove_member(self, guild_id: int, name: str, user_id: int) -> Group:
        """Leave a group; NotFound('group member', ...) when not in it."""

        def write(db: sqlite3.Connection) -> Group:
            group = _find(db, guild_id, name)
            removed = db.execute(
                "DELETE FROM tally_group_members WHERE group_id = ? AND user_id = ?",
                (group.id, user_id),
            ).rowcount
            if not removed:
                raise NotFound("group member", Person(user_id), group=group.name)
            return group

        return await self._db.write(write)

    async def group_members(
        self, guild_id: int, name: str, period: Period = "all", now: datetime | None = None
    ) -> tuple[Group, list[MemberTotal]]:
        """The group and its members with diamonds received in the period, highest first."""
        key = group_key(name)
        async with self._db.snapshot() as session:
            row = await session.row(
                f"SELECT {_GROUP_COLUMNS} FROM tally_groups g WHERE g.guild_id = ?"
                f" AND g.name_key = ?",
                (guild_id, key),
            )
            if row is None:
                raise NotFound("group", name.strip())
            group = _group(row)
            members = await session.rows(
                GROUP_MEMBERS, (guild_id, period_key(period, now), group.id)
            )
        return group, [MemberTotal(user_id, from_milli(milli)) for user_id, milli in members]
