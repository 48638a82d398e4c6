#!/usr/bin/env python3
"""Lab 03's bench: FrameDecoder and decode_frame against memcpy (see netlab_bench/framing.py).

usage: python3 tools/bench_framing.py [--quick] [--bin DIR]
"""

import sys

from netlab_bench import entry, framing

if __name__ == "__main__":
    sys.exit(entry.run(framing.main, "bench_framing", "framing"))
