"""The event loop's lag and the process's memory while long work runs: `/tally export` of a
big ledger and `/tally reset` of a member with many entries (other servers writing meanwhile).

A probe asks to wake every `TICK_S`; how late it wakes is the lag every other interaction
would see at that moment. The probe also samples resident memory, so the peak above the
baseline is the work's own memory. Target (issue 11): the loop's maximum lag under 100 ms.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from bench.bulk import Loader, member_id
from bench.harness import BENCH_GUILD, bench_bot
from bench.stats import Result
from bot.fakes import ALL_PERMISSIONS
from bot.offline import FakeGuild, FakeUser

TICK_S = 0.005
LAG_MAX_MS = 100.0
OTHER_GUILD = FakeGuild(id=1_700_000_000_000_000_002)
MANAGER = FakeUser(1_700_000_000_000_000_100, "manager", permissions=ALL_PERMISSIONS)


def resident_mib() -> float:
    """Resident memory now (VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class LagProbe:
    """``async with LagProbe() as probe:`` ... then `probe.lags` (seconds) and
    `probe.peak_mib_above_start`."""

    def __init__(self, tick: float = TICK_S) -> None:
        self.tick = tick
        self.lags: list[float] = []
        self.start_mib = 0.0
        self.peak_mib = 0.0
        self._running = False
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while self._running:
            before = time.perf_counter()
            await asyncio.sleep(self.tick)
            self.lags.append(max(0.0, time.perf_counter() - before - self.tick))
            self.peak_mib = max(self.peak_mib, resident_mib())

    async def __aenter__(self) -> LagProbe:
        self.start_mib = self.peak_mib = resident_mib()
        self._running = True
        self._task = asyncio.create_task(self._run())
        await asyncio.sleep(0)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._running = False
        if self._task is not None:
            await self._task

    @property
    def max_ms(self) -> float:
        return max(self.lags, default=0.0) * 1000

    @property
    def peak_mib_above_start(self) -> float:
        return self.peak_mib - self.start_mib


def lag_result(name: str, probe: LagProbe, seconds: float, note: str) -> Result:
    result = Result(name, len(probe.lags), seconds, list(probe.lags), note=note)
    result.extra.update(
        max_lag_ms=round(probe.max_ms, 3),
        peak_rss_above_start_mib=round(probe.peak_mib_above_start, 1),
    )
    return result


async def export_lag(folder: Path, rows: int) -> Result:
    """`/tally export` of `rows` entries through the bot, the probe running."""
    path = folder / f"export-{rows}.sqlite3"
    async with bench_bot(path) as driver:
        Loader(path, BENCH_GUILD.id, members=1000).add(rows)
        payload = driver.command_payload("tally export", {}, user=MANAGER, guild=BENCH_GUILD)
        begin = time.perf_counter()
        async with LagProbe() as probe:
            await driver.send(payload)
        seconds = time.perf_counter() - begin
        sent = driver.adapter.take(payload["token"])
    files = [f for r in sent for f in r.files]
    uploaded = sum(len(data) for _, data in files) / 2**20
    if not files:
        raise AssertionError("the export sent no file")
    return lag_result(
        f"event loop lag, /tally export of {rows:,} rows",
        probe,
        seconds,
        f"max {probe.max_ms:.1f} ms; {len(files)} part(s), {uploaded:.1f} MiB gzip (held by the"
        f" capture); RSS +{probe.peak_mib_above_start:.0f} MiB",
    )


async def reset_lag(folder: Path, rows: int) -> tuple[Result, Result]:
    """`/tally reset` of a member with `rows` entries while another server records gifts."""
    path = folder / f"reset-{rows}.sqlite3"
    async with bench_bot(path) as driver:
        Loader(path, BENCH_GUILD.id, members=1).add(rows)
        big = FakeUser(member_id(0), "big")
        prompt_payload = driver.command_payload(
            "tally reset", {"member": big}, user=MANAGER, guild=BENCH_GUILD,
            members={big.id: big},
        )  # fmt: skip
        [prompt] = await driver.send(prompt_payload)
        message_id = prompt.message_id or ""
        custom_id = driver.button_id(message_id, "confirm:yes")
        press = driver.component_payload(message_id, custom_id, user=MANAGER, guild=BENCH_GUILD)
        writes: list[float] = []
        done = False

        async def other_server() -> None:
            i = 0
            while not done:
                user = FakeUser(1_700_000_000_000_100_000 + i, f"v{i}")
                payload = driver.command_payload(
                    "tally add", {"gift": "rose"}, user=user, guild=OTHER_GUILD
                )
                begin = time.perf_counter()
                await driver.send(payload)
                writes.append(time.perf_counter() - begin)
                replies = driver.adapter.take(payload["token"])
                if not replies or replies[-1].ephemeral:
                    raise AssertionError(f"a write during the reset failed: {replies}")
                i += 1

        async def reset() -> None:
            nonlocal done
            try:
                await driver.send(press)
            finally:
                done = True

        begin = time.perf_counter()
        async with LagProbe() as probe:
            await asyncio.gather(reset(), other_server())
        seconds = time.perf_counter() - begin
        final = driver.adapter.take(press["token"])
        driver.adapter.take(prompt_payload["token"])
        if not final or "reset" not in str(final[-1].data.get("embeds")).lower():
            raise AssertionError(f"the reset did not finish: {final}")
    lag = lag_result(
        f"event loop lag, /tally reset of {rows:,} entries",
        probe,
        seconds,
        f"max {probe.max_ms:.1f} ms; reset took {seconds:.1f} s",
    )
    others = Result(
        "/tally add in another server during that reset",
        len(writes),
        seconds,
        writes,
        note="one at a time, all answered and saved",
    )
    return lag, others


async def lag_benchmarks(folder: Path, quick: bool) -> list[Result]:
    export_rows, reset_rows = (50_000, 20_000) if quick else (1_000_000, 200_000)
    results = list(await reset_lag(folder, reset_rows))
    results.append(await export_lag(folder, export_rows))
    return results


def lag_targets(results: list[Result]) -> list[dict[str, Any]]:
    """The loop's maximum lag during the export and the reset."""
    targets = []
    for result in results:
        if not result.name.startswith("event loop lag, /tally"):
            continue
        value = result.extra["max_lag_ms"]
        targets.append(
            {
                "target": f"{result.name.removeprefix('event loop lag, ')}: max loop lag",
                "wanted": f"< {LAG_MAX_MS:g} ms",
                "value": value,
                "met": value < LAG_MAX_MS,
            }
        )
    return targets
