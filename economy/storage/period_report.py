"""What a period's post says: the statements both backends run in the transaction that claims
the period (so the claim and its content are one snapshot), and the report built from their
rows: the top receivers and gifters, the top member gifter (a role needs a member), totals,
the biggest entry and the newcomers, and who holds the schedule's roles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from economy.limits import POST_BOARD_SIZE, POST_NEWCOMERS
from economy.storage.community import PeriodReport, Schedule
from economy.storage.ledger import from_milli
from economy.storage.periods import PeriodKind
from economy.storage.queries import (
    ACTIVE,
    ENTRY_COLUMNS,
    Row,
    board_params,
    entry_from,
    leaderboard_row,
    leaderboard_sql,
)
from economy.storage.records import MEMBER_PREFIX, By, LeaderboardRow

Statements = dict[str, tuple[str, tuple[Any, ...]]]

_TOP_MEMBER_GIFTER = (
    "SELECT 1 + (SELECT COUNT(*) FROM gifter_totals o WHERE o.guild_id = g.guild_id"
    "  AND o.period_key = g.period_key AND o.coins > g.coins), g.gifter_key, g.coins, g.name"
    " FROM gifter_totals g WHERE g.guild_id = ? AND g.period_key = ? AND g.coins > 0"
    f" AND g.gifter_key LIKE '{MEMBER_PREFIX}%' ORDER BY g.coins DESC, g.gifter_key LIMIT 1"
)
_PERIOD_TOTALS = (
    "SELECT COALESCE(SUM(diamonds_milli), 0), COALESCE(SUM(coins), 0), COALESCE(SUM(entries), 0)"
    " FROM received_totals WHERE guild_id = ? AND period_key = ?"
)
_FIRST_ACTIVE = "l.undone = 0 AND l.archived IS NULL ORDER BY l.id LIMIT 1"
_HOLDERS = "SELECT role_id, user_id FROM role_holders WHERE guild_id = ? ORDER BY role_id, user_id"


def _key_column(kind: PeriodKind) -> str:
    return "week_key" if kind == "week" else "month_key"


def report_statements(schedule: Schedule, key: str) -> Statements:
    """Name -> (statement, params) of every read a period's report needs."""
    guild_id = schedule.guild_id
    column = _key_column(schedule.kind)
    board = board_params(guild_id, key, POST_BOARD_SIZE, 0)
    return {
        "receivers": (leaderboard_sql("received"), board),
        "gifters": (leaderboard_sql("gifted"), board),
        "top_member_gifter": (_TOP_MEMBER_GIFTER, (guild_id, key)),
        "totals": (_PERIOD_TOTALS, (guild_id, key)),
        "biggest": (
            f"SELECT {ENTRY_COLUMNS} FROM ledger WHERE guild_id = ? AND {column} = ?"
            f" AND {ACTIVE} ORDER BY diamonds_milli DESC, id LIMIT 1",
            (guild_id, key),
        ),
        "new_receivers": (
            f"SELECT r.user_id, r.diamonds_milli, n.name FROM received_totals r"
            f" LEFT JOIN member_names n ON n.guild_id = r.guild_id AND n.user_id = r.user_id"
            f" WHERE r.guild_id = ? AND r.period_key = ? AND r.diamonds_milli > 0"
            f" AND (SELECT l.{column} FROM ledger l WHERE l.guild_id = r.guild_id"
            f"  AND l.recipient_id = r.user_id AND {_FIRST_ACTIVE}) = ?"
            f" ORDER BY r.diamonds_milli DESC, r.user_id",
            (guild_id, key, key),
        ),
        "new_gifters": (
            f"SELECT g.gifter_key, g.coins, g.name FROM gifter_totals g"
            f" WHERE g.guild_id = ? AND g.period_key = ? AND g.entries > 0"
            f" AND (SELECT l.{column} FROM ledger l WHERE l.guild_id = g.guild_id"
            f"  AND l.gifter_key = g.gifter_key AND {_FIRST_ACTIVE}) = ?"
            f" ORDER BY g.coins DESC, g.gifter_key",
            (guild_id, key, key),
        ),
        "holders": (_HOLDERS, (guild_id,)),
    }


def _newcomers(rows: Sequence[Row], by: By) -> tuple[LeaderboardRow, ...]:
    """The first POST_NEWCOMERS (key, value, name) rows as rows of board `by`, numbered in
    order (a newcomer's place, not a rank)."""
    return tuple(
        leaderboard_row(by, (position, *row))
        for position, row in enumerate(rows[:POST_NEWCOMERS], 1)
    )


def report_from(schedule: Schedule, key: str, rows: Mapping[str, Sequence[Row]]) -> PeriodReport:
    """The report from the rows of `report_statements`, by name."""
    receivers = tuple(leaderboard_row("received", r) for r in rows["receivers"])
    gifters = tuple(leaderboard_row("gifted", r) for r in rows["gifters"])
    top_gifter = next((row for row in gifters if row.user_id is not None), None)
    if top_gifter is None and rows["top_member_gifter"]:
        top_gifter = leaderboard_row("gifted", rows["top_member_gifter"][0])
    [(diamonds, coins, entries)] = rows["totals"]
    biggest = rows["biggest"]
    holders: dict[int, list[int]] = {role: [] for role in schedule.role_ids}
    for role_id, user_id in rows["holders"]:
        if role_id in holders:
            holders[role_id].append(user_id)
    new_receivers, new_gifters = rows["new_receivers"], rows["new_gifters"]
    return PeriodReport(
        schedule=schedule,
        period_key=key,
        receivers=receivers,
        gifters=gifters,
        top_member_gifter=top_gifter,
        diamonds=from_milli(diamonds),
        coins=int(coins),
        entries=int(entries),
        biggest=entry_from(biggest[0]) if biggest else None,
        new_receivers=_newcomers(new_receivers, "received"),
        new_receiver_count=len(new_receivers),
        new_gifters=_newcomers(new_gifters, "gifted"),
        new_gifter_count=len(new_gifters),
        holders={role: tuple(users) for role, users in holders.items()},
    )
