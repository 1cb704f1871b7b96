"""A stand-in for `python -m bot run` in the cluster tests: records its life in files.

`cluster_child.py STATE_DIR SPEC MODE`; every start appends its pid to `SPEC.starts`.
MODE `serve` waits for SIGTERM/SIGINT, appends `pid signal` to `SPEC.stopped` and exits 0;
`die-once` exits 3 on its first start, then serves; `crash` always exits 1 at once.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import FrameType


def append(path: Path, line: str) -> None:
    with path.open("a") as file:
        file.write(line + "\n")


def serve(state: Path, spec: str) -> None:
    def stop(signum: int, _frame: FrameType | None) -> None:
        append(state / f"{spec}.stopped", f"{os.getpid()} {signal.Signals(signum).name}")
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    append(state / f"{spec}.ready", str(os.getpid()))
    while True:
        signal.pause()


def main(state: Path, spec: str, mode: str) -> None:
    append(state / f"{spec}.starts", str(os.getpid()))
    if mode == "crash":
        sys.exit(1)
    if mode == "die-once" and not (state / f"{spec}.died").exists():
        (state / f"{spec}.died").touch()
        sys.exit(3)
    serve(state, spec)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
