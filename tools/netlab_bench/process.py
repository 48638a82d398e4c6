"""Child processes of a bench: started pinned, waited for with deadlines, drained, and stopped.

Every suite starts its servers (and the clients it must watch while they run) through Child:
  - both outputs are read by threads from the start, so a child never blocks on a full pipe and
    its last lines are at hand to say what it printed when it fails;
  - its ready line ("listening on HOST:PORT") is awaited with a deadline, never a bare readline();
  - it is stopped with SIGTERM, then SIGKILL (its whole session) once the deadline has passed.
"""

import collections
import ctypes
import os
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import IO, ClassVar

START_TIMEOUT = 10.0   # seconds a server has to print its ready line
STOP_TIMEOUT = 10.0    # seconds a child has to exit after a signal
LISTENING = r"^listening on (\S+):(\d+)$"


class BenchError(Exception):
    """A run that did not work: the suite reports it and exits 1."""


def pinned(cpu: int | None, argv: list[str]) -> list[str]:
    """argv run on one CPU (taskset -c), or as it is when cpu is None."""
    return argv if cpu is None else ["taskset", "-c", str(cpu), *argv]


class Child:
    """A process in its own session (killpg reaches its forks), its stdout and stderr drained by threads.

    With count_stdout, stdout lines after the ready line are only counted (counted, last_line_at),
    not kept: for a subscriber that prints thousands of payloads."""

    live: ClassVar[set["Child"]] = set()

    def __init__(self, name: str, argv: list[str], ready: str | None = None, cpu: int | None = None,
                 count_stdout: bool = False):
        self.name = name
        self.pattern = re.compile(ready) if ready else None
        self.match: re.Match[str] | None = None
        self.ready_at: float | None = None       # time.perf_counter() when the ready line was read
        self.counted = 0
        self.last_line_at: float | None = None   # time.perf_counter() of the last counted line
        self.tail: collections.deque[str] = collections.deque(maxlen=8)
        self._count_stdout = count_stdout
        self._ready = threading.Event()
        self._open_streams = 2
        self._lock = threading.Lock()
        self._readers: list[threading.Thread] = []
        try:
            self.proc = subprocess.Popen(pinned(cpu, argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, start_new_session=True)
        except OSError as error:
            raise BenchError(f"{name}: cannot start {argv[0]}: {error.strerror}") from error
        Child.live.add(self)
        for stream, is_stdout in ((self.proc.stdout, True), (self.proc.stderr, False)):
            assert stream is not None
            reader = threading.Thread(target=self._drain, args=(stream, is_stdout), daemon=True)
            reader.start()
            self._readers.append(reader)

    def _drain(self, stream: IO[bytes], is_stdout: bool) -> None:
        for raw in stream:
            now = time.perf_counter()
            if is_stdout and self._count_stdout and (self.pattern is None or self.match is not None):
                self.counted += 1
                self.last_line_at = now
                continue
            line = raw.decode(errors="replace").rstrip("\n")
            self.tail.append(line)
            if self.pattern is not None and self.match is None and (found := self.pattern.search(line)):
                self.match, self.ready_at = found, now
                self._ready.set()
        with self._lock:
            self._open_streams -= 1
            if self._open_streams == 0:
                self._ready.set()   # both streams closed: it will never say it is ready

    def said(self) -> str:
        """Its last lines of output, for an error message."""
        return " | ".join(self.tail) or "no output"

    def wait_ready(self, timeout: float = START_TIMEOUT) -> re.Match[str]:
        """Waits for the ready line; raises BenchError naming what it printed if it exits or times out first."""
        assert self.pattern is not None, "wait_ready needs a ready pattern"
        if not self._ready.wait(timeout):
            raise BenchError(f"{self.name}: no '{self.pattern.pattern}' line within {timeout:.0f} s "
                             f"(it printed: {self.said()})")
        if self.match is None:
            try:
                status: int | str = self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                status = "none (it closed its output but kept running)"
            raise BenchError(f"{self.name} exited with status {status} before it was ready: {self.said()}")
        return self.match

    def wait(self, timeout: float) -> int:
        """Waits for its exit and for its output to be read; kills it and raises BenchError after timeout."""
        try:
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise BenchError(f"{self.name} did not finish within {timeout:.0f} s (it printed: {self.said()})")
        for reader in self._readers:
            reader.join(timeout=STOP_TIMEOUT)
        return status

    def stop(self, how: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT, require_success: bool = True) -> int:
        """Sends how, waits timeout for the exit, then SIGKILLs what is left; returns the exit status.
        Raises BenchError naming what it printed when it had to be killed, or (require_success) exited non-zero."""
        try:
            self.proc.send_signal(how)
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise BenchError(f"{self.name} did not exit within {timeout:.0f} s of {signal.Signals(how).name}, "
                             f"killed (it printed: {self.said()})")
        finally:
            self.kill()
        if require_success and status != 0:
            raise BenchError(f"{self.name} exited with status {status} after {signal.Signals(how).name} "
                             f"(expected 0): {self.said()}")
        return status

    def wait_childless(self, timeout: float = STOP_TIMEOUT) -> None:
        """Waits (polling, with a deadline) until the process has no child left, so that stopping it
        then leaves no orphan behind (in a container, PID 1 may never reap one)."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if not children.read_text().split():
                    return
            except OSError:
                return
            time.sleep(0.01)

    def kill(self) -> None:
        """SIGKILLs its whole session and reaps it; harmless once it has exited."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        Child.live.discard(self)

    @classmethod
    def kill_all(cls) -> None:
        """Kills every child still running, then reaps the orphans their forks left to us."""
        for child in list(cls.live):
            child.kill()
        children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline:
            try:
                while os.waitpid(-1, os.WNOHANG)[0] > 0:
                    pass
                if not children.read_text().split():
                    return
            except (ChildProcessError, OSError):
                return
            time.sleep(0.01)


def start_server(name: str, argv: list[str], cpu: int | None,
                 timeout: float = START_TIMEOUT) -> tuple[Child, str, int]:
    """Starts a server pinned to cpu and waits for its "listening on HOST:PORT" line; returns (child, host, port).
    A server that does not get there is killed, and the BenchError names what it printed."""
    child = Child(name, argv, LISTENING, cpu)
    try:
        found = child.wait_ready(timeout)
    except BenchError:
        child.kill()
        raise
    return child, found.group(1), int(found.group(2))


def become_subreaper() -> None:
    """Orphans of our children (a killed socat's forks) become ours, so Child.kill_all can reap them."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)   # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    """A port that was free a moment ago, for the programs that need a fixed one (socat, iperf3)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
