#!/usr/bin/env python3
"""Prove that every solution region is graded: switched off alone, it must cost points.

  python3 tools/check_regions.py [--build build-regions] [--jobs N] [NN...]

BUILD is the `regions` preset: the reference built from `make_starter.py --switch`, where each
region starts with `if (netlab::switched_off("labNN: name")) throw netlab::todo(...)`. For each
region, the lab's graded tests (points > 0) run with NETLAB_SWITCH_OFF naming it: first the
tests of the region's exercise row, then the others, each run stopping at its first failure. A
failure, a crash or a timeout means the region is graded; all passing means no test notices the
region, and that is a finding. The lab programs the tests start inherit the switch.

Exit status: 0 when every region is graded, 1 when one is not, 2 on a usage or setup error.
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import course
import grade

TIMEOUT = 240   # seconds for one run of a lab's tests; past it the region counts as graded (a hang)


@dataclass
class Verdict:
    lab: str
    region: str
    graded: bool
    how: str        # the failing run, or "every graded test passed"
    seconds: float


def points_of(binary: Path) -> dict[str, int]:
    """The tests of the binary that are worth points (REFERENCE_TESTs cannot lose any)."""
    return {test: points for test, points in grade.points_table(str(binary)).items() if points > 0}


def run(binary: Path, tests: list[str], switch: str) -> str | None:
    """Runs the tests with the region switched off; what failed, or None when all passed."""
    if not tests:
        return None
    env = dict(os.environ, NETLAB_SWITCH_OFF=switch)
    command = [str(binary), "--gtest_filter=" + ":".join(tests), "--gtest_fail_fast", "--gtest_brief=1"]
    try:
        result = subprocess.run(command, cwd=binary.parent, env=env, capture_output=True, text=True,
                                timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"timed out after {TIMEOUT} s"
    if result.returncode == 0:
        return None
    failed = [line.split("]", 1)[1].strip() for line in result.stdout.splitlines()
              if line.startswith("[  FAILED  ]") and "." in line]
    if failed:
        return "failed " + failed[0].split()[0]
    return f"exit status {result.returncode}"


def check(lab: course.Lab, binary: Path, points: dict[str, int], region: course.Region) -> Verdict:
    start = time.monotonic()
    row = next((row for row in lab.rows if region.name in row.regions), None)
    first = [test for test, _ in row.tests if test in points] if row else []
    rest = [test for test in points if test not in first]
    switch = f"lab{lab.id}: {region.name}"
    how = run(binary, first, switch) or run(binary, rest, switch)
    return Verdict(lab.id, region.name, how is not None, how or "every graded test passed",
                   time.monotonic() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("labs", nargs="*", help="lab numbers (default: every lab)")
    parser.add_argument("--build", type=Path, default=course.ROOT / "build-regions")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS", "2")))
    args = parser.parse_args()
    labs = [lab for lab in course.load_labs() if not args.labs or lab.id in {n.zfill(2) for n in args.labs}]
    if not labs:
        parser.error("no such lab")
    work = []
    for lab in labs:
        binary = args.build.resolve() / "tests" / f"lab{lab.id}_tests"
        if not binary.is_file():
            print(f"check_regions: {binary} is not built (cmake --preset regions && cmake --build "
                  f"--preset regions --target lab{lab.id})", file=sys.stderr)
            return 2
        points = points_of(binary)
        work += [(lab, binary, points, region) for region in lab.regions]
    started = time.monotonic()
    ungraded = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for verdict in pool.map(lambda item: check(*item), work):
            mark = "graded  " if verdict.graded else "UNGRADED"
            print(f"  {mark} lab{verdict.lab} {verdict.region}: {verdict.how} ({verdict.seconds:.1f} s)", flush=True)
            if not verdict.graded:
                ungraded.append(verdict)
    print(f"check_regions: {len(work)} regions in {len(labs)} labs, {len(ungraded)} not graded "
          f"({time.monotonic() - started:.0f} s)")
    for verdict in ungraded:
        print(f"  lab{verdict.lab} {verdict.region}: switched off alone, it loses no points")
    return 1 if ungraded else 0


if __name__ == "__main__":
    sys.exit(main())
