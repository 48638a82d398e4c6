#!/usr/bin/env python3
"""Run the graded tests of a build and print a scoreboard.

The test list, labels and timeouts come from ctest (the one registry); the points come from
each test binary (--netlab_list_points). Each test runs in its own process with a hard
timeout, so a crash or a hang scores 0 and is named with its reason.

Writes into OUT (default BUILD/grade):
  results.json  the common autograder schema: score, max_score, tests[name, score, max_score, status, output]
  junit.xml     one testsuite per lab, one testcase per test

NETLAB_LANG=zh (or a zh_* locale) prints the scoreboard in Chinese and points to notes/zh/
(tools/scoreboard_text.py).

Exit status: 0 when every test passed (or, with --at-most, when every lab scored at most that
percentage, the check that the starter's tests bite); 1 otherwise; 2 on a usage or setup error.
"""

import argparse
import concurrent.futures
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import course
from scoreboard_text import Words, fit, language


@dataclass
class Test:
    name: str            # ctest name, e.g. lab01.Lab01SendAll.ShortWrites
    lab: str             # ctest label, e.g. lab01
    command: list[str]
    timeout: float
    cwd: str | None
    points: int = 0
    skipped_points: int = 0   # the points of a skipped test, left out of the total
    score: int = 0
    status: str = "not run"   # passed | failed | crashed | timed out | error | skipped
    reason: str = ""
    output: str = ""
    seconds: float = 0.0
    part: str = ""            # the lab's part (tests/labNN/parts.tsv), e.g. 03a; "" when the lab has none


def ctest_tests(build: Path, labs: list[str]) -> list[Test]:
    command = ["ctest", "--test-dir", str(build), "--show-only=json-v1"]
    info = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    tests = []
    for entry in info.get("tests", []):
        properties = {p["name"]: p["value"] for p in entry.get("properties", [])}
        labels = properties.get("LABELS", [])
        lab = labels[0] if labels else "unlabelled"
        if labs and lab not in labs:
            continue
        tests.append(Test(name=entry["name"], lab=lab, command=entry["command"],
                          timeout=float(properties.get("TIMEOUT", 60)), cwd=properties.get("WORKING_DIRECTORY")))
    return tests


@dataclass
class Part:
    id: str               # e.g. 03a
    title: str
    prefixes: list[str]   # a test belongs to the part when its suite starts with one of these
    title_zh: str = ""    # the title on a Chinese scoreboard


def lab_parts(repo: Path, lab: str) -> list[Part]:
    """The parts tests/<lab>/parts.tsv declares (one scoreboard row each), or [] for a lab in one piece."""
    table = repo / "tests" / lab / "parts.tsv"
    if not table.is_file():
        return []
    parts = []
    for line in table.read_text("utf-8").splitlines():
        fields = line.split("\t")
        if line.strip() and not line.startswith("#") and len(fields) in (3, 4):
            parts.append(Part(fields[0], fields[1], fields[2].split(), fields[3] if len(fields) == 4 else ""))
    return parts


def part_of(test: Test, parts: list[Part]) -> str:
    """The id of the first part one of whose prefixes starts the test's suite, or "" if none does."""
    suite = gtest_name(test).split(".", 1)[0]
    return next((part.id for part in parts if any(suite.startswith(p) for p in part.prefixes)), "")


def points_table(executable: str) -> dict[str, int]:
    result = subprocess.run([executable, "--netlab_list_points"], capture_output=True, text=True, timeout=30)
    table = {}
    for line in result.stdout.splitlines():
        test, _, points = line.partition("\t")
        if points.strip().isdigit():
            table[test] = int(points)
    return table


def gtest_name(test: Test) -> str:
    """Suite.Name of the test, from its --gtest_filter argument."""
    for word in test.command:
        if word.startswith("--gtest_filter="):
            return word.split("=", 1)[1]
    return test.name.split(".", 1)[-1]


GTEST_EXCEPTION = re.compile(r'^C\+\+ exception with description "(?P<what>.*)" thrown in (?P<where>.*)\.$', re.DOTALL)
HEX_LINE = re.compile(r"^\s*[0-9a-f]{8} ")


def failure_lines(message: str) -> list[str]:
    """One assertion's message as the lines worth showing: GoogleTest's locator and wrapper text
    dropped, a hex dump kept whole (one line per row), anything else cut to its first line."""
    lines = [line.rstrip() for line in message.splitlines() if line.strip()]
    if len(lines) > 1 and (lines[0].rsplit(":", 1)[-1].isdigit() or lines[0] == "unknown file"):
        lines = lines[1:]  # "file:line" or "unknown file": where, not what
    if not lines:
        return []
    exception = GTEST_EXCEPTION.match("\n".join(lines))
    if exception:
        return [f"threw: {exception.group('what').strip()}"]
    if any(HEX_LINE.match(line) for line in lines):
        return [line for line in lines if line.strip()][:40]
    if lines[0].startswith(("Expected equality of these values", "Value of:")):
        values = [line.strip() for line in lines[:7]]  # the values are on the next lines
        if "Google Test trace:" in values:
            values = values[:values.index("Google Test trace:")]
        return [" ".join(values)[:300]]
    return [lines[0].strip()[:300]]


def failed_assertions(report: Path) -> list[list[str]]:
    """Every failed assertion of a gtest JSON report, each as failure_lines() gives it."""
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError):
        return []
    found = []
    for suite in data.get("testsuites", []):
        for case in suite.get("testsuite", []):
            for failure in case.get("failures", []):
                lines = failure_lines(failure.get("failure", ""))
                if lines:
                    found.append(lines)
    return found


def interesting_line(output: str) -> str:
    for marker in ("is not written yet", "ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer",
                   "terminate called", "Assertion"):
        for line in output.splitlines():
            if marker in line:
                return line.strip()[:300]
    return ""


def skip_reason(output: str) -> str:
    """The message a GTEST_SKIP() gave (the line after 'Skipped'), or a generic one."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.rstrip().endswith("Skipped") and i + 1 < len(lines) and lines[i + 1].strip():
            return lines[i + 1].strip()[:300]
    return "skipped by the test itself"


def run(test: Test) -> Test:
    with tempfile.TemporaryDirectory(prefix="netlab-grade-") as scratch:
        report = Path(scratch) / "report.json"
        command = test.command + [f"--gtest_output=json:{report}"]
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=test.cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            output, _ = process.communicate(timeout=test.timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            timed_out = True
        test.seconds = time.monotonic() - started
        test.output = output.decode("utf-8", "replace")[-20000:]
        code = process.returncode
        if timed_out:
            test.status = "timed out"
            test.reason = f"timed out after {test.timeout:.0f} s (a hang: some step has no deadline)"
        elif code < 0:
            name = signal.Signals(-code).name
            test.status, test.reason = "crashed", f"crashed with {name}" + (
                " (a write to a closed socket without MSG_NOSIGNAL?)" if name == "SIGPIPE" else "")
            detail = interesting_line(test.output)
            if detail:
                test.reason += f": {detail}"
        elif code == 0 and "[  SKIPPED ] 1 test" in test.output:
            # GTEST_SKIP: the test cannot run here (e.g. it must restart a broker it does not own).
            # Its points leave the total, and the scoreboard says so.
            test.status, test.reason = "skipped", skip_reason(test.output)
        elif code == 0 and "[  PASSED  ] 1 test" in test.output:
            test.status = "passed"
        elif code == 0:
            test.status, test.reason = "error", "the test did not run (filtered out or missing)"
        else:
            found = failed_assertions(report)
            detail = interesting_line(test.output)
            if found:
                test.status, test.reason = "failed", "\n".join(
                    ("- " if i == 0 else "  ") + line for lines in found for i, line in enumerate(lines))
            elif detail:
                test.status, test.reason = "crashed", detail
            else:
                test.status, test.reason = "failed", f"exited with status {code}"
    test.score = test.points if test.status == "passed" else 0
    if test.status == "skipped":
        test.skipped_points, test.points = test.points, 0
    return test


def write_reports(tests: list[Test], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    results = {
        "score": sum(t.score for t in tests),
        "max_score": sum(t.points for t in tests),
        "execution_time": round(sum(t.seconds for t in tests), 2),
        "tests": [{"name": t.name, "score": t.score, "max_score": t.points, "status": t.status,
                   "output": (t.reason + "\n\n" + t.output) if t.reason else t.output,
                   "tags": [t.lab] + ([t.part] if t.part else []), "visibility": "visible"} for t in tests],
    }
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")

    def failed(t: Test) -> bool:
        return t.status not in ("passed", "skipped")

    root = ET.Element("testsuites", name="netlab", tests=str(len(tests)),
                      failures=str(sum(failed(t) for t in tests)))
    for lab in sorted({t.lab for t in tests}):
        members = [t for t in tests if t.lab == lab]
        suite = ET.SubElement(root, "testsuite", name=lab, tests=str(len(members)),
                              failures=str(sum(failed(t) for t in members)),
                              time=f"{sum(t.seconds for t in members):.3f}")
        for t in members:
            case = ET.SubElement(suite, "testcase", classname=lab, name=t.name, time=f"{t.seconds:.3f}")
            properties = ET.SubElement(case, "properties")
            ET.SubElement(properties, "property", name="points", value=str(t.points))
            ET.SubElement(properties, "property", name="score", value=str(t.score))
            if t.status == "skipped":
                ET.SubElement(case, "skipped", message=t.reason)
            elif failed(t):
                failure = ET.SubElement(case, "failure", message=f"{t.status}: {t.reason}", type=t.status)
                failure.text = t.output
    ET.indent(root)
    ET.ElementTree(root).write(out / "junit.xml", encoding="utf-8", xml_declaration=True)


def score_row(name: str, title: str, members: list[Test]) -> tuple[str, float]:
    """One scoreboard line (without its verdict) for members, and their percentage."""
    earned, possible = sum(t.score for t in members), sum(t.points for t in members)
    percent = 100.0 * earned / possible if possible else 0.0
    return f"{fit(name, 7)}{fit(title, 46)}  {earned:>5} / {possible:<4}{percent:>7.0f}%", percent


Rows = dict[str, dict[str, course.Row]]   # lab label -> Suite.Name -> its exercise row


def exercise_rows(repo: Path, labs: set[str], words: Words) -> tuple[Rows, dict[str, str]]:
    """Each lab's graded tests mapped to their handout's exercise rows, and each lab's handout
    (the Chinese ones for a Chinese scoreboard: their rows name the same tests)."""
    rows: Rows = {}
    handouts: dict[str, str] = {}
    for folder in course.lab_folders(repo):
        label = "lab" + folder.name[:2]
        if label not in labs:
            continue
        lab = course.load_lab(folder, repo)
        handout = words.handout(lab.handout) if lab.handout else None
        lab_rows = course.rows_of(repo / handout)[0] if handout and handout != lab.handout else lab.rows
        rows[label] = {test: row for row in lab_rows for test, _ in row.tests}
        handouts[label] = str(handout) if handout else ""
    return rows, handouts


def exercise_order(test: Test, rows: Rows) -> tuple[str, int, str]:
    """Sorts by lab, then by the row's place in the handout (tests in no row last), then by name."""
    row = rows.get(test.lab, {}).get(gtest_name(test))
    return test.lab, row.line if row else 1 << 30, test.name


def strip_markdown(text: str) -> str:
    return text.replace("`", "").replace("**", "")


def next_step(failures: list[Test], rows: Rows, handouts: dict[str, str], words: Words) -> str:
    """"next: LAB row R, X (N points; notes/NN_x.md § Exercises)" for the first failing row."""
    for t in sorted(failures, key=lambda t: exercise_order(t, rows)):
        row = rows.get(t.lab, {}).get(gtest_name(t))
        if row:
            return words("next", lab=t.lab, number=row.number, write=strip_markdown(row.write),
                         points=row.points, handout=handouts[t.lab])
    return ""


def scoreboard(tests: list[Test], titles: dict[str, str], parts: dict[str, list[Part]],
               at_most: float | None, rows: Rows, handouts: dict[str, str], words: Words) -> bool:
    """Prints the scoreboard, a lab's parts in rows under it; returns True when the run meets its goal."""
    ok = True
    print()
    print(fit(words("lab"), 7) + fit(words("title"), 48) + fit(words("points"), 12, right=True)
          + fit(words("score"), 8, right=True))
    print("-" * 75)
    for lab in sorted({t.lab for t in tests}):
        members = [t for t in tests if t.lab == lab]
        row, percent = score_row(lab, titles.get(lab, ""), members)
        if at_most is None:
            # Every test must pass, a 0-point REFERENCE_TEST too: points are not the only check.
            ok &= all(t.status in ("passed", "skipped") for t in members)
            verdict = "" if all(t.status in ("passed", "skipped") for t in members) else "  <--"
        else:
            ok &= percent <= at_most
            verdict = "" if percent <= at_most else words("over", at_most=at_most)
        print(row + verdict)
        for part in parts.get(lab, []):
            in_part = [t for t in members if t.part == part.id]
            if in_part:
                title = part.title_zh if words.lang == "zh" and part.title_zh else part.title
                print(score_row(f"  {part.id}", title, in_part)[0])
    total, possible = sum(t.score for t in tests), sum(t.points for t in tests)
    print("-" * 75)
    print(f"{fit(words('total'), 55)}{total:>5} / {possible:<4}{(100.0 * total / possible if possible else 0):>7.0f}%")
    skipped = [t for t in tests if t.status == "skipped"]
    if skipped:
        print("\n" + words("skipped"))
        for t in skipped:
            print(f"  {t.name} [{t.skipped_points} pt]: {t.reason}")
    failures = [t for t in tests if t.status not in ("passed", "skipped")]
    if failures and at_most is None:
        print("\n" + words("failed"))
        heading = None
        for t in sorted(failures, key=lambda t: exercise_order(t, rows)):
            exercise = rows.get(t.lab, {}).get(gtest_name(t))
            if exercise and (t.lab, exercise.number) != heading:
                heading = (t.lab, exercise.number)
                print("  " + words("row", lab=t.lab, number=exercise.number, write=strip_markdown(exercise.write)))
            first, _, rest = t.reason.partition("\n")
            named = words("test", name=t.name, points=t.points, status=words.status(t.status))
            if first.startswith("- "):
                print(f"    {named}")
                print(textwrap.indent(t.reason, "        "))
            else:
                print(f"    {named} {t.reason}")
    passed = len(tests) - len(failures) - len(skipped)
    if at_most is None:
        print("\n" + words("summary", passed=passed, failed=len(failures))
              + (words("summary_skipped", skipped=len(skipped)) if skipped else ""))
        step = next_step(failures, rows, handouts, words)
        if step:
            print(step)
    else:
        print("\n" + words("starter", failed=len(failures), tests=len(tests), passed=passed, at_most=at_most))
    return ok


def lab_titles(repo: Path, words: Words) -> dict[str, str]:
    """Each lab's title: from labs/labs.tsv, or the title of its Chinese handout ("# 01 - ...")."""
    titles = {}
    for line in (repo / "labs" / "labs.tsv").read_text("utf-8").splitlines():
        fields = line.split("\t")
        if line[:1].isdigit() and len(fields) >= 5:
            titles["lab" + fields[0]] = fields[4]
    if words.lang == "zh":
        for chinese in sorted((repo / "notes" / "zh").glob("[0-9][0-9]_*.md")):
            title = next((line[2:] for line in chinese.read_text("utf-8").splitlines() if line.startswith("# ")), "")
            if title:
                titles["lab" + chinese.name[:2]] = re.sub(r"^\d+\s*-\s*", "", title)
    return titles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path, help="a configured and built build directory")
    parser.add_argument("labs", nargs="*", help="labels to grade, e.g. lab01 (default: all)")
    parser.add_argument("--out", type=Path, help="where the reports go (default BUILD/grade)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2, help="tests run at once")
    parser.add_argument("--at-most", type=float, metavar="PERCENT",
                        help="succeed when every lab scores at most PERCENT (the starter check)")
    parser.add_argument("--show", metavar="TEST",
                        help="run only the tests whose name contains TEST and print their whole output")
    args = parser.parse_args()

    tests = ctest_tests(args.build, args.labs)
    if args.show:
        tests = [t for t in tests if args.show in t.name]
    if not tests:
        print(f"grade: no graded tests found in {args.build} for {args.labs or 'any lab'}"
              + (f" named like '{args.show}'" if args.show else ""), file=sys.stderr)
        return 2
    tables: dict[str, dict[str, int]] = {}
    for test in tests:
        executable = test.command[0]
        if executable not in tables:
            tables[executable] = points_table(executable)
        points = tables[executable].get(gtest_name(test))
        if points is None:
            print(f"grade: {test.name} is not a GRADED_TEST (no points); every test must declare its points",
                  file=sys.stderr)
            return 2
        test.points = points
    repo = Path(__file__).resolve().parent.parent
    parts = {lab: lab_parts(repo, lab) for lab in {t.lab for t in tests}}
    for test in tests:
        if parts[test.lab]:
            test.part = part_of(test, parts[test.lab])
            if not test.part:
                print(f"grade: {test.name} belongs to no part of tests/{test.lab}/parts.tsv; "
                      "add its suite's prefix to one", file=sys.stderr)
                return 2

    if args.show:
        for test in sorted(tests, key=lambda t: t.name):
            run(test)
            print(f"==== {test.name} [{test.points} pt]: {test.status}\n{test.output.rstrip()}\n")
            if test.reason:
                print(f"---- in short:\n{test.reason}\n")
        return 0 if all(t.status in ("passed", "skipped") for t in tests) else 1
    print(f"grading {len(tests)} tests from {args.build} ({args.jobs} at a time)", flush=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for test in pool.map(run, sorted(tests, key=lambda t: t.name)):
            mark = {"passed": "ok  ", "skipped": "skip"}.get(test.status, "FAIL")
            status = "" if test.status in ("passed", "skipped") else f": {test.status}"
            print(f"  {mark} {test.name} ({test.seconds:.1f} s){status}", flush=True)
    tests.sort(key=lambda t: t.name)
    write_reports(tests, args.out or args.build / "grade")
    words = Words(language())
    rows, handouts = exercise_rows(repo, {t.lab for t in tests}, words)
    ok = scoreboard(tests, lab_titles(repo, words), parts, args.at_most, rows, handouts, words)
    print(words("reports", results=(args.out or args.build / "grade") / "results.json"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
