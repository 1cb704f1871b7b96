"""SQL and row readers every backend shares, so both list, rank and break ties alike.

Statements are written with ``?`` placeholders (SQLite's); `numbered` turns them into
PostgreSQL's ``$1, $2, ...``. Rows are plain tuples (or asyncpg records) in the column order
of the statement; timestamps arrive as ISO text (SQLite) or datetimes (PostgreSQL).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from economy.errors import DataFileError
from economy.fx import ReferenceRates
from economy.storage.ledger import from_milli
from economy.storage.records import (
    BY_VALUES,
    MEMBER_PREFIX,
    By,
    Entry,
    GiftCount,
    Gifter,
    LeaderboardRow,
    RoleReached,
    UserSummary,
)
from economy.storage.reference_rates import StoredReferenceRates

Row = Sequence[Any]
log = logging.getLogger(__name__)

ENTRY_COLUMNS = (
    "id, guild_id, recipient_id, gifter_key, gifter_name, recorder_id, gift_name, count, "
    "coins, diamonds_milli, created_at, undone, archived"
)
ACTIVE = "undone = 0 AND archived IS NULL"
# Leaderboards: (table, key column, value column); the value is what rows are ranked by.
BOARDS: dict[str, tuple[str, str, str]] = {
    "received": ("received_totals", "user_id", "diamonds_milli"),
    "gifted": ("gifter_totals", "gifter_key", "coins"),
}


def _board(by: By) -> tuple[str, str, str]:
    if by not in BY_VALUES:
        raise ValueError(f"by must be one of {BY_VALUES}, got {by!r}")
    return BOARDS[by]


# A rank is 1 + the members in higher rank buckets (rank_counts, kept by the totals triggers)
# + the few above in one's own bucket: it reads a few hundred bucket rows at most, not everyone
# above. A bucket is a value kept to its first digit (12,345 -> 10,000; below 10 the value
# itself): 9 a decade, so a member's total moves to another bucket rarely (each write that
# does costs a bucket row or two), and one bucket holds a modest share of a server.
_ZEROS = "0" * 18
NO_BUCKET = 9_223_372_036_854_775_807  # above every value: no higher bucket


def rank_bucket(value: str) -> str:
    """SQL for the rank bucket of the integer expression `value` (> 0); the migrations spell
    the same expression out in the triggers that keep rank_counts."""
    text = f"CAST({value} AS TEXT)"
    return (
        f"CASE WHEN {value} < 10 THEN {value} ELSE CAST(substr({text}, 1, 1)"
        f" || substr('{_ZEROS}', 1, length({text}) - 1) AS BIGINT) END"
    )


def rank_of(by: By, guild: str, period: str, value: str) -> str:
    """SQL for the competition rank of `value` (> 0) on board `by` of server `guild` in
    period `period` (SQL expressions: columns of an outer row)."""
    table, _, column = _board(by)
    higher = (
        f"rank_counts c WHERE c.guild_id = {guild} AND c.board = '{by}'"
        f" AND c.period_key = {period} AND c.bucket > {rank_bucket(value)}"
    )
    return (
        f"CAST(1 + COALESCE((SELECT SUM(c.members) FROM {higher}), 0)"
        f" + (SELECT COUNT(*) FROM {table} o WHERE o.guild_id = {guild}"
        f" AND o.period_key = {period} AND o.{column} > {value} AND o.{column} < COALESCE("
        f"(SELECT MIN(c.bucket) FROM {higher} AND c.members > 0), {NO_BUCKET})) AS BIGINT)"
    )


# The rank of the received_totals row `r` in its server and period.
_RANK_OF_R = rank_of("received", "r.guild_id", "r.period_key", "r.diamonds_milli")
RECEIVED = (
    f"SELECT r.diamonds_milli, r.coins, r.entries,"
    f" CASE WHEN r.diamonds_milli > 0 THEN {_RANK_OF_R} END"
    f" FROM received_totals r WHERE r.guild_id = ? AND r.user_id = ? AND r.period_key = ?"
)
# Whether a new entry's server has goals to announce (params: guild). Read in the entry's own
# write, so a reply needs no second trip.
OPEN_GOALS_EXIST = "SELECT EXISTS (SELECT 1 FROM goals WHERE guild_id = ? AND reached_at IS NULL)"
# The threshold roles a member's all-time total reaches and nobody gave them yet, claimed
# (params: user, now, guild, guild, user); RETURNING the role ids. Run by the entry's write.
CLAIM_THRESHOLDS = (
    "INSERT INTO threshold_grants (guild_id, role_id, user_id, granted_at)"
    " SELECT t.guild_id, t.role_id, ?, ? FROM threshold_roles t"
    " WHERE t.guild_id = ? AND t.status = 'active' AND t.diamonds_milli <= COALESCE("
    "  (SELECT diamonds_milli FROM received_totals WHERE guild_id = ? AND user_id = ?"
    "   AND period_key = 'all'), 0)"
    " ON CONFLICT DO NOTHING RETURNING role_id"
)
# A member's RECEIVED rows of all time, a month and a week in one statement (params: guild,
# user, month key, week key): ranked all-time only, the one rank /tally show shows.
RECEIVED_PERIODS = (
    f"SELECT r.period_key, r.diamonds_milli, r.coins, r.entries,"
    f" CASE WHEN r.period_key = 'all' AND r.diamonds_milli > 0 THEN {_RANK_OF_R} END"
    f" FROM received_totals r WHERE r.guild_id = ? AND r.user_id = ?"
    f" AND r.period_key IN ('all', ?, ?)"
)
# The GIVEN rows of the same periods (params: guild, gifter key, month key, week key).
GIVEN_PERIODS = (
    "SELECT period_key, coins, entries FROM gifter_totals"
    " WHERE guild_id = ? AND gifter_key = ? AND period_key IN ('all', ?, ?)"
)
GIVEN = (
    "SELECT coins, entries FROM gifter_totals"
    " WHERE guild_id = ? AND gifter_key = ? AND period_key = ?"
)
TOP_GIFTS = (
    "SELECT gift_name, count, diamonds_milli FROM gift_totals"
    " WHERE guild_id = ? AND recipient_id = ? AND count > 0"
    " ORDER BY diamonds_milli DESC, count DESC, gift_name LIMIT ?"
)
INSERT_ENTRY = (
    "INSERT INTO ledger (guild_id, recipient_id, gifter_key, gifter_name, recorder_id,"
    " gift_name, count, coins, diamonds_milli, created_at, month_key, week_key)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
)
RECIPIENT_TOTAL = (
    "SELECT diamonds_milli FROM received_totals"
    " WHERE guild_id = ? AND user_id = ? AND period_key = 'all'"
)
HISTORY = (
    f"SELECT {ENTRY_COLUMNS} FROM ledger WHERE guild_id = ? AND recipient_id = ?"
    f" AND {ACTIVE} ORDER BY id DESC LIMIT ? OFFSET ?"
)
HISTORY_COUNT = (
    "SELECT entries FROM received_totals WHERE guild_id = ? AND user_id = ? AND period_key = 'all'"
)
RESET_PREVIEW = (
    f"SELECT COUNT(*), COALESCE(SUM(diamonds_milli), 0), COALESCE(MAX(id), 0)"
    f" FROM ledger WHERE guild_id = ? AND recipient_id = ? AND {ACTIVE}"
)
EXPORT_CHUNK = 5000
EXPORT = f"SELECT {ENTRY_COLUMNS} FROM ledger WHERE guild_id = ? AND id > ? ORDER BY id LIMIT ?"
ADD_REFERENCE_RATES = (
    "INSERT INTO reference_rates (as_of, source, rates, loaded_at) VALUES (?, ?, ?, ?) RETURNING id"
)
NEWEST_REFERENCE_RATES = (
    "SELECT id, rates, loaded_at FROM reference_rates ORDER BY as_of DESC, id DESC LIMIT 20"
)
# Totals recomputed from the active ledger, compared both ways with the stored ones.
_PERIODS = f"""
    WITH active AS (SELECT * FROM ledger WHERE {ACTIVE}),
    keyed AS (
        SELECT *, 'all' AS period_key FROM active
        UNION ALL SELECT *, month_key FROM active
        UNION ALL SELECT *, week_key FROM active)"""
VERIFY_TOTALS: dict[str, str] = {
    "received_totals": f"""{_PERIODS},
        expected AS (
            SELECT guild_id, recipient_id, period_key, SUM(diamonds_milli), SUM(coins), COUNT(*)
            FROM keyed GROUP BY guild_id, recipient_id, period_key),
        stored AS (
            SELECT guild_id, user_id, period_key, diamonds_milli, coins, entries
            FROM received_totals WHERE entries > 0 OR diamonds_milli + coins > 0)
        SELECT (SELECT COUNT(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored) AS m)
             + (SELECT COUNT(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected) AS x)""",
    "gifter_totals": f"""{_PERIODS},
        expected AS (
            SELECT guild_id, gifter_key, period_key, SUM(coins), SUM(diamonds_milli), COUNT(*)
            FROM keyed WHERE gifter_key IS NOT NULL GROUP BY guild_id, gifter_key, period_key),
        stored AS (
            SELECT guild_id, gifter_key, period_key, coins, diamonds_milli, entries
            FROM gifter_totals WHERE entries > 0 OR coins + diamonds_milli > 0)
        SELECT (SELECT COUNT(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored) AS m)
             + (SELECT COUNT(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected) AS x)""",
    "rank_counts": f"""
        WITH expected AS (
            SELECT guild_id, 'received' AS board, period_key,
                   {rank_bucket("diamonds_milli")} AS bucket, COUNT(*) AS members
            FROM received_totals WHERE diamonds_milli > 0
            GROUP BY guild_id, period_key, {rank_bucket("diamonds_milli")}
            UNION ALL
            SELECT guild_id, 'gifted', period_key, {rank_bucket("coins")}, COUNT(*)
            FROM gifter_totals WHERE coins > 0
            GROUP BY guild_id, period_key, {rank_bucket("coins")}),
        stored AS (
            SELECT guild_id, board, period_key, bucket, SUM(members) FROM rank_counts
            GROUP BY guild_id, board, period_key, bucket HAVING SUM(members) <> 0)
        SELECT (SELECT COUNT(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored) AS m)
             + (SELECT COUNT(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected) AS x)""",
    "gift_totals": f"""
        WITH expected AS (
            SELECT guild_id, recipient_id, gift_name, SUM(count), SUM(diamonds_milli)
            FROM ledger WHERE {ACTIVE} AND gift_name IS NOT NULL
            GROUP BY guild_id, recipient_id, gift_name),
        stored AS (
            SELECT guild_id, recipient_id, gift_name, count, diamonds_milli FROM gift_totals
            WHERE count > 0 OR diamonds_milli > 0)
        SELECT (SELECT COUNT(*) FROM (SELECT * FROM expected EXCEPT SELECT * FROM stored) AS m)
             + (SELECT COUNT(*) FROM (SELECT * FROM stored EXCEPT SELECT * FROM expected) AS x)""",
}


@functools.cache
def numbered(sql: str) -> str:
    """`sql` with its ``?`` placeholders as ``$1, $2, ...`` (none may sit inside a string)."""
    parts = sql.split("?")
    if any(part.count("'") % 2 for part in parts[:-1]):
        raise ValueError(f"a '?' inside a string literal: {sql[:80]!r}")
    out = [parts[0]]
    for index, part in enumerate(parts[1:], start=1):
        out.append(f"${index}{part}")
    return "".join(out)


def moment(value: datetime | str) -> datetime:
    """A stored timestamp as a datetime (PostgreSQL hands them over, SQLite keeps ISO text)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def entry_from(row: Row) -> Entry:
    """An Entry from a row selected with ENTRY_COLUMNS."""
    gifter = Gifter.stored(row[3], row[4]) if row[3] is not None else None
    return Entry(
        id=row[0],
        guild_id=row[1],
        recipient_id=row[2],
        gifter=gifter,
        recorder_id=row[5],
        gift_name=row[6],
        count=row[7],
        coins=row[8],
        diamonds=from_milli(row[9]),
        created_at=moment(row[10]),
        undone=bool(row[11]),
        archived=row[12],
    )


def entries_from(rows: Iterable[Row]) -> list[Entry]:
    """Entries from rows selected with ENTRY_COLUMNS (a chunk, converted in a worker thread)."""
    return [entry_from(row) for row in rows]


def member_key(user_id: int) -> str:
    return f"{MEMBER_PREFIX}{user_id}"


def leaderboard_sql(by: By) -> str:
    """One page of a board with competition ranks; params from `board_params`."""
    table, key, value = _board(by)
    name = "n.name" if by == "received" else "page.name"
    seen = (
        " LEFT JOIN member_names n ON n.guild_id = page.guild_id AND n.user_id = page.key"
        if by == "received"
        else ""
    )
    gifter_name = ", name" if by == "gifted" else ""
    rank = rank_of(by, "page.guild_id", "page.period_key", "page.value")
    return (
        f"WITH page AS (SELECT guild_id, period_key, {key} AS key, {value} AS value{gifter_name}"
        f"  FROM {table} WHERE guild_id = ? AND period_key = ? AND {value} > 0"
        f"  ORDER BY {value} DESC, {key} LIMIT ? OFFSET ?)"
        f" SELECT {rank}, page.key, page.value, {name}"
        f" FROM page{seen} ORDER BY page.value DESC, page.key"
    )


def rank_sql(by: By) -> str:
    """One person's (rank, key, value) on a board; params (guild, viewer key, period key)."""
    table, key, value = _board(by)
    rank = rank_of(by, "t.guild_id", "t.period_key", f"t.{value}")
    return (
        f"SELECT {rank}, t.{key}, t.{value}"
        f" FROM {table} t WHERE t.guild_id = ? AND t.{key} = ? AND t.period_key = ?"
        f" AND t.{value} > 0"
    )


def board_params(guild_id: int, key: str, limit: int, offset: int) -> tuple[Any, ...]:
    return (guild_id, key, limit, offset)


def leaderboard_row(by: By, row: Row) -> LeaderboardRow:
    """A leaderboard row from (rank, key, value, name)."""
    rank, key, value, name = row
    if by == "received":
        user_id = int(key)
        return LeaderboardRow(rank, member_key(user_id), user_id, name, from_milli(value))
    gifter = Gifter.stored(str(key), name)
    return LeaderboardRow(rank, gifter.key, gifter.user_id, name, int(value))


def viewer_key(by: By, viewer_id: int) -> int | str:
    return viewer_id if by == "received" else member_key(viewer_id)


def roles_reached(rows: Iterable[Row]) -> tuple[RoleReached, ...]:
    """RoleReached from (role id, threshold in thousandths) rows."""
    return tuple(RoleReached(int(role), from_milli(int(milli))) for role, milli in rows)


def summary_from(received: Row | None, given: Row | None) -> UserSummary:
    """A UserSummary from a RECEIVED row and a GIVEN row (None: nothing there)."""
    diamonds, coins, entries, rank = received if received else (0, 0, 0, None)
    coins_given, entries_given = given if given else (0, 0)
    return UserSummary(from_milli(diamonds), coins, entries, rank, coins_given, entries_given)


def period_summaries(
    received: Iterable[Row], given: Iterable[Row], keys: Iterable[str]
) -> list[UserSummary]:
    """One UserSummary per period key, in the order of `keys`, from RECEIVED_PERIODS and
    GIVEN_PERIODS rows."""
    got = {row[0]: tuple(row[1:]) for row in received}
    gave = {row[0]: tuple(row[1:]) for row in given}
    return [summary_from(got.get(key), gave.get(key)) for key in keys]


def gift_counts(rows: Iterable[Row]) -> list[GiftCount]:
    """GiftCounts from TOP_GIFTS rows."""
    return [GiftCount(g[0], g[1], from_milli(g[2])) for g in rows]


def newest_valid_rates(rows: Iterable[Row]) -> StoredReferenceRates | None:
    """The first NEWEST_REFERENCE_RATES row that still reads as valid rates (others are
    logged and skipped)."""
    for row_id, text, loaded_at in rows:
        try:
            rates = ReferenceRates.from_json(text, f"reference_rates row {row_id}")
        except DataFileError as error:
            log.warning("Skipping stored exchange rates: %s", error)
            continue
        return StoredReferenceRates(row_id, rates, moment(loaded_at))
    return None
