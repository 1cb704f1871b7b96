"""The bot's shards in several processes: a supervisor that starts, restarts and stops them.

`plan_processes(shard_count, processes)` says which shards each process owns; a `Supervisor`
runs one child per plan entry (the command line comes from a function, `bot_command` by
default), restarts a child that dies after a growing pause, and gives up when one crashes
`max_crashes` times within `window` seconds. `supervise(supervisor)` adds the signal handling:
SIGTERM/SIGINT are forwarded to every child.
Children inherit the environment (which carries the token); it is never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bot.shards import format_shard_spec, split_shards

log = logging.getLogger("bot.cluster")

PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class ShardProcess:
    """One child process: its place in the cluster and the shards it owns."""

    index: int
    shard_ids: tuple[int, ...]
    shard_count: int

    @property
    def spec(self) -> str:
        return format_shard_spec(self.shard_ids)

    @property
    def label(self) -> str:
        return f"process {self.index} (shards {self.spec} of {self.shard_count})"


def plan_processes(shard_count: int, processes: int) -> list[ShardProcess]:
    """`processes` children owning contiguous, near-equal ranges of `shard_count` shards."""
    return [
        ShardProcess(index, tuple(shards), shard_count)
        for index, shards in enumerate(split_shards(shard_count, processes))
    ]


CommandFor = Callable[[ShardProcess], Sequence[str]]


def bot_command(process: ShardProcess, python: str = sys.executable) -> list[str]:
    """`python -m bot run --shard-count N --shards SPEC` for one child."""
    return [
        python,
        "-m",
        "bot",
        "run",
        "--shard-count",
        str(process.shard_count),
        "--shards",
        process.spec,
    ]


@dataclass(frozen=True)
class RestartPolicy:
    """Pause `first_delay` * 2^(n-1) (at most `max_delay`) after the n-th recent crash; give up
    at `max_crashes` crashes of one child within `window` seconds."""

    first_delay: float = 1.0
    max_delay: float = 30.0
    max_crashes: int = 5
    window: float = 120.0

    def delay_after(self, recent_crashes: int) -> float:
        doublings = max(0, recent_crashes - 1)
        return min(self.max_delay, self.first_delay * 2.0**doublings)


class CrashLoop(RuntimeError):
    """A child kept dying; the supervisor stopped the others and gave up."""

    def __init__(self, process: ShardProcess, crashes: int, window: float, last_exit: str) -> None:
        super().__init__(
            f"{process.label} died {crashes} times within {window:g}s (last: {last_exit}); "
            "gave up and stopped the other processes. Its own log above says why."
        )
        self.process = process


def describe_exit(returncode: int) -> str:
    if returncode < 0:
        with contextlib.suppress(ValueError):
            return f"signal {signal.Signals(-returncode).name}"
        return f"signal {-returncode}"
    return f"exit code {returncode}"


def _die_with_supervisor_hook() -> Callable[[], None] | None:
    """A pre-exec hook asking Linux to SIGTERM the child if the supervisor dies, so a killed
    supervisor leaves no shard connected twice when it is started again; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    supervisor = os.getpid()

    def hook() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != supervisor:  # died before prctl took effect
            os._exit(1)

    return hook


class Supervisor:
    """Keeps one child per `ShardProcess` running until `stop()`; see the module docstring."""

    def __init__(
        self,
        processes: Sequence[ShardProcess],
        command: CommandFor = bot_command,
        *,
        policy: RestartPolicy | None = None,
        env: Mapping[str, str] | None = None,
        start_delays: Sequence[float] | None = None,
        stop_timeout: float = 30.0,
    ) -> None:
        if not processes:
            raise ValueError("A cluster needs at least one process.")
        self.processes = {p.index: p for p in processes}
        if len(self.processes) != len(processes):
            raise ValueError("Each process needs its own index.")
        delays = list(start_delays) if start_delays is not None else [0.0] * len(processes)
        if len(delays) != len(processes):
            raise ValueError("Give one start delay per process.")
        self.start_delays = {p.index: delay for p, delay in zip(processes, delays, strict=True)}
        self.command = command
        self.policy = policy or RestartPolicy()
        self.env = dict(env) if env is not None else None
        self.stop_timeout = stop_timeout
        self._children: dict[int, asyncio.subprocess.Process] = {}
        self._unclean: set[int] = set()  # children that did not exit 0 when told to stop
        self._stopping = asyncio.Event()
        self._signal = signal.SIGTERM
        self._preexec = _die_with_supervisor_hook()

    @property
    def pids(self) -> dict[int, int]:
        """Process index -> pid of each child running now."""
        return {i: c.pid for i, c in self._children.items() if c.returncode is None}

    def stop(self, signum: int = signal.SIGTERM) -> None:
        """Forward `signum` to every child once and let `run()` wait for them."""
        if self._stopping.is_set():
            log.info("Already stopping; waiting up to %gs for the children", self.stop_timeout)
            return
        self._signal = signal.Signals(signum)
        self._stopping.set()
        log.info("Stopping %d processes (%s)", len(self.pids), self._signal.name)
        for index in self.pids:
            self._send(index, self._signal)

    def _send(self, index: int, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            self._children[index].send_signal(signum)

    async def run(self) -> int:
        """Run until stopped: 0 if every running child then exited 0, else 1.

        Raises `CrashLoop` (after stopping the other children) when a child keeps dying.
        """
        tasks = [asyncio.create_task(self._keep_running(p)) for p in self.processes.values()]
        stop_requested = asyncio.create_task(self._stopping.wait())
        try:
            await asyncio.wait([*tasks, stop_requested], return_when=asyncio.FIRST_COMPLETED)
            if not self._stopping.is_set():  # a child gave up (or a bug): stop the others
                self.stop(signal.SIGTERM)
            _, late = await asyncio.wait(tasks, timeout=self.stop_timeout)
            killed = self._kill_stragglers() if late else []
            outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            stop_requested.cancel()
            for task in tasks:
                task.cancel()
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        clean = not killed and not self._unclean
        log.info("All processes stopped%s", "" if clean else " (not all cleanly)")
        return 0 if clean else 1

    def _kill_stragglers(self) -> list[int]:
        stragglers = list(self.pids)
        for index in stragglers:
            log.error(
                "%s did not stop within %gs; killing it",
                self.processes[index].label,
                self.stop_timeout,
            )
            self._send(index, signal.SIGKILL)
        return stragglers

    async def _pause(self, seconds: float) -> bool:
        """Sleep `seconds` unless a stop comes first; True if stopping."""
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), seconds)
        return self._stopping.is_set()

    async def _keep_running(self, process: ShardProcess) -> None:
        crashes: deque[float] = deque()
        if await self._pause(self.start_delays[process.index]):
            return
        while True:
            started = time.monotonic()
            returncode = await self._run_once(process)
            lived = time.monotonic() - started
            if self._stopping.is_set():
                if returncode != 0:
                    self._unclean.add(process.index)
                log.info(
                    "%s stopped: %s after %.1fs", process.label, describe_exit(returncode), lived
                )
                return
            crashes.append(time.monotonic())
            while crashes and crashes[0] < crashes[-1] - self.policy.window:
                crashes.popleft()
            if len(crashes) >= self.policy.max_crashes:
                raise CrashLoop(
                    process, len(crashes), self.policy.window, describe_exit(returncode)
                )
            delay = self.policy.delay_after(len(crashes))
            log.warning(
                "%s exited (%s) after %.1fs; restarting in %gs (%d of %d crashes allowed in %gs)",
                process.label,
                describe_exit(returncode),
                lived,
                delay,
                len(crashes),
                self.policy.max_crashes - 1,
                self.policy.window,
            )
            if await self._pause(delay):
                return

    async def _run_once(self, process: ShardProcess) -> int:
        """Start the child and wait for it; a child that cannot start counts as exit code 127."""
        argv = list(self.command(process))
        try:
            child = await asyncio.create_subprocess_exec(
                *argv, env=self.env, process_group=0, preexec_fn=self._preexec
            )
        except OSError as error:
            log.error("%s could not start %s: %s", process.label, argv[0], error.strerror)
            return 127
        self._children[process.index] = child
        log.info("Started %s: pid %d", process.label, child.pid)
        if self._stopping.is_set():  # the stop came while it was being started
            self._send(process.index, self._signal)
        return await child.wait()


async def supervise(supervisor: Supervisor, *, handle_signals: bool = True) -> int:
    """Run `supervisor` until SIGTERM/SIGINT (forwarded to every child) or a crash loop.

    Returns the exit status for the command line: 0 after a clean stop, 1 otherwise
    (a crash loop is logged as an error first).
    """
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    if handle_signals:
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, supervisor.stop, signum)
                handled.append(signum)
    try:
        return await supervisor.run()
    except CrashLoop as crash:
        log.error("%s", crash)
        return 1
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
