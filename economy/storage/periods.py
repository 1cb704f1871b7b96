"""Tally periods: all time, the UTC calendar month and the ISO week, their stored keys, and
when each week or month begins and ends (posts are made when one ends).

Keys are ``all``, ``M2026-11`` (calendar month) and ``W2026-47`` (ISO week of the ISO year).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Literal

Period = Literal["all", "month", "week"]
PERIOD_VALUES: tuple[Period, ...] = ("all", "month", "week")


def as_utc(moment: datetime | None = None) -> datetime:
    """`moment` in UTC (naive datetimes are taken as UTC); now when None."""
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def period_keys(moment: datetime) -> tuple[str, str]:
    """The (month, week) period keys of a moment, e.g. ``("M2026-11", "W2026-47")``."""
    utc = as_utc(moment)
    iso = utc.isocalendar()
    return f"M{utc.year:04d}-{utc.month:02d}", f"W{iso.year:04d}-{iso.week:02d}"


def period_key(period: Period, now: datetime | None = None) -> str:
    """The key of the period containing `now` (UTC): ``all``, ``M2026-11`` or ``W2026-47``."""
    if period == "all":
        return "all"
    month, week = period_keys(as_utc(now))
    if period == "month":
        return month
    if period == "week":
        return week
    raise ValueError(f"period must be one of {PERIOD_VALUES}, got {period!r}")


_STORED_KEY = re.compile(r"all|M\d{4}-(0[1-9]|1[0-2])|W\d{4}-(0[1-9]|[1-4]\d|5[0-3])")


def resolve_period_key(period: str, now: datetime | None = None) -> str:
    """The key of `period` (`all`, `month`, `week`) at `now`, or a stored key as given."""
    if period in PERIOD_VALUES:
        return period_key(period, now)
    if not _STORED_KEY.fullmatch(period):
        raise ValueError(f"not a period or a period key: {period!r}")
    return period


PeriodKind = Literal["week", "month"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("week", "month")


def period_start(key: str) -> datetime:
    """When a week or month key's period begins (Monday or the 1st, 00:00 UTC)."""
    if not _STORED_KEY.fullmatch(key) or key == "all":
        raise ValueError(f"not a week or month key: {key!r}")
    year, number = int(key[1:5]), int(key[6:])
    if key.startswith("W"):
        return datetime.fromisocalendar(year, number, 1).replace(tzinfo=UTC)
    return datetime(year, number, 1, tzinfo=UTC)


def period_end(key: str) -> datetime:
    """When a week or month key's period ends: the start of the next one."""
    start = period_start(key)
    if key.startswith("W"):
        return start + timedelta(days=7)
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def previous_period_key(kind: PeriodKind, now: datetime | None = None) -> str:
    """The key of the last week or month that has ended at `now`."""
    current = period_start(period_key(kind, now))
    return period_key(kind, current - timedelta(seconds=1))


def kind_of(key: str) -> PeriodKind:
    """`week` for ``W2026-47``, `month` for ``M2026-11``."""
    if key.startswith("W"):
        return "week"
    if key.startswith("M"):
        return "month"
    raise ValueError(f"not a week or month key: {key!r}")
