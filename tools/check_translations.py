#!/usr/bin/env python3
"""Check that every English handout has a Chinese counterpart in step with it.

  python3 tools/check_translations.py              every pair; exit 1 on any finding
  python3 tools/check_translations.py FILE...      only the pairs these files belong to

The pairs are notes/NAME.md and notes/zh/NAME.md, and README.md with README.zh.md (a short
guide, not a translation: only its language switch is checked). For each handout pair:
  switch    line 1 links to the other language: `English | [中文](zh/NAME)` and
            `[English](../NAME) | 中文`
  headings  the same number of headings, level by level, in order
  code      every fenced code block byte for byte, in order
  tables    the same tables with the same number of rows; in the first column the code spans,
            numbers and link targets agree cell by cell (prose there is translated)
  links     the same link and image targets in order, once resolved (notes/zh/X stands for
            notes/X); every anchor names a heading of the page it points into
  details   the same number of collapsed <details> hints
  exercises the exercise tables (tools/course.py) list the same rows with the same graded tests
            and points, so a Chinese scoreboard names the same work
The first difference of each kind is named, with a line in each file.
"""

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, TypeVar

import course
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<img\s[^>]*src=\"([^\"]+)\"")
CODE_SPAN = re.compile(r"`[^`]+`")
NUMBER = re.compile(r"\d+")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXPLICIT_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Doc:
    path: Path
    lines: list[str]
    headings: list[tuple[int, str, int]] = field(default_factory=list)      # (level, text, line)
    code: list[tuple[str, int]] = field(default_factory=list)               # (block, first line)
    tables: list[list[tuple[str, int]]] = field(default_factory=list)       # rows: (first cell, line)
    links: list[tuple[str, int]] = field(default_factory=list)              # (raw target, line)
    details: list[int] = field(default_factory=list)                        # lines of <details>


def cells(row: str) -> list[str]:
    """Splits a table row on the pipes outside code spans and escapes."""
    found, current, in_code, escaped = [], "", False, False
    for char in row.strip().strip("|") if row.strip().endswith("|") else row.strip().lstrip("|"):
        if escaped:
            current, escaped = current + char, False
        elif char == "\\":
            current, escaped = current + char, True
        elif char == "`":
            current, in_code = current + char, not in_code
        elif char == "|" and not in_code:
            found.append(current.strip())
            current = ""
        else:
            current += char
    return found + [current.strip()]


def parse(path: Path) -> Doc:
    doc = Doc(path, path.read_text("utf-8").splitlines())
    fence: str | None = None
    block: list[str] = []
    block_line = 0
    table: list[tuple[str, int]] | None = None
    for number, line in enumerate(doc.lines, start=1):
        opening = FENCE.match(line)
        if fence is not None:
            block.append(line)
            if opening and opening.group(1) == fence and line.strip() == fence:
                doc.code.append(("\n".join(block), block_line))
                fence = None
            continue
        if opening:
            fence, block, block_line = opening.group(1), [line], number
            table = None
            continue
        if line.lstrip().startswith("|"):
            if table is None:
                table = []
                doc.tables.append(table)
            if not re.fullmatch(r"\s*\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*", line):
                table.append((cells(line)[0], number))
        else:
            table = None
        heading = HEADING.match(line)
        if heading:
            doc.headings.append((len(heading.group(1)), heading.group(2), number))
        for match in LINK.finditer(line):
            doc.links.append((match.group(1) or match.group(2), number))
        if "<details" in line:
            doc.details.append(number)
    return doc


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1", heading).lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def anchors(doc: Doc) -> set[str]:
    found: set[str] = set()
    for _, text, _ in doc.headings:
        base = slug(text)
        name, n = base, 0
        while name in found:
            n += 1
            name = f"{base}-{n}"
        found.add(name)
    for line in doc.lines:
        found.update(EXPLICIT_ANCHOR.findall(line))
    return found


def english_of(path: Path) -> Path:
    """The English page a Chinese one stands for; an English page stands for itself."""
    relative = path.relative_to(ROOT)
    if relative.parts[:2] == ("notes", "zh"):
        return ROOT / "notes" / Path(*relative.parts[2:])
    if relative.name == "README.zh.md":
        return ROOT / relative.parent / "README.md"
    return path


def resolve(doc: Doc, target: str) -> tuple[str, str]:
    """A link target as (page or URL, anchor), pages relative to the repository."""
    page, _, anchor = target.partition("#")
    if re.match(r"^[a-z][a-z0-9+.-]*:", page):
        return page, anchor
    where = (doc.path.parent / page).resolve() if page else doc.path
    return str(where.relative_to(ROOT)) if where.is_relative_to(ROOT) else str(where), anchor


def canonical(doc: Doc, target: str) -> str:
    """A link target without its anchor, a page standing for its English counterpart."""
    page, _ = resolve(doc, target)
    if re.match(r"^[a-z][a-z0-9+.-]*:", page) or not (ROOT / page).resolve().is_relative_to(ROOT):
        return page
    return str(english_of((ROOT / page).resolve()).relative_to(ROOT))


def first_column_marks(cell: str) -> list[str]:
    return CODE_SPAN.findall(cell) + NUMBER.findall(CODE_SPAN.sub("", cell)) + \
        [m.group(1) or m.group(2) for m in LINK.finditer(cell)]


T = TypeVar("T")


def first_difference(english: list[T], chinese: list[T], same: Callable[[T, T], bool]) -> int | None:
    """The index of the first item that differs, or where one list ends before the other."""
    for i, (a, b) in enumerate(zip(english, chinese)):
        if not same(a, b):
            return i
    return None if len(english) == len(chinese) else min(len(english), len(chinese))


def at(items: list[T], i: int) -> T | None:
    return items[i] if i < len(items) else None


def shown_heading(heading: tuple[int, str, int] | None) -> str:
    return "#" * heading[0] + " " + heading[1] if heading else "none"


def first_code_line(block: tuple[str, int] | None) -> str:
    lines = block[0].splitlines() if block else []
    return lines[1] if len(lines) > 2 else "none"


def compare(en: Doc, zh: Doc, docs: dict[Path, Doc]) -> list[str]:
    ea, za = en.path.relative_to(ROOT), zh.path.relative_to(ROOT)
    problems = []

    def differ(kind: str, en_line: int | None, zh_line: int | None, what: str) -> None:
        where_en = f"{ea}:{en_line}" if en_line else f"{ea} (end)"
        where_zh = f"{za}:{zh_line}" if zh_line else f"{za} (end)"
        problems.append(f"{kind}: {where_en} / {where_zh}: {what}")

    expected_en = f"English | [中文](zh/{en.path.name})"
    expected_zh = f"[English](../{en.path.name}) | 中文"
    if not en.lines or en.lines[0] != expected_en:
        differ("switch", 1, 1, f"the English page must open with '{expected_en}'")
    if not zh.lines or zh.lines[0] != expected_zh:
        differ("switch", 1, 1, f"the Chinese page must open with '{expected_zh}'")

    i = first_difference(en.headings, zh.headings, lambda a, b: a[0] == b[0])
    if i is not None:
        eh, zh_ = at(en.headings, i), at(zh.headings, i)
        differ("headings", eh and eh[2], zh_ and zh_[2],
               f"heading {i + 1}: {shown_heading(eh)} vs {shown_heading(zh_)}")

    i = first_difference(en.code, zh.code, lambda a, b: a[0] == b[0])
    if i is not None:
        ec, zc = at(en.code, i), at(zh.code, i)
        differ("code", ec and ec[1], zc and zc[1], f"code block {i + 1} differs: English '{first_code_line(ec)}' "
               f"vs '{first_code_line(zc)}'")

    i = first_difference(en.tables, zh.tables, lambda a, b: len(a) == len(b))
    if i is not None:
        et, zt = at(en.tables, i), at(zh.tables, i)
        differ("tables", et[0][1] if et else None, zt[0][1] if zt else None,
               f"table {i + 1} has {len(et) if et else 'no'} rows vs {len(zt) if zt else 'no'}")
    for number, (et, zt) in enumerate(zip(en.tables, zh.tables), start=1):
        row = first_difference(et, zt, lambda a, b: first_column_marks(a[0]) == first_column_marks(b[0]))
        if row is not None and row < min(len(et), len(zt)):
            differ("tables", et[row][1], zt[row][1],
                   f"table {number}, row {row + 1}: first column '{et[row][0]}' vs '{zt[row][0]}'")
            break

    en_targets = [(canonical(en, target), line) for target, line in en.links]
    zh_targets = [(canonical(zh, target), line) for target, line in zh.links]
    i = first_difference(en_targets, zh_targets, lambda a, b: a[0] == b[0])
    if i is not None:
        el, zl = at(en_targets, i), at(zh_targets, i)
        differ("links", el and el[1], zl and zl[1], f"link {i + 1}: {el[0] if el else 'none'} vs "
               f"{zl[0] if zl else 'none'}")

    en_rows = [(row.number, row.tests, row.line) for row in course.rows_of(en.path)[0]]
    zh_rows = [(row.number, row.tests, row.line) for row in course.rows_of(zh.path)[0]]
    i = first_difference(en_rows, zh_rows, lambda a, b: a[:2] == b[:2])
    if i is not None:
        er, zr = at(en_rows, i), at(zh_rows, i)
        differ("exercises", er and er[2], zr and zr[2], f"exercise row {er[0] if er else zr[0] if zr else '?'}: "
               f"{er[1] if er else 'none'} vs {zr[1] if zr else 'none'}")

    if len(en.details) != len(zh.details):
        differ("details", None, None, f"{len(en.details)} <details> vs {len(zh.details)}")

    for doc in (en, zh):
        for target, line in doc.links:
            page, anchor = resolve(doc, target)
            if not anchor or not page.endswith(".md") or re.match(r"^[a-z]+:", page):
                continue
            into = docs.get(ROOT / page) or (parse(ROOT / page) if (ROOT / page).is_file() else None)
            if into is not None and anchor not in anchors(into):
                problems.append(f"anchors: {doc.path.relative_to(ROOT)}:{line}: '#{anchor}' names no heading "
                                f"of {page}")
    return problems


def pairs() -> list[tuple[Path, Path]]:
    return [(english, ROOT / "notes" / "zh" / english.name) for english in sorted((ROOT / "notes").glob("*.md"))]


def check_readme() -> list[str]:
    problems = []
    for page, line in ((ROOT / "README.md", "English | [中文](README.zh.md)"),
                       (ROOT / "README.zh.md", "[English](README.md) | 中文")):
        if not page.is_file():
            problems.append(f"switch: {page.relative_to(ROOT)} is missing")
        elif page.read_text("utf-8").splitlines()[:1] != [line]:
            problems.append(f"switch: {page.relative_to(ROOT)}:1 must be '{line}'")
    return problems


def main(argv: list[str]) -> int:
    wanted = {english_of(Path(a).resolve()) for a in argv}
    problems = [] if wanted else check_readme()
    checked = 0
    for english, chinese in pairs():
        if wanted and english not in wanted:
            continue
        if not chinese.is_file():
            problems.append(f"missing: {english.relative_to(ROOT)} has no Chinese counterpart "
                            f"{chinese.relative_to(ROOT)}")
            continue
        en, zh = parse(english), parse(chinese)
        problems += compare(en, zh, {english: en, chinese: zh})
        checked += 1
    for chinese in sorted((ROOT / "notes" / "zh").glob("*.md")):
        if not (ROOT / "notes" / chinese.name).is_file():
            problems.append(f"missing: {chinese.relative_to(ROOT)} translates nothing: no notes/{chinese.name}")
    for problem in problems:
        print(problem)
    print(f"check_translations: {checked} pairs: {len(problems)} finding{'s' if len(problems) != 1 else ''}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
