"""`cluster_runner.py STATE_DIR SHARDS PROCESSES`: the supervisor over `cluster_child.py`
children, as the command line runs it (signals handled, logs on stdout), for test_cluster."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.cluster import ShardProcess, Supervisor, plan_processes, supervise
from bot.logs import setup_logging

CHILD = Path(__file__).with_name("cluster_child.py")


def main(state: Path, shards: int, processes: int) -> int:
    setup_logging("INFO")

    def command(process: ShardProcess) -> list[str]:
        return [sys.executable, str(CHILD), str(state), process.spec, "serve"]

    supervisor = Supervisor(plan_processes(shards, processes), command, stop_timeout=10)
    return asyncio.run(supervise(supervisor))


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
