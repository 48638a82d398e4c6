"""Keeps idle CPUs polling instead of halting while a benchmark runs (Linux PM QoS).

On a virtual machine an idle vCPU halts, and waking it (an inter-processor interrupt through the
hypervisor) can cost tens of microseconds, more than the work a 64-byte ping-pong or a small HTTP
request does. Measured here: wrk -t1 -c1 went from 5,000-11,000 to 26,000-28,000 requests/s.
Every cross-core round trip then measures the hypervisor, not the programs. Writing 0 to
/dev/cpu_dma_latency and keeping it open asks the kernel for zero wake-up latency, so cpuidle uses
only its polling state; closing it restores the default. This is what cyclictest and tuned's
latency-performance profile do. It needs root; without it the bench says so and runs anyway.
NETLAB_BENCH_IDLE=halt (./lab bench --halting-idle) leaves the idle policy alone, to compare.
"""

import os
import struct

DEVICE = "/dev/cpu_dma_latency"


class PollingIdle:
    """Context manager: `with PollingIdle() as idle: ...`; idle.note says what was done."""

    def __init__(self) -> None:
        self.fd: int | None = None
        self.note = ""

    def __enter__(self) -> "PollingIdle":
        if os.environ.get("NETLAB_BENCH_IDLE") == "halt":
            self.note = "idle CPUs halt (NETLAB_BENCH_IDLE=halt): cross-core round trips include the VM's wake-up cost"
            return self
        try:
            self.fd = os.open(DEVICE, os.O_WRONLY)
            os.write(self.fd, struct.pack("i", 0))
            self.note = (f"idle CPUs poll ({DEVICE} held at 0 us): a wake-up across cores costs about 1 us, "
                         "not a hypervisor round trip")
        except OSError as error:
            if self.fd is not None:
                os.close(self.fd)
                self.fd = None
            self.note = (f"idle CPUs halt ({DEVICE}: {error.strerror}; run as root to hold it): cross-core "
                         "round trips include the VM's wake-up cost, so figures are lower and noisier")
        return self

    def __exit__(self, *_exc) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
