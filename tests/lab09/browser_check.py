#!/usr/bin/env python3
"""Lab 09's browser check: the chat page in two tabs of a real, headless Chromium.

usage: browser_check.py --url http://127.0.0.1:PORT/ [--chromium PATH] [--chromedriver PATH] [--timeout S]

Drives Debian's chromium through chromedriver's W3C WebDriver HTTP API with nothing but the
standard library (urllib + json), because CI has no npm or pip. Steps: start chromedriver on a
free port (retrying if another process takes it first), open a headless session with a fresh
profile, load the page in tab 1 and tab 2, wait until both say "open", type a line into tab 2's
input and press Enter, and wait until tab 1's log shows it.

Exit status: 0 when the message crossed; 1 with the reason on stderr otherwise (the browser did not
start, the page did not connect, the message never arrived...); 2 on a usage error. It never skips.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"   # the W3C key of an element reference
ENTER = "\ue007"


class CheckFailed(Exception):
    pass


def log(text):
    print(f"browser_check: {text}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Driver:
    def __init__(self, base, deadline):
        self.base = base
        self.deadline = deadline
        self.session = None

    def call(self, method, path, body=None, timeout=None):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise CheckFailed(f"out of time before {method} {path}")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=min(left, timeout or left)) as reply:
                return json.loads(reply.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:600]
            raise CheckFailed(f"{method} {path}: HTTP {error.code}: {detail}")
        except (urllib.error.URLError, OSError) as error:
            raise CheckFailed(f"{method} {path}: {error}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def script(self, source):
        return self.s("POST", "/execute/sync", {"script": source, "args": []})

    def wait_for(self, what, source, until):
        """Polls a script until its value satisfies until(); returns the value."""
        value = None
        while time.monotonic() < self.deadline:
            value = self.script(source)
            if until(value):
                return value
            time.sleep(0.05)   # a poll interval; the deadline bounds the wait
        raise CheckFailed(f"timed out waiting for {what}; last value: {value!r}")


def start_chromedriver(path, deadline, logfile):
    """Starts chromedriver on a free port; returns (process, base URL). Retries a port taken meanwhile."""
    for attempt in range(3):
        port = free_port()
        process = subprocess.Popen([path, f"--port={port}", "--allowed-ips=127.0.0.1"],
                                   stdout=logfile, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        probe = Driver(base, min(deadline, time.monotonic() + 10))
        while time.monotonic() < probe.deadline and process.poll() is None:
            try:
                if (probe.call("GET", "/status", timeout=1) or {}).get("ready"):
                    return process, base
            except CheckFailed:
                pass
            time.sleep(0.05)
        process.kill()
        process.wait()
        log(f"chromedriver on port {port} did not become ready (attempt {attempt + 1})")
    raise CheckFailed("chromedriver did not start; see its log above")


def run(args):
    deadline = time.monotonic() + args.timeout
    for tool in (args.chromium, args.chromedriver):
        if not (os.path.isfile(tool) and os.access(tool, os.X_OK)):
            raise CheckFailed(f"{tool} is missing: apt-get install chromium chromium-driver")
    profile = tempfile.mkdtemp(prefix="netlab-chromium-")
    logfile = tempfile.TemporaryFile(mode="w+")
    driver_process = None
    driver = None
    try:
        driver_process, base = start_chromedriver(args.chromedriver, deadline, logfile)
        driver = Driver(base, deadline)
        options = {"binary": args.chromium,
                   "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--disable-quic", "--no-first-run", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--disable-extensions",
                            f"--user-data-dir={profile}", "about:blank"]}
        created = driver.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options}}})
        driver.session = created["sessionId"]
        log(f"browser started: {created['capabilities'].get('browserVersion', '?')}")

        status = "return document.getElementById('status') && document.getElementById('status').textContent"
        first = driver.s("GET", "/window")
        driver.s("POST", "/url", {"url": args.url})
        driver.wait_for("tab 1 to connect", status, lambda v: v == "open")
        second = driver.s("POST", "/window/new", {"type": "tab"})["handle"]
        driver.s("POST", "/window", {"handle": second})
        driver.s("POST", "/url", {"url": args.url})
        driver.wait_for("tab 2 to connect", status, lambda v: v == "open")
        log("both tabs are connected")

        message = f"hello from tab 2, {os.getpid()} \u2713"
        field = driver.s("POST", "/element", {"using": "css selector", "value": "#message"})[ELEMENT]
        driver.s("POST", f"/element/{field}/value", {"text": message + ENTER})
        log_text = "return document.getElementById('log').textContent"
        driver.wait_for("tab 2 to show its own message", log_text, lambda v: message in (v or ""))
        driver.s("POST", "/window", {"handle": first})
        driver.wait_for("tab 1 to show the message typed in tab 2", log_text, lambda v: message in (v or ""))
        log("the message typed in tab 2 appeared in tab 1")
    finally:
        if driver is not None and driver.session is not None:
            try:
                driver.deadline = time.monotonic() + 5
                driver.call("DELETE", f"/session/{driver.session}")
            except CheckFailed as error:
                log(f"closing the session: {error}")
        if driver_process is not None:
            driver_process.terminate()
            try:
                driver_process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                driver_process.kill()
                driver_process.wait()
        logfile.seek(0)
        tail = logfile.read()[-3000:]
        if tail and os.environ.get("NETLAB_BROWSER_VERBOSE"):
            print(tail, file=sys.stderr)
        shutil.rmtree(profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--timeout", type=float, default=45.0)
    args = parser.parse_args()
    try:
        run(args)
    except CheckFailed as error:
        log(f"FAILED: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
