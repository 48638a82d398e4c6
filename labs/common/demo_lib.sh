# shellcheck shell=bash
# Shared by every labs/NN_*/demo.sh: `source "$(dirname "$0")/../common/demo_lib.sh"`.
# Gives: BIN (the built programs), work (a scratch folder removed on exit), say, fail,
# start NAME ARGS... (a server in the background; sets pid, address and port from its
# "listening on HOST:PORT" line) and stop NAME PID (SIGINT, then exit status 0 is required).
# Every server started is killed on exit, whatever happens.
set -euo pipefail
BIN=${NETLAB_BIN:-build/bin}
work=$(mktemp -d)
demo_pids=()
demo_cleanup() {
    local p
    for p in "${demo_pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap demo_cleanup EXIT
say() { echo "==> $*"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }

# shellcheck disable=SC2034  # address and port are set for the demo that sourced this file to read
start() {
    local name=$1 line out fifo
    fifo="$work/$name.${#demo_pids[@]}.out"  # one FIFO per start: a program may run twice
    mkfifo "$fifo"
    "$BIN/$name" "${@:2}" >"$fifo" 2>>"$work/$name.err" &
    pid=$!
    demo_pids+=("$pid")
    exec {out}<"$fifo"
    read -r -t 10 line <&"$out" || fail "$name did not print 'listening on' within 10 s (stderr: $(cat "$work/$name.err"))"
    [[ $line == "listening on "* ]] || fail "$name's first line was '$line', expected 'listening on HOST:PORT'"
    say "$name ${*:2}: $line"
    address=${line#listening on }
    port=${line##*:}
}

stop() {
    say "SIGINT to $1 (pid $2): it must stop cleanly with exit status 0"
    kill -INT "$2"
    timeout 10 tail -s 0.1 --pid="$2" -f /dev/null || fail "$1 did not stop within 10 s"
    local status=0
    wait "$2" || status=$?
    [[ $status == 0 ]] || fail "$1 exited with $status, expected 0 (stderr: $(cat "$work/$1.err"))"
    say "$1 exited with status 0"
}
