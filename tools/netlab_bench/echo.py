"""./lab bench echo: every echo server the labs declare, measured side by side in one run.

For each cell (a load shape) each candidate server runs pinned to one CPU (taskset -c 0) while
build/bin/echo_load drives it from the other CPU (taskset -c 1). The candidates are the "echo"
entries of labs/NN_*/bench.json (see candidates.py); the one marked "reference" (lab 04's
epoll_echo_server) is what every ratio is to. Within a round the candidates alternate (A-B-C,
then B-C-A in the next round, ...); the report gives medians over the rounds and each candidate's
ratio to the reference, the median of the per-round ratios, so both sides of a ratio were measured
minutes apart at most. Anchors run in the same rounds:
  socat TCP-LISTEN,fork EXEC:cat   the naive peer (a process and a cat per connection)
  iperf3, one stream                the bulk limit of loopback TCP on these CPUs
  raw_pingpong                      two processes, blocking calls: the latency floor
While it runs, idle CPUs poll instead of halting (tools/cpu_idle.py, as root), so a wake-up across
cores does not cost a hypervisor round trip.

Writes into --out (default build/bench): results.csv (medians), runs.csv (every run),
goals.csv and summary.txt (the printed report). The chart goes to --chart, its source (echo_bench.tsv,
echo_bench.gp) beside it; a run with the defaults draws Resourse/echo_bench.png from Resourse/src/.

Exit status: 0 when every run worked, whatever the figures (they are not asserted); 1 when the
harness broke (a server did not start or stop cleanly, echo_load found a wrong byte, a reset or
a stall); 2 on a usage error.
"""

import argparse
import datetime
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from cpu_idle import PollingIdle

from . import candidates, echo_report, record
from .echo_model import ANCHORS, CELLS, Cell, Context, Run, Server
from .process import BenchError, Child, free_port, start_server
from .report import number
from .sampling import core_use, cpu_seconds, cpu_times

STALL_TIMEOUT = 5.0    # echo_load --timeout: a connection owed bytes that long is an error


def load_servers() -> list[Server]:
    """The "echo" entries of every lab's bench.json, in lab order."""
    servers = []
    for lab in candidates.declared("echo"):
        if not isinstance(lab.section, list):
            raise BenchError(f"{lab.source}: \"echo\" must be a list of candidates")
        for entry in lab.section:
            modes = tuple(entry.get("modes", ("pingpong", "bulk")))
            servers.append(Server(candidates.field(entry, "key", lab.source),
                                  candidates.field(entry, "label", lab.source),
                                  candidates.field(entry, "program", lab.source),
                                  list(candidates.field(entry, "args", lab.source, list)),
                                  candidates.field(entry, "colour", lab.source),
                                  entry.get("protocol", "tcp"), modes, bool(entry.get("reference", False))))
    if sum(s.reference for s in servers) > 1:
        raise BenchError("more than one echo candidate is marked \"reference\"")
    return servers


# ---- one run of one candidate -------------------------------------------------------------------

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
            found: dict = json.loads(document)
            return found
        except ValueError:
            pass
    raise BenchError(f"{name} printed no JSON: {done.stdout[:200]!r}")


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
    argv = [str(ctx.bin / server.program), "--listen", "127.0.0.1:0"] + server.arguments(cell.connections)
    child, _, port = start_server(server.program, argv, ctx.server_cpu)
    try:
        cpu_before, core_before, started = cpu_seconds(child.proc.pid), cpu_times(ctx.server_cpu), time.monotonic()
        figures = echo_load(ctx, cell, port, server.protocol)
        cpu_after, core_after = cpu_seconds(child.proc.pid), cpu_times(ctx.server_cpu)
        elapsed = time.monotonic() - started
        fill(run, figures)
        if cpu_before is not None and cpu_after is not None:
            run.server_cpu = 100.0 * (cpu_after - cpu_before) / elapsed
        if use := core_use(core_before, core_after):
            run.server_core, run.server_steal = use
        child.stop()
    finally:
        child.kill()


def measure_socat(ctx: Context, cell: Cell, run: Run) -> None:
    for attempt in (1, 2):   # the fixed port may have been taken since free_port() saw it free
        port = free_port()
        argv = ["socat", "-d", "-d", f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,backlog=1024", "EXEC:cat"]
        child = Child("socat", argv, r"listening on", ctx.server_cpu)
        try:
            child.wait_ready()
            fill(run, echo_load(ctx, cell, port))
            child.wait_childless()    # each forked socat ends (and is reaped) once its client closed
            child.stop(require_success=False)
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
        argv = ["iperf3", "--server", "--one-off", "--forceflush", "--bind", "127.0.0.1", "--port", str(port)]
        child = Child("iperf3 --server", argv, r"Server listening on", ctx.server_cpu)
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
            child.wait(timeout=10.0)   # --one-off: it exits after the test
            return
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


def measure(ctx: Context, cell: Cell, who: str, round_no: int, servers: list[Server]) -> Run:
    run = Run(round_no, cell.key, who)
    try:
        if who == "socat":
            measure_socat(ctx, cell, run)
        elif who == "iperf3":
            measure_iperf3(ctx, cell, run)
        elif who == "raw":
            measure_raw(ctx, cell, run)
        else:
            measure_server(ctx, cell, next(s for s in servers if s.key == who), run)
        run.ok = True
    except BenchError as error:
        run.error = str(error)
    return run


# ---- main ---------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None, servers: list[Server]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./lab bench echo", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="one round, 0.5 s per run, no N=1000 (CI proves the harness works)")
    parser.add_argument("--bin", type=Path, default=candidates.ROOT / "build" / "bin", help="where the programs are")
    parser.add_argument("--out", type=Path, default=candidates.ROOT / "build" / "bench", help="where reports go")
    parser.add_argument("--chart", type=Path,
                        help="the PNG (a full run with no option: Resourse/echo_bench.png; else OUT/echo_bench.png)")
    parser.add_argument("--rounds", type=int, help="rounds of alternating runs (default 3; --quick 1)")
    parser.add_argument("--seconds", type=float, help="measured seconds per run (default 3; --quick 0.5)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds per run (default 0.5; --quick 0.2)")
    names = [s.key for s in servers] + list(ANCHORS)
    parser.add_argument("--only", help="comma-separated candidates: " + ",".join(names))
    parser.add_argument("--cells", help="comma-separated cells: " + ",".join(c.key for c in CELLS))
    args = parser.parse_args(argv)
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.seconds = args.seconds or (0.5 if args.quick else 3.0)
    args.warmup = args.warmup if args.warmup is not None else (0.2 if args.quick else 0.5)
    full = record.is_full_run(sys.argv[1:] if argv is None else argv)   # the run bench/recorded/echo.md holds
    args.chart = args.chart or (candidates.ROOT / "Resourse" / "echo_bench.png" if full
                                else args.out / "echo_bench.png")
    if args.rounds < 1 or not 0.1 <= args.seconds <= 600 or not 0 <= args.warmup <= 60:
        parser.error("--rounds must be >= 1, --seconds 0.1-600, --warmup 0-60")
    known = set(names)
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


@dataclass
class Plan:
    """What one invocation measures: the servers built, the cells, and each cell's candidates in order."""
    servers: list[Server]
    cells: list[Cell]
    candidates: dict[str, list[str]] = field(default_factory=dict)


def plan(args: argparse.Namespace, ctx: Context, declared: list[Server]) -> Plan:
    servers = []
    for server in declared:
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
    reference = next((s for s in declared if s.reference), None)
    if reference is None:
        ctx.notes.append("note: no lab's bench.json marks an echo candidate \"reference\": no ratios")
    elif reference not in servers:
        ctx.notes.append(f"note: {reference.program} ({reference.label}) is not built: no ratios to it")
    cells = [c for c in CELLS if (c.key in args.cells if args.cells else (c.in_quick or not args.quick))]
    result = Plan(servers, cells)
    for cell in cells:
        result.candidates[cell.key] = ([s.key for s in servers if cell.mode in s.modes]
                                       + [a for a in cell.anchors if anchors_here[a] and a in args.only])
    return result


def main(idle: PollingIdle, argv: list[str] | None = None) -> int:
    try:
        declared = load_servers()
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    args = parse_args(argv, declared)
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

    what = plan(args, ctx, declared)
    total = args.rounds * sum(len(v) for v in what.candidates.values())
    ctx.notes.append("idle: " + idle.note)
    header = environment(ctx)
    print("\n".join(header))
    print(f"==> {total} runs: {len(what.cells)} cells x their candidates x {args.rounds} round(s), "
          f"about {total * (args.seconds + args.warmup + 0.4) / 60:.1f} min", flush=True)

    labels = echo_report.Labels(declared)
    runs: list[Run] = []
    started = time.monotonic()
    for round_no in range(1, args.rounds + 1):
        for cell in what.cells:
            order = what.candidates[cell.key]
            shift = (round_no - 1) % len(order) if order else 0
            for who in order[shift:] + order[:shift]:
                run = measure(ctx, cell, who, round_no, what.servers)
                runs.append(run)
                speed = (f"{number(run.mb_per_s, 1)} MB/s" if cell.mode == "bulk"
                         else f"{number(run.msgs_per_s)} msgs/s, p50 {number(run.p50_us, 1)} us")
                print(f"    round {round_no}/{args.rounds}  {cell.chart_label:17}  {labels.of(who):20}  "
                      + (speed if run.ok else "FAILED: " + run.error), flush=True)
    header[1] += f"; {time.monotonic() - started:.0f} s in all"

    lines = echo_report.write(ctx, args.out, args.chart, runs, what.cells, what.candidates, what.servers, labels,
                              args.rounds, header)
    print("\n".join(lines[len(header):]))
    return 1 if any(not r.ok for r in runs) else 0
