"""Output shared by the suites: aligned text tables, numbers, CSV files and a gnuplot bar chart."""

import csv
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def table(rows: Sequence[Sequence[str]], align: str) -> list[str]:
    """Rows as aligned text lines indented by two spaces; align holds one 'l' or 'r' per column."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [text.ljust(w) if a == "l" else text.rjust(w) for text, w, a in zip(row, widths, align)]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def number(value: float | None, digits: int = 0, suffix: str = "") -> str:
    """A figure with thin grouping ("12 345"), or "-" when it is missing."""
    if value is None:
        return "-"
    return f"{value:,.{digits}f}{suffix}".replace(",", " ")


def rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def render_chart(chart: Path, series: Sequence[tuple[str, str]], groups: Sequence[str],
                 values: dict[tuple[str, int], float | None], title: str, ylabel: str, baseline_colour: str) -> str:
    """Clustered bars: one group per entry of groups, one bar per (label, colour) of series, values[(label, group
    index)]. Writes the chart's source, NAME.tsv and NAME.gp after the chart's name, beside it, or in Resourse/src
    for a chart of Resourse (re-render it there with `gnuplot NAME.gp`); renders the PNG with gnuplot; returns a
    line for the report."""
    top = max([v for v in values.values() if v is not None] + [1.0]) * 1.12
    source = chart.parent / "src" if chart.parent.name == "Resourse" else chart.parent
    source.mkdir(parents=True, exist_ok=True)
    data_file, script_file, n = source / f"{chart.stem}.tsv", source / f"{chart.stem}.gp", len(series)
    with data_file.open("w") as table_out:
        table_out.write("cell\t" + "\t".join(label for label, _ in series) + "\n")
        for k, group in enumerate(groups):
            row = [values.get((label, k)) for label, _ in series]
            table_out.write(group + "\t" + "\t".join("?" if v is None else f"{v:.4f}" for v in row) + "\n")
    data, output = data_file.name, os.path.relpath(chart, source)
    bars = [f"'{data}' using {i + 2}{':xtic(1)' if i == 0 else ''} lc rgb '{colour}'"
            for i, (_, colour) in enumerate(series)]
    # Each bar's value above it: bar i of cluster k is centred at k + (i - (n-1)/2) / (n + gap), gap 1.
    labels = [f"'{data}' using ($0 + {(i - (n - 1) / 2) / (n + 1):.4f}):{i + 2}:"
              f"(sprintf('%.2f', column({i + 2}))) with labels rotate by 90 left offset 0,0.3 font ',8' notitle"
              for i in range(n)]
    script = f"""# {chart.name}, rendered from {data} by `gnuplot {script_file.name}` in this folder
set terminal pngcairo size 1200,560 font 'DejaVu Sans,10'
set output '{output}'
set datafile separator '\\t'
set datafile missing '?'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border rgb '#333333'
set boxwidth 0.95
set key outside right top vertical autotitle columnheader
set grid ytics
set yrange [0:{top:.3f}]
set ylabel '{ylabel}'
set title "{title}"
set arrow from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 lc rgb '{baseline_colour}'
plot {", ".join(bars + labels)}
"""
    script_file.write_text(script)
    if not shutil.which("gnuplot"):
        return "gnuplot is not installed: chart not rendered (apt-get install gnuplot-nox)"
    try:
        done = subprocess.run(["gnuplot", script_file.name], cwd=source, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "gnuplot did not finish within 60 s: chart not rendered"
    if done.returncode != 0:
        return f"gnuplot failed: {done.stderr.strip()[:300]}"
    return f"chart: {chart}"
