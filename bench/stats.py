"""Latency samples and their percentiles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of already sorted values (0 when there are none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class Result:
    """One row of the results table."""

    name: str
    n: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list, repr=False)  # seconds
    concurrency: int = 1
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def per_second(self) -> float | None:
        return self.n / self.seconds if self.seconds > 0 and self.n else None

    def ms(self, fraction: float) -> float | None:
        if not self.latencies:
            return None
        return percentile(sorted(self.latencies), fraction) * 1000

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"name": self.name, "n": self.n, "concurrency": self.concurrency}
        if self.per_second is not None:
            body["per_second"] = round(self.per_second, 1)
        if self.latencies:
            body.update(
                p50_ms=round(self.ms(0.50) or 0, 3),
                p99_ms=round(self.ms(0.99) or 0, 3),
                max_ms=round(max(self.latencies) * 1000, 3),
            )
        if self.note:
            body["note"] = self.note
        body.update(self.extra)
        return body
