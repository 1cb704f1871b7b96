"""Running the bot's command line in a child process, as a user would from a shell."""

from __future__ import annotations

import asyncio
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


async def start_script(script: Path, *args: str, cwd: Path) -> asyncio.subprocess.Process:
    """`python SCRIPT ARGS` started in `cwd` with `child_env()`, its stdout and stderr piped;
    the caller reads them and stops it."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=cwd,
        env=child_env(),
    )
