#!/usr/bin/env python3
"""Lab 07's bench: libcurl clients against lab 05's reference HTTP server (see netlab_bench/http.py).

usage: python3 tools/bench_http.py [--quick] [--rounds N] [--seconds S] [--bin DIR] [--out DIR] [--path P]
"""

import sys

from netlab_bench import entry, http

if __name__ == "__main__":
    sys.exit(entry.run(http.main, "bench_http", "http"))
