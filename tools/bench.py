#!/usr/bin/env python3
"""./lab bench echo: every echo server the labs declare, side by side (see netlab_bench/echo.py)."""

import sys

from netlab_bench import echo, entry

if __name__ == "__main__":
    sys.exit(entry.run(echo.main, "bench", "echo"))
