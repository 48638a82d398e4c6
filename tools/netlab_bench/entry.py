"""What every suite's entry point does around its main(): idle CPUs polling, and no child left behind."""

import signal
import sys
from collections.abc import Callable
from types import FrameType

from cpu_idle import PollingIdle

from . import record
from .process import Child, become_subreaper


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def run(main: Callable[[PollingIdle], int], name: str, suite: str) -> int:
    """Runs main with idle CPUs polling; SIGTERM, SIGHUP and Ctrl-C end it, and every child is killed and reaped.
    A full run's report is recorded as bench/recorded/SUITE.md (record.py)."""
    become_subreaper()
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    tee = record.recording(suite)
    status = 1
    try:
        with PollingIdle() as polling:
            status = main(polling)
            return status
    except KeyboardInterrupt:
        print(f"\n{name}: interrupted", file=sys.stderr)
        return 130
    finally:
        Child.kill_all()
        record.finish(suite, tee, status)
