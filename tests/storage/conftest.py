"""The storage tests' one fixture: the storage on the test's backend (a SQLite file in a
temporary folder, or a PostgreSQL database of its own; see `backend` in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from economy.storage import Storage
from tests.support.backends import Backend


@pytest.fixture
async def storage(backend: Backend) -> AsyncIterator[Storage]:
    store = await backend.open()
    yield store
    await store.close()
