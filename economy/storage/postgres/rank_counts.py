"""rank_counts rebuilt from the totals in a few statements, for bulk loads (`db copy`, the
benchmark's loader) that switch its per-row triggers off while they write the totals: kept
row by row, a million totals cost the triggers minutes; rebuilt, seconds. The stripes are the
triggers' own (migration V003)."""

from __future__ import annotations

from typing import Any

RANK_TRIGGERS = {
    "received_totals": ("received_rank_new", "received_rank_moved", "received_rank_gone"),
    "gifter_totals": ("gifter_rank_new", "gifter_rank_moved", "gifter_rank_gone"),
}
# Params: the server, or NULL for every server.
_REBUILD = (
    "DELETE FROM rank_counts WHERE $1::bigint IS NULL OR guild_id = $1",
    "INSERT INTO rank_counts (guild_id, board, period_key, bucket, stripe, members)"
    " SELECT guild_id, 'received', period_key, rank_bucket(diamonds_milli),"
    " (user_id % 8)::smallint, COUNT(*) FROM received_totals"
    " WHERE diamonds_milli > 0 AND ($1::bigint IS NULL OR guild_id = $1)"
    " GROUP BY guild_id, period_key, rank_bucket(diamonds_milli), (user_id % 8)::smallint",
    "INSERT INTO rank_counts (guild_id, board, period_key, bucket, stripe, members)"
    " SELECT guild_id, 'gifted', period_key, rank_bucket(coins),"
    " (ascii(right(gifter_key, 1)) & 7)::smallint, COUNT(*) FROM gifter_totals"
    " WHERE coins > 0 AND ($1::bigint IS NULL OR guild_id = $1)"
    " GROUP BY guild_id, period_key, rank_bucket(coins),"
    " (ascii(right(gifter_key, 1)) & 7)::smallint",
)


async def set_rank_triggers(conn: Any, enabled: bool) -> None:
    """Switch the rank_counts triggers on or off (inside the load's transaction)."""
    verb = "ENABLE" if enabled else "DISABLE"
    for table, triggers in RANK_TRIGGERS.items():
        for trigger in triggers:
            await conn.execute(f"ALTER TABLE {table} {verb} TRIGGER {trigger}")


async def rebuild_rank_counts(conn: Any, guild_id: int | None = None) -> None:
    """Recount one server's rank buckets (every server's with None) from its totals."""
    for sql in _REBUILD:
        await conn.execute(sql, guild_id)
