"""`python -m bench --quick` runs end to end, every section (a smoke test of the benchmark;
about half a minute with its PostgreSQL section)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.postgres import find_bindir
from tests.support.processes import child_env

pytestmark = pytest.mark.slow  # child processes


def test_quick_benchmark_writes_a_complete_report(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(output)],
        cwd=tmp_path,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(output.read_text(encoding="utf-8"))
    assert report["mode"] == "quick"
    assert {"cpu", "cores", "python", "sqlite", "discord.py", "date"} <= set(report["machine"])
    names = {r["name"] for r in report["results"]}
    assert {
        "/gift value",
        "autocomplete gift: (full catalog)",
        "tally writes: storage, group commit, FULL",
    } <= names
    assert any(n.startswith("/tally leaderboard @") for n in names)
    assert any(n.startswith("event loop lag, /tally export of") for n in names)
    assert any(n.startswith("event loop lag, /tally reset of") for n in names)
    if find_bindir() is not None:  # the PostgreSQL section ran, it was not skipped with a note
        assert report["machine"]["postgresql"]
        assert "tally writes: PostgreSQL storage" in names
        assert "/tally add, 2 bot processes, one PostgreSQL" in names
    assert all(r.get("p99_ms", 0) >= 0 for r in report["results"])
    assert report["targets"] and "per s" in done.stdout
