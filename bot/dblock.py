"""One bot process per SQLite file: an exclusive lock file beside the database.

SQLite serves one process well; several bot processes (shards) on one file would fight over
its write lock and each keep caches the others cannot see. The first process holds
``<database>.lock`` (`fcntl.flock`) for its lifetime; the next one is refused with a message
that says to use PostgreSQL. The kernel drops the lock when the process dies, however it dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from economy.storage import StorageError

SEVERAL_PROCESSES = (
    "another bot process (pid {pid}) is already using {path}; one SQLite file serves one "
    "process. To run several processes (shards), put the data in PostgreSQL: set DATABASE_URL "
    "(see 'Growing past one server process' in README.md)"
)


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextlib.contextmanager
def one_process(database: Path) -> Iterator[None]:
    """Hold the database's lock file while the block runs; StorageError if another process
    holds it. The database's folder is created if needed (as opening the database would)."""
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StorageError(f"cannot create the lock file {path}: {error.strerror}") from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode(errors="replace").strip() or "unknown"
            raise StorageError(SEVERAL_PROCESSES.format(pid=holder, path=database)) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(descriptor)  # closing drops the lock
