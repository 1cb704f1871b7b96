"""SQL, row readers and reads of groups and join requests that both backends share (see
`queries`).

Both backends run these statements, PostgreSQL's numbered, so lookups, pages, autocomplete
and member lists order and tie alike, and the errors and caps below are the same on both.
Parameters differ only in type: SQLite takes timestamps as ISO text, PostgreSQL as datetimes;
rows come back either way and `group_from` takes both. Every cap is checked inside the write
that would pass it (the backend's transaction), so concurrent writes cannot overshoot. The
reads are written once (`GroupReads`); each backend adds only its writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from economy.errors import AlreadyExists, LimitReached, NotFound, Person
from economy.limits import (
    AUTOCOMPLETE_CHOICES,
    MAX_GROUP_MEMBERS,
    MAX_GROUPS,
    MAX_GROUPS_PER_CREATOR,
    MAX_JOIN_REQUESTS,
)
from economy.names import clean_name, name_key
from economy.storage.checks import check_new_name, check_page, group_key
from economy.storage.ledger import from_milli
from economy.storage.periods import Period, period_key
from economy.storage.queries import Row, moment
from economy.storage.reads import SharedReads
from economy.storage.records import Group, MemberTotal

GROUP_COLUMNS = (
    "g.id, g.guild_id, g.name, g.creator_id, g.created_at,"
    " (SELECT COUNT(*) FROM tally_group_members m WHERE m.group_id = g.id)"
)
_GROUPS = f"SELECT {GROUP_COLUMNS} FROM tally_groups g WHERE g.guild_id = ?"

# -- reads -------------------------------------------------------------------------------------

GROUP_BY_KEY = f"{_GROUPS} AND g.name_key = ?"  # params: guild, name key
GROUP_BY_ID = f"{_GROUPS} AND g.id = ?"  # params: guild, group id
GROUP_PAGE = f"{_GROUPS} ORDER BY g.name_key LIMIT ? OFFSET ?"
COUNT_GROUPS = "SELECT COUNT(*) FROM tally_groups WHERE guild_id = ?"
# Autocomplete (params from `names_params`): names starting with the typed key (an index
# range), then names containing it but not starting with it (a scan of one server's groups,
# at most MAX_GROUPS); never another server's rows. The range's end is computed in Python, and
# "starts with" is a substr of the key's length, so the statement needs neither SQLite's
# char() nor PostgreSQL's chr() and starts_with().
GROUP_NAMES = (
    "SELECT name FROM (SELECT name, name_key, 0 AS later FROM tally_groups"
    "  WHERE guild_id = ? AND name_key >= ? AND name_key < ?"
    " UNION ALL SELECT name, name_key, 1 FROM tally_groups"
    "  WHERE guild_id = ? AND name_key LIKE ? ESCAPE '\\'"
    "  AND substr(name_key, 1, ?) <> ?) AS found"
    " ORDER BY later, name_key LIMIT ?"
)
# The highest code point: keys starting with k sort from k to below k + this (code point
# order: SQLite's BINARY, PostgreSQL's COLLATE "C" on name_key), bar any where this very
# character follows k, which neither branch lists.
_LAST_CHAR = chr(0x10FFFF)
GROUP_MEMBERS = (
    "SELECT m.user_id, COALESCE(t.diamonds_milli, 0) AS diamonds"
    " FROM tally_group_members m"
    " LEFT JOIN received_totals t ON t.guild_id = ? AND t.user_id = m.user_id"
    "  AND t.period_key = ?"
    " WHERE m.group_id = ? ORDER BY diamonds DESC, m.user_id"
)

# -- writes ------------------------------------------------------------------------------------

NAMES_TAKEN = "SELECT name, name_key FROM tally_groups WHERE guild_id = ?"
COUNT_CREATED = "SELECT COUNT(*) FROM tally_groups WHERE guild_id = ? AND creator_id = ?"
INSERT_GROUP = (
    "INSERT INTO tally_groups (guild_id, name, name_key, creator_id, created_at)"
    " VALUES (?, ?, ?, ?, ?) RETURNING id"
)
# A group's members, requests and goals go with it (ON DELETE CASCADE).
DELETE_GROUP = "DELETE FROM tally_groups WHERE id = ?"
IS_MEMBER = "SELECT 1 FROM tally_group_members WHERE group_id = ? AND user_id = ?"
# A row back only when the member was not in the group already.
ADD_MEMBER = (
    "INSERT INTO tally_group_members (group_id, user_id, joined_at) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING RETURNING user_id"
)
REMOVE_MEMBER = "DELETE FROM tally_group_members WHERE group_id = ? AND user_id = ?"
COUNT_REQUESTS = "SELECT COUNT(*) FROM group_requests WHERE group_id = ?"
# A row back only when the member had not asked already.
ADD_REQUEST = (
    "INSERT INTO group_requests (group_id, user_id, requested_at) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING RETURNING user_id"
)
DROP_REQUEST = "DELETE FROM group_requests WHERE group_id = ? AND user_id = ?"
TAKE_REQUEST = f"{DROP_REQUEST} RETURNING user_id"  # a row back only when one was pending


# -- params, rows and checks -------------------------------------------------------------------


def autocomplete_terms(typed: str, limit: int) -> tuple[str, str, int]:
    """(name key, LIKE pattern for "contains", bounded limit) of a group name being typed."""
    key = name_key(typed[:100])
    pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return key, f"%{pattern}%", max(1, min(limit, AUTOCOMPLETE_CHOICES))


def names_params(guild_id: int, typed: str, limit: int) -> tuple[Any, ...]:
    """GROUP_NAMES's params for what a member has typed so far."""
    key, contains, limit = autocomplete_terms(typed, limit)
    return (guild_id, key, key + _LAST_CHAR, guild_id, contains, len(key), key, limit)


def group_from(row: Row) -> Group:
    """A Group from GROUP_COLUMNS (id, guild_id, name, creator_id, created_at, member_count)."""
    return Group(row[0], row[1], row[2], row[3], moment(row[4]), row[5])


def found(row: Row | None, wanted: str | int) -> Group:
    """The group of a GROUP_BY_KEY or GROUP_BY_ID row; NotFound (by name as typed, or id)
    when there is none."""
    if row is None:
        raise NotFound("group", wanted.strip() if isinstance(wanted, str) else wanted)
    return group_from(row)


def first(rows: Sequence[Row]) -> Row | None:
    return rows[0] if rows else None


def new_name(name: str) -> tuple[str, str]:
    """A new group's name as typed (cleaned; BadName when no group could be called that) and
    its key."""
    clean = clean_name(name, "group name")
    return clean, name_key(clean)


def check_name(names: Sequence[Sequence[str]], clean: str) -> None:
    """A new name among NAMES_TAKEN rows: taken, look-alike, or past the server's cap."""
    check_new_name(names, clean, "group", ("groups", MAX_GROUPS))


def check_created(created: int) -> None:
    """The creator's cap, from COUNT_CREATED."""
    if created >= MAX_GROUPS_PER_CREATOR:
        raise LimitReached("groups per creator", MAX_GROUPS_PER_CREATOR)


def check_room(group: Group) -> None:
    """The group's member cap, before ADD_MEMBER."""
    if group.member_count >= MAX_GROUP_MEMBERS:
        raise LimitReached("group members", MAX_GROUP_MEMBERS)


def check_pending(pending: int) -> None:
    """The group's cap of pending requests, from COUNT_REQUESTS."""
    if pending >= MAX_JOIN_REQUESTS:
        raise LimitReached("join requests", MAX_JOIN_REQUESTS)


def joined(group: Group, user_id: int, added: object) -> Group:
    """The group after ADD_MEMBER (`added`: its row or value back, None when the member was
    in it already: AlreadyExists)."""
    if added is None:
        raise already_member(group, user_id)
    return replace(group, member_count=group.member_count + 1)


def already_member(group: Group, user_id: int) -> AlreadyExists:
    return AlreadyExists("group member", Person(user_id), group=group.name)


def already_asked(group: Group, user_id: int) -> AlreadyExists:
    return AlreadyExists("join request", Person(user_id), group=group.name)


def no_request(group: Group, user_id: int) -> NotFound:
    return NotFound("join request", Person(user_id), group=group.name)


def no_member(group: Group, user_id: int) -> NotFound:
    return NotFound("group member", Person(user_id), group=group.name)


# -- the reads ---------------------------------------------------------------------------------


class GroupReads(SharedReads):
    """The reads of `GroupStore`, the same on both backends; each backend adds its writes."""

    async def get_group(self, guild_id: int, name: str) -> Group:
        return found(first(await self._read(GROUP_BY_KEY, guild_id, group_key(name))), name)

    async def get_group_by_id(self, guild_id: int, group_id: int) -> Group:
        return found(first(await self._read(GROUP_BY_ID, guild_id, group_id)), group_id)

    async def list_groups(
        self, guild_id: int, offset: int = 0, limit: int = 20
    ) -> tuple[list[Group], int]:
        check_page(offset, limit)
        async with self._reader.snapshot() as session:
            rows = await session.rows(self._sql(GROUP_PAGE), (guild_id, limit, offset))
            total = await session.row(self._sql(COUNT_GROUPS), (guild_id,))
        return [group_from(row) for row in rows], int(total[0]) if total else 0

    async def group_names(self, guild_id: int, typed: str, limit: int = 25) -> list[str]:
        rows = await self._read(GROUP_NAMES, *names_params(guild_id, typed, limit))
        return [name for (name,) in rows]  # disjoint branches, unique keys, LIMIT in SQL

    async def group_members(
        self, guild_id: int, name: str, period: Period = "all", now: datetime | None = None
    ) -> tuple[Group, list[MemberTotal]]:
        key = group_key(name)
        async with self._reader.snapshot() as session:
            group = found(await session.row(self._sql(GROUP_BY_KEY), (guild_id, key)), name)
            params = (guild_id, period_key(period, now), group.id)
            members = await session.rows(self._sql(GROUP_MEMBERS), params)
        return group, [MemberTotal(user_id, from_milli(milli)) for user_id, milli in members]
