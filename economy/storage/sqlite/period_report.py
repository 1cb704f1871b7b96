"""What a period's post says, read on the connection of the transaction that claims the
period (so the claim and its content are one snapshot): the top receivers and gifters, the
top member gifter (a role needs a member), totals, the biggest entry and the newcomers."""

from __future__ import annotations

import sqlite3
from typing import Any

from economy.limits import POST_BOARD_SIZE, POST_NEWCOMERS
from economy.storage.community import PeriodReport, Schedule
from economy.storage.ledger import from_milli
from economy.storage.periods import PeriodKind
from economy.storage.queries import (
    ACTIVE,
    ENTRY_COLUMNS,
    board_params,
    entry_from,
    leaderboard_sql,
)
from economy.storage.queries import leaderboard_row as board_row
from economy.storage.records import By, Gifter, LeaderboardRow

_TOP_MEMBER_GIFTER = (
    "SELECT 1 + (SELECT COUNT(*) FROM gifter_totals o WHERE o.guild_id = g.guild_id"
    "  AND o.period_key = g.period_key AND o.coins > g.coins), g.gifter_key, g.coins, g.name"
    " FROM gifter_totals g WHERE g.guild_id = ? AND g.period_key = ? AND g.coins > 0"
    " AND g.gifter_key LIKE 'u:%' ORDER BY g.coins DESC, g.gifter_key LIMIT 1"
)
_PERIOD_TOTALS = (
    "SELECT COALESCE(SUM(diamonds_milli), 0), COALESCE(SUM(coins), 0), COALESCE(SUM(entries), 0)"
    " FROM received_totals WHERE guild_id = ? AND period_key = ?"
)
FIRST_ACTIVE = "l.undone = 0 AND l.archived IS NULL ORDER BY l.id LIMIT 1"


def _key_column(kind: PeriodKind) -> str:
    return "week_key" if kind == "week" else "month_key"


def _newcomers(rows: list[Any], as_gifters: bool) -> tuple[LeaderboardRow, ...]:
    """The first POST_NEWCOMERS (key, value, name) rows as leaderboard rows."""
    found = []
    for position, (key, value, name) in enumerate(rows[:POST_NEWCOMERS], 1):
        if as_gifters:
            gifter = Gifter.stored(str(key), name)
            found.append(LeaderboardRow(position, gifter.key, gifter.user_id, name, int(value)))
        else:
            row = LeaderboardRow(position, f"u:{key}", int(key), name, from_milli(value))
            found.append(row)
    return tuple(found)


def read_report(db: sqlite3.Connection, schedule: Schedule, key: str) -> PeriodReport:
    """Everything a period's post shows, read on the claiming transaction's connection."""
    guild_id = schedule.guild_id
    column = _key_column(schedule.kind)

    def board(by: By) -> tuple[LeaderboardRow, ...]:
        params = board_params(guild_id, key, POST_BOARD_SIZE, 0)
        rows = db.execute(leaderboard_sql(by), params).fetchall()
        return tuple(board_row(by, tuple(r)) for r in rows)

    receivers, gifters = board("received"), board("gifted")
    top_gifter = next((row for row in gifters if row.user_id is not None), None)
    if top_gifter is None:
        found = db.execute(_TOP_MEMBER_GIFTER, (guild_id, key)).fetchone()
        top_gifter = board_row("gifted", tuple(found)) if found else None
    diamonds, coins, entries = db.execute(_PERIOD_TOTALS, (guild_id, key)).fetchone()
    biggest = db.execute(
        f"SELECT {ENTRY_COLUMNS} FROM ledger WHERE guild_id = ? AND {column} = ? AND {ACTIVE}"
        f" ORDER BY diamonds_milli DESC, id LIMIT 1",
        (guild_id, key),
    ).fetchone()
    new_receivers = db.execute(
        f"SELECT r.user_id, r.diamonds_milli, n.name FROM received_totals r"
        f" LEFT JOIN member_names n ON n.guild_id = r.guild_id AND n.user_id = r.user_id"
        f" WHERE r.guild_id = ? AND r.period_key = ? AND r.diamonds_milli > 0"
        f" AND (SELECT l.{column} FROM ledger l WHERE l.guild_id = r.guild_id"
        f"  AND l.recipient_id = r.user_id AND {FIRST_ACTIVE}) = ?"
        f" ORDER BY r.diamonds_milli DESC, r.user_id",
        (guild_id, key, key),
    ).fetchall()
    new_gifters = db.execute(
        f"SELECT g.gifter_key, g.coins, g.name FROM gifter_totals g"
        f" WHERE g.guild_id = ? AND g.period_key = ? AND g.entries > 0"
        f" AND (SELECT l.{column} FROM ledger l WHERE l.guild_id = g.guild_id"
        f"  AND l.gifter_key = g.gifter_key AND {FIRST_ACTIVE}) = ?"
        f" ORDER BY g.coins DESC, g.gifter_key",
        (guild_id, key, key),
    ).fetchall()
    holders: dict[int, list[int]] = {role: [] for role in schedule.role_ids}
    for role_id, user_id in db.execute(
        "SELECT role_id, user_id FROM role_holders WHERE guild_id = ? ORDER BY role_id, user_id",
        (guild_id,),
    ):
        if role_id in holders:
            holders[role_id].append(user_id)
    return PeriodReport(
        schedule=schedule,
        period_key=key,
        receivers=receivers,
        gifters=gifters,
        top_member_gifter=top_gifter,
        diamonds=from_milli(diamonds),
        coins=coins,
        entries=entries,
        biggest=entry_from(tuple(biggest)) if biggest else None,
        new_receivers=_newcomers(new_receivers, as_gifters=False),
        new_receiver_count=len(new_receivers),
        new_gifters=_newcomers(new_gifters, as_gifters=True),
        new_gifter_count=len(new_gifters),
        holders={role: tuple(users) for role, users in holders.items()},
    )
