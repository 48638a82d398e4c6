#!/usr/bin/env python3
"""Check that the course agrees with itself: regions, exercise rows, graded tests and handouts.

  python3 tools/check_course.py            every check, every lab; exit 1 on any finding

What is checked, per lab (tools/course.py reads the three sources):
  rows      every solution region is in exactly one exercise row of the handout, and region names
            are unique in the lab; every row's test is a GRADED_TEST with the points the row says,
            every GRADED_TEST is in exactly one row, no REFERENCE_TEST is listed; the points add up
            to 100 and to the tables' declared totals
  sections  the handout has the course's sections, in order
  code      the handout shows no region's code: no run of three substantial lines of a region
            (ten characters or more each, compared without indentation) appears in it
and over the repository:
  links     every relative link and image in a Markdown file resolves to a file
  wording   no text speaks of issues or tickets (a reader cannot see them)

That every region is graded (stubbing it alone loses points) needs a build: tools/check_regions.py.
"""

import re
import subprocess
import sys
from pathlib import Path

import course

SECTIONS = ["Why am I doing this?", "Concepts", "Hands-on", "Exercises", "Hints", "FAQ", "Pitfalls",
            "Check your understanding", "Why the next lab exists"]
SUBSTANTIAL = 10    # characters, without indentation: shorter lines ("}", "return;") prove nothing
WINDOW = 3          # consecutive substantial lines
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<img\s[^>]*src=\"([^\"]+)\"")
ISSUE_WORDING = re.compile(r"\b(?:the|this|that|an|our|its) issue\b(?! tracker)|\bissue\s*#\s*\d+|\btickets?\b",
                           re.IGNORECASE)
WORDING_SUFFIXES = {".md", ".cpp", ".hpp", ".py", ".sh", ".txt", ".json", ".tsv", ".yml", ".cmake", ".in"}


def check_rows(lab: course.Lab) -> list[str]:
    problems = []
    where = str(lab.handout)
    names = [region.name for region in lab.regions]
    for name in sorted({n for n in names if names.count(n) > 1}):
        places = ", ".join(f"{r.path}:{r.line}" for r in lab.regions if r.name == name)
        problems.append(f"lab {lab.id}: two regions are named '{name}' ({places}): a row cannot tell them apart")
    for region in lab.regions:
        rows = [row.number for row in lab.rows if region.name in row.regions]
        if not rows:
            problems.append(f"{region.path}:{region.line}: region '{region.name}' is in no exercise row of {where}")
        elif len(rows) > 1:
            problems.append(f"{where}: region '{region.name}' is in rows {', '.join(rows)}; one row each")
    listed: dict[str, list[str]] = {}
    for row in lab.rows:
        for test, points in row.tests:
            listed.setdefault(test, []).append(row.number)
            if test in lab.reference:
                problems.append(f"{where}:{row.line}: row {row.number} lists {test}, a REFERENCE_TEST (0 points)")
            elif test not in lab.graded:
                problems.append(f"{where}:{row.line}: row {row.number} lists {test}, which is no GRADED_TEST "
                                f"in tests/lab{lab.id}")
            elif lab.graded[test] != points:
                problems.append(f"{where}:{row.line}: row {row.number} gives {test} {points} points; "
                                f"the test says {lab.graded[test]}")
    for test, rows_listing in sorted(listed.items()):
        if len(rows_listing) > 1:
            problems.append(f"{where}: {test} is listed in rows {', '.join(rows_listing)}; one row each")
    for test in sorted(set(lab.graded) - set(listed)):
        problems.append(f"{where}: the graded test {test} ({lab.graded[test]} points) is in no exercise row")
    graded_total = sum(lab.graded.values())
    if graded_total != 100:
        problems.append(f"tests/lab{lab.id}: the graded tests add up to {graded_total} points, not 100")
    declared = sum(total for total, _ in lab.totals)
    if lab.totals and declared != sum(row.points for row in lab.rows):
        problems.append(f"{where}:{lab.totals[0][1]}: the tables declare {declared} points but their rows "
                        f"add up to {sum(row.points for row in lab.rows)}")
    if not lab.rows:
        problems.append(f"{where}: no exercise table (| # | Write | Graded tests | Points |)")
    return problems


def check_sections(lab: course.Lab, root: Path) -> list[str]:
    assert lab.handout is not None
    found = [line[3:].strip() for line in (root / lab.handout).read_text("utf-8").splitlines()
             if line.startswith("## ")]
    course_sections = [title for title in found if title in SECTIONS]
    problems = [f"{lab.handout}: no '## {title}' section" for title in SECTIONS if title not in found]
    if not problems and course_sections != SECTIONS:
        problems.append(f"{lab.handout}: the sections are out of order: {' / '.join(course_sections)} "
                        f"(expected {' / '.join(SECTIONS)})")
    return problems


def substantial(line: str) -> str:
    text = line.strip()
    return text if len(text) >= SUBSTANTIAL and not text.startswith(("//", "///")) else ""


def check_code(lab: course.Lab, root: Path) -> list[str]:
    assert lab.handout is not None
    text = (root / lab.handout).read_text("utf-8")
    note_lines = [s for s in (substantial(line) for line in text.splitlines()) if s]
    note_runs = {tuple(note_lines[i:i + WINDOW]) for i in range(len(note_lines) - WINDOW + 1)}
    problems = []
    for region in lab.regions:
        lines = [s for s in (substantial(line) for line in region.body) if s]
        for i in range(len(lines) - WINDOW + 1):
            if tuple(lines[i:i + WINDOW]) in note_runs:
                problems.append(f"{lab.handout}: shows the code of region '{region.name}' "
                                f"({region.path}:{region.line}): '{lines[i]}' ...")
                break
    return problems


def tracked_files(root: Path) -> list[Path]:
    listing = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=root, check=True,
                             capture_output=True, text=True).stdout
    return [root / name for name in listing.splitlines() if (root / name).is_file()]


def check_links(files: list[Path], root: Path) -> list[str]:
    problems = []
    for path in files:
        if path.suffix != ".md":
            continue
        text = path.read_text("utf-8")
        in_code = False
        for number, line in enumerate(text.splitlines(), start=1):
            if line.lstrip().startswith("```"):
                in_code = not in_code
            if in_code:
                continue
            for match in LINK.finditer(line):
                target = (match.group(1) or match.group(2)).split("#", 1)[0]
                if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target):
                    continue    # an anchor in the same page, or a URL
                if not (path.parent / target).exists():
                    problems.append(f"{path.relative_to(root)}:{number}: the link '{target}' leads nowhere")
    return problems


def check_wording(files: list[Path], root: Path) -> list[str]:
    problems = []
    for path in files:
        if path.suffix not in WORDING_SUFFIXES or path.name == "check_course.py":
            continue
        for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), start=1):
            if ISSUE_WORDING.search(line):
                problems.append(f"{path.relative_to(root)}:{number}: speaks of an issue or ticket: "
                                f"{line.strip()[:100]}")
    return problems


def main() -> int:
    root = course.ROOT
    problems: list[str] = []
    labs = course.load_labs(root)
    for lab in labs:
        if lab.handout is None:
            problems.append(f"lab {lab.id}: no handout notes/{lab.id}_*.md")
            continue
        problems += check_rows(lab) + check_sections(lab, root) + check_code(lab, root)
    files = tracked_files(root)
    problems += check_links(files, root) + check_wording(files, root)
    for problem in problems:
        print(problem)
    regions = sum(len(lab.regions) for lab in labs)
    rows = sum(len(lab.rows) for lab in labs)
    print(f"check_course: {len(labs)} labs, {regions} regions, {rows} exercise rows: "
          f"{len(problems)} finding{'s' if len(problems) != 1 else ''}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
