"""Lab 07's bench: libcurl clients against lab 05's HTTP server, side by side in one run.

What runs is declared in labs/07_libcurl/bench.json, section "http": the server (lab 05's
libevent_http_server with its own www/: benchmarks run only in the reference build, where that
program is the reference), the path every client GETs, the candidates (a program or command with
"{url}" and "{seconds}" placeholders, its "output" format: wrk or http_load, and "cpu": "server"
for those measured on the server's core) and the pairs reported as ratios, with their goals.

The server runs pinned to CPU 0 (taskset -c 0); every client runs pinned to CPU 1, except the
reuse-vs-fresh pair measured on the SAME core as the server (CPU 0): there a connection's setup
and teardown cost both ends' CPU in series. Each round measures every candidate once, in an order
that rotates from round to round, so the two sides of a ratio are always measured minutes apart
at most. The report gives medians over the rounds and each ratio as the median of the per-round
ratios:

  serial GETs, one reused handle    http_load --mode reuse       vs  wrk -t1 -c1    goal >= 0.8x
  reused vs fresh, same core        http_load --mode reuse       vs  --mode fresh   goal >= 2.5x
  http_fetch_many at 10 parallel    http_load --mode multi (10)  vs  wrk -t1 -c10   goal >= 0.5x

Every client GETs the same small static file over keep-alive HTTP/1.1. Writes OUT/http.csv
(default build/bench/http.csv) and prints a table.
Exit status: 0 when every run worked (figures are reported, not asserted); 1 when a run broke
(the server did not start, a client reported errors); 2 on a usage error.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpu_idle import PollingIdle

from . import candidates
from .process import BenchError, pinned, start_server
from .report import write_csv
from .stats import ratio_of_lists

SERVER_CPU, CLIENT_CPU = 0, 1


@dataclass(frozen=True)
class Pair:
    measure: str
    candidate: str
    baseline: str
    goal: float | None


@dataclass(frozen=True)
class Suite:
    """labs/07_libcurl/bench.json's "http" section."""
    source: Path
    server: dict[str, Any]
    path: str
    candidates: dict[str, dict[str, Any]]
    pairs: list[Pair]


def load() -> Suite:
    declared = candidates.declared("http")
    if len(declared) != 1:
        raise BenchError(f"exactly one lab must declare the \"http\" bench, found {len(declared)}")
    source, section = declared[0].source, declared[0].section
    entries = candidates.field(section, "candidates", source, list)
    by_key = {candidates.field(e, "key", source): e for e in entries}
    pairs = []
    for entry in candidates.field(section, "pairs", source, list):
        pair = Pair(candidates.field(entry, "measure", source), candidates.field(entry, "candidate", source),
                    candidates.field(entry, "baseline", source), entry.get("goal"))
        if pair.candidate not in by_key or pair.baseline not in by_key:
            raise BenchError(f"{source}: pair {pair.measure!r} names a candidate that is not declared")
        pairs.append(pair)
    return Suite(source, candidates.field(section, "server", source, dict), section.get("path", "/hello.txt"),
                 by_key, pairs)


def measure(suite: Suite, key: str, url: str, seconds: int, bin_dir: Path) -> float:
    entry = suite.candidates[key]
    cpu = SERVER_CPU if entry.get("cpu") == "server" else CLIENT_CPU
    command = pinned(cpu, candidates.command_line(entry, bin_dir, suite.source, {"url": url, "seconds": seconds}))
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        raise BenchError(f"{' '.join(command)} did not finish within {seconds + 60} s")
    if entry.get("output") == "wrk":
        found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", done.stdout)
        if done.returncode != 0 or not found or errors:
            raise BenchError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")
        return float(found.group(1))
    found = re.search(r"errors=(\d+) .* rps=([\d.]+)", done.stdout)
    if done.returncode != 0 or not found or found.group(1) != "0":
        raise BenchError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")
    return float(found.group(2))


def run_rounds(suite: Suite, args: argparse.Namespace, rounds: int, seconds: int) -> dict[str, list[float]]:
    """Starts the server, measures every candidate in each round (rotating the order), stops the server."""
    keys = list(suite.candidates)
    results: dict[str, list[float]] = {key: [] for key in keys}
    server_argv = candidates.command_line(suite.server, args.bin, suite.source, {}) + ["--listen", "127.0.0.1:0"]
    server, host, port = start_server(suite.server.get("program", "server"), server_argv, SERVER_CPU)
    try:
        url = f"http://{host}:{port}{args.path or suite.path}"
        for round_index in range(rounds):
            order = keys[round_index % len(keys):] + keys[:round_index % len(keys)]
            for key in order:
                results[key].append(measure(suite, key, url, seconds, args.bin))
            print(f"round {round_index + 1}/{rounds}: " +
                  "  ".join(f"{key} {results[key][-1]:.0f}/s" for key in keys), flush=True)
        server.stop()
    finally:
        server.kill()
    return results


def main(idle: PollingIdle, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./lab bench http", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 rounds of 1 s")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--seconds", type=int, default=5, help="seconds per run (default 5)")
    parser.add_argument("--bin", type=Path, default=candidates.ROOT / "build" / "bin",
                        help="built programs (default build/bin)")
    parser.add_argument("--out", type=Path, default=candidates.ROOT / "build" / "bench", help="where http.csv goes")
    parser.add_argument("--path", help="what every client GETs (default: the bench.json's, /hello.txt)")
    args = parser.parse_args(argv)
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
    try:
        suite = load()
        results = run_rounds(suite, args, rounds, seconds)
    except BenchError as error:
        print(f"bench_http: {error}", file=sys.stderr)
        return 1

    table = []
    for pair in suite.pairs:
        table.append((pair.measure, statistics.median(results[pair.candidate]),
                      statistics.median(results[pair.baseline]),
                      ratio_of_lists(results[pair.candidate], results[pair.baseline]) or 0.0, pair.goal))
    path = args.path or suite.path
    server_name = suite.server.get("program", "the server")
    print(f"\nGET {path} on {server_name} (CPU 0), clients on CPU 1 (same-core rows on CPU 0); "
          f"{rounds} rounds of {seconds} s, medians; {idle.note}")
    print(f"{'measure':<48} {'ours req/s':>11} {'other req/s':>12} {'ratio':>7} {'goal':>6}")
    for name, ours, other, ratio, goal in table:
        goal_text = f"{goal:>5.1f}x" if goal is not None else "     -"
        print(f"{name:<48} {ours:>11.0f} {other:>12.0f} {ratio:>6.2f}x {goal_text}")
    write_csv(args.out / "http.csv",
              ["measure", "ours_rps_median", "other_rps_median", "ratio_median", "goal", "rounds", "seconds"],
              [[name, f"{ours:.1f}", f"{other:.1f}", f"{ratio:.3f}", "" if goal is None else goal, rounds, seconds]
               for name, ours, other, ratio, goal in table])
    print(f"wrote {args.out / 'http.csv'}")
    return 0
