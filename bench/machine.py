"""What the numbers were measured on, and how much memory the process holds."""

from __future__ import annotations

import os
import platform
import resource
import sqlite3
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any


def cpu_model() -> str:
    """`model name` from /proc/cpuinfo (falls back to platform.processor())."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, Any]:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": round(_meminfo_kib("MemTotal") / 1024 / 1024, 1) or None,
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "discord.py": _version("discord.py"),
        "aiosqlite": _version("aiosqlite"),
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


def _meminfo_kib(key: str) -> int:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def memory_mib() -> dict[str, float]:
    """Resident memory now (VmRSS) and at its peak (VmHWM), in MiB.

    VmHWM, not ru_maxrss: a process started with fork + exec inherits ru_maxrss from its
    parent (the pages it shared right after fork count), so a bot process started by the
    benchmark would report the benchmark's own peak.
    """
    status: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                status[key] = int(value.split()[0]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    peak = status.get("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rss_mib": round(status.get("VmRSS", 0.0), 1), "peak_rss_mib": round(peak, 1)}
