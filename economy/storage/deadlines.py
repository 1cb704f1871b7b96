"""When a write must have started, else it is dropped unperformed (every backend honours it).

The bot sets one deadline per interaction (`write_deadline`, a context variable, so every write
the interaction's task makes sees it) and moves it later once it has deferred the answer: a
write is then either answered, now or as a follow-up, or never performed.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def no_deadline() -> Iterator[None]:
    """Writes that finish work already committed (the later steps of a reset) run whatever
    the interaction's deadline: dropping them would leave the work half done."""
    token = write_deadline.set(None)
    try:
        yield
    finally:
        write_deadline.reset(token)
