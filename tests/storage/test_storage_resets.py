"""Resets and restores of a member with more entries than one step archives, on every
backend: a reset and a restore racing end, and a reset's later steps are not dropped when the
interaction's write deadline passes after its first step committed."""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import pytest

from economy.storage import Storage
from economy.storage.deadlines import WriteDeadline, write_deadline
from tests.support.backends import Backend

G = 111
ENTRIES = 10
STEP = 2  # entries archived or restored per transaction in these tests


@pytest.fixture
def ledger_module(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The backend's ledger module, archiving `STEP` entries per transaction."""
    module = importlib.import_module(f"economy.storage.{backend.name}.ledger")
    monkeypatch.setattr(module, "ARCHIVE_STEP", STEP)
    return module


async def fill(storage: Storage) -> int:
    for _ in range(ENTRIES):
        recorded = await storage.ledger.add_entry(
            G, 1, 9, gift_name="Rose", count=1, coins=1, diamonds=1
        )
    return recorded.entry.id


async def active(storage: Storage) -> int:
    return (await storage.ledger.user_summary(G, 1)).entries_received


async def test_a_reset_and_a_restore_racing_both_end(storage: Storage, ledger_module) -> None:
    up_to = await fill(storage)
    await asyncio.wait_for(
        asyncio.gather(
            storage.ledger.archive_member(G, 1, 9, up_to),
            storage.ledger.restore_member(G, 1),
        ),
        timeout=20,  # they used to take back each other's steps for ever
    )
    assert await active(storage) in (0, ENTRIES)  # the restore came first, or after
    assert await storage.verify() == []
    await storage.ledger.restore_member(G, 1)  # whichever way it went, all can come back
    assert await active(storage) == ENTRIES


async def test_a_committed_reset_finishes_past_the_deadline(
    storage: Storage, ledger_module: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    up_to = await fill(storage)
    deadline = WriteDeadline(start_by=float("inf"))
    step = ledger_module._archive_step

    def passed_after(finished: Any) -> Any:
        deadline.start_by = 0.0  # the interaction's deadline passes once step one is in
        return finished

    if asyncio.iscoroutinefunction(step):  # PostgreSQL's steps await the connection

        async def first_then_late(*args: Any) -> Any:
            return passed_after(await step(*args))
    else:

        def first_then_late(*args: Any) -> Any:
            return passed_after(step(*args))

    monkeypatch.setattr(ledger_module, "_archive_step", first_then_late)
    token = write_deadline.set(deadline)
    try:
        assert await storage.ledger.archive_member(G, 1, 9, up_to) == ENTRIES
    finally:
        write_deadline.reset(token)
    assert await active(storage) == 0
