"""The machine a run happens on: usable CPU cores, and a line naming the machine for
reports and benchmarks, so figures say where they were measured."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_count() -> int:
    """Cores this process may use (the affinity mask, not the host's total)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def describe() -> str:
    """e.g. 'AMD EPYC, 2 cores, x86_64, Python 3.11.7'."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{model or platform.processor() or platform.machine()}, {cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}"
    )
