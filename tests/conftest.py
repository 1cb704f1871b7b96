"""Shared fixtures: a real bot on a temporary database, driven offline through real payloads;
PostgreSQL databases for the tests that need one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import BotConfig
from bot.offline import FakeUser, OfflineDiscord
from tests.support.bots import config_for, offline_bot
from tests.support.people import MEMBERS
from tests.support.postgres import SKIPPED as POSTGRES_SKIPPED
from tests.support.postgres import (
    ClusterSettings,
    NoPostgres,
    Server,
    create_database,
    drop_database,
    open_server,
)


def pytest_configure(config: pytest.Config) -> None:
    """The bot remembers the databases it created in a state folder: for the tests (and the
    processes they start) that is a throwaway folder, never the developer's own."""
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="tiktok-gift-bot-state-")


@pytest.fixture
def config(tmp_path: Path) -> BotConfig:
    return config_for(tmp_path)


@pytest.fixture
async def offline(config: BotConfig) -> AsyncIterator[OfflineDiscord]:
    """A started bot whose replies are captured; closed (database too) after the test."""
    async with offline_bot(config) as driver:
        yield driver


@pytest.fixture
def members() -> dict[int, FakeUser]:
    return dict(MEMBERS)


# PostgreSQL: one throwaway cluster per session (or TEST_DATABASE_URL's server), started on
# first use; each test that asks for `postgres_dsn` gets its own empty database.
_POSTGRES_SKIPPED = pytest.StashKey[bool]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests using the PostgreSQL fixtures carry the `postgres` marker (for `-m`)."""
    for item in items:
        uses = {"postgres_dsn", "postgres_server"} & set(getattr(item, "fixturenames", ()))
        if uses and item.get_closest_marker("postgres") is None:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """The session's server; skipped when there is none, a failure under REQUIRE_POSTGRES=1."""
    commit = os.environ.get("TEST_PG_SYNCHRONOUS_COMMIT", "off")
    try:
        server = open_server(ClusterSettings(synchronous_commit=commit))
    except NoPostgres as error:
        missing = str(error)
    else:
        yield server
        server.close()
        return
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"REQUIRE_POSTGRES=1 but {missing}", pytrace=False)
    request.config.stash[_POSTGRES_SKIPPED] = True
    pytest.skip("no PostgreSQL server")


@pytest.fixture
async def postgres_dsn(
    postgres_server: Server, request: pytest.FixtureRequest
) -> AsyncIterator[str]:
    """An asyncpg DSN to a new empty database, dropped after the test.

    `@pytest.mark.postgres(synchronous_commit="on")` sets that for the test's database.
    """
    marker = request.node.get_closest_marker("postgres")
    commit = marker.kwargs.get("synchronous_commit") if marker else None
    name = await create_database(postgres_server, synchronous_commit=commit)
    try:
        yield postgres_server.dsn_for(name)
    finally:
        await drop_database(postgres_server, name)


@pytest.fixture(autouse=True)
def _postgres_for_marked_tests(request: pytest.FixtureRequest) -> None:
    """A test marked `postgres` without the fixtures is still skipped (or failed) with them."""
    if (
        request.node.get_closest_marker("postgres")
        and "postgres_server" not in request.fixturenames
    ):
        request.getfixturevalue("postgres_server")


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if config.stash.get(_POSTGRES_SKIPPED, False):
        terminalreporter.write_line(POSTGRES_SKIPPED)
