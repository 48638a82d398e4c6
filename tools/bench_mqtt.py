#!/usr/bin/env python3
"""Lab 08's bench: our paho-based publisher beside mosquitto_pub, on one private mosquitto (see netlab_bench/mqtt.py).

usage: tools/bench_mqtt.py [--quick] [--messages N] [--rounds R] [--bin DIR] [--csv FILE]
"""

import sys

from netlab_bench import entry, mqtt

if __name__ == "__main__":
    sys.exit(entry.run(mqtt.main, "bench_mqtt", "mqtt"))
