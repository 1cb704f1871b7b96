"""The card worker process, started once per test session where answers draw cards (so the
first card of a session does not push its answer past the defer deadline)."""

from __future__ import annotations

import asyncio

import pytest

from bot.cards import warm_up


@pytest.fixture(scope="session", autouse=True)
def card_worker() -> None:
    asyncio.run(warm_up())
