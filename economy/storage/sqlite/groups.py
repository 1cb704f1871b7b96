"""`SqliteGroups`: named groups of members and their diamonds."""

from __future__ import annotations

from datetime import datetime

from economy.errors import AlreadyExists, NotFound, Person
from economy.names import clean_name, name_key
from economy.storage.periods import Period, as_utc, period_key
from economy.storage.records import Group, MemberTotal
from economy.storage.sqlite.connection import Database, Row, Session

_GROUP_SELECT = (
    "SELECT g.id, g.guild_id, g.name, g.creator_id, g.created_at,"
    " (SELECT COUNT(*) FROM tally_group_members m WHERE m.group_id = g.id)"
    " FROM tally_groups g"
)


def _group(row: Row) -> Group:
    """A Group from (id, guild_id, name, creator_id, created_at, member_count)."""
    return Group(row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4]), row[5])


def group_key(name: str) -> str:
    """The lookup key of a typed group name; BadName when no group could be called that."""
    return name_key(clean_name(name, "group name"))


async def _group_id(tx: Session, guild_id: int, name: str) -> int:
    """The id of a group inside a transaction; NotFound when missing."""
    row = await tx.row(
        "SELECT id FROM tally_groups WHERE guild_id = ? AND name_key = ?",
        (guild_id, group_key(name)),
    )
    if row is None:
        raise NotFound("group", name.strip())
    return int(row[0])


class SqliteGroups:
    """The `GroupStore` protocol on SQLite."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create_group(
        self, guild_id: int, name: str, creator_id: int, now: datetime | None = None
    ) -> Group:
        """Create a group; AlreadyExists when the name is taken (ignoring case)."""
        clean = clean_name(name, "group name")
        moment = as_utc(now)
        rows = await self._db.write_one(
            "INSERT INTO tally_groups (guild_id, name, name_key, creator_id, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, name_key) DO NOTHING RETURNING id",
            (guild_id, clean, name_key(clean), creator_id, moment.isoformat()),
        )
        if not rows:
            raise AlreadyExists("group", clean)
        return Group(rows[0][0], guild_id, clean, creator_id, moment, 0)

    async def delete_group(self, guild_id: int, name: str) -> None:
        """Delete a group and its memberships; NotFound when missing."""
        rows = await self._db.write_one(
            "DELETE FROM tally_groups WHERE guild_id = ? AND name_key = ? RETURNING id",
            (guild_id, group_key(name)),
        )
        if not rows:
            raise NotFound("group", name.strip())

    async def get_group(self, guild_id: int, name: str) -> Group:
        """A group by name, any case; NotFound when missing."""
        rows = await self._db.read(
            f"{_GROUP_SELECT} WHERE g.guild_id = ? AND g.name_key = ?",
            (guild_id, group_key(name)),
        )
        if not rows:
            raise NotFound("group", name.strip())
        return _group(rows[0])

    async def list_groups(self, guild_id: int) -> list[Group]:
        """All groups of the server with their member counts, by name."""
        rows = await self._db.read(
            f"{_GROUP_SELECT} WHERE g.guild_id = ? ORDER BY g.name_key", (guild_id,)
        )
        return [_group(row) for row in rows]

    async def add_member(
        self, guild_id: int, name: str, user_id: int, now: datetime | None = None
    ) -> None:
        """Join a group; AlreadyExists('group member', user_id) when already in it."""
        joined = as_utc(now).isoformat()
        async with self._db.transaction() as tx:
            group_id = await _group_id(tx, guild_id, name)
            added = await tx.rows(
                "INSERT INTO tally_group_members (group_id, user_id, joined_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING RETURNING user_id",
                (group_id, user_id, joined),
            )
            if not added:
                raise AlreadyExists("group member", Person(user_id), group=name.strip())

    async def remove_member(self, guild_id: int, name: str, user_id: int) -> None:
        """Leave a group; NotFound('group member', user_id) when not in it."""
        async with self._db.transaction() as tx:
            group_id = await _group_id(tx, guild_id, name)
            removed = await tx.run(
                "DELETE FROM tally_group_members WHERE group_id = ? AND user_id = ?",
                (group_id, user_id),
            )
            if not removed:
                raise NotFound("group member", Person(user_id), group=name.strip())

    async def group_members(
        self, guild_id: int, name: str, period: Period = "all", now: datetime | None = None
    ) -> list[MemberTotal]:
        """Members and diamonds received in the period, highest first, then by user id."""
        rows = await self._db.read(
            "SELECT m.user_id, COALESCE(t.diamonds_received, 0) AS diamonds"
            " FROM tally_groups g"
            " LEFT JOIN tally_group_members m ON m.group_id = g.id"
            " LEFT JOIN user_totals t ON t.guild_id = g.guild_id AND t.user_id = m.user_id"
            "  AND t.period_key = ?"
            " WHERE g.guild_id = ? AND g.name_key = ?"
            " ORDER BY diamonds DESC, m.user_id",
            (period_key(period, now), guild_id, group_key(name)),
        )
        if not rows:
            raise NotFound("group", name.strip())
        return [MemberTotal(*row) for row in rows if row[0] is not None]
