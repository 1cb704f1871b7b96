"""The bot shuts down cleanly on SIGINT and SIGTERM: exit 0, database closed."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.processes import REPO, child_env
from tests.support.sqlite_files import run_sql

pytestmark = pytest.mark.slow  # child processes


def start_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    """`python -m bot run ARGS` (Discord replaced by a wait) on a database in `tmp_path`."""
    return subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "bot" / "signal_runner.py"), *args],
        cwd=tmp_path,
        env=child_env(
            DISCORD_TOKEN="fake.token.for-signal-test",
            DATABASE_PATH=str(tmp_path / "bot.sqlite3"),
            **env,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def read_until(process: subprocess.Popen[str], start: str) -> list[str]:
    """Output lines up to and including the first that starts with `start`."""
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith(start):
            break
    return lines


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_closes_the_database_and_exits_0(tmp_path: Path, signum: int) -> None:
    database = tmp_path / "bot.sqlite3"
    process = start_bot(tmp_path)
    try:
        lines = read_until(process, "ready")
        process.send_signal(signum)
        rest, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    output = "".join(lines) + rest
    assert process.returncode == 0, output
    assert "Database closed" in output and "Traceback" not in output
    assert "fake.token.for-signal-test" not in output
    assert not Path(f"{database}-wal").exists()  # closed: WAL checkpointed and removed
    assert run_sql(database, "PRAGMA integrity_check") == [("ok",)]


def test_a_second_sigterm_does_not_cut_the_cleanup_short(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    process = start_bot(tmp_path, SLOW_CLOSE="1")
    try:
        lines = read_until(process, "ready")
        process.send_signal(signal.SIGTERM)
        lines += read_until(process, "closing")  # the database is being closed ...
        process.send_signal(signal.SIGTERM)  # ... when the service manager asks again
        rest, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    output = "".join(lines) + rest
    assert process.returncode == 0, output
    assert "Already shutting down (SIGTERM again)" in output
    assert "Database closed" in output and "Traceback" not in output
    assert not Path(f"{database}-wal").exists()


def test_run_owns_the_shards_it_is_given(tmp_path: Path) -> None:
    process = start_bot(tmp_path, "--shard-count", "4", "--shards", "1-2")
    try:
        lines = read_until(process, "ready")
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert lines[-1].split(maxsplit=1) == ["ready", "ShardedGiftBot [1, 2] 4\n"]
    assert "Running shards 1-2 of 4" in "".join(lines) + rest and process.returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shards", "0-1"], "--shards needs --shard-count"),
        (["--shard-count", "2", "--shards", "0-2"], "Shard 2 in '0-2' does not exist"),
    ],
)
def test_bad_shard_options_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    process = start_bot(tmp_path, *args)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 2 and message in output and "Traceback" not in output


def test_a_second_process_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    first = start_bot(tmp_path)
    try:
        read_until(first, "ready")
        second = start_bot(tmp_path)
        output, _ = second.communicate(timeout=30)
        assert second.returncode == 2, output
        assert f"another bot process (pid {first.pid}) is already using" in output
        assert "set DATABASE_URL" in output and "Traceback" not in output
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=30)
    finally:
        first.kill()
    assert first.returncode == 0
