"""The course as data: each lab's solution regions, its graded tests and its handout's exercise rows.

Three sources, one model, read by tools/check_course.py (do they agree?) and tools/grade.py
(the scoreboard lists failures in the handout's order and names the next exercise):

  regions       `// BEGIN SOLUTION name` ... `// END SOLUTION` in labs/NN_*/ (tools/make_starter.py)
  graded tests  GRADED_TEST(Suite, Name, points) and REFERENCE_TEST(Suite, Name) in tests/labNN/
  rows          the handout's exercise table(s), notes/NN_*.md:

                  | # | Write | Graded tests | Points |
                  | --- | --- | --- | --- |
                  | 1 | `send_all` (`send_all.cpp`) | `Lab01SendAll.ShortWrites` | 6 |
                  | | | `Lab01SendAll.ClosedPeer` | 5 |
                  | | | **Total** | **100** |

                The Chinese handout, notes/zh/NN_*.md, has the same tables under the header
                | # | 编写 | 评分测试 | 分数 | with **合计** for **Total**.

                A row's regions are the backticked names in its Write cell that name a region.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import make_starter
from make_starter import BEGIN, END, REFERENCE_ONLY, SOURCE_SUFFIXES

ROOT = Path(__file__).resolve().parent.parent

GRADED = re.compile(r"\b(?P<kind>GRADED_TEST|REFERENCE_TEST)\(\s*(?P<suite>\w+)\s*,\s*(?P<name>\w+)\s*"
                    r"(?:,\s*(?P<points>\d+)\s*)?\)")
TABLE_HEADER = re.compile(r"^\|\s*#\s*\|\s*(?:Write|编写)\s*\|\s*(?:Graded tests|评分测试)\s*\|\s*(?:Points|分数)\s*\|\s*$")
BACKTICKED = re.compile(r"`([^`]+)`")


@dataclass
class Region:
    name: str
    path: Path          # relative to the repository
    line: int           # of the BEGIN marker
    body: list[str]     # the lines between the markers


@dataclass
class Row:
    number: str                     # "1", "2", ... as the table writes it
    write: str                      # the Write cell
    tests: list[tuple[str, int]] = field(default_factory=list)   # (Suite.Name, points)
    line: int = 0                   # in the handout
    regions: list[str] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(points for _, points in self.tests)


@dataclass
class Lab:
    id: str             # "01"
    folder: Path        # labs/01_stream (relative)
    handout: Path | None
    regions: list[Region]
    graded: dict[str, int]      # Suite.Name -> points, GRADED_TEST only
    reference: set[str]         # Suite.Name of REFERENCE_TESTs
    rows: list[Row]
    totals: list[tuple[int, int]]   # (declared total, handout line) of each table


def lab_folders(root: Path = ROOT) -> list[Path]:
    return make_starter.lab_folders(root / "labs")


def regions_of(folder: Path, root: Path = ROOT) -> list[Region]:
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.suffix not in SOURCE_SUFFIXES or (relative.parts and relative.parts[0] in REFERENCE_ONLY):
            continue
        current: Region | None = None
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            begin = BEGIN.match(line)
            if begin:
                current = Region(begin.group("name").strip(), path.relative_to(root), number, [])
            elif END.match(line) and current:
                found.append(current)
                current = None
            elif current:
                current.body.append(line)
    return found


def graded_tests_of(lab_id: str, root: Path = ROOT) -> tuple[dict[str, int], set[str]]:
    graded: dict[str, int] = {}
    reference: set[str] = set()
    for path in sorted((root / "tests" / f"lab{lab_id}").rglob("*.cpp")):
        for match in GRADED.finditer(path.read_text("utf-8")):
            name = f"{match.group('suite')}.{match.group('name')}"
            points = int(match.group("points") or 0)
            if match.group("kind") == "REFERENCE_TEST" or points == 0:
                reference.add(name)    # worth nothing: it must pass, but no row lists it
            else:
                graded[name] = points
    return graded, reference


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def rows_of(handout: Path) -> tuple[list[Row], list[tuple[int, int]]]:
    """The exercise rows of every exercise table in the handout, and each table's declared total."""
    rows: list[Row] = []
    totals: list[tuple[int, int]] = []
    in_table = False
    for number, line in enumerate(handout.read_text("utf-8").splitlines(), start=1):
        if TABLE_HEADER.match(line):
            in_table = True
            continue
        if not in_table:
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        row = cells(line)
        if len(row) != 4 or set(row[0]) <= {"-", " "} and row[0]:
            continue
        first, write, test, points = row
        if "**Total**" in test or "**合计**" in test:
            totals.append((int(re.sub(r"\D", "", points) or 0), number))
            continue
        if first:
            rows.append(Row(first, write, line=number))
        elif not rows:
            continue
        if write and not first:
            rows[-1].write += " " + write
        names = BACKTICKED.findall(test)
        if names and points.isdigit():
            rows[-1].tests.append((names[0], int(points)))
    return rows, totals


def summarise_tests(tests: list[str]) -> str:
    """Test names for a one-line comment: all of them when short, else each suite with its count."""
    text = ", ".join(tests)
    if len(text) <= 70:
        return text
    suites = [test.split(".", 1)[0] for test in tests]
    counts = {suite: suites.count(suite) for suite in dict.fromkeys(suites)}
    return ", ".join(f"{suite} ({n} test{'s' if n != 1 else ''})" for suite, n in counts.items())


def load_lab(folder: Path, root: Path = ROOT) -> Lab:
    lab_id = folder.name[:2]
    handouts = sorted((root / "notes").glob(f"{lab_id}_*.md"))
    handout = handouts[0] if handouts else None
    regions = regions_of(folder, root)
    graded, reference = graded_tests_of(lab_id, root)
    rows, totals = rows_of(handout) if handout else ([], [])
    names = {region.name for region in regions}
    for row in rows:
        row.regions = [name for name in BACKTICKED.findall(row.write) if name in names]
    return Lab(lab_id, folder.relative_to(root), handout.relative_to(root) if handout else None,
               regions, graded, reference, rows, totals)


def load_labs(root: Path = ROOT) -> list[Lab]:
    return [load_lab(folder, root) for folder in lab_folders(root)]
