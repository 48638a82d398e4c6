#!/usr/bin/env python3
"""Lab 07's bench: libcurl clients against lab 05's reference HTTP server, side by side in one run.

The server (build/bin/reference_http_server) runs pinned to CPU 0 (taskset -c 0); every client
runs pinned to CPU 1, except the reuse-vs-fresh pair, which is measured on the SAME core
as the server (CPU 0): there a connection's setup and teardown cost both ends' CPU in series. Each round measures every candidate once, in an order that rotates from
round to round, so the two sides of a ratio are always measured minutes apart at most. The
report gives medians over the rounds and each ratio as the median of the per-round ratios:

  serial GETs, one reused handle    http_load --mode reuse       vs  wrk -t1 -c1    goal >= 0.8x
  reused vs fresh, same core        http_load --mode reuse       vs  --mode fresh   goal >= 2.5x
  http_fetch_many at 10 parallel    http_load --mode multi (10)  vs  wrk -t1 -c10   goal >= 0.5x

Every client GETs the same small static file (--path, default /hello.txt) over keep-alive
HTTP/1.1. Writes OUT/http.csv (default build/bench/http.csv) and prints a table.
Exit status: 0 when every run worked (figures are reported, not asserted); 1 when a run broke
(the server did not start, a client reported errors); 2 on a usage error.

usage: python3 tools/bench_http.py [--quick] [--rounds N] [--seconds S] [--bin DIR] [--out DIR]
"""

import argparse
import csv
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
from pathlib import Path

from cpu_idle import PollingIdle

ROOT = Path(__file__).resolve().parent.parent

# (key, label, how to build the command from the URL and the seconds)
CANDIDATES = {
    "wrk_c1": lambda url, s, b: ["wrk", "-t1", "-c1", f"-d{s}s", url],
    "wrk_c10": lambda url, s, b: ["wrk", "-t1", "-c10", f"-d{s}s", url],
    "reuse": lambda url, s, b: [str(b / "http_load"), "--mode", "reuse", "--seconds", str(s), url],
    "fresh": lambda url, s, b: [str(b / "http_load"), "--mode", "fresh", "--seconds", str(s), url],
    "reuse_same": lambda url, s, b: [str(b / "http_load"), "--mode", "reuse", "--seconds", str(s), url],
    "fresh_same": lambda url, s, b: [str(b / "http_load"), "--mode", "fresh", "--seconds", str(s), url],
    "multi10": lambda url, s, b: [str(b / "http_load"), "--mode", "multi", "--parallel", "10", "--seconds", str(s), url],
}
ROWS = [  # measure, candidate, baseline, goal
    ("serial GETs, one reused handle vs wrk -t1 -c1", "reuse", "wrk_c1", 0.8),
    ("reused handle vs a fresh connection per GET", "reuse", "fresh", None),
    ("the same on the server's core (the goal's setting)", "reuse_same", "fresh_same", 2.5),
    ("fetch_many at 10 parallel vs wrk -t1 -c10", "multi10", "wrk_c10", 0.5),
]


class BenchError(Exception):
    pass


def start_server(bin_dir: Path) -> tuple[subprocess.Popen, str]:
    server = bin_dir / "reference_http_server"
    if not server.exists():
        raise BenchError(f"{server} is missing: build the target reference_http_server first")
    proc = subprocess.Popen(["taskset", "-c", "0", str(server), "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("listening on "):
        proc.kill()
        raise BenchError(f"reference_http_server said {line!r}: {proc.stderr.read()}")
    return proc, line.removeprefix("listening on ")


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise BenchError("reference_http_server did not stop within 10 s of SIGINT")


def measure(key: str, url: str, seconds: int, bin_dir: Path) -> float:
    cpu = "0" if key.endswith("_same") else "1"  # _same: on the server's core
    command = ["taskset", "-c", cpu] + CANDIDATES[key](url, seconds, bin_dir)
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if key.startswith("wrk"):
        found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", done.stdout)
        if done.returncode != 0 or not found or errors:
            raise BenchError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")
        return float(found.group(1))
    found = re.search(r"errors=(\d+) .* rps=([\d.]+)", done.stdout)
    if done.returncode != 0 or not found or found.group(1) != "0":
        raise BenchError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")
    return float(found.group(2))


def main(idle: PollingIdle) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 rounds of 1 s")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--seconds", type=int, default=5, help="seconds per run (default 5)")
    parser.add_argument("--bin", type=Path, default=ROOT / "build" / "bin", help="built programs (default build/bin)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench", help="where http.csv goes")
    parser.add_argument("--path", default="/hello.txt", help="what every client GETs (default /hello.txt)")
    args = parser.parse_args()
    rounds, seconds = (2, 1) if args.quick else (args.rounds, args.seconds)
    if rounds < 1 or seconds < 1:
        parser.error("--rounds and --seconds must be at least 1")
    for tool in ("wrk", "taskset"):
        if shutil.which(tool) is None:
            print(f"bench_http: {tool} is missing (Debian package {'wrk' if tool == 'wrk' else 'util-linux'})",
                  file=sys.stderr)
            return 2
    if (os.cpu_count() or 1) < 2:
        print("bench_http: needs 2 CPUs (server on 0, client on 1)", file=sys.stderr)
        return 2

    keys = list(CANDIDATES)
    results: dict[str, list[float]] = {key: [] for key in keys}
    try:
        server, address = start_server(args.bin)
    except BenchError as error:
        print(f"bench_http: {error}", file=sys.stderr)
        return 1
    url = f"http://{address}{args.path}"
    try:
        for round_index in range(rounds):
            order = keys[round_index % len(keys):] + keys[:round_index % len(keys)]
            for key in order:
                results[key].append(measure(key, url, seconds, args.bin))
            print(f"round {round_index + 1}/{rounds}: " +
                  "  ".join(f"{key} {results[key][-1]:.0f}/s" for key in keys), flush=True)
        stop_server(server)
    except (BenchError, subprocess.TimeoutExpired) as error:
        server.kill()
        print(f"bench_http: {error}", file=sys.stderr)
        return 1

    args.out.mkdir(parents=True, exist_ok=True)
    table = []
    for measure_name, candidate, baseline, goal in ROWS:
        ratios = [c / b for c, b in zip(results[candidate], results[baseline])]
        table.append((measure_name, statistics.median(results[candidate]), statistics.median(results[baseline]),
                      statistics.median(ratios), goal))
    print(f"\nGET {args.path} on reference_http_server (CPU 0), clients on CPU 1 (same-core rows on CPU 0); "
          f"{rounds} rounds of {seconds} s, medians; {idle.note}")
    print(f"{'measure':<48} {'ours req/s':>11} {'other req/s':>12} {'ratio':>7} {'goal':>6}")
    for name, ours, other, ratio, goal in table:
        goal_text = f"{goal:>5.1f}x" if goal is not None else "     -"
        print(f"{name:<48} {ours:>11.0f} {other:>12.0f} {ratio:>6.2f}x {goal_text}")
    with open(args.out / "http.csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["measure", "ours_rps_median", "other_rps_median", "ratio_median", "goal", "rounds", "seconds"])
        for name, ours, other, ratio, goal in table:
            writer.writerow([name, f"{ours:.1f}", f"{other:.1f}", f"{ratio:.3f}", "" if goal is None else goal,
                             rounds, seconds])
    print(f"wrote {args.out / 'http.csv'}")
    return 0


if __name__ == "__main__":
    with PollingIdle() as polling:
        sys.exit(main(polling))
