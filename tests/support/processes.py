"""Running the bot's command line in a child process, as a user would from a shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python: this checkout importable, no token, `extra` on top."""
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def run_cli(
    tmp_path: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `tmp_path` on its own database (`env` on top); waits up to a
    minute."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=child_env(**{"DATABASE_PATH": str(tmp_path / "console.sqlite3"), **(env or {})}),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
