"""The bot shuts down cleanly on SIGINT and SIGTERM: exit 0, database closed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # child processes

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_closes_the_database_and_exits_0(tmp_path: Path, signum: int) -> None:
    database = tmp_path / "bot.sqlite3"
    env = {
        **os.environ,
        "DISCORD_TOKEN": "fake.token.for-signal-test",
        "DATABASE_PATH": str(database),
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "bot" / "signal_runner.py")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.strip() == "ready":
                break
        process.send_signal(signum)
        rest, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    output = "".join(lines) + rest
    assert process.returncode == 0, output
    assert "Database closed" in output and "Traceback" not in output
    assert "fake.token.for-signal-test" not in output
    assert not Path(f"{database}-wal").exists()  # closed: WAL checkpointed and removed
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
