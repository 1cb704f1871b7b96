"""The PostgreSQL test harness: a real server, an empty database per test, cleaned up after."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import asyncpg
import pytest

from tests.support.postgres import (
    SKIPPED,
    LocalCluster,
    Server,
    create_database,
    drop_database,
    find_bindir,
    reap_abandoned_clusters,
)
from tests.support.processes import REPO, child_env


def database_of(dsn: str) -> str:
    return unquote(urlsplit(dsn).path.lstrip("/"))


async def test_asyncpg_connects_and_runs_a_query(postgres_dsn: str) -> None:
    connection = await asyncpg.connect(postgres_dsn)
    try:
        assert await connection.fetchval("SELECT $1::int + 1", 41) == 42
        assert await connection.fetchval("SELECT current_database()") == database_of(postgres_dsn)
    finally:
        await connection.close()


@pytest.mark.parametrize("turn", [1, 2])
async def test_each_test_gets_its_own_empty_database(postgres_dsn: str, turn: int) -> None:
    connection = await asyncpg.connect(postgres_dsn)
    try:
        tables = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        assert tables == []  # the other turn's table is not here
        await connection.execute("CREATE TABLE left_behind (turn int)")
        await connection.execute("INSERT INTO left_behind VALUES ($1)", turn)
    finally:
        await connection.close()


async def test_a_pool_the_size_of_two_bots_fits(postgres_dsn: str) -> None:
    async with asyncpg.create_pool(postgres_dsn, min_size=40, max_size=40) as pool:
        held = [await pool.acquire() for _ in range(40)]
        assert {await c.fetchval("SELECT pg_backend_pid()") for c in held}.__len__() == 40
        for connection in held:
            await pool.release(connection)


async def test_the_default_synchronous_commit_is_the_clusters(
    postgres_server: Server, postgres_dsn: str
) -> None:
    if not isinstance(postgres_server, LocalCluster):
        pytest.skip("TEST_DATABASE_URL's server keeps its own default")
    connection = await asyncpg.connect(postgres_dsn)
    try:
        wanted = os.environ.get("TEST_PG_SYNCHRONOUS_COMMIT", "off")
        assert await connection.fetchval("SHOW synchronous_commit") == wanted
        assert await connection.fetchval("SHOW fsync") == "off"
        assert await connection.fetchval("SHOW listen_addresses") == ""  # unix socket only
    finally:
        await connection.close()


@pytest.mark.postgres(synchronous_commit="on")
async def test_a_test_can_ask_for_durable_commits(postgres_dsn: str) -> None:
    connection = await asyncpg.connect(postgres_dsn)
    try:
        assert await connection.fetchval("SHOW synchronous_commit") == "on"
    finally:
        await connection.close()


async def test_dropping_closes_connections_a_test_left_open(postgres_server: Server) -> None:
    name = await create_database(postgres_server)
    forgotten = await asyncpg.connect(postgres_server.dsn_for(name))
    await drop_database(postgres_server, name)
    with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError, ConnectionError)):
        await forgotten.fetchval("SELECT 1")
    with pytest.raises(asyncpg.InvalidCatalogNameError):
        await asyncpg.connect(postgres_server.dsn_for(name))
    forgotten.terminate()


def running(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting to be reaped has stopped running)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def server_pid(cluster: LocalCluster) -> int:
    return int((cluster.data / "postmaster.pid").read_text().split()[0])


def wait_until_stopped(pid: int) -> bool:
    deadline = time.monotonic() + 20
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return not running(pid)


needs_binaries = pytest.mark.skipif(find_bindir() is None, reason="no PostgreSQL binaries")


@pytest.mark.slow
@needs_binaries
def test_a_closed_cluster_leaves_nothing_behind() -> None:
    cluster = LocalCluster.start(find_bindir() or Path())
    pid = server_pid(cluster)
    assert running(pid) and (cluster.socket_dir / ".s.PGSQL.5432").exists()
    cluster.close()
    assert not cluster.root.exists() and wait_until_stopped(pid)
    cluster.close()  # twice is harmless (the fixture and atexit both call it)


@pytest.mark.slow
@needs_binaries
def test_a_cluster_whose_run_was_killed_is_reaped_by_the_next() -> None:
    bindir = find_bindir() or Path()
    cluster = LocalCluster.start(bindir)
    try:
        pid = server_pid(cluster)
        dead = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (cluster.root / "owner.pid").write_text(dead)  # as if its pytest had been killed
        reap_abandoned_clusters(bindir)
        assert not cluster.root.exists() and wait_until_stopped(pid)
    finally:
        cluster.close()


def run_harness(workers: str = "0", **env: str) -> subprocess.CompletedProcess[str]:
    """This file's PostgreSQL tests in a child pytest with `env` (TEST_DATABASE_URL unset),
    on `workers` xdist workers (none by default: starting them costs seconds)."""
    environment = child_env(**env)
    environment.pop("TEST_DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-m",
            "postgres",
            "-q",
            "-n",
            workers,
            str(Path(__file__)),
        ],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_without_a_server_the_tests_skip_with_one_line() -> None:
    result = run_harness("2", PG_BINDIR="/nonexistent", REQUIRE_POSTGRES="")  # as make test does
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(SKIPPED) == 1
    assert "passed" not in result.stdout and "skipped" in result.stdout.splitlines()[-1]


@pytest.mark.slow
def test_when_postgres_is_required_a_missing_server_fails() -> None:
    result = run_harness(PG_BINDIR="/nonexistent", REQUIRE_POSTGRES="1")
    assert result.returncode == 1
    assert "REQUIRE_POSTGRES=1 but no PostgreSQL binaries" in result.stdout
    assert SKIPPED not in result.stdout and "skipped" not in result.stdout.splitlines()[-1]


@pytest.mark.slow
@needs_binaries
async def test_test_database_url_is_used_instead_of_a_cluster_and_left_clean() -> None:
    server = await asyncio.to_thread(LocalCluster.start, find_bindir() or Path())
    try:
        # No binaries for the child: it must use the URL's server, not start its own.
        result = await asyncio.to_thread(
            run_harness, TEST_DATABASE_URL=server.admin_dsn, PG_BINDIR="/nonexistent"
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "1 skipped" in result.stdout  # only the cluster-default check
        assert SKIPPED not in result.stdout
        admin = await asyncpg.connect(server.admin_dsn)
        try:
            left = await admin.fetch("SELECT datname FROM pg_database WHERE datname LIKE 'pytest%'")
        finally:
            await admin.close()
        assert left == []
    finally:
        await asyncio.to_thread(server.close)
