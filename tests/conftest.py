"""Shared fixtures: a real bot on a temporary database, driven offline through real payloads;
PostgreSQL databases for the tests that need one."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.config import BotConfig
from bot.offline import FakeUser, OfflineDiscord
from economy.storage.postgres import PostgresStorage
from tests.support.backends import BACKENDS, Backend
from tests.support.bots import offline_bot
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

T = TypeVar("T")


def _on_both_backends(definition: pytest.Function | Any) -> bool:
    """Storage and command tests (and others marked `both_backends`) run on every backend,
    unless marked `sqlite_only`."""
    parts = Path(str(definition.path)).parts
    in_scope = "tests" in parts and parts[parts.index("tests") + 1] in ("storage", "commands")
    in_scope = in_scope or definition.get_closest_marker("both_backends") is not None
    return in_scope and definition.get_closest_marker("sqlite_only") is None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and _on_both_backends(metafunc.definition):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def pytest_configure(config: pytest.Config) -> None:
    """The bot remembers the databases it created in a state folder: for the tests (and the
    processes they start) that is a throwaway folder, never the developer's own."""
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="tiktok-gift-bot-state-")


def pytest_unconfigure(config: pytest.Config) -> None:
    """The throwaway state folder goes with the run (each xdist worker made its own)."""
    shutil.rmtree(os.environ.pop("XDG_STATE_HOME", ""), ignore_errors=True)


@pytest.fixture
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    """Where the test's data lives: a SQLite file (the default), or, for tests/storage and
    tests/commands, also a PostgreSQL database cloned from the migrated template."""
    file = tmp_path / "bot.sqlite3"
    if getattr(request, "param", "sqlite") == "sqlite":
        yield Backend("sqlite", file)
        return
    server: Server = request.getfixturevalue("postgres_server")
    template: str = request.getfixturevalue("postgres_template")
    name = await create_database(server, template=template)
    try:
        yield Backend("postgres", file, server.dsn_for(name))
    finally:
        await drop_database(server, name)


@pytest.fixture
def config(backend: Backend) -> BotConfig:
    return backend.config()


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
NO_SERVER = "no PostgreSQL server"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests using the PostgreSQL fixtures carry the `postgres` marker (for `-m`)."""
    for item in items:
        uses = {"postgres_dsn", "postgres_server"} & set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("backend") == "postgres"
        if (uses or on_postgres) and item.get_closest_marker("postgres") is None:
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
    pytest.skip(NO_SERVER)


@pytest.fixture(scope="session")
def postgres_template(postgres_server: Server) -> Iterator[str]:
    """A database migrated once per session; each test's database is a copy of it."""
    name = _in_own_loop(_migrated_template(postgres_server))
    yield name
    _in_own_loop(drop_database(postgres_server, name))


def _in_own_loop(work: Coroutine[Any, Any, T]) -> T:
    """Run `work` to the end on a fresh event loop in a thread (a session fixture may be set
    up from inside a test's running loop)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, work).result()


async def _migrated_template(server: Server) -> str:
    name = await create_database(server)
    storage = await PostgresStorage.open(server.dsn_for(name), max_connections=1)
    await storage.close()
    return name


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
    """One line when the PostgreSQL half was skipped (read from the skip reports, so it also
    works when xdist workers ran the tests)."""
    skipped = terminalreporter.stats.get("skipped", [])
    if any(NO_SERVER in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_line(POSTGRES_SKIPPED)
