"""A throwaway PostgreSQL for tests: one cluster per test session, one empty database per test.

`open_server()` uses the server in `TEST_DATABASE_URL` when it is set; otherwise it runs
`initdb` into a temporary folder (in memory when there is room; as the `postgres` user when
we are root, since initdb refuses root) and starts a cluster that listens only on a unix
socket in that folder, tuned for tests (no fsync, small buffers). `create_database` and
`drop_database` give each test its own database by asyncpg. The cluster is stopped and its
folder removed on `close()`, at exit, and, if a run was killed outright, by the next run
(each folder records its owner's pid).
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

SKIPPED = "PostgreSQL tests skipped: no server (install postgresql or set TEST_DATABASE_URL)"
CLUSTER_PREFIX = "tiktok-gift-bot-pg-"
SHM_ROOM_NEEDED = 1 << 30  # a cluster plus a few test databases, with a wide margin
SYNCHRONOUS_COMMIT = ("on", "off", "local", "remote_write", "remote_apply")
_names = itertools.count()


class NoPostgres(RuntimeError):
    """Neither PostgreSQL binaries nor TEST_DATABASE_URL: the tests cannot have a server."""


class PostgresStartError(RuntimeError):
    """The binaries are there but the cluster would not start; the message quotes its log."""


@dataclass(frozen=True)
class ClusterSettings:
    """How the throwaway cluster runs. `max_connections` fits two bot processes with pools."""

    synchronous_commit: str = "off"
    max_connections: int = 100
    shared_buffers: str = "16MB"
    durable: bool = False  # fsync on and the folder on disk (benchmarks), not in memory

    def __post_init__(self) -> None:
        if self.synchronous_commit not in SYNCHRONOUS_COMMIT:
            raise ValueError(f"synchronous_commit must be one of {SYNCHRONOUS_COMMIT}")

    def conf(self, socket_dir: Path) -> str:
        """postgresql.conf lines: unix socket only, durability traded for speed."""
        return "\n".join(
            [
                "listen_addresses = ''",
                f"unix_socket_directories = '{socket_dir}'",
                "unix_socket_permissions = 0777",
                f"max_connections = {self.max_connections}",
                f"shared_buffers = '{self.shared_buffers}'",
                f"fsync = {'on' if self.durable else 'off'}",
                f"synchronous_commit = {self.synchronous_commit}",
                f"full_page_writes = {'on' if self.durable else 'off'}",
                "wal_level = minimal",
                "max_wal_senders = 0",
                "checkpoint_timeout = '1h'",
                "max_wal_size = '1GB'",
                "autovacuum = off",
                "jit = off",
                "log_min_messages = warning",
                "",
            ]
        )


class Server(Protocol):
    """Somewhere to create test databases: the throwaway cluster or TEST_DATABASE_URL's."""

    @property
    def admin_dsn(self) -> str: ...

    def dsn_for(self, database: str) -> str: ...

    def close(self) -> None: ...


def _has_tools(folder: Path) -> bool:
    return (folder / "initdb").is_file() and (folder / "pg_ctl").is_file()


def _version(bindir: str) -> tuple[int, ...]:
    """(15,) for /usr/lib/postgresql/15/bin; () when the folder name is not a version."""
    name = Path(bindir).parent.name
    return tuple(int(n) for n in name.split(".")) if name.replace(".", "").isdigit() else ()


def find_bindir() -> Path | None:
    """The folder holding `initdb` and `pg_ctl`: PG_BINDIR if set (and only it), else
    `pg_config --bindir`, else the newest `/usr/lib/postgresql/*/bin`."""
    chosen = os.environ.get("PG_BINDIR", "").strip()
    if chosen:
        return Path(chosen) if _has_tools(Path(chosen)) else None
    candidates: list[str] = []
    if shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            found = subprocess.run(
                ["pg_config", "--bindir"], capture_output=True, text=True, timeout=10, check=True
            )
            candidates.append(found.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    return next((Path(c) for c in candidates if c and _has_tools(Path(c))), None)


@dataclass(frozen=True)
class ExternalServer:
    """TEST_DATABASE_URL's server; its database is only used to create and drop others."""

    admin_dsn: str

    def dsn_for(self, database: str) -> str:
        parts = urlsplit(self.admin_dsn)
        return urlunsplit(parts._replace(path="/" + quote(database)))

    def close(self) -> None:
        """Nothing to stop: the server is someone else's."""


def _as_postgres_user() -> tuple[list[str], pwd.struct_passwd | None]:
    """The prefix that runs a command as `postgres` when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return [], None
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresStartError(
            "Running as root, and initdb refuses root, but there is no 'postgres' user to run "
            "it as (install the postgresql package, or set TEST_DATABASE_URL)."
        ) from None
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"], account
    return [
        "setpriv",
        f"--reuid={account.pw_uid}",
        f"--regid={account.pw_gid}",
        "--init-groups",
        "--",
    ], account


def cluster_parents() -> list[Path]:
    """Where clusters go, best first: memory (/dev/shm: ~10x faster database creation and
    half the startup of a disk here) when it has room, else the temporary folder."""
    parents = [Path(tempfile.gettempdir())]
    shm = Path("/dev/shm")
    with contextlib.suppress(OSError):
        room = os.statvfs(shm)
        if os.access(shm, os.W_OK) and room.f_bavail * room.f_frsize >= SHM_ROOM_NEEDED:
            parents.insert(0, shm)
    return parents


def _owner_alive(folder: Path) -> bool:
    try:
        os.kill(int((folder / "owner.pid").read_text()), 0)
    except PermissionError:
        return True  # someone else's live process
    except (OSError, ValueError):
        return False
    return True


class LocalCluster:
    """A cluster in a temporary folder: `data/`, `socket/`, `server.log`, `owner.pid`."""

    def __init__(self, bindir: Path, root: Path, run_as: Sequence[str]) -> None:
        self.bindir = bindir
        self.root = root
        self.data = root / "data"
        self.socket_dir = root / "socket"
        self.log_file = root / "server.log"
        self._run_as = list(run_as)
        self._running = False
        self.admin_dsn = self.dsn_for("postgres")

    @classmethod
    def start(cls, bindir: Path, settings: ClusterSettings | None = None) -> LocalCluster:
        """initdb + `pg_ctl start -w`; stopped and removed at exit if `close()` is never called."""
        reap_abandoned_clusters(bindir)
        run_as, account = _as_postgres_user()
        on_disk = settings is not None and settings.durable
        parent = Path(tempfile.gettempdir()) if on_disk else cluster_parents()[0]
        root = Path(tempfile.mkdtemp(prefix=CLUSTER_PREFIX, dir=parent))
        (root / "owner.pid").write_text(str(os.getpid()))
        cluster = cls(bindir, root, run_as)
        atexit.register(cluster.close)
        try:
            cluster.socket_dir.mkdir()
            if account is not None:
                for path in (root, cluster.socket_dir):
                    os.chown(path, account.pw_uid, account.pw_gid)
            cluster._initdb(settings or ClusterSettings())
            cluster._pg_ctl("start", "-w", "-t", "60", "-l", str(cluster.log_file))
            cluster._running = True
        except BaseException:
            cluster.close()
            raise
        return cluster

    def dsn_for(self, database: str) -> str:
        return f"postgresql://postgres@/{quote(database)}?host={quote(str(self.socket_dir))}"

    def _run(self, *argv: str, timeout: float = 120) -> None:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C"}
        done = subprocess.run(
            [*self._run_as, *argv],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            log = self.log_file.read_text()[-2000:] if self.log_file.exists() else ""
            raise PostgresStartError(
                f"{Path(argv[0]).name} failed ({done.returncode}): "
                f"{(done.stderr or done.stdout).strip()}\n{log}".strip()
            )

    def _pg_ctl(self, *args: str) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-s", *args)

    def _initdb(self, settings: ClusterSettings) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
            "--no-instructions",
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n# tests/support/postgres.py\n" + settings.conf(self.socket_dir))

    def close(self) -> None:
        """Stop the server (fast, then immediate) and remove the folder; safe to call twice."""
        if self._running and self.data.exists():
            failed = (PostgresStartError, subprocess.TimeoutExpired, OSError)
            try:
                self._pg_ctl("stop", "-w", "-t", "30", "-m", "fast")
            except failed:
                with contextlib.suppress(*failed):
                    self._pg_ctl("stop", "-w", "-t", "30", "-m", "immediate")
        self._running = False
        shutil.rmtree(self.root, ignore_errors=True)


def reap_abandoned_clusters(bindir: Path) -> None:
    """Stop and remove clusters whose pytest was killed before it could clean up."""
    for folder in (f for parent in cluster_parents() for f in parent.glob(CLUSTER_PREFIX + "*")):
        if not (folder / "owner.pid").exists() or _owner_alive(folder):
            continue
        postmaster = folder / "data" / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            os.kill(int(postmaster.read_text().split()[0]), signal.SIGQUIT)  # immediate stop
        shutil.rmtree(folder, ignore_errors=True)


def open_server(settings: ClusterSettings | None = None) -> Server:
    """TEST_DATABASE_URL's server, else a throwaway cluster; `NoPostgres` if neither exists."""
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url:
        return ExternalServer(url)
    bindir = find_bindir()
    if bindir is None:
        raise NoPostgres("no PostgreSQL binaries (initdb, pg_ctl) and no TEST_DATABASE_URL")
    return LocalCluster.start(bindir, settings)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def create_database(
    server: Server,
    *,
    synchronous_commit: str | None = None,
    template: str = "template0",
) -> str:
    """A new database named `pytest_<pid>_<n>` copied from `template`; returns its name.

    `synchronous_commit` (e.g. "on" for a durability test) is set for the database, so every
    connection to it gets that value whatever the server's default.
    """
    if synchronous_commit is not None and synchronous_commit not in SYNCHRONOUS_COMMIT:
        raise ValueError(f"synchronous_commit must be one of {SYNCHRONOUS_COMMIT}")
    name = f"pytest_{os.getpid()}_{next(_names)}"
    admin = await asyncpg.connect(server.admin_dsn)
    try:
        # FILE_COPY (PostgreSQL 15+) copies the small template's files: ~20 ms against ~150 ms
        # for the default WAL_LOG, whose cost only pays off for big templates.
        strategy = " STRATEGY FILE_COPY" if admin.get_server_version().major >= 15 else ""
        await admin.execute(
            f"CREATE DATABASE {_identifier(name)} TEMPLATE {_identifier(template)}{strategy}"
        )
        if synchronous_commit is not None:
            await admin.execute(
                f"ALTER DATABASE {_identifier(name)} SET synchronous_commit = {synchronous_commit}"
            )
    finally:
        await admin.close()
    return name


async def drop_database(server: Server, name: str) -> None:
    """Drop `name`, closing any connection a test left open to it."""
    admin = await asyncpg.connect(server.admin_dsn)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {_identifier(name)} WITH (FORCE)")
    finally:
        await admin.close()
