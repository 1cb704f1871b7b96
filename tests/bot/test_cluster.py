"""The shard supervisor: plans, restarts, signals, crash loops, with tiny child processes."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from bot.cluster import (
    RestartPolicy,
    ShardProcess,
    Supervisor,
    bot_command,
    describe_exit,
    plan_processes,
    supervise,
)
from bot.shards import parse_shard_spec
from tests.support.processes import child_env

HERE = Path(__file__).resolve().parent
CHILD = HERE / "cluster_child.py"
RUNNER = HERE / "cluster_runner.py"
SECRET = "MTEx.fake-token-for-cluster-tests.abcdef"
QUICK = RestartPolicy(first_delay=0.05, max_delay=0.2, max_crashes=3, window=30.0)


def test_the_plan_gives_every_shard_to_exactly_one_process() -> None:
    plan = plan_processes(16, 3)
    assert [p.label for p in plan] == [
        "process 0 (shards 0-5 of 16)",
        "process 1 (shards 6-10 of 16)",
        "process 2 (shards 11-15 of 16)",
    ]


def test_each_child_runs_the_bot_on_its_own_shards() -> None:
    for process in plan_processes(10, 4):
        argv = bot_command(process, python="python3")
        assert argv[:4] == ["python3", "-m", "bot", "run"]
        count = int(argv[argv.index("--shard-count") + 1])
        spec = argv[argv.index("--shards") + 1]
        assert count == 10 and parse_shard_spec(spec, count) == process.shard_ids


def test_exits_are_described_for_people() -> None:
    assert describe_exit(3) == "exit code 3"
    assert describe_exit(-signal.SIGKILL) == "signal SIGKILL"


def test_backoff_doubles_up_to_its_ceiling() -> None:
    policy = RestartPolicy(first_delay=1.0, max_delay=5.0)
    assert [policy.delay_after(n) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]


def lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def children(
    state: Path, modes: Callable[[ShardProcess], str]
) -> Callable[[ShardProcess], list[str]]:
    """The command line for `cluster_child.py` in `state`, in the mode chosen per process."""

    def command(process: ShardProcess) -> list[str]:
        return [sys.executable, str(CHILD), str(state), process.spec, modes(process)]

    return command


async def wait_until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the children"
        await asyncio.sleep(0.02)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
async def test_a_child_that_dies_is_started_again(tmp_path: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.cluster")
    plan = plan_processes(4, 2)
    supervisor = Supervisor(plan, children(tmp_path, lambda p: "die-once"), policy=QUICK)
    running = asyncio.create_task(supervisor.run())
    specs = [p.spec for p in plan]
    await wait_until(lambda: all(lines(tmp_path / f"{s}.ready") for s in specs))
    for spec in specs:
        first, second = lines(tmp_path / f"{spec}.starts")  # died once, started again
        assert first != second and lines(tmp_path / f"{spec}.ready") == [second]
    supervisor.stop()
    assert await asyncio.wait_for(running, 20) == 0
    for spec in specs:
        assert lines(tmp_path / f"{spec}.stopped") == [
            lines(tmp_path / f"{spec}.ready")[0],
            "SIGTERM",
        ]
    assert "process 1 (shards 2-3 of 4) exited (exit code 3)" in caplog.text
    assert "Started process 1 (shards 2-3 of 4)" in caplog.text


@pytest.mark.slow
async def test_a_crash_loop_gives_up_and_stops_the_others(tmp_path: Path, caplog) -> None:
    plan = plan_processes(4, 2)
    command = children(tmp_path, lambda p: "crash" if p.index == 0 else "serve")
    supervisor = Supervisor(plan, command, policy=QUICK)
    # gave up rather than kept trying: done well within the crash window
    status = await asyncio.wait_for(supervise(supervisor, handle_signals=False), 30)
    assert status == 1
    assert len(lines(tmp_path / "0-1.starts")) == QUICK.max_crashes
    assert "process 0 (shards 0-1 of 4) died 3 times within 30s (last: exit code 1)" in caplog.text
    assert "gave up" in caplog.text
    ready = lines(tmp_path / "2-3.ready")
    assert ready and lines(tmp_path / "2-3.stopped") == [ready[0], "SIGTERM"]
    assert not pid_alive(int(ready[0]))


@pytest.mark.slow
async def test_a_stop_during_a_restart_pause_starts_nothing_more(tmp_path: Path) -> None:
    patient = RestartPolicy(first_delay=60.0, max_delay=60.0)
    command = children(tmp_path, lambda p: "crash" if p.index == 0 else "serve")
    supervisor = Supervisor(plan_processes(2, 2), command, policy=patient)
    running = asyncio.create_task(supervisor.run())
    await wait_until(lambda: bool(lines(tmp_path / "0.starts") and lines(tmp_path / "1.ready")))
    await wait_until(lambda: list(supervisor.pids) == [1])  # 0 crashed; restart in a minute
    supervisor.stop()
    assert await asyncio.wait_for(running, 10) == 0  # the stop itself was clean
    assert len(lines(tmp_path / "0.starts")) == 1


@pytest.mark.slow
async def test_a_child_that_will_not_stop_is_killed(tmp_path: Path) -> None:
    def command(process: ShardProcess) -> Sequence[str]:
        ignore = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        return [
            sys.executable,
            "-c",
            ignore + f"open({str(tmp_path / 'up')!r}, 'w'); time.sleep(60)",
        ]

    supervisor = Supervisor(plan_processes(1, 1), command, stop_timeout=0.5)
    running = asyncio.create_task(supervisor.run())
    await wait_until(lambda: (tmp_path / "up").exists())
    (pid,) = supervisor.pids.values()
    supervisor.stop()
    assert await asyncio.wait_for(running, 20) == 1  # not a clean stop
    assert not pid_alive(pid)


def start_runner(state: Path, shards: int, processes: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(RUNNER), str(state), str(shards), str(processes)],
        env=child_env(DISCORD_TOKEN=SECRET),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for_ready(state: Path, specs: list[str], runner: subprocess.Popen[str]) -> list[int]:
    deadline = time.monotonic() + 20
    while not all(lines(state / f"{s}.ready") for s in specs):
        assert runner.poll() is None, runner.communicate()[0]
        assert time.monotonic() < deadline, "children never became ready"
        time.sleep(0.02)
    return [int(lines(state / f"{s}.ready")[0]) for s in specs]


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_every_child_and_the_supervisor_exits_0(tmp_path: Path, signum: int) -> None:
    runner = start_runner(tmp_path, shards=6, processes=3)
    try:
        pids = wait_for_ready(tmp_path, ["0-1", "2-3", "4-5"], runner)
        runner.send_signal(signum)
        output, _ = runner.communicate(timeout=30)
    finally:
        runner.kill()
    assert runner.returncode == 0, output
    for spec, pid in zip(["0-1", "2-3", "4-5"], pids, strict=True):
        assert lines(tmp_path / f"{spec}.stopped") == [str(pid), signal.Signals(signum).name]
        assert not pid_alive(pid)
    assert "Started process 2 (shards 4-5 of 6)" in output
    assert "process 2 (shards 4-5 of 6) stopped: exit code 0" in output
    assert SECRET not in output and "Traceback" not in output


@pytest.mark.slow
def test_children_stop_when_the_supervisor_is_killed(tmp_path: Path) -> None:
    runner = start_runner(tmp_path, shards=2, processes=2)
    pids: list[int] = []
    stopped = [tmp_path / "0.stopped", tmp_path / "1.stopped"]
    try:
        pids = wait_for_ready(tmp_path, ["0", "1"], runner)
        runner.kill()  # SIGKILL: no chance to forward anything
        runner.communicate(timeout=30)
        deadline = time.monotonic() + 20
        while not all(path.exists() for path in stopped) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        for pid in pids:
            if not lines(tmp_path / f"{pids.index(pid)}.stopped"):
                os.kill(pid, signal.SIGKILL)  # do not leave it behind when the test fails
    assert [lines(path) for path in stopped] == [[str(pid), "SIGTERM"] for pid in pids]


# -- the command line ------------------------------------------------------------------------


def cluster_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "cluster", *args],
        cwd=tmp_path,
        env=child_env(DISCORD_TOKEN=SECRET, DATABASE_PATH=str(tmp_path / "bot.sqlite3"), **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_cluster_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    done = cluster_cli(tmp_path, "--processes", "2", "--shard-count", "4", DATABASE_URL="")
    assert done.returncode == 2
    assert "Several processes cannot share the SQLite file" in done.stderr
    assert "python -m bot db copy" in done.stderr and "Traceback" not in done.stderr


def test_more_processes_than_shards_is_refused(tmp_path: Path) -> None:
    done = cluster_cli(
        tmp_path, "--processes", "3", "--shard-count", "2",
        DATABASE_URL="postgresql://bot:pw@127.0.0.1:1/tally",
    )  # fmt: skip
    assert done.returncode == 2 and "3 processes for 2 shards" in done.stderr
    assert "Traceback" not in done.stderr and SECRET not in done.stdout + done.stderr
