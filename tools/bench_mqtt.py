#!/usr/bin/env python3
"""Lab 08 benchmark: our paho-based publisher beside mosquitto_pub, on one private mosquitto.

usage: tools/bench_mqtt.py [--quick] [--messages N] [--rounds R] [--bin DIR] [--csv FILE]

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
Rates are of the publishing itself, never of a process's start, connect and exit: ours as
mqtt_pub --stats reports it (first publish to last acknowledgement; paho's shutdown alone sleeps
100 ms twice), mosquitto_pub as (N - 1) / (time for N - time for 1), end-to-end from the
publisher's "connected" line (mosquitto_pub: its start plus a 1-message run's time) to the
subscriber's last line.
Counts: every publisher must exit 0 (ours exits 0 only after every QoS 1 PUBACK); the end-to-end
subscriber must print exactly N payloads. With MQTT_BROKER=tcp://host:port the broker is external
(and not pinned). Writes the medians to --csv (default build/bench/mqtt.csv).
Exit status: 0 when every run worked; 1 when a run failed or a count was wrong; 2 on a usage error.
"""

import argparse
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from cpu_idle import PollingIdle

ROOT = Path(__file__).resolve().parent.parent


def pinned(cpu: str, command: list[str]) -> list[str]:
    return (["taskset", "-c", cpu] if shutil.which("taskset") and os.cpu_count() and os.cpu_count() > 1 else []) + command


class Broker:
    def __init__(self, bin_dir: Path):
        self.process = None
        external = os.environ.get("MQTT_BROKER", "")
        if external:
            hostport = external.split("://", 1)[-1]
            self.host, self.port = hostport.rsplit(":", 1)
            return
        self.process = subprocess.Popen(pinned("0", [str(bin_dir / "embedded_mosquitto")]), stdout=subprocess.PIPE,
                                        text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on "):
            raise SystemExit(f"bench_mqtt: embedded_mosquitto said {line!r}")
        self.host, self.port = line.removeprefix("listening on ").rsplit(":", 1)

    def args(self) -> list[str]:
        return ["-h", self.host, "-p", self.port]

    def stop(self) -> None:
        if self.process:
            self.process.send_signal(2)
            self.process.wait(timeout=10)


def timed(command: list[str], timeout: float) -> float:
    """Runs a client pinned to CPU 1; returns its wall time."""
    started = time.perf_counter()
    result = subprocess.run(pinned("1", command), capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} exited {result.returncode}: {result.stderr.strip()[:300]}")
    return elapsed


def mosquitto_rate(command: list[str], count: int, timeout: float) -> float:
    """mosquitto_pub's rate: (count - 1) / (time for count - time for 1), each a fresh process, so
    its start and connect (a few ms) do not count."""
    one = timed([*command, "--repeat", "1"], timeout)
    many = timed([*command, "--repeat", str(count)], timeout)
    return (count - 1) / max(many - one, 1e-6)


def our_rate(command: list[str], timeout: float) -> float:
    """Our publisher's rate as mqtt_pub --stats reports it: first publish to last acknowledgement.
    (Its process start, connect and paho's shutdown, which sleeps 100 ms twice, do not count.)"""
    result = subprocess.run(pinned("1", [*command, "--stats"]), capture_output=True, text=True, timeout=timeout)
    found = re.search(r"published \d+ message\(s\) in [\d.e-]+ s: ([\d.e+]+) msgs/s", result.stderr)
    if result.returncode != 0 or not found:
        raise RuntimeError(f"{command[0]} exited {result.returncode}: {result.stderr.strip()[:300]}")
    return float(found.group(1))


def end_to_end(broker: Broker, topic: str, count: int, timeout: float, publisher: list[str], subscriber: list[str],
               subscriber_cpu: str = "1") -> float:
    """Messages per second from publisher to subscriber, both pinned (the subscriber to subscriber_cpu).
    A retained marker on the topic tells when the subscriber is subscribed (it is the first line it
    prints; it is cleared afterwards). The clock runs from the publisher's "connected" line (ours,
    with --stats) or from its start less the wall time of a 1-message run (mosquitto_pub, which
    prints nothing) to the subscriber's last line. Its output is read while it runs (a pipe nobody
    reads fills at 64 KiB and would stall it); it must print exactly count payloads."""
    subprocess.run(["mosquitto_pub", *broker.args(), "-t", topic, "-m", "ready", "-r", "-q", "1"], check=True,
                   timeout=timeout)
    announces_connect = "--stats" in publisher  # ours says "connected to ..."; mosquitto_pub says nothing
    startup = 0.0
    if not announces_connect:
        startup = timed([*publisher, "-t", f"{topic}/warm-up", "--repeat", "1"], timeout)
    sub = subprocess.Popen(pinned(subscriber_cpu, [*subscriber, *broker.args(), "-t", topic, "-q", "1", "-C",
                                                    str(count + 1)]), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if sub.stdout.readline() != b"ready\n":
        sub.kill()
        raise RuntimeError(f"{subscriber[0]} did not subscribe: {sub.stderr.read()[:300]!r}")
    lines = 0
    last_line_at = None

    def read_lines() -> None:
        nonlocal lines, last_line_at
        while chunk := sub.stdout.read1(65536):
            lines += chunk.count(b"\n")
            last_line_at = time.perf_counter()

    reader = threading.Thread(target=read_lines, daemon=True)
    reader.start()
    started_at = time.perf_counter()
    pub = subprocess.Popen(pinned("1", [*publisher, "-t", topic, "--repeat", str(count)]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if announces_connect:
        started_at = time.perf_counter() if b"connected to" in pub.stderr.readline() else None
    try:
        pub_status = pub.wait(timeout=timeout)
        sub.wait(timeout=timeout)
    finally:
        pub.kill()
        sub.kill()
    reader.join(timeout=timeout)
    subprocess.run(["mosquitto_pub", *broker.args(), "-t", topic, "-n", "-r", "-q", "1"], check=True, timeout=timeout)
    if started_at is None or pub_status != 0:
        raise RuntimeError(f"end-to-end: {publisher[0]} failed (status {pub_status}): {pub.stderr.read()[:300]!r}")
    if lines != count or sub.returncode != 0 or last_line_at is None:
        raise RuntimeError(f"end-to-end: {subscriber[0]} printed {lines} of {count} messages (status {sub.returncode})")
    return count / max(last_line_at - started_at - startup, 1e-6)


def main(idle: PollingIdle) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2000 messages, 3 rounds: a smoke run")
    parser.add_argument("--messages", type=int, help="messages per run (default 20000)")
    parser.add_argument("--rounds", type=int, help="alternating rounds (default 5)")
    parser.add_argument("--bin", type=Path, default=ROOT / "build" / "bin")
    parser.add_argument("--csv", type=Path, default=ROOT / "build" / "bench" / "mqtt.csv")
    options = parser.parse_args()
    count = options.messages or (2000 if options.quick else 20000)
    rounds = options.rounds or (3 if options.quick else 5)
    if count < 1 or rounds < 1:
        parser.error("--messages and --rounds must be at least 1")
    for tool in ("mosquitto_pub", "mosquitto_sub"):
        if not shutil.which(tool):
            print(f"bench_mqtt: {tool} is missing (apt-get install mosquitto-clients)", file=sys.stderr)
            return 2
    payload = "x" * 32
    broker = Broker(options.bin)
    b = broker.args()
    ours = str(options.bin / "mqtt_pub")
    our_pair = ([ours, *b, "-m", payload, "-q", "1", "--max-inflight", "100", "--stats"],
                [str(options.bin / "mqtt_sub")])
    mosquitto_pair = (["mosquitto_pub", *b, "-m", payload, "-q", "1", "-M", "100"], ["mosquitto_sub"])
    measures = {  # name -> topic -> msgs/s
        "ours QoS 1 inflight 100": lambda t: our_rate([ours, *b, "-t", t, "-m", payload, "-q", "1", "--repeat",
                                                       str(count), "--max-inflight", "100"], 120),
        "ours QoS 1 inflight 20": lambda t: our_rate([ours, *b, "-t", t, "-m", payload, "-q", "1", "--repeat",
                                                      str(count), "--max-inflight", "20"], 300),
        "mosquitto_pub QoS 1": lambda t: mosquitto_rate(["mosquitto_pub", *b, "-t", t, "-m", payload, "-q", "1",
                                                         "-M", "100"], count, 120),
        "end-to-end QoS 1": lambda t: end_to_end(broker, t, count, 120, our_pair[0], our_pair[1]),
        "end-to-end, sub on CPU 0": lambda t: end_to_end(broker, t, count, 120, our_pair[0], our_pair[1], "0"),
        "mosquitto end-to-end": lambda t: end_to_end(broker, t, count, 120, *mosquitto_pair),
        "mosquitto e2e, sub CPU 0": lambda t: end_to_end(broker, t, count, 120, *mosquitto_pair, "0"),
        "ours QoS 0": lambda t: our_rate([ours, *b, "-t", t, "-m", payload, "-q", "0", "--repeat", str(count)], 120),
        "mosquitto_pub QoS 0": lambda t: mosquitto_rate(["mosquitto_pub", *b, "-t", t, "-m", payload, "-q", "0"],
                                                        count, 120),
    }
    rates: dict[str, list[float]] = {name: [] for name in measures}
    names = list(measures)
    try:
        for round_number in range(rounds):
            order = names[round_number % len(names):] + names[:round_number % len(names)]
            for name in order:
                rates[name].append(measures[name](f"bench/{os.getpid()}/{round_number}"))
            print(f"round {round_number + 1}/{rounds}: " +
                  ", ".join(f"{n} {rates[n][-1]:,.0f}/s" for n in names), flush=True)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"bench_mqtt: {error}", file=sys.stderr)
        broker.stop()
        return 1
    broker.stop()

    def ratio(a: str, b_name: str) -> float:
        return statistics.median(x / y for x, y in zip(rates[a], rates[b_name]))

    ratios = {
        "ours QoS 1 inflight 100": ("mosquitto_pub QoS 1", ratio("ours QoS 1 inflight 100", "mosquitto_pub QoS 1"), ">= 0.6"),
        "ours QoS 1 inflight 20": ("ours QoS 1 inflight 100", ratio("ours QoS 1 inflight 20", "ours QoS 1 inflight 100"), "report"),
        "end-to-end QoS 1": ("ours QoS 1 inflight 100", ratio("end-to-end QoS 1", "ours QoS 1 inflight 100"), ">= 0.8, 100% delivered"),
        "end-to-end, sub on CPU 0": ("ours QoS 1 inflight 100", ratio("end-to-end, sub on CPU 0", "ours QoS 1 inflight 100"),
                                     ">= 0.8, 100% delivered"),
        "mosquitto end-to-end": ("mosquitto_pub QoS 1", ratio("mosquitto end-to-end", "mosquitto_pub QoS 1"), "anchor"),
        "mosquitto e2e, sub CPU 0": ("mosquitto_pub QoS 1", ratio("mosquitto e2e, sub CPU 0", "mosquitto_pub QoS 1"),
                                     "anchor"),
        "ours QoS 0": ("mosquitto_pub QoS 0", ratio("ours QoS 0", "mosquitto_pub QoS 0"), "report"),
    }
    print(f"\n{count} messages of {len(payload)} bytes per run, {rounds} alternating rounds, medians; "
          f"broker {'external ' + os.environ['MQTT_BROKER'] if os.environ.get('MQTT_BROKER') else 'mosquitto on CPU 0'}, "
          f"clients on CPU 1 unless named; {idle.note}")
    print("msgs/s of the publishing itself: ours from mqtt_pub --stats (first publish to last acknowledgement),")
    print("mosquitto_pub as (N - 1) / (time for N - time for 1); end-to-end from the publisher's connect (mosquitto_pub:")
    print("its start plus a 1-message run's time) to the subscriber's last line; \"sub on CPU 0\": the subscriber")
    print("beside the broker, not on the publisher's core")
    print(f"{'measure':<26}{'msgs/s':>12}   {'ratio':<40}goal")
    rows = []
    for name in names:
        median = statistics.median(rates[name])
        against, value, goal = ratios.get(name, ("", None, ""))
        shown = f"{value:.2f}x {against}" if value is not None else ""
        print(f"{name:<26}{median:>12,.0f}   {shown:<40}{goal}")
        rows.append({"measure": name, "msgs_per_s": round(median), "ratio": f"{value:.3f}" if value else "",
                     "ratio_to": against, "goal": goal, "messages": count, "rounds": rounds})
    options.csv.parent.mkdir(parents=True, exist_ok=True)
    with options.csv.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"written: {options.csv}")
    return 0


if __name__ == "__main__":
    with PollingIdle() as polling:
        sys.exit(main(polling))
