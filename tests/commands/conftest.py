"""Command tests draw cards: the worker process is started once for the session. Tests that
write more than a person may in ten seconds take `unlimited` instead of `offline`."""

from __future__ import annotations

import pytest

from bot.offline import OfflineDiscord
from tests.support.cards import card_worker
from tests.support.limits import lift_write_limit

__all__ = ["card_worker", "unlimited"]


@pytest.fixture
def unlimited(offline: OfflineDiscord) -> OfflineDiscord:
    """The `offline` bot itself, with a write budget no test runs out of."""
    lift_write_limit(offline.bot)
    return offline
