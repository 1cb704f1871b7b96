"""When a write must have started, else it is dropped unperformed (every backend honours it).

The bot sets one deadline per interaction (`write_deadline`, a context variable, so every write
the interaction's task makes sees it) and moves it later once it has deferred the answer: a
write is then either answered, now or as a follow-up, or never performed.
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass


@dataclass
class WriteDeadline:
    """The `time.monotonic()` by which a write must start."""

    start_by: float

    def passed(self) -> bool:
        return time.monotonic() > self.start_by


write_deadline: contextvars.ContextVar[WriteDeadline | None] = contextvars.ContextVar(
    "write_deadline", default=None
)
