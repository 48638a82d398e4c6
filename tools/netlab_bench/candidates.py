"""What each suite measures, declared by the labs beside themselves: labs/NN_*/bench.json.

A lab's bench.json maps a suite name ("echo", "http", "mqtt") to that suite's section; the suite
modules say what their section holds. Programs are named two ways:
  "program": "NAME"   a program the build puts in build/bin (the suite's --bin)
  "command": "NAME"   a tool found on PATH (wrk, mosquitto_pub)
Arguments may hold placeholders that the suite fills in for each run:
  {name}              the value as it is ("{url}", "-d{seconds}s")
  {name:LO..HI}       an integer clamped to LO..HI; either bound may be left out ("{connections:1000..}")
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .process import BenchError

ROOT = Path(__file__).resolve().parent.parent.parent
PLACEHOLDER = re.compile(r"\{(\w+)(?::(\d*)\.\.(\d*))?\}")


@dataclass(frozen=True)
class Declared:
    """One lab's section for one suite."""
    lab: str          # the lab's folder, e.g. "05_libevent"
    source: Path      # its bench.json
    section: Any


def declared(suite: str, labs: Path = ROOT / "labs") -> list[Declared]:
    """Every lab's section for suite, in lab order; a bench.json that is not valid JSON is a BenchError."""
    found = []
    for path in sorted(labs.glob("*/bench.json")):
        try:
            document = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            raise BenchError(f"{path}: {error}") from error
        if suite in document:
            found.append(Declared(path.parent.name, path, document[suite]))
    return found


def field(entry: dict[str, Any], name: str, where: Path, kind: type = str) -> Any:
    """entry[name], checked to be of kind; a BenchError naming the file otherwise."""
    value = entry.get(name)
    if not isinstance(value, kind):
        raise BenchError(f"{where}: an entry needs \"{name}\" ({kind.__name__}): {json.dumps(entry)[:200]}")
    return value


def expand(argument: str, values: dict[str, int | str]) -> str:
    """argument with each placeholder replaced by its value (clamped when the placeholder gives bounds)."""
    def replace(found: re.Match[str]) -> str:
        name, low, high = found.groups()
        if name not in values:
            raise BenchError(f"unknown placeholder {found.group(0)} in argument {argument!r} "
                             f"(known: {', '.join(sorted(values))})")
        value = values[name]
        if found.group(0) == "{" + name + "}":
            return str(value)
        number = int(value)
        if low:
            number = max(int(low), number)
        if high:
            number = min(int(high), number)
        return str(number)
    return PLACEHOLDER.sub(replace, argument)


def executable(entry: dict[str, Any], bin_dir: Path, where: Path) -> str:
    """The path of entry's "program" in bin_dir, or its "command" as it is (looked up on PATH)."""
    if isinstance(entry.get("program"), str):
        return str(bin_dir / entry["program"])
    return str(field(entry, "command", where))


def command_line(entry: dict[str, Any], bin_dir: Path, where: Path, values: dict[str, int | str]) -> list[str]:
    """entry's program or command followed by its "args" (a list, optional) with placeholders filled in."""
    arguments = entry.get("args", [])
    if not isinstance(arguments, list) or not all(isinstance(a, str) for a in arguments):
        raise BenchError(f"{where}: \"args\" must be a list of strings: {json.dumps(entry)[:200]}")
    return [executable(entry, bin_dir, where)] + [expand(a, values) for a in arguments]
