"""Once connected, the bot does its one-off work off the event loop before anyone asks: every
store's purchase planning (a first plan would otherwise take tens of ms on the loop)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import economy.purchase as purchase
from tests.support.bots import config_for, offline_bot


async def test_ready_plans_every_store_in_a_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planned: list[tuple[str, bool]] = []
    original = purchase._plan

    def plan(store: purchase.Store) -> object:
        planned.append((store.key, threading.current_thread() is threading.main_thread()))
        return original(store)

    monkeypatch.setattr(purchase, "_plan", plan)
    async with offline_bot(config_for(tmp_path)) as driver:
        await driver.bot.on_ready()
        stores = {s.key for card in driver.bot.profiles.presets.values() for s in card.stores}
    assert {key for key, _ in planned} == stores
    assert not any(on_loop for _, on_loop in planned)  # all in a worker thread
