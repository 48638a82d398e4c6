#!/usr/bin/env bash
# Lab 01 demo: a TCP echo server on a free loopback port, a line and a 1 MiB file echoed through
# tcp_echo_client, showip, and a clean stop on SIGINT. Run by `./lab demo 01` with NETLAB_BIN set
# to the built programs; loopback only, no nc needed.
set -euo pipefail
BIN=${NETLAB_BIN:-build/bin}
work=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
say() { echo "==> $*"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }

say "starting tcp_echo_server --listen 127.0.0.1:0 (port 0: the kernel picks a free port)"
mkfifo "$work/server.out"
"$BIN/tcp_echo_server" --listen 127.0.0.1:0 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
exec {server_out}<"$work/server.out"
read -r -t 10 line <&"$server_out" || fail "no 'listening on' line within 10 s (stderr: $(cat "$work/server.err"))"
[[ $line == "listening on "* ]] || fail "the first line was '$line', expected 'listening on HOST:PORT'"
address=${line#listening on }
say "the server says: $line"

say "echo 'hello, stream socket' | tcp_echo_client --connect $address"
reply=$(echo 'hello, stream socket' | timeout 10 "$BIN/tcp_echo_client" --connect "$address") ||
    fail "tcp_echo_client failed"
say "came back: $reply"
[[ $reply == 'hello, stream socket' ]] || fail "the echo differs from what was sent"

say "a 1 MiB random file, sent while the echo streams back (--file in.bin --output out.bin)"
head -c 1048576 /dev/urandom >"$work/in.bin"
timeout 10 "$BIN/tcp_echo_client" --connect "$address" --file "$work/in.bin" --output "$work/out.bin" ||
    fail "tcp_echo_client failed on the 1 MiB file"
cmp "$work/in.bin" "$work/out.bin" || fail "the echoed file differs"
say "cmp: out.bin is identical to in.bin ($(wc -c <"$work/out.bin") bytes)"

say "showip localhost (getaddrinfo, every IPv4 and IPv6 address)"
timeout 10 "$BIN/showip" localhost | sed "s/^./    &/"

say "SIGINT to tcp_echo_server (pid $server_pid): it closes its connections and exits 0"
kill -INT "$server_pid"
timeout 10 tail -s 0.1 --pid="$server_pid" -f /dev/null || fail "the server did not stop within 10 s"
status=0
wait "$server_pid" || status=$?
server_pid=
[[ $status == 0 ]] || fail "the server exited with $status, expected 0 (stderr: $(cat "$work/server.err"))"
say "tcp_echo_server exited with status 0"
say "lab 01 demo: every step behaved as described"
