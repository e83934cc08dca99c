"""The machine a run happens on: usable CPU cores, and a line naming the machine for
reports and benchmarks, so figures say where they were measured."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path


def cpu_count() -> int:
    """Cores this process may use (the affinity mask, not the host's total)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def cpu_model() -> str:
    """The CPU's model name, e.g. 'AMD EPYC' or 'Intel(R) Xeon(R) Platinum 8375C'."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def slug() -> str:
    """A file-name part naming the CPU and its cores, e.g. 'amd-epyc-2-cores', so that
    figures from different machines are kept apart."""
    name = re.sub(r"\((r|tm)\)", "", cpu_model(), flags=re.IGNORECASE)
    words = re.findall(r"[a-z0-9]+", name.lower())
    return "-".join([*words[:6], str(cpu_count()), "cores"])


def describe() -> str:
    """e.g. 'AMD EPYC, 2 cores, x86_64, Python 3.11.7'."""
    return (
        f"{cpu_model()}, {cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}"
    )
