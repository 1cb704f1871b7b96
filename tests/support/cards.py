"""Cards in tests: the worker process, started once per test session where answers draw cards
(so the first card of a session does not push its answer past the defer deadline), and the
most a drawn card may weigh."""

from __future__ import annotations

import asyncio

import pytest

from bot.cards import warm_up

MAX_PNG_BYTES = 1_000_000  # the most a drawn card may weigh in the tests


@pytest.fixture(scope="session", autouse=True)
def card_worker() -> None:
    asyncio.run(warm_up())
