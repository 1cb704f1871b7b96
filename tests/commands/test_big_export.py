"""`/tally export` of a million entries: complete, in parts that upload, with the event loop
free and memory flat meanwhile (the export used to block the loop for seconds and hold the
whole ledger in memory)."""

from __future__ import annotations

import gzip

import pytest

from bench.lag import LagProbe
from bot.offline import OfflineDiscord
from tests.support.ledger_fill import fill_ledger
from tests.support.people import GUILD, MANAGER, MEMBERS
from tests.support.replies import embed_of

# A million rows; the loop and memory are the bot's, the same on either backend: SQLite only.
pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

ROWS = 1_000_000
UPLOAD_LIMIT = 10_485_760  # what the offline payloads say Discord accepts
LOOP_LAG_MAX_S = 0.5  # a regression bound for a busy test machine; bench/lag.py: < 100 ms
MEMORY_MAX_MIB = 100


async def test_a_million_row_export_is_complete_and_leaves_the_loop_free(
    offline: OfflineDiscord,
) -> None:
    fill_ledger(offline.bot.storage.path, GUILD.id, ROWS)
    async with LagProbe() as probe:
        replies = await offline.command(
            "tally export", {}, user=MANAGER, guild=GUILD, members=MEMBERS
        )
    parts = [file for reply in replies for file in reply.files]
    assert len(parts) >= 2  # a million rows do not fit one upload
    rows = 0
    for number, (name, data) in enumerate(parts, start=1):
        assert name == f"tally-{GUILD.id}-part{number}.csv.gz"
        assert len(data) <= UPLOAD_LIMIT
        lines = gzip.decompress(data).decode("utf-8-sig").splitlines()
        assert lines[0].startswith("entry_id,")  # every part opens on its own
        rows += len(lines) - 1
    assert rows == ROWS
    assert "Entries: 1,000,000" in embed_of(replies[-1])["description"]
    progress = [r.data.get("content") for r in replies if r.method == "PATCH"]
    assert "Exporting… 100,000 entries so far." in progress  # a long export shows progress
    uploaded_mib = sum(len(data) for _, data in parts) / 2**20  # held by the capture
    assert probe.peak_mib_above_start - uploaded_mib < MEMORY_MAX_MIB
    assert max(probe.lags) < LOOP_LAG_MAX_S, f"the loop stalled {max(probe.lags):.2f} s"
