"""A full run's printed report, recorded as bench/recorded/SUITE.md: the figures bench/README.md cites.

Only a full run with the defaults is recorded (no option at all: not --quick, not a subset or
other rounds, and only when it exits 0), so a recording always holds every candidate measured side
by side in one run, as `./lab bench` takes it.
"""

import io
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO, cast

from .candidates import ROOT

PROGRESS = re.compile(r"^\s*(?:==> )?(?:round \d+/\d+|\d+ runs:)")    # "round 2/3 ...": progress, not figures
COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class Tee(io.TextIOBase):
    """Writes through to a stream and keeps a copy."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def is_full_run(argv: list[str]) -> bool:
    return not argv


def machine() -> str:
    """CPU model, CPUs and kernel, for the recording's header."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    virtual = subprocess.run(["systemd-detect-virt"], capture_output=True, text=True).stdout.strip() \
        if Path("/usr/bin/systemd-detect-virt").exists() else ""
    return f"{model}, {os.cpu_count()} CPUs{', ' + virtual if virtual and virtual != 'none' else ''}, " \
           f"Linux {platform.release()}"


def write(suite: str, argv: list[str], report: str) -> Path:
    """Writes bench/recorded/SUITE.md from a full run's printed report; returns its path."""
    path = ROOT / "bench" / "recorded" / f"{suite}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    command = " ".join(["./lab bench", suite] + argv)
    figures = [COLOUR.sub("", line) for line in report.splitlines() if not PROGRESS.match(line)]
    lines = [f"# `{command}`: the recorded run",
             "",
             "Written by the run itself (tools/netlab_bench/record.py); bench/README.md explains the method",
             "and reads these figures. Re-record with the same command on a quiet machine.",
             "",
             f"- when: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             f"- machine: {machine()}",
             "",
             "```text",
             "\n".join(figures).strip("\n"),
             "```",
             ""]
    path.write_text("\n".join(lines), "utf-8")
    return path


def recording(suite: str) -> Tee | None:
    """Starts copying stdout when this is a full run; None otherwise."""
    if not is_full_run(sys.argv[1:]):
        return None
    tee = Tee(sys.stdout)
    sys.stdout = cast(TextIO, tee)
    return tee


def finish(suite: str, tee: Tee | None, status: int) -> None:
    """Restores stdout and, after a successful full run, writes the recording."""
    if tee is None:
        return
    sys.stdout = tee.stream
    if status == 0:
        print(f"recorded: {write(suite, sys.argv[1:], tee.copy.getvalue()).relative_to(ROOT)}")
