"""CPU use from /proc: a process's CPU seconds, and how busy one CPU was between two samples."""

import os
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

CpuTimes = tuple[int, int, int]   # (busy, steal, total) jiffies of one CPU


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, all its threads, from /proc (None once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_times(cpu: int) -> CpuTimes | None:
    """(busy, steal, total) jiffies of one CPU from /proc/stat; busy counts softirqs, which on loopback
    carry much of TCP's work and are not always charged to a process."""
    for line in Path("/proc/stat").read_text().splitlines():
        fields = line.split()
        if fields and fields[0] == f"cpu{cpu}":
            user, nice, system, idle, iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
            busy = user + nice + system + irq + softirq
            return busy, steal, busy + steal + idle + iowait
    return None


def core_use(before: CpuTimes | None, after: CpuTimes | None) -> tuple[float, float] | None:
    """(busy %, steal %) of one CPU between two cpu_times() samples."""
    if before is None or after is None or after[2] <= before[2]:
        return None
    total = after[2] - before[2]
    return 100.0 * (after[0] - before[0]) / total, 100.0 * (after[1] - before[1]) / total
