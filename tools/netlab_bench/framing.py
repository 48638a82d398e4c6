"""Lab 03's bench: length-prefixed framing against memcpy of the same bytes, in one run.

build/bin/bench_frame_decoder (bench/frame_decoder_bench.cpp, Google Benchmark) decodes about
1 MiB of back-to-back frames with 64-byte and 16 KiB payloads three ways: decode_frame over the
whole buffer, FrameDecoder fed in 64 KiB reads, and memcpy of the same pieces. It prints each
rate and its ratio to memcpy, with the goal: 16 KiB frames through FrameDecoder at 0.5x memcpy or
better. The program runs pinned to CPU 1 (taskset -c 1); a full run takes five repetitions and
reports their medians.

Exit status: 0 when the program ran (figures are reported, not asserted); 1 when it failed;
2 when it is missing or on a usage error.
"""

import argparse
import re
import shutil
import subprocess
from pathlib import Path

from cpu_idle import PollingIdle

from . import candidates


def main(idle: PollingIdle, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./lab bench framing", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one short repetition (CI proves the harness works)")
    parser.add_argument("--bin", type=Path, default=candidates.ROOT / "build" / "bin", help="where the program is")
    args = parser.parse_args(argv)
    program = args.bin / "bench_frame_decoder"
    if not program.is_file():
        print(f"bench_framing: {program} is missing (lab 03 with Debian package libbenchmark-dev builds it)")
        return 2
    if not shutil.which("taskset"):
        print("bench_framing: taskset is missing (Debian package util-linux)")
        return 2
    print(f"idle: {idle.note}")
    timing = ["--benchmark_min_time=0.05"] if args.quick else \
        ["--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true"]
    command = ["taskset", "-c", "1", str(program), "--benchmark_color=false", *timing]
    shown = program.relative_to(candidates.ROOT) if program.is_relative_to(candidates.ROOT) else program
    print("$ " + " ".join(command[:3] + [str(shown)] + command[4:]), flush=True)
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    print(re.sub(r"\x1b\[[0-9;]*m", "", done.stdout).rstrip())
    if done.returncode != 0:
        print(f"bench_framing: the program failed ({done.returncode}): {done.stderr.strip()[:300]}")
        return 1
    return 0
