"""The benchmark's report: each target checked against the results, and the results table."""

from __future__ import annotations

from typing import Any

from bench.postgres import pg_targets
from bench.stats import Result

# Targets (issue 6).
WRITE_RATIO_MIN = 3.0  # group-committed FULL writes vs the raw NORMAL loop, 100 in flight
READ_P99_MAX_MS = 20.0
READ_FLATNESS_MAX = 2.0  # p99 at the largest size / p99 at the smallest ...
READ_FLATNESS_SLACK_MS = 1.0  # ... or this much more: sub-ms p99s jitter on shared machines
AUTOCOMPLETE_P99_MAX_MS = 5.0


def check_targets(results: list[Result]) -> list[dict[str, Any]]:
    """Each target with the measured value and whether it was met."""
    targets: list[dict[str, Any]] = []

    def add(name: str, target: str, value: float | None, ok: bool | None) -> None:
        targets.append(
            {
                "target": name,
                "wanted": target,
                "value": None if value is None else round(value, 3),
                "met": ok,
            }
        )

    storage = next((r for r in results if r.name.startswith("tally writes: storage")), None)
    ratio = storage.extra.get("ratio_vs_raw_normal") if storage else None
    add(
        "storage (group commit, FULL) / raw loop (NORMAL) writes/s",
        f">= {WRITE_RATIO_MIN}",
        ratio,
        None if ratio is None else ratio >= WRITE_RATIO_MIN,
    )
    for command in ("leaderboard", "show"):
        everything = [
            r for r in results if r.name.startswith(f"/tally {command} @") and r.latencies
        ]
        sized = [r for r in everything if not r.name.endswith("(new bot process)")]
        if not sized:
            add(f"/tally {command} p99 at largest size", f"< {READ_P99_MAX_MS} ms", None, None)
            continue
        last, first = sized[-1], sized[0]
        largest = [r for r in everything if r.extra.get("ledger_rows") == last.extra["ledger_rows"]]
        p99 = max(r.ms(0.99) or 0.0 for r in largest)
        add(
            f"/tally {command} p99 @ {last.extra['ledger_rows']:,} rows",
            f"< {READ_P99_MAX_MS} ms",
            p99,
            p99 < READ_P99_MAX_MS,
        )
        small, large = first.ms(0.99) or 1e-9, last.ms(0.99) or 0.0
        add(
            f"/tally {command} p99 growth ({first.extra['ledger_rows']:,} -> "
            f"{last.extra['ledger_rows']:,} rows, same process)",
            f"<= {READ_FLATNESS_MAX}x (or +{READ_FLATNESS_SLACK_MS} ms)",
            large / small,
            large <= max(READ_FLATNESS_MAX * small, small + READ_FLATNESS_SLACK_MS),
        )
    auto = next((r for r in results if r.name.startswith("autocomplete")), None)
    auto_p99 = auto.ms(0.99) if auto else None
    add(
        "autocomplete p99",
        f"< {AUTOCOMPLETE_P99_MAX_MS} ms",
        auto_p99,
        None if auto_p99 is None else auto_p99 < AUTOCOMPLETE_P99_MAX_MS,
    )
    return targets


def postgres_targets(results: list[Result]) -> list[dict[str, Any]]:
    return [
        {"target": name, "wanted": wanted, "value": None if value is None else round(value, 3),
         "met": met}
        for name, wanted, value, met in pg_targets(results)
    ]  # fmt: skip


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(results: list[Result]) -> str:
    header = ("scenario", "n", "in flight", "per s", "p50 ms", "p99 ms", "note")
    rows = [
        (
            r.name,
            str(r.n) if r.n else "-",
            str(r.concurrency),
            _fmt(r.per_second, 0),
            _fmt(r.ms(0.5)),
            _fmt(r.ms(0.99)),
            r.note,
        )
        for r in results
        if r.name != "warm-up"
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(header)).rstrip()]
    lines.append("-|-".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            " | ".join(
                cell.rjust(widths[i]) if 0 < i < 6 else cell.ljust(widths[i])
                for i, cell in enumerate(row)
            ).rstrip()
        )
    return "\n".join(lines)
