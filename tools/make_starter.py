#!/usr/bin/env python3
"""Generate the learner's starter from the reference labs: one source of truth.

Every solution region in a lab's sources,

        // BEGIN SOLUTION send_all
        ...reference code...
        // END SOLUTION

becomes a stub that compiles without a warning and fails loudly:

        netlab::unused(fd, bytes);  // delete once you write send_all
        throw netlab::todo("lab01: send_all");

(the first line only where the region was the only user of some of the function's parameters),
under a comment that says where the exercise is taught and what grades it, read from the
handout's exercise table (tools/course.py):

        // TODO(lab01 send_all): notes/01_stream_sockets.md, Exercises row 4;
        //   11 points: Lab01SendAll (2 tests)

With --switch, the regions stay and each gains a first line that throws the same todo when the
environment variable NETLAB_SWITCH_OFF names it (netlab::switched_off): tools/check_regions.py
uses such a build to prove that every region is graded.

Usage:
  make_starter.py SRC_LABS DEST_LABS              (re)generate DEST_LABS from SRC_LABS
  make_starter.py --workspace [--only A,B] SRC_LABS DEST_LABS
                                                  add labs missing from a learner's workspace;
                                                  never touch a file that is already there
  make_starter.py --check SRC_LABS                only validate the markers
  make_starter.py --switch SRC_LABS DEST_LABS     the reference, each region switchable off at run time

Only lab folders (NN_name) are generated; labs/common and the lab list stay in the reference.
Files are rewritten only when their content changes, so rebuilds stay incremental.
"""

import argparse
import re
import sys
from pathlib import Path
from typing import Callable

BEGIN = re.compile(r"^(?P<indent>\s*)//\s*BEGIN SOLUTION\b(?P<name>.*)$")
END = re.compile(r"^\s*//\s*END SOLUTION\s*$")
LAB_FOLDER = re.compile(r"^(?P<id>\d\d)_[A-Za-z0-9_]+$")
SOURCE_SUFFIXES = {".cpp", ".hpp", ".h", ".cc"}
# Lab subfolders that labs/CMakeLists.txt always builds from the reference tree (the reference
# libraries and peers later labs use): a starter or a workspace copy of them would never be built.
REFERENCE_ONLY = {"reference"}
TODO_INCLUDE = '#include "common/todo.hpp"\n'


class MarkerError(Exception):
    """A solution region that is malformed; the message names file and line."""


Guide = Callable[[str], list[str]]   # region name -> the comment lines above its stub


def strip_regions(text: str, lab: str, path: Path, guide: Guide | None = None,
                  switch: bool = False) -> tuple[str, int]:
    """Returns the text with every region replaced by a todo stub (with switch: kept, behind a
    run-time switch), and the number of regions."""
    if switch:
        return switch_regions(text, lab, path)
    out: list[str] = []
    open_line = 0
    count = 0
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        begin = BEGIN.match(line)
        if begin:
            if open_line:
                raise MarkerError(f"{path}:{number}: BEGIN SOLUTION inside the region opened at line {open_line}")
            name = begin.group("name").strip()
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_:~]*", name):
                raise MarkerError(f"{path}:{number}: BEGIN SOLUTION needs the function's name, e.g. "
                                  f"'// BEGIN SOLUTION send_all'")
            indent = begin.group("indent")
            out.extend(f"{indent}{comment}\n" for comment in (guide(name) if guide else []))
            region_start, region_name = len(out), name
            out.append(f'{indent}throw netlab::todo("{lab}: {name}");\n')
            region_lines: list[str] = []
            open_line = number
            count += 1
        elif END.match(line):
            if not open_line:
                raise MarkerError(f"{path}:{number}: END SOLUTION without a BEGIN")
            signature, body_before = enclosing_signature(out[:region_start])
            if is_noexcept(signature):  # a throw would only reach std::terminate, with a warning
                out[region_start] = f'{indent}netlab::todo_abort("{lab}: {region_name}");\n'
            unused = unused_parameters(signature, body_before, "".join(region_lines), lines[number:], indent)
            if unused:
                out.insert(region_start, f"{indent}netlab::unused({', '.join(unused)});  "
                                         f"// delete once you write {region_name}\n")
            open_line = 0
        elif open_line:
            region_lines.append(line)
        else:
            out.append(line)
    if open_line:
        raise MarkerError(f"{path}:{open_line}: BEGIN SOLUTION is never closed")
    result = "".join(out)
    if count:
        result = mark_orphaned_helpers(result)
        if TODO_INCLUDE not in result:
            result = add_include(result)
    return result, count


def switch_regions(text: str, lab: str, path: Path) -> tuple[str, int]:
    """The text with each region kept and preceded by its switch: the region throws its todo (a
    noexcept one aborts) when NETLAB_SWITCH_OFF names it."""
    out: list[str] = []
    count = 0
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        out.append(line)
        begin = BEGIN.match(line)
        if not begin:
            continue
        name, indent = begin.group("name").strip(), begin.group("indent")
        signature, _ = enclosing_signature(out[:-1])
        stop = (f'netlab::todo_abort("{lab}: {name}")' if is_noexcept(signature)
                else f'throw netlab::todo("{lab}: {name}")')
        out.append(f'{indent}if (netlab::switched_off("{lab}: {name}")) {{\n{indent}    {stop};\n{indent}}}\n')
        count += 1
    result = "".join(out)
    if count and TODO_INCLUDE not in result:
        result = add_include(result)
    return result, count


HELPER = re.compile(r"^(?!template\b|struct\b|class\b|union\b|enum\b|using\b|namespace\b|return\b|\[\[)"
                    r"[A-Za-z_][\w:<>,*& ]*?\b(?P<name>[A-Za-z_]\w*)\(")


def mark_orphaned_helpers(text: str) -> str:
    """Marks [[maybe_unused]] each function of an anonymous namespace that only the stripped
    regions called, directly or through another such function (no -Wunused-function in the
    starter: the helper is there for the learner to use)."""
    lines = text.splitlines(keepends=True)
    helpers: dict[str, tuple[int, int]] = {}  # name -> (first line, last line) of its definition
    depth, anonymous_depth, current = 0, -1, None
    for i, line in enumerate(lines):
        code = without_comments(line)
        if line.startswith("namespace {"):
            anonymous_depth = depth + 1
        elif depth == anonymous_depth and (match := HELPER.match(line)) and not code.rstrip().endswith(";"):
            current = match.group("name")
            helpers.setdefault(current, (i, len(lines) - 1))
        depth += code.count("{") - code.count("}")
        if current is not None and depth == anonymous_depth and "}" in code:
            helpers[current] = (helpers[current][0], i)
            current = None
        if depth < anonymous_depth:
            anonymous_depth = -1
    orphaned: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, (first, _) in helpers.items():
            if name in orphaned:
                continue
            word = re.compile(rf"\b{re.escape(name)}\b")
            users = [i for i, line in enumerate(lines) if word.search(without_comments(line))]
            outside = [i for i in users if i != first and not any(
                start <= i <= end for other, (start, end) in helpers.items() if other in orphaned)]
            if not outside:
                orphaned.add(name)
                changed = True
    for name in orphaned:
        first, _ = helpers[name]
        lines[first] = "[[maybe_unused]] " + lines[first]
    return "".join(lines)


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CONTROL = re.compile(r"^\s*(?:\}\s*)?(?:if|for|while|switch|else|do|try|catch)\b")


def enclosing_signature(before: list[str]) -> tuple[str, list[str]]:
    """The signature of the function (or lambda) whose body holds the code after before, joined on
    one line, and the lines of that body before the region. ("", []) when it cannot be found."""
    # Walk back to the unmatched "{" that opens the enclosing block, then up to its "(".
    signature: list[str] = []
    body_before: list[str] = []
    depth = 0
    for line in reversed(before):
        code = without_comments(line).rstrip()
        if not signature:
            for char in reversed(code):
                depth += {"}": 1, "{": -1}.get(char, 0)
                if depth < 0:
                    break
            if depth >= 0:
                body_before.insert(0, line)
                continue
            code = code[:code.rindex("{")]
        signature.insert(0, code)
        joined = " ".join(signature).strip()
        in_initializers = joined.startswith((":", ","))  # a constructor's member initializers
        if "(" in joined and joined.count("(") <= joined.count(")") and not in_initializers:
            break
        if len(signature) > 8:
            return "", []
    joined = " ".join(signature).strip()
    if "(" not in joined or CONTROL.match(joined):
        return "", []
    return joined, body_before


def parameter_list(signature: str) -> tuple[str, str]:
    """The text inside the signature's parameter parentheses, and the text after them."""
    start = signature.find("(")
    if start < 0 or signature[:start].count("<") != signature[:start].count(">"):
        return "", ""  # the first parenthesis is inside a template argument: not the parameter list
    depth = 0
    for i in range(start, len(signature)):
        depth += {"(": 1, ")": -1}.get(signature[i], 0)
        if depth == 0:
            return signature[start + 1:i], signature[i + 1:]
    return "", ""


def is_noexcept(signature: str) -> bool:
    """True when the signature promises not to throw (noexcept, not noexcept(false))."""
    _, qualifiers = parameter_list(signature)
    return re.search(r"\bnoexcept\b(?!\s*\(\s*false)", qualifiers) is not None


def unused_parameters(signature: str, body_before: list[str], region: str, after: list[str],
                      indent: str) -> list[str]:
    """The parameters only the region used, so the stub can mention them (no -Wunused-parameter
    in the starter). Conservative: a name is given only when it is surely a parameter. after is the
    file from the line after the region's end."""
    parameters, _ = parameter_list(signature)
    names = []
    for declaration in split_top_level(parameters):
        declaration = declaration.split("=")[0].strip()
        words = list(IDENTIFIER.finditer(declaration))
        if len(words) < 2:
            continue  # unnamed, or void
        before_name = declaration[:words[-1].start()]
        if before_name[-1:] in (" ", "&", "*", ">") and not before_name.rstrip().endswith("::"):
            names.append(words[-1].group())
    body_after = []
    for line in after:
        if line.strip().startswith("}") and len(line) - len(line.lstrip()) < len(indent):
            break  # the enclosing function's closing brace
        body_after.append(line)
    rest_of_body = without_comments("".join(body_before + body_after))
    region_code = without_comments(region)
    used = []
    for name in names:
        word = re.compile(rf"\b{re.escape(name)}\b")
        if word.search(region_code) and not word.search(rest_of_body):
            used.append(name)
    return used


LITERAL = re.compile(r""""(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'""")


def without_comments(text: str) -> str:
    """text without its // comments and the insides of its string and character literals (so a
    '}' or a "//" in a literal counts for nothing)."""
    return re.sub(r"//[^\n]*", "", LITERAL.sub(lambda m: m.group(0)[0] * 2, text))


def split_top_level(text: str) -> list[str]:
    """text split at the commas that are not inside <>, (), [] or {}."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "<([{":
            depth += 1
        elif char in ">)]}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current)
    return parts


def add_include(text: str) -> str:
    """Inserts the todo include before the first #include (or at the top)."""
    match = re.search(r"^#include", text, flags=re.MULTILINE)
    at = match.start() if match else 0
    return text[:at] + TODO_INCLUDE + text[at:]


def lab_folders(src: Path) -> list[Path]:
    return sorted(p for p in src.iterdir() if p.is_dir() and LAB_FOLDER.match(p.name))


def guide_for(lab_dir: Path) -> Guide:
    """The TODO comment above each stub of the lab, from its handout's exercise table; a region in
    no row gets only the handout's name."""
    import course  # course reads this module's markers: imported late, once both exist

    notes = lab_dir.parent.parent / "notes"
    handouts = sorted(notes.glob(f"{lab_dir.name[:2]}_*.md"))
    if not handouts:
        return lambda name: []
    handout = handouts[0]
    rows, _ = course.rows_of(handout)
    lab = "lab" + lab_dir.name[:2]

    def guide(name: str) -> list[str]:
        where = f"notes/{handout.name}"
        for row in rows:
            if name in course.BACKTICKED.findall(row.write):
                tests = course.summarise_tests([test for test, _ in row.tests])
                graded = (f"{row.points} point{'s' if row.points != 1 else ''}: {tests}" if row.tests
                          else "no points of its own: the tests of the rows after it need it")
                return [f"// TODO({lab} {name}): {where}, Exercises row {row.number};", f"//   {graded}"]
        return [f"// TODO({lab} {name}): see {where}, Exercises"]

    return guide


def starter_files(lab_dir: Path, switch: bool = False) -> dict[Path, bytes]:
    """Maps each file of one lab (relative path) to its starter content (with switch: the
    reference with switchable regions)."""
    folder = LAB_FOLDER.match(lab_dir.name)
    assert folder is not None, f"{lab_dir} is not a lab folder"
    lab = "lab" + folder.group("id")
    guide = None if switch else guide_for(lab_dir)
    files: dict[Path, bytes] = {}
    for path in sorted(lab_dir.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(lab_dir)
        if relative.parts[0] in REFERENCE_ONLY:
            continue
        data = path.read_bytes()
        if path.suffix in SOURCE_SUFFIXES:
            text, _ = strip_regions(data.decode("utf-8"), lab, path, guide, switch)
            data = text.encode("utf-8")
        files[relative] = data
    return files


def write_if_changed(path: Path, data: bytes, mode: int) -> None:
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)


def generate(src: Path, dest: Path, switch: bool = False) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    wanted: set[Path] = set()
    for lab_dir in lab_folders(src):
        for relative, data in starter_files(lab_dir, switch).items():
            target = dest / lab_dir.name / relative
            wanted.add(target)
            write_if_changed(target, data, (lab_dir / relative).stat().st_mode & 0o777)
    for path in sorted(dest.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def add_to_workspace(src: Path, dest: Path, only: set[str] | None) -> list[str]:
    """Copies the starter of every lab the workspace lacks; never overwrites. Returns the labs added."""
    added = []
    for lab_dir in lab_folders(src):
        target_dir = dest / lab_dir.name
        if target_dir.exists() or (only is not None and lab_dir.name not in only):
            continue
        for relative, data in starter_files(lab_dir).items():
            write_if_changed(target_dir / relative, data, (lab_dir / relative).stat().st_mode & 0o777)
        added.append(lab_dir.name)
    return added


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--workspace", action="store_true", help="add missing labs to a learner's workspace")
    mode.add_argument("--check", action="store_true", help="only validate the solution markers")
    mode.add_argument("--switch", action="store_true",
                      help="keep the regions, each switchable off at run time (NETLAB_SWITCH_OFF)")
    parser.add_argument("src", type=Path, help="the reference labs/ folder")
    parser.add_argument("dest", type=Path, nargs="?", help="where the starter goes")
    parser.add_argument("--only", help="with --workspace: the comma-separated lab folders to add (default all)")
    args = parser.parse_args()
    try:
        if args.check:
            for lab_dir in lab_folders(args.src):
                starter_files(lab_dir)
            return 0
        if args.dest is None:
            parser.error("DEST_LABS is required")
        if args.workspace:
            only = set(args.only.split(",")) if args.only else None
            for name in add_to_workspace(args.src, args.dest, only):
                print(f"added {name} to {args.dest}")
            return 0
        generate(args.src, args.dest, args.switch)
        return 0
    except MarkerError as error:
        print(f"make_starter: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
