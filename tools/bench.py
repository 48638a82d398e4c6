#!/usr/bin/env python3
"""./lab bench: every echo server in the repo, measured side by side in one run.

For each cell (a load shape) each candidate server runs pinned to one CPU (taskset -c 0) while
build/bin/echo_load drives it from the other CPU (taskset -c 1). Within a round the candidates
alternate (A-B-C, then B-C-A in the next round, ...); the report gives medians over the rounds
and each candidate's ratio to lab 04's epoll_echo_server, the median of the per-round ratios, so
both sides of a ratio were measured minutes apart at most. Anchors run in the same rounds:
  socat TCP-LISTEN,fork EXEC:cat   the naive peer (a process and a cat per connection)
  iperf3, one stream                the bulk limit of loopback TCP on these CPUs
  raw_pingpong                      two processes, blocking calls: the latency floor
While it runs, idle CPUs poll instead of halting (tools/cpu_idle.py, as root), so a wake-up across
cores does not cost a hypervisor round trip.

Writes into --out (default build/bench): results.csv (medians), runs.csv (every run),
goals.csv, summary.txt (the printed report), chart.tsv and chart.gp; the PNG goes to --chart.

Exit status: 0 when every run worked, whatever the figures (they are not asserted); 1 when the
harness broke (a server did not start or stop cleanly, echo_load found a wrong byte, a reset or
a stall); 2 on a usage error.
"""

import argparse
import collections
import csv
import ctypes
import datetime
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from cpu_idle import PollingIdle

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
START_TIMEOUT = 10.0   # seconds a server has to print its "listening on" line
STOP_TIMEOUT = 10.0    # seconds a server has to exit after SIGINT
STALL_TIMEOUT = 5.0    # echo_load --timeout: a connection owed bytes that long is an error


class BenchError(Exception):
    """A run that did not work: the harness reports it and exits 1 at the end."""


# ---- what is measured ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Server:
    key: str
    label: str
    program: str                          # in --bin
    options: Callable[[int], list[str]]   # extra options for N connections
    protocol: str = "tcp"                 # echo_load --protocol: tcp, or websocket (a frame per message)
    modes: tuple[str, ...] = ("pingpong", "bulk")   # the cells' modes this candidate can serve


def _thread_limit(n: int) -> list[str]:
    return ["--max-clients", str(min(10000, max(64, n)))]


SERVERS = [
    Server("threads", "lab 01 threads", "tcp_echo_server", _thread_limit),
    Server("core", "lab 03 core threads", "core_echo_server", _thread_limit),
    Server("epoll", "lab 04 epoll", "epoll_echo_server", lambda n: []),
    Server("libevent", "lab 05 libevent", "libevent_echo_server",
           lambda n: ["--max-connections", str(max(1000, n)), "--idle-timeout", "0"]),
    Server("libevent_direct", "lab 05 libevent direct", "libevent_echo_server",
           lambda n: ["--max-connections", str(max(1000, n)), "--idle-timeout", "0", "--direct-read"]),
    Server("qt", "lab 06 Qt", "qt_echo_server", lambda n: []),
    Server("ws", "lab 09 WebSocket", "ws_echo_server",
           lambda n: ["--max-connections", str(max(1000, n)), "--idle-timeout", "0"],
           protocol="websocket", modes=("pingpong",)),
]
REFERENCE = "epoll"
ANCHORS = {"socat": "socat fork+cat", "raw": "raw blocking pair", "iperf3": "iperf3 1 stream"}
COLOURS = {"threads": "#8da0cb", "core": "#a6d854", "epoll": "#1b9e77", "libevent": "#d95f02",
           "libevent_direct": "#fdae61",
           "qt": "#7570b3", "ws": "#e6ab02", "socat": "#999999", "raw": "#444444", "iperf3": "#e7298a"}


@dataclass(frozen=True)
class Cell:
    key: str
    title: str
    chart_label: str
    mode: str
    size: int
    connections: int
    anchors: tuple[str, ...] = ()
    same_core: bool = False   # server and echo_load (or both raw ends) on the server's CPU
    in_quick: bool = True


CELLS = [
    Cell("pp1", "ping-pong 64 B, N=1", "64 B N=1", "pingpong", 64, 1, ("socat", "raw")),
    Cell("pp10", "ping-pong 64 B, N=10", "64 B N=10", "pingpong", 64, 10, ("socat",)),
    Cell("pp100", "ping-pong 64 B, N=100", "64 B N=100", "pingpong", 64, 100, ("socat",)),
    Cell("pp1000", "ping-pong 64 B, N=1000", "64 B N=1000", "pingpong", 64, 1000, (), in_quick=False),
    Cell("same1", "same core: ping-pong 64 B, N=1, server and client on one CPU", "same core N=1",
         "pingpong", 64, 1, ("raw",), same_core=True),
    Cell("bulk10", "bulk 16 KiB writes, N=10, one-way bytes/s", "bulk 16 KiB N=10", "bulk", 16384, 10,
         ("iperf3",)),
]


@dataclass
class Run:
    round: int
    cell: str
    who: str
    ok: bool = False
    error: str = ""
    msgs_per_s: float | None = None
    mb_per_s: float | None = None
    p50_us: float | None = None
    p99_us: float | None = None
    gen_cpu: float | None = None      # % of one core: echo_load (or iperf3 / raw client)
    gen_user_cpu: float | None = None  # the part of gen_cpu spent in user space (not in the kernel)
    server_cpu: float | None = None   # % of one core: the server process, all its threads
    server_core: float | None = None  # % of the server's CPU busy (any process, softirqs too): saturated near 100
    server_steal: float | None = None  # % of the server's CPU taken by the hypervisor (noise from other VMs)

    def throughput(self, cell: Cell) -> float | None:
        return self.mb_per_s if cell.mode == "bulk" else self.msgs_per_s


@dataclass
class Context:
    bin: Path
    seconds: float
    warmup: float
    server_cpu: int
    client_cpu: int
    notes: list[str] = field(default_factory=list)

    def pin(self, cpu: int) -> list[str]:
        return ["taskset", "-c", str(cpu)]


# ---- child processes ---------------------------------------------------------------------------

class Child:
    """A process in its own session (killpg reaches its forks), its output drained by threads."""

    live: set["Child"] = set()

    def __init__(self, name: str, argv: list[str], ready: str):
        self.name = name
        self.pattern = re.compile(ready)
        self.match: re.Match | None = None
        self.tail: collections.deque[str] = collections.deque(maxlen=8)
        self.ready = threading.Event()
        self._open_streams = 2
        self._lock = threading.Lock()
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, errors="replace",
                                     start_new_session=True)
        Child.live.add(self)
        for stream in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=self._drain, args=(stream,), daemon=True).start()

    def _drain(self, stream) -> None:
        for line in stream:
            line = line.rstrip("\n")
            self.tail.append(line)
            if self.match is None and (found := self.pattern.search(line)):
                self.match = found
                self.ready.set()
        with self._lock:
            self._open_streams -= 1
            if self._open_streams == 0:
                self.ready.set()   # both streams closed: it will never say it is ready

    def wait_ready(self, timeout: float = START_TIMEOUT) -> re.Match:
        if not self.ready.wait(timeout):
            raise BenchError(f"{self.name}: no '{self.pattern.pattern}' line within {timeout:.0f} s")
        if self.match is None:
            try:
                status = self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                status = "none (it closed its output but kept running)"
            raise BenchError(f"{self.name} exited with status {status} before it was ready: " + " | ".join(self.tail))
        return self.match

    def stop(self, how: int = signal.SIGINT) -> int:
        """Sends how, waits STOP_TIMEOUT for the exit, then kills what is left; returns the exit status."""
        try:
            self.proc.send_signal(how)
            return self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise BenchError(f"{self.name} did not exit within {STOP_TIMEOUT:.0f} s of {signal.Signals(how).name}")
        finally:
            self.kill()

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


def become_subreaper() -> None:
    """Orphans of our children (a killed socat's forks) become ours, so kill_all can reap them."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)   # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, all its threads, from /proc (None once it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_times(cpu: int) -> tuple[int, int, int] | None:
    """(busy, steal, total) jiffies of one CPU from /proc/stat; busy counts softirqs, which on loopback
    carry much of TCP's work and are not always charged to a process."""
    for line in Path("/proc/stat").read_text().splitlines():
        fields = line.split()
        if fields and fields[0] == f"cpu{cpu}":
            user, nice, system, idle, iowait, irq, softirq, steal = (int(v) for v in fields[1:9])
            busy = user + nice + system + irq + softirq
            return busy, steal, busy + steal + idle + iowait
    return None


def core_use(before: tuple[int, int, int] | None, after: tuple[int, int, int] | None) -> tuple[float, float] | None:
    """(busy %, steal %) of one CPU between two cpu_times() samples."""
    if before is None or after is None or after[2] <= before[2]:
        return None
    total = after[2] - before[2]
    return 100.0 * (after[0] - before[0]) / total, 100.0 * (after[1] - before[1]) / total


def free_port() -> int:
    """A port that was free a moment ago, for the anchors that need a fixed one (socat, iperf3)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_json(argv: list[str], timeout: float, name: str) -> dict:
    """Runs a client to completion with a deadline; returns the JSON it printed last."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{name} did not finish within {timeout:.0f} s")
    if done.returncode != 0:
        lines = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()
        raise BenchError(f"{name} failed (status {done.returncode}): {lines[0]}")
    text = done.stdout.strip()
    for document in (text, text.splitlines()[-1] if text else ""):   # iperf3: a document; ours: one line
        try:
            return json.loads(document)
        except ValueError:
            pass
    raise BenchError(f"{name} printed no JSON: {done.stdout[:200]!r}")


# ---- one run of one candidate -------------------------------------------------------------------

def echo_load(ctx: Context, cell: Cell, port: int, protocol: str = "tcp") -> dict:
    cpu = ctx.server_cpu if cell.same_core else ctx.client_cpu
    argv = ctx.pin(cpu) + [str(ctx.bin / "echo_load"), "--connect", f"127.0.0.1:{port}", "--protocol", protocol,
                           "--connections", str(cell.connections), "--size", str(cell.size),
                           "--mode", cell.mode, "--seconds", str(ctx.seconds), "--warmup", str(ctx.warmup),
                           "--timeout", str(STALL_TIMEOUT), "--json"]
    return run_json(argv, ctx.seconds + ctx.warmup + 2 * STALL_TIMEOUT + 30, "echo_load")


def fill(run: Run, figures: dict) -> None:
    run.msgs_per_s = figures["msgs_per_s"]
    run.mb_per_s = figures["mb_per_s"]
    if figures.get("rtt_samples", 0) > 0:
        run.p50_us = figures["rtt_p50_us"]
        run.p99_us = figures["rtt_p99_us"]
    run.gen_cpu = figures["cpu_percent"]
    if figures.get("seconds", 0) > 0:
        run.gen_user_cpu = 100.0 * figures["cpu_user_s"] / figures["seconds"]


def measure_server(ctx: Context, cell: Cell, server: Server, run: Run) -> None:
    argv = ctx.pin(ctx.server_cpu) + [str(ctx.bin / server.program), "--listen", "127.0.0.1:0"]
    child = Child(server.program, argv + server.options(cell.connections), r"^listening on (\S+):(\d+)$")
    try:
        port = int(child.wait_ready().group(2))
        cpu_before, core_before, started = cpu_seconds(child.proc.pid), cpu_times(ctx.server_cpu), time.monotonic()
        figures = echo_load(ctx, cell, port, server.protocol)
        cpu_after, core_after, elapsed = cpu_seconds(child.proc.pid), cpu_times(ctx.server_cpu), time.monotonic() - started
        fill(run, figures)
        if cpu_before is not None and cpu_after is not None:
            run.server_cpu = 100.0 * (cpu_after - cpu_before) / elapsed
        if use := core_use(core_before, core_after):
            run.server_core, run.server_steal = use
        status = child.stop(signal.SIGINT)
        if status != 0:
            raise BenchError(f"{server.program} exited with status {status} after SIGINT (expected 0): "
                             + " | ".join(child.tail))
    finally:
        child.kill()


def measure_socat(ctx: Context, cell: Cell, run: Run) -> None:
    for attempt in (1, 2):   # the fixed port may have been taken since free_port() saw it free
        port = free_port()
        argv = ctx.pin(ctx.server_cpu) + ["socat", "-d", "-d",
                                          f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,backlog=1024",
                                          "EXEC:cat"]
        child = Child("socat", argv, r"listening on")
        try:
            child.wait_ready()
            fill(run, echo_load(ctx, cell, port))
            child.wait_childless()    # each forked socat ends (and is reaped) once its client closed
            child.stop(signal.SIGTERM)
            return
        except BenchError:
            if attempt == 1 and any("Address already in use" in line for line in child.tail):
                continue
            raise
        finally:
            child.kill()


def measure_iperf3(ctx: Context, cell: Cell, run: Run) -> None:
    seconds = max(1, round(ctx.seconds))          # iperf3 -t takes whole seconds; 0 would mean forever
    omit = 1 if ctx.warmup >= 0.5 else 0           # -O: leave the slow-start second out, like --warmup
    for attempt in (1, 2):
        port = free_port()
        argv = ctx.pin(ctx.server_cpu) + ["iperf3", "--server", "--one-off", "--forceflush", "--bind",
                                          "127.0.0.1", "--port", str(port)]
        child = Child("iperf3 --server", argv, r"Server listening on")
        try:
            child.wait_ready()
            figures = run_json(ctx.pin(ctx.client_cpu) + ["iperf3", "--client", "127.0.0.1", "--port", str(port),
                                                          "--time", str(seconds), "--omit", str(omit), "--json"],
                               seconds + omit + 30, "iperf3 --client")
            if "error" in figures:
                raise BenchError(f"iperf3: {figures['error']}")
            end = figures["end"]
            run.mb_per_s = end["sum_received"]["bits_per_second"] / 8 / 1e6
            run.gen_cpu = end["cpu_utilization_percent"]["host_total"]
            run.server_cpu = end["cpu_utilization_percent"]["remote_total"]
            child.proc.wait(timeout=STOP_TIMEOUT)   # --one-off: it exits after the test
            return
        except subprocess.TimeoutExpired:
            raise BenchError(f"iperf3 --server did not exit within {STOP_TIMEOUT:.0f} s of its one test")
        except BenchError:
            if attempt == 1 and any("in use" in line for line in child.tail):
                continue
            raise
        finally:
            child.kill()


def measure_raw(ctx: Context, cell: Cell, run: Run) -> None:
    client = ctx.server_cpu if cell.same_core else ctx.client_cpu
    argv = [str(ctx.bin / "raw_pingpong"), "--size", str(cell.size), "--seconds", str(ctx.seconds),
            "--warmup", str(ctx.warmup), "--server-cpu", str(ctx.server_cpu), "--client-cpu", str(client), "--json"]
    fill(run, run_json(argv, ctx.seconds + ctx.warmup + 30, "raw_pingpong"))


def measure(ctx: Context, cell: Cell, who: str, round_no: int) -> Run:
    run = Run(round_no, cell.key, who)
    try:
        if who == "socat":
            measure_socat(ctx, cell, run)
        elif who == "iperf3":
            measure_iperf3(ctx, cell, run)
        elif who == "raw":
            measure_raw(ctx, cell, run)
        else:
            measure_server(ctx, cell, next(s for s in SERVERS if s.key == who), run)
        run.ok = True
    except BenchError as error:
        run.error = str(error)
    return run


# ---- figures ------------------------------------------------------------------------------------

def label_of(who: str) -> str:
    return ANCHORS.get(who) or next(s.label for s in SERVERS if s.key == who)


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def runs_of(runs: list[Run], cell: str, who: str) -> list[Run]:
    return [r for r in runs if r.cell == cell and r.who == who and r.ok]


def ratio(runs: list[Run], cell: Cell, who: str, base: str,
          metric: Callable[[Run], float | None] | None = None) -> float | None:
    """Median over the rounds of metric(who) / metric(base), each pair from the same round."""
    metric = metric or (lambda r: r.throughput(cell))
    mine = {r.round: metric(r) for r in runs_of(runs, cell.key, who)}
    theirs = {r.round: metric(r) for r in runs_of(runs, cell.key, base)}
    pairs = [mine[k] / theirs[k] for k in mine
             if k in theirs and mine[k] is not None and theirs[k] not in (None, 0)]
    return statistics.median(pairs) if pairs else None


@dataclass
class Summary:
    cell: Cell
    who: str
    runs: int
    msgs_per_s: float | None
    mb_per_s: float | None
    p50_us: float | None
    p99_us: float | None
    gen_cpu: float | None
    server_cpu: float | None
    server_core: float | None
    server_steal: float | None
    vs_epoll: float | None
    per_core_vs_epoll: float | None   # messages per busy second of the server's CPU, relative to epoll
    spread: float | None   # (max - min) / median of the throughput, in %


def summarise(runs: list[Run], cell: Cell, who: str) -> Summary:
    mine = runs_of(runs, cell.key, who)
    speeds = [r.throughput(cell) for r in mine if r.throughput(cell) is not None]
    spread = (100.0 * (max(speeds) - min(speeds)) / statistics.median(speeds)
              if len(speeds) > 1 and statistics.median(speeds) > 0 else None)
    return Summary(cell, who, len(mine), median([r.msgs_per_s for r in mine]), median([r.mb_per_s for r in mine]),
                   median([r.p50_us for r in mine]), median([r.p99_us for r in mine]),
                   median([r.gen_cpu for r in mine]), median([r.server_cpu for r in mine]),
                   median([r.server_core for r in mine]), median([r.server_steal for r in mine]),
                   ratio(runs, cell, who, REFERENCE), ratio(runs, cell, who, REFERENCE, per_core_second), spread)


def per_core_second(run: Run) -> float | None:
    """Messages per second of the server CPU's busy time: what the server could do with its core full.
    Equal to the throughput when that core is saturated; the fair figure when it is not."""
    if run.msgs_per_s is None or not run.server_core:
        return None
    return run.msgs_per_s / (run.server_core / 100.0)


def number(value: float | None, digits: int = 0, suffix: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}{suffix}".replace(",", " ")


def goal_rows(runs: list[Run], cells: dict[str, Cell], servers: list[Server]) -> list[tuple[str, str, str, str]]:
    """(goal, target, measured, met) for the goal table; 'not measured' where data is missing."""
    rows = []

    def add(goal: str, target: str, value: float | None, ok: Callable[[float], bool], text: str = "{:.2f}x",
            missing: str = "not measured") -> None:
        measured = text.format(value) if value is not None else missing
        rows.append((goal, target, measured, "-" if value is None else ("yes" if ok(value) else "NO")))

    pp100, same, bulk = cells.get("pp100"), cells.get("same1"), cells.get("bulk10")
    if pp100:
        epoll = runs_of(runs, "pp100", REFERENCE)
        gen, srv = median([r.gen_cpu for r in epoll]), median([r.server_cpu for r in epoll])
        core = median([r.server_core for r in epoll])
        user = median([r.gen_user_cpu for r in epoll])
        # On loopback each sender's CPU also runs the receiver's TCP input, so a one-thread client
        # costs about what a one-thread server does: when both cores are full, neither alone limits,
        # and the server's figure is its own limit. Its core (softirqs included) says whether it was full.
        met = ("-" if gen is None else "yes" if gen < 90 else
               "both" if core is not None and core >= 97 else "NO")
        rows.append(("epoll at N=100: the generator is not the bottleneck",
                     "echo_load < 90% CPU, or the server's core full",
                     f"echo_load {number(gen)}% ({number(user)}% user); server {number(srv)}%, its core "
                     f"{number(core)}% busy" if gen is not None else "not measured", met))
        for key in ("libevent", "libevent_direct"):
            add(f"{label_of(key)} echo at N=100 vs epoll", ">= 0.90x", ratio(runs, pp100, key, REFERENCE),
                lambda v: v >= 0.90)
            add("  the same per busy second of the server's core", "(>= 0.90x)",
                ratio(runs, pp100, key, REFERENCE, per_core_second), lambda v: v >= 0.90)
        add("WebSocket echo at N=100 vs epoll", ">= 0.70x", ratio(runs, pp100, "ws", REFERENCE),
            lambda v: v >= 0.70)
        add("thread-per-connection at N=100 vs epoll", ">= 0.50x", ratio(runs, pp100, "threads", REFERENCE),
            lambda v: v >= 0.50)
        for server in servers:
            add(f"{server.label} vs socat at N=100", ">= 3x", ratio(runs, pp100, server.key, "socat"),
                lambda v: v >= 3.0)
    if bulk:
        for key in (REFERENCE, "libevent", "libevent_direct"):
            add(f"bulk 16 KiB N=10, {label_of(key)} vs iperf3", ">= 0.60x", ratio(runs, bulk, key, "iperf3"),
                lambda v: v >= 0.60)
    if same:
        for server in servers:
            add(f"same-core p50 at N=1, {server.label} vs raw pair", "<= 2x",
                ratio(runs, same, server.key, "raw", lambda r: r.p50_us), lambda v: v <= 2.0)
    return rows


# ---- output -------------------------------------------------------------------------------------

def table(rows: list[list[str]], align: str) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [text.ljust(w) if a == "l" else text.rjust(w) for text, w, a in zip(row, widths, align)]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def report(ctx: Context, runs: list[Run], cells: list[Cell], candidates: dict[str, list[str]],
           servers: list[Server], rounds: int, header: list[str]) -> tuple[list[str], list[Summary], list]:
    lines = header[:]
    summaries = []
    for cell in cells:
        where = (f"server and client both on CPU {ctx.server_cpu}" if cell.same_core else
                 f"server on CPU {ctx.server_cpu}, client on CPU {ctx.client_cpu}")
        lines += ["", f"{cell.title}  ({where}; median of {rounds} round(s))"]
        rows = [["candidate", "msgs/s", "MB/s", "p50 us", "p99 us", "client CPU", "server CPU", "its core",
                 "steal", "vs epoll", "per core", "spread"]]
        for who in candidates[cell.key]:
            s = summarise(runs, cell, who)
            summaries.append(s)
            if s.runs == 0:
                rows.append([label_of(who), "failed"] + [""] * 10)
                continue
            msgs = None if cell.mode == "bulk" else s.msgs_per_s   # bulk: a "message" is just a write
            rows.append([label_of(who), number(msgs), number(s.mb_per_s, 1), number(s.p50_us, 1),
                         number(s.p99_us, 1), number(s.gen_cpu, 0, "%"), number(s.server_cpu, 0, "%"),
                         number(s.server_core, 0, "%"), number(s.server_steal, 0, "%"),
                         number(s.vs_epoll, 2, "x"), number(s.per_core_vs_epoll, 2, "x"),
                         "-" if s.spread is None else f"{s.spread:.0f}%"])
        lines += table(rows, "lrrrrrrrrrrr")
    goals = goal_rows(runs, {c.key: c for c in cells}, servers)
    lines += ["", "Goals (ratios to lab 04 epoll in the same run; figures are not asserted):"]
    lines += table([["goal", "target", "measured", "met?"]] + [list(g) for g in goals], "lllr")
    lines += ["  its core: how busy the server's CPU was (any process, softirqs too); steal: the part the",
              "  hypervisor gave to other machines. per core: msgs per busy second of the server's CPU, vs",
              "  epoll's; equal to 'vs epoll' when both servers kept their core full."]
    if any(g[3] == "both" for g in goals):
        lines += ["  both: echo_load and the server's core were each full (the core >= 97% busy). On loopback a",
                  "  sender's CPU also runs the receiver's TCP input, so a one-thread client costs about what a",
                  "  one-thread server does; the server's core was saturated, so the figure is its own limit."]
    return lines, summaries, goals


def rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def render_chart(out: Path, chart: Path, summaries: list[Summary], cells: list[Cell], rounds: int,
                 subtitle: str) -> str:
    whos = [w for w in [s.key for s in SERVERS] + list(ANCHORS) if any(s.who == w and s.runs for s in summaries)]
    by = {(s.cell.key, s.who): s.vs_epoll for s in summaries}
    top = max([v for v in by.values() if v is not None] + [1.0]) * 1.12
    with (out / "chart.tsv").open("w") as data:
        data.write("cell\t" + "\t".join(label_of(w) for w in whos) + "\n")
        for cell in cells:
            values = [by.get((cell.key, w)) for w in whos]
            data.write(cell.chart_label + "\t" + "\t".join("?" if v is None else f"{v:.4f}" for v in values) + "\n")
    if not any(v is not None for v in by.values()):
        return "chart not rendered: no lab 04 epoll figures to relate the others to"
    data_file, n = out / "chart.tsv", len(whos)
    bars = [f"'{data_file}' using {i + 2}{':xtic(1)' if i == 0 else ''} lc rgb '{COLOURS[w]}'"
            for i, w in enumerate(whos)]
    # Each bar's value above it: bar i of cluster k is centred at k + (i - (n-1)/2) / (n + gap), gap 1.
    values = [f"'{data_file}' using ($0 + {(i - (n - 1) / 2) / (n + 1):.4f}):{i + 2}:"
              f"(sprintf('%.2f', column({i + 2}))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle"
              for i in range(n)]
    plots = ", ".join(bars + values)
    script = f"""set terminal pngcairo size 1200,560 font 'DejaVu Sans,10'
set output '{chart}'
set datafile separator '\\t'
set datafile missing '?'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border rgb '#333333'
set boxwidth 0.95
set key outside right top vertical autotitle columnheader
set grid ytics
set yrange [0:{top:.3f}]
set ylabel 'throughput / lab 04 epoll (same run)'
set title "Echo servers side by side: msgs/s (bulk: bytes/s) relative to lab 04's epoll server, \\
median of {rounds} round(s)\\n{subtitle}"
set arrow from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 lc rgb '#1b9e77'
plot {plots}
"""
    (out / "chart.gp").write_text(script)
    if not shutil.which("gnuplot"):
        return "gnuplot is not installed: chart not rendered (apt-get install gnuplot-nox)"
    chart.parent.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["gnuplot", str(out / "chart.gp")], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "gnuplot did not finish within 60 s: chart not rendered"
    if done.returncode != 0:
        return f"gnuplot failed: {done.stderr.strip()[:300]}"
    return f"chart: {chart}"


# ---- main ---------------------------------------------------------------------------------------

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./lab bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="one round, 0.5 s per run, no N=1000 (CI proves the harness works)")
    parser.add_argument("--bin", type=Path, default=ROOT / "build" / "bin", help="where the programs are")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench", help="where reports go")
    parser.add_argument("--chart", type=Path,
                        help="the PNG (default Resourse/echo_bench.png; with --quick OUT/echo_bench.png)")
    parser.add_argument("--rounds", type=int, help="rounds of alternating runs (default 3; --quick 1)")
    parser.add_argument("--seconds", type=float, help="measured seconds per run (default 3; --quick 0.5)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds per run (default 0.5; --quick 0.2)")
    names = [s.key for s in SERVERS] + list(ANCHORS)
    parser.add_argument("--only", help="comma-separated candidates: " + ",".join(names))
    parser.add_argument("--cells", help="comma-separated cells: " + ",".join(c.key for c in CELLS))
    args = parser.parse_args()
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.seconds = args.seconds or (0.5 if args.quick else 3.0)
    args.warmup = args.warmup if args.warmup is not None else (0.2 if args.quick else 0.5)
    args.chart = args.chart or (args.out / "echo_bench.png" if args.quick else ROOT / "Resourse" / "echo_bench.png")
    if args.rounds < 1 or not 0.1 <= args.seconds <= 600 or not 0 <= args.warmup <= 60:
        parser.error("--rounds must be >= 1, --seconds 0.1-600, --warmup 0-60")
    known = {s.key for s in SERVERS} | set(ANCHORS)
    args.only = set(args.only.split(",")) if args.only else known
    args.cells = args.cells.split(",") if args.cells else None
    if not args.only <= known or (args.cells and not set(args.cells) <= {c.key for c in CELLS}):
        parser.error("unknown name in --only or --cells")
    return args


def environment(ctx: Context) -> list[str]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    load = os.getloadavg()
    lines = [f"netlab echo bench, {datetime.datetime.now():%Y-%m-%d %H:%M}, Linux {os.uname().release}, "
             f"{os.cpu_count()} x {model}",
             f"{ctx.seconds:g} s measured after {ctx.warmup:g} s warm-up per run; servers pinned to CPU "
             f"{ctx.server_cpu}, echo_load to CPU {ctx.client_cpu}; load average {load[0]:.2f} at the start"]
    if load[0] > 0.5:
        lines.append("note: other processes were using the CPUs (load average above 0.5): expect noisy figures")
    return lines + ctx.notes


def main(idle: PollingIdle) -> int:
    args = parse_args()
    if not (args.bin / "echo_load").exists() or not (args.bin / "raw_pingpong").exists():
        print(f"bench: {args.bin}/echo_load or raw_pingpong is missing: the build did not make bench/loadgen",
              file=sys.stderr)
        return 1
    if not shutil.which("taskset"):
        print("bench: taskset (util-linux) is missing: it pins each side to its own CPU", file=sys.stderr)
        return 1
    cpus = sorted(os.sched_getaffinity(0))
    ctx = Context(args.bin, args.seconds, args.warmup, cpus[0], cpus[1] if len(cpus) > 1 else cpus[0])
    if len(cpus) < 2:
        ctx.notes.append("note: only one CPU is available: server and client share it, figures mean little")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4096:   # N=1000 needs 1000+ descriptors on each side; children inherit this
        wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))

    servers = []
    for server in SERVERS:
        if server.key not in args.only:
            continue
        if (args.bin / server.program).exists():
            servers.append(server)
        else:
            ctx.notes.append(f"skipped {server.label}: {args.bin / server.program} is not built")
    anchors_here = {"raw": True, "socat": bool(shutil.which("socat")), "iperf3": bool(shutil.which("iperf3"))}
    for name, present in anchors_here.items():
        if not present and name in args.only:
            ctx.notes.append(f"skipped the {ANCHORS[name]} anchor: {name} is not installed")
    if not any(s.key == REFERENCE for s in servers):
        ctx.notes.append("note: lab 04's epoll_echo_server is not built: no ratios to it")

    cells = [c for c in CELLS if (c.key in args.cells if args.cells else (c.in_quick or not args.quick))]
    candidates = {c.key: [s.key for s in servers if c.mode in s.modes] + [a for a in c.anchors if anchors_here[a] and a in args.only]
                  for c in cells}
    total = args.rounds * sum(len(v) for v in candidates.values())
    ctx.notes.append("idle: " + idle.note)
    header = environment(ctx)
    print("\n".join(header))
    print(f"==> {total} runs: {len(cells)} cells x their candidates x {args.rounds} round(s), "
          f"about {total * (args.seconds + args.warmup + 0.4) / 60:.1f} min", flush=True)

    runs: list[Run] = []
    started = time.monotonic()
    for round_no in range(1, args.rounds + 1):
        for cell in cells:
            order = candidates[cell.key]
            shift = (round_no - 1) % len(order) if order else 0
            for who in order[shift:] + order[:shift]:
                run = measure(ctx, cell, who, round_no)
                runs.append(run)
                speed = (f"{number(run.mb_per_s, 1)} MB/s" if cell.mode == "bulk"
                         else f"{number(run.msgs_per_s)} msgs/s, p50 {number(run.p50_us, 1)} us")
                print(f"    round {round_no}/{args.rounds}  {cell.chart_label:17}  {label_of(who):20}  "
                      + (speed if run.ok else "FAILED: " + run.error), flush=True)
    header[1] += f"; {time.monotonic() - started:.0f} s in all"

    lines, summaries, goals = report(ctx, runs, cells, candidates, servers, args.rounds, header)
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(args.out / "runs.csv",
              ["round", "cell", "candidate", "ok", "msgs_per_s", "mb_per_s", "rtt_p50_us", "rtt_p99_us",
               "client_cpu_percent", "server_cpu_percent", "server_core_busy_percent", "server_core_steal_percent",
               "error"],
              [[r.round, r.cell, r.who, int(r.ok), r.msgs_per_s, r.mb_per_s, r.p50_us, r.p99_us, r.gen_cpu,
                rounded(r.server_cpu, 1), rounded(r.server_core, 1), rounded(r.server_steal, 1), r.error]
               for r in runs])
    write_csv(args.out / "results.csv",
              ["cell", "mode", "size", "connections", "same_core", "candidate", "label", "runs_ok", "msgs_per_s",
               "mb_per_s", "rtt_p50_us", "rtt_p99_us", "client_cpu_percent", "server_cpu_percent",
               "server_core_busy_percent", "server_core_steal_percent", "ratio_to_epoll",
               "per_core_ratio_to_epoll", "spread_percent"],
              [[s.cell.key, s.cell.mode, s.cell.size, s.cell.connections, int(s.cell.same_core), s.who,
                label_of(s.who), s.runs, rounded(s.msgs_per_s, 1), rounded(s.mb_per_s, 3), s.p50_us, s.p99_us,
                rounded(s.gen_cpu, 1), rounded(s.server_cpu, 1), rounded(s.server_core, 1),
                rounded(s.server_steal, 1), rounded(s.vs_epoll, 4), rounded(s.per_core_vs_epoll, 4),
                rounded(s.spread, 1)]
               for s in summaries])
    write_csv(args.out / "goals.csv", ["goal", "target", "measured", "met"], [list(g) for g in goals])
    subtitle = header[0].replace("'", "")
    lines += ["", render_chart(args.out, args.chart, summaries, cells, args.rounds, subtitle),
              f"tables: {args.out / 'results.csv'} (medians), {args.out / 'runs.csv'} (every run), "
              f"{args.out / 'goals.csv'}"]
    failures = [r for r in runs if not r.ok]
    if failures:
        lines += ["", f"{len(failures)} run(s) did not work (the harness or a server broke, not a slow figure):"]
        lines += [f"  round {r.round} {r.cell} {label_of(r.who)}: {r.error}" for r in failures]
    (args.out / "summary.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[len(header):]))
    return 1 if failures else 0


def _terminate(signum, _frame) -> None:
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    become_subreaper()
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    try:
        with PollingIdle() as polling:
            sys.exit(main(polling))
    except KeyboardInterrupt:
        print("\nbench: interrupted", file=sys.stderr)
        sys.exit(130)
    finally:
        Child.kill_all()
