"""The echo suite's data: candidate servers (declared by the labs), anchors, cells (load shapes) and runs."""

from dataclasses import dataclass, field
from pathlib import Path

from .candidates import expand


@dataclass(frozen=True)
class Server:
    """An echo server a lab declares in its bench.json."""
    key: str
    label: str
    program: str                          # in --bin
    args: list[str]                       # extra options; "{connections...}" is the cell's N
    colour: str                           # its bars in the chart
    protocol: str = "tcp"                 # echo_load --protocol: tcp, or websocket (a frame per message)
    modes: tuple[str, ...] = ("pingpong", "bulk")   # the cells' modes this candidate can serve
    reference: bool = False               # every ratio is to this one

    def arguments(self, connections: int) -> list[str]:
        return [expand(a, {"connections": connections}) for a in self.args]


# The anchors: programs that are not the labs' own, run in the same rounds (see echo.py).
ANCHORS = {"socat": "socat fork+cat", "raw": "raw blocking pair", "iperf3": "iperf3 1 stream"}
ANCHOR_COLOURS = {"socat": "#999999", "raw": "#444444", "iperf3": "#e7298a"}


@dataclass(frozen=True)
class Cell:
    key: str
    title: str
    chart_label: str
    mode: str
    size: int
    connections: int
    anchors: tuple[str, ...] = ()
    same_core: bool = False   # server and echo_load (or both raw ends) on the server's CPU
    in_quick: bool = True


CELLS = [
    Cell("pp1", "ping-pong 64 B, N=1", "64 B N=1", "pingpong", 64, 1, ("socat", "raw")),
    Cell("pp10", "ping-pong 64 B, N=10", "64 B N=10", "pingpong", 64, 10, ("socat",)),
    Cell("pp100", "ping-pong 64 B, N=100", "64 B N=100", "pingpong", 64, 100, ("socat",)),
    Cell("pp1000", "ping-pong 64 B, N=1000", "64 B N=1000", "pingpong", 64, 1000, (), in_quick=False),
    Cell("same1", "same core: ping-pong 64 B, N=1, server and client on one CPU", "same core N=1",
         "pingpong", 64, 1, ("raw",), same_core=True),
    Cell("bulk10", "bulk 16 KiB writes, N=10, one-way bytes/s", "bulk 16 KiB N=10", "bulk", 16384, 10,
         ("iperf3",)),
]


@dataclass
class Run:
    round: int
    cell: str
    who: str
    ok: bool = False
    error: str = ""
    msgs_per_s: float | None = None
    mb_per_s: float | None = None
    p50_us: float | None = None
    p99_us: float | None = None
    gen_cpu: float | None = None      # % of one core: echo_load (or iperf3 / raw client)
    gen_user_cpu: float | None = None  # the part of gen_cpu spent in user space (not in the kernel)
    server_cpu: float | None = None   # % of one core: the server process, all its threads
    server_core: float | None = None  # % of the server's CPU busy (any process, softirqs too): saturated near 100
    server_steal: float | None = None  # % of the server's CPU taken by the hypervisor (noise from other VMs)

    def throughput(self, cell: Cell) -> float | None:
        return self.mb_per_s if cell.mode == "bulk" else self.msgs_per_s


@dataclass
class Context:
    bin: Path
    seconds: float
    warmup: float
    server_cpu: int
    client_cpu: int
    notes: list[str] = field(default_factory=list)

    def pin(self, cpu: int) -> list[str]:
        return ["taskset", "-c", str(cpu)]
