"""Lab 08's bench: our paho-based publisher beside mosquitto_pub, on one private mosquitto.

What runs is declared in labs/08_mqtt/bench.json, section "mqtt": the broker, the payload size,
the measures (a "publisher" whose "rate" is "stats" or "difference", and for the end-to-end ones a
"subscriber", beside the broker with "subscriber_cpu": "broker") and the ratios with their goals.

The broker (embedded_mosquitto: max_queued_messages 0) runs pinned to CPU 0, every client to CPU 1
(taskset). Within a round the measures alternate (rotating their order each round); the table gives
medians over the rounds, and each ratio is the median of the per-round ratios. Measures:
  ours QoS 1 inflight 100   mqtt_pub --repeat N -q 1 --max-inflight 100 (waits for every PUBACK)
  ours QoS 1 inflight 20    the same with paho's default window
  mosquitto_pub QoS 1       mosquitto_pub --repeat N -q 1 -M 100 (same window; -l is never used at QoS 1:
                            it exits before everything is sent)
  end-to-end QoS 1          mqtt_sub -q 1 -C N subscribed first, then ours at inflight 100; the clock
                            stops when the subscriber has printed N lines (the count is checked)
  end-to-end, sub on CPU 0  the same with the subscriber beside the broker, so that it does not share
                            the publisher's core (a 2-core machine has no third one to give it)
  mosquitto end-to-end      the anchor: mosquitto_pub -M 100 to mosquitto_sub, in both placements
  ours QoS 0 / mosquitto_pub QoS 0   --repeat N -q 0
Rates are of the publishing itself, never of a process's start, connect and exit: ours ("stats") as
mqtt_pub --stats reports it (first publish to last acknowledgement; paho's shutdown alone sleeps
100 ms twice), mosquitto_pub ("difference") as (N - 1) / (time for N - time for 1), end-to-end from
the publisher's "connected" line (mosquitto_pub: its start plus a 1-message run's time) to the
subscriber's last line.
Counts: every publisher must exit 0 (ours exits 0 only after every QoS 1 PUBACK); the end-to-end
subscriber must print exactly N payloads. With MQTT_BROKER=tcp://host:port the broker is external
(and not pinned). Writes the medians to --csv (default build/bench/mqtt.csv).
Exit status: 0 when every run worked; 1 when a run failed or a count was wrong; 2 on a usage error.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cpu_idle import PollingIdle

from . import candidates
from .process import BenchError, Child, pinned, start_server
from .report import write_csv
from .stats import ratio_of_lists


def cpus() -> tuple[int | None, int | None]:
    """(broker CPU, client CPU): 0 and 1 when taskset and two CPUs exist, else no pinning."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return 0, 1
    return None, None


BROKER_CPU, CLIENT_CPU = cpus()


class Broker:
    """The private broker (build/bin/embedded_mosquitto), or the external one MQTT_BROKER names."""

    def __init__(self, spec: dict[str, Any], bin_dir: Path, source: Path):
        self.child: Child | None = None
        external = os.environ.get("MQTT_BROKER", "")
        if external:
            self.host, port = external.split("://", 1)[-1].rsplit(":", 1)
            self.port = int(port)
            return
        argv = candidates.command_line(spec, bin_dir, source, {})
        self.child, self.host, self.port = start_server(Path(argv[0]).name, argv, BROKER_CPU)

    def args(self) -> list[str]:
        return ["-h", self.host, "-p", str(self.port)]

    def stop(self) -> None:
        if self.child:
            self.child.stop()


@dataclass(frozen=True)
class Client:
    argv: list[str]        # program, broker options, the declared arguments
    rate: str = ""         # a publisher's: "stats" (ours, --stats) or "difference" (mosquitto_pub)


def timed(command: list[str], timeout: float) -> float:
    """Runs a client pinned to the client CPU; returns its wall time."""
    started = time.perf_counter()
    result = subprocess.run(pinned(CLIENT_CPU, command), capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise BenchError(f"{command[0]} exited {result.returncode}: {result.stderr.strip()[:300]}")
    return elapsed


def difference_rate(command: list[str], count: int, timeout: float) -> float:
    """mosquitto_pub's rate: (count - 1) / (time for count - time for 1), each a fresh process, so
    its start and connect (a few ms) do not count."""
    one = timed([*command, "--repeat", "1"], timeout)
    many = timed([*command, "--repeat", str(count)], timeout)
    return (count - 1) / max(many - one, 1e-6)


def stats_rate(command: list[str], count: int, timeout: float) -> float:
    """Our publisher's rate as mqtt_pub --stats reports it: first publish to last acknowledgement.
    (Its process start, connect and paho's shutdown, which sleeps 100 ms twice, do not count.)"""
    result = subprocess.run(pinned(CLIENT_CPU, [*command, "--repeat", str(count), "--stats"]), capture_output=True,
                            text=True, timeout=timeout)
    found = re.search(r"published \d+ message\(s\) in [\d.e-]+ s: ([\d.e+]+) msgs/s", result.stderr)
    if result.returncode != 0 or not found:
        raise BenchError(f"{command[0]} exited {result.returncode}: {result.stderr.strip()[:300]}")
    return float(found.group(1))


def end_to_end(broker: Broker, topic: str, count: int, timeout: float, publisher: Client, subscriber: Client,
               subscriber_cpu: int | None) -> float:
    """Messages per second from publisher to subscriber, both pinned (the subscriber to subscriber_cpu).
    A retained marker on the topic tells when the subscriber is subscribed (it is the first line it
    prints; it is cleared afterwards). The clock runs from the publisher's "connected" line (ours,
    with --stats) or from its start less the wall time of a 1-message run (mosquitto_pub, which
    prints nothing) to the subscriber's last line. Both outputs are drained while they run (a pipe
    nobody reads fills at 64 KiB and would stall it); it must print exactly count payloads."""
    subprocess.run(["mosquitto_pub", *broker.args(), "-t", topic, "-m", "ready", "-r", "-q", "1"], check=True,
                   timeout=timeout)
    announces_connect = publisher.rate == "stats"   # ours says "connected to ..."; mosquitto_pub says nothing
    pub_argv = publisher.argv + (["--stats"] if announces_connect else [])
    startup = 0.0
    if not announces_connect:
        startup = timed([*pub_argv, "-t", f"{topic}/warm-up", "--repeat", "1"], timeout)
    sub_name = Path(subscriber.argv[0]).name
    sub = Child(sub_name, [*subscriber.argv, "-t", topic, "-q", "1", "-C", str(count + 1)], r"^ready$",
                subscriber_cpu, count_stdout=True)
    try:
        sub.wait_ready()
        started_at: float | None = time.perf_counter()
        pub = Child(Path(pub_argv[0]).name, [*pub_argv, "-t", topic, "--repeat", str(count)],
                    r"connected to" if announces_connect else None, CLIENT_CPU)
        try:
            if announces_connect:
                pub.wait_ready(timeout)
                started_at = pub.ready_at
            pub_status = pub.wait(timeout)
            sub_status = sub.wait(timeout)
        finally:
            pub.kill()
    finally:
        sub.kill()
    subprocess.run(["mosquitto_pub", *broker.args(), "-t", topic, "-n", "-r", "-q", "1"], check=True, timeout=timeout)
    if started_at is None or pub_status != 0:
        raise BenchError(f"end-to-end: {pub.name} failed (status {pub_status}): {pub.said()}")
    if sub.counted != count or sub_status != 0 or sub.last_line_at is None:
        raise BenchError(f"end-to-end: {sub_name} printed {sub.counted} of {count} messages (status {sub_status}): "
                         f"{sub.said()}")
    return count / max(sub.last_line_at - started_at - startup, 1e-6)


Measure = Callable[[str], float]   # topic -> msgs/s


def measures(section: dict[str, Any], source: Path, broker: Broker, bin_dir: Path, count: int,
             payload: str) -> dict[str, Measure]:
    """The declared measures, in order, each a function of the topic it publishes on."""
    def client(spec: dict[str, Any]) -> Client:
        argv = candidates.command_line(spec, bin_dir, source, {"payload": payload})
        return Client([argv[0], *broker.args(), *argv[1:]], spec.get("rate", ""))

    def measure(entry: dict[str, Any]) -> Measure:
        timeout = float(entry.get("timeout", 120))
        publisher = client(candidates.field(entry, "publisher", source, dict))
        if publisher.rate not in ("stats", "difference"):
            raise BenchError(f"{source}: {entry.get('name')}: a publisher's \"rate\" is \"stats\" or \"difference\"")
        if "subscriber" in entry:
            subscriber = client(candidates.field(entry, "subscriber", source, dict))
            cpu = BROKER_CPU if entry.get("subscriber_cpu") == "broker" else CLIENT_CPU
            return lambda t: end_to_end(broker, t, count, timeout, publisher, subscriber, cpu)
        if publisher.rate == "stats":
            return lambda t: stats_rate([*publisher.argv, "-t", t], count, timeout)
        return lambda t: difference_rate([*publisher.argv, "-t", t], count, timeout)

    return {candidates.field(e, "name", source): measure(e)
            for e in candidates.field(section, "measures", source, list)}


def main(idle: PollingIdle, argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./lab bench mqtt", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2000 messages, 3 rounds: a smoke run")
    parser.add_argument("--messages", type=int, help="messages per run (default 20000)")
    parser.add_argument("--rounds", type=int, help="alternating rounds (default 5)")
    parser.add_argument("--bin", type=Path, default=candidates.ROOT / "build" / "bin")
    parser.add_argument("--csv", type=Path, default=candidates.ROOT / "build" / "bench" / "mqtt.csv")
    options = parser.parse_args(argv)
    count = options.messages or (2000 if options.quick else 20000)
    rounds = options.rounds or (3 if options.quick else 5)
    if count < 1 or rounds < 1:
        parser.error("--messages and --rounds must be at least 1")
    for tool in ("mosquitto_pub", "mosquitto_sub"):
        if not shutil.which(tool):
            print(f"bench_mqtt: {tool} is missing (apt-get install mosquitto-clients)", file=sys.stderr)
            return 2
    broker: Broker | None = None
    try:
        declared = candidates.declared("mqtt")
        if len(declared) != 1:
            raise BenchError(f"exactly one lab must declare the \"mqtt\" bench, found {len(declared)}")
        source, section = declared[0].source, declared[0].section
        payload = "x" * int(section.get("payload_bytes", 32))
        broker = Broker(candidates.field(section, "broker", source, dict), options.bin, source)
        named = measures(section, source, broker, options.bin, count, payload)
        rates: dict[str, list[float]] = {name: [] for name in named}
        names = list(named)
        for round_number in range(rounds):
            order = names[round_number % len(names):] + names[:round_number % len(names)]
            for name in order:
                rates[name].append(named[name](f"bench/{os.getpid()}/{round_number}"))
            print(f"round {round_number + 1}/{rounds}: " +
                  ", ".join(f"{n} {rates[n][-1]:,.0f}/s" for n in names), flush=True)
        broker.stop()
    except (BenchError, subprocess.SubprocessError) as error:
        print(f"bench_mqtt: {error}", file=sys.stderr)
        if broker and broker.child:
            broker.child.kill()
        return 1

    ratios = {}
    for entry in candidates.field(section, "ratios", source, list):
        name, against = candidates.field(entry, "measure", source), candidates.field(entry, "baseline", source)
        ratios[name] = (against, ratio_of_lists(rates[name], rates[against]), str(entry.get("goal", "")))
    external = os.environ.get("MQTT_BROKER")
    print(f"\n{count} messages of {len(payload)} bytes per run, {rounds} alternating rounds, medians; "
          f"broker {'external ' + external if external else 'mosquitto on CPU 0'}, "
          f"clients on CPU 1 unless named; {idle.note}")
    print("msgs/s of the publishing itself: ours from mqtt_pub --stats (first publish to last acknowledgement),")
    print("mosquitto_pub as (N - 1) / (time for N - time for 1); end-to-end from the publisher's connect "
          "(mosquitto_pub:")
    print("its start plus a 1-message run's time) to the subscriber's last line; \"sub on CPU 0\": the subscriber")
    print("beside the broker, not on the publisher's core")
    print(f"{'measure':<26}{'msgs/s':>12}   {'ratio':<40}goal")
    rows = []
    for name in names:
        median = statistics.median(rates[name])
        against, value, goal = ratios.get(name, ("", None, ""))
        shown = f"{value:.2f}x {against}" if value is not None else ""
        print(f"{name:<26}{median:>12,.0f}   {shown:<40}{goal}")
        rows.append([name, round(median), f"{value:.3f}" if value else "", against, goal, count, rounds])
    write_csv(options.csv, ["measure", "msgs_per_s", "ratio", "ratio_to", "goal", "messages", "rounds"], rows)
    print(f"written: {options.csv}")
    return 0
