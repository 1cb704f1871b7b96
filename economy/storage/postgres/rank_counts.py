"""rank_counts recounted from the totals, for bulk loads (`db copy`, the benchmark's loader)
that write totals with the ledger's totals trigger off (so no bucket moves either). The
stripes are the triggers' own (migration V003)."""

from __future__ import annotations

from typing import Any

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


async def rebuild_rank_counts(conn: Any, guild_id: int | None = None) -> None:
    """Recount one server's rank buckets (every server's with None) from its totals."""
    for sql in _REBUILD:
        await conn.execute(sql, guild_id)
