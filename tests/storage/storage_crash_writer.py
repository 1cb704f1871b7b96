"""Helper for the crash test: write tally entries forever, printing each committed entry id.

Usage: ``python tests/storage/storage_crash_writer.py DB_PATH``. Besides single-statement entries it
also undoes, archives and restores (multi-statement transactions), so the test's SIGKILL can
land in any of them. A line is printed only after its entry's commit returned.
"""

from __future__ import annotations

import asyncio
import sys

from economy.storage import SqliteStorage

GUILD = 1


async def storm(path: str) -> None:
    """Write until killed."""
    storage = await SqliteStorage.open(path)
    step = 0
    while True:
        step += 1
        if step % 11 == 0:
            await storage.ledger.undo_last(GUILD, 100 + step % 7)
        elif step % 37 == 0:
            preview = await storage.ledger.reset_preview(GUILD, step % 50)
            await storage.ledger.archive_member(GUILD, step % 50, 9, preview.up_to_id)
        elif step % 53 == 0:
            await storage.ledger.restore_member(GUILD, step % 50)
        else:
            recorded = await storage.ledger.add_entry(
                GUILD,
                step % 50,
                100 + step % 7,
                gift_name="Rose" if step % 3 else None,
                count=1 + step % 5,
                coins=step % 1000,
                diamonds=step % 500,
            )
            print(recorded.entry.id, flush=True)


if __name__ == "__main__":
    asyncio.run(storm(sys.argv[1]))
