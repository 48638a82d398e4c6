"""The echo suite's figures: medians and ratios per cell and candidate, the goal table, CSV files and the chart."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .echo_model import ANCHOR_COLOURS, ANCHORS, Cell, Context, Run, Server
from .report import number, render_chart, rounded, table, write_csv
from .stats import median, paired_ratio, spread

Metric = Callable[[Run], float | None]


class Labels:
    """Names, colours and the reference of every candidate (declared servers, then the anchors)."""

    def __init__(self, declared: list[Server]):
        self.labels = {s.key: s.label for s in declared} | ANCHORS
        self.colours = {s.key: s.colour for s in declared} | ANCHOR_COLOURS
        self.reference = next((s.key for s in declared if s.reference), "")

    def of(self, who: str) -> str:
        return self.labels.get(who, who)


def runs_of(runs: list[Run], cell: str, who: str) -> list[Run]:
    return [r for r in runs if r.cell == cell and r.who == who and r.ok]


def ratio(runs: list[Run], cell: Cell, who: str, base: str, metric: Metric | None = None) -> float | None:
    """Median over the rounds of metric(who) / metric(base), each pair from the same round."""
    measure: Metric = metric or (lambda r: r.throughput(cell))
    return paired_ratio({r.round: measure(r) for r in runs_of(runs, cell.key, who)},
                        {r.round: measure(r) for r in runs_of(runs, cell.key, base)})


def per_core_second(run: Run) -> float | None:
    """Messages per second of the server CPU's busy time: what the server could do with its core full.
    Equal to the throughput when that core is saturated; the fair figure when it is not."""
    if run.msgs_per_s is None or not run.server_core:
        return None
    return run.msgs_per_s / (run.server_core / 100.0)


@dataclass
class Summary:
    cell: Cell
    who: str
    runs: int
    msgs_per_s: float | None
    mb_per_s: float | None
    p50_us: float | None
    p99_us: float | None
    gen_cpu: float | None
    server_cpu: float | None
    server_core: float | None
    server_steal: float | None
    vs_epoll: float | None
    per_core_vs_epoll: float | None   # messages per busy second of the server's CPU, relative to the reference
    spread: float | None   # (max - min) / median of the throughput, in %


def summarise(runs: list[Run], cell: Cell, who: str, reference: str) -> Summary:
    mine = runs_of(runs, cell.key, who)
    speeds = [v for v in (r.throughput(cell) for r in mine) if v is not None]
    return Summary(cell, who, len(mine), median([r.msgs_per_s for r in mine]), median([r.mb_per_s for r in mine]),
                   median([r.p50_us for r in mine]), median([r.p99_us for r in mine]),
                   median([r.gen_cpu for r in mine]), median([r.server_cpu for r in mine]),
                   median([r.server_core for r in mine]), median([r.server_steal for r in mine]),
                   ratio(runs, cell, who, reference), ratio(runs, cell, who, reference, per_core_second),
                   spread(speeds))


Goal = tuple[str, str, str, str]


def goal_rows(runs: list[Run], cells: dict[str, Cell], servers: list[Server], labels: Labels) -> list[Goal]:
    """(goal, target, measured, met) for the goal table; 'not measured' where data is missing."""
    rows: list[Goal] = []
    reference = labels.reference

    def add(goal: str, target: str, value: float | None, ok: Callable[[float], bool]) -> None:
        measured = f"{value:.2f}x" if value is not None else "not measured"
        rows.append((goal, target, measured, "-" if value is None else ("yes" if ok(value) else "NO")))

    pp100, same, bulk = cells.get("pp100"), cells.get("same1"), cells.get("bulk10")
    if pp100:
        epoll = runs_of(runs, "pp100", reference)
        gen, srv = median([r.gen_cpu for r in epoll]), median([r.server_cpu for r in epoll])
        core = median([r.server_core for r in epoll])
        user = median([r.gen_user_cpu for r in epoll])
        # On loopback each sender's CPU also runs the receiver's TCP input, so a one-thread client
        # costs about what a one-thread server does: when both cores are full, neither alone limits,
        # and the server's figure is its own limit. Its core (softirqs included) says whether it was full.
        met = ("-" if gen is None else "yes" if gen < 90 else
               "both" if core is not None and core >= 97 else "NO")
        rows.append(("epoll at N=100: the generator is not the bottleneck",
                     "echo_load < 90% CPU, or the server's core full",
                     f"echo_load {number(gen)}% ({number(user)}% user); server {number(srv)}%, its core "
                     f"{number(core)}% busy" if gen is not None else "not measured", met))
        for key in ("libevent", "libevent_direct"):
            add(f"{labels.of(key)} echo at N=100 vs epoll", ">= 0.90x", ratio(runs, pp100, key, reference),
                lambda v: v >= 0.90)
            add("  the same per busy second of the server's core", "(>= 0.90x)",
                ratio(runs, pp100, key, reference, per_core_second), lambda v: v >= 0.90)
        add("WebSocket echo at N=100 vs epoll", ">= 0.70x", ratio(runs, pp100, "ws", reference),
            lambda v: v >= 0.70)
        add("thread-per-connection at N=100 vs epoll", ">= 0.50x", ratio(runs, pp100, "threads", reference),
            lambda v: v >= 0.50)
        for server in servers:
            add(f"{server.label} vs socat at N=100", ">= 3x", ratio(runs, pp100, server.key, "socat"),
                lambda v: v >= 3.0)
    if bulk:
        for key in (reference, "libevent", "libevent_direct"):
            add(f"bulk 16 KiB N=10, {labels.of(key)} vs iperf3", ">= 0.60x", ratio(runs, bulk, key, "iperf3"),
                lambda v: v >= 0.60)
    if same:
        for server in servers:
            add(f"same-core p50 at N=1, {server.label} vs raw pair", "<= 2x",
                ratio(runs, same, server.key, "raw", lambda r: r.p50_us), lambda v: v <= 2.0)
    return rows


def cell_table(ctx: Context, cell: Cell, summaries: list[Summary], rounds: int, labels: Labels) -> list[str]:
    where = (f"server and client both on CPU {ctx.server_cpu}" if cell.same_core else
             f"server on CPU {ctx.server_cpu}, client on CPU {ctx.client_cpu}")
    rows = [["candidate", "msgs/s", "MB/s", "p50 us", "p99 us", "client CPU", "server CPU", "its core",
             "steal", "vs epoll", "per core", "spread"]]
    for s in summaries:
        if s.runs == 0:
            rows.append([labels.of(s.who), "failed"] + [""] * 10)
            continue
        msgs = None if cell.mode == "bulk" else s.msgs_per_s   # bulk: a "message" is just a write
        rows.append([labels.of(s.who), number(msgs), number(s.mb_per_s, 1), number(s.p50_us, 1),
                     number(s.p99_us, 1), number(s.gen_cpu, 0, "%"), number(s.server_cpu, 0, "%"),
                     number(s.server_core, 0, "%"), number(s.server_steal, 0, "%"),
                     number(s.vs_epoll, 2, "x"), number(s.per_core_vs_epoll, 2, "x"),
                     "-" if s.spread is None else f"{s.spread:.0f}%"])
    return ["", f"{cell.title}  ({where}; median of {rounds} round(s))"] + table(rows, "lrrrrrrrrrrr")


def goal_table(goals: list[Goal]) -> list[str]:
    lines = ["", "Goals (ratios to lab 04 epoll in the same run; figures are not asserted):"]
    lines += table([["goal", "target", "measured", "met?"]] + [list(g) for g in goals], "lllr")
    lines += ["  its core: how busy the server's CPU was (any process, softirqs too); steal: the part the",
              "  hypervisor gave to other machines. per core: msgs per busy second of the server's CPU, vs",
              "  epoll's; equal to 'vs epoll' when both servers kept their core full."]
    if any(g[3] == "both" for g in goals):
        lines += ["  both: echo_load and the server's core were each full (the core >= 97% busy). On loopback a",
                  "  sender's CPU also runs the receiver's TCP input, so a one-thread client costs about what a",
                  "  one-thread server does; the server's core was saturated, so the figure is its own limit."]
    return lines


def chart(out: Path, png: Path, summaries: list[Summary], cells: list[Cell], labels: Labels, rounds: int,
          subtitle: str) -> str:
    order = list(labels.labels)
    whos = [w for w in order if any(s.who == w and s.runs for s in summaries)]
    by = {(s.who, cells.index(s.cell)): s.vs_epoll for s in summaries}
    if not any(v is not None for v in by.values()):
        return "chart not rendered: no lab 04 epoll figures to relate the others to"
    title = ("Echo servers side by side: msgs/s (bulk: bytes/s) relative to lab 04's epoll server, \\\n"
             f"median of {rounds} round(s)\\n{subtitle}")
    values = {(labels.of(who), k): v for (who, k), v in by.items()}
    series = [(labels.of(w), labels.colours[w]) for w in whos]
    baseline = labels.colours.get(labels.reference, "#1b9e77")
    return render_chart(png, series, [c.chart_label for c in cells], values, title,
                        "throughput / lab 04 epoll (same run)", baseline)


def write(ctx: Context, out: Path, png: Path, runs: list[Run], cells: list[Cell], candidates: dict[str, list[str]],
          servers: list[Server], labels: Labels, rounds: int, header: list[str]) -> list[str]:
    """Writes runs.csv, results.csv, goals.csv, the chart and summary.txt into out; returns the report's lines."""
    lines = header[:]
    summaries: list[Summary] = []
    for cell in cells:
        mine = [summarise(runs, cell, who, labels.reference) for who in candidates[cell.key]]
        summaries += mine
        lines += cell_table(ctx, cell, mine, rounds, labels)
    goals = goal_rows(runs, {c.key: c for c in cells}, servers, labels)
    lines += goal_table(goals)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "runs.csv",
              ["round", "cell", "candidate", "ok", "msgs_per_s", "mb_per_s", "rtt_p50_us", "rtt_p99_us",
               "client_cpu_percent", "server_cpu_percent", "server_core_busy_percent", "server_core_steal_percent",
               "error"],
              [[r.round, r.cell, r.who, int(r.ok), r.msgs_per_s, r.mb_per_s, r.p50_us, r.p99_us, r.gen_cpu,
                rounded(r.server_cpu, 1), rounded(r.server_core, 1), rounded(r.server_steal, 1), r.error]
               for r in runs])
    write_csv(out / "results.csv",
              ["cell", "mode", "size", "connections", "same_core", "candidate", "label", "runs_ok", "msgs_per_s",
               "mb_per_s", "rtt_p50_us", "rtt_p99_us", "client_cpu_percent", "server_cpu_percent",
               "server_core_busy_percent", "server_core_steal_percent", "ratio_to_epoll",
               "per_core_ratio_to_epoll", "spread_percent"],
              [[s.cell.key, s.cell.mode, s.cell.size, s.cell.connections, int(s.cell.same_core), s.who,
                labels.of(s.who), s.runs, rounded(s.msgs_per_s, 1), rounded(s.mb_per_s, 3), s.p50_us, s.p99_us,
                rounded(s.gen_cpu, 1), rounded(s.server_cpu, 1), rounded(s.server_core, 1),
                rounded(s.server_steal, 1), rounded(s.vs_epoll, 4), rounded(s.per_core_vs_epoll, 4),
                rounded(s.spread, 1)]
               for s in summaries])
    write_csv(out / "goals.csv", ["goal", "target", "measured", "met"], [list(g) for g in goals])
    subtitle = header[0].replace("'", "")
    lines += ["", chart(out, png, summaries, cells, labels, rounds, subtitle),
              f"tables: {out / 'results.csv'} (medians), {out / 'runs.csv'} (every run), {out / 'goals.csv'}"]
    failures = [r for r in runs if not r.ok]
    if failures:
        lines += ["", f"{len(failures)} run(s) did not work (the harness or a server broke, not a slow figure):"]
        lines += [f"  round {r.round} {r.cell} {labels.of(r.who)}: {r.error}" for r in failures]
    (out / "summary.txt").write_text("\n".join(lines) + "\n")
    return lines
