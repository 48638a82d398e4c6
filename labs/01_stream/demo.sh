#!/usr/bin/env bash
# Lab 01 demo: a TCP echo server on a free loopback port, a line and a 1 MiB file echoed through
# tcp_echo_client, showip, and a clean stop on SIGINT. Run by `./lab demo 01` with NETLAB_BIN set
# to the built programs; loopback only, no nc needed.
# shellcheck source=SCRIPTDIR/../common/demo_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common/demo_lib.sh"

say "starting tcp_echo_server on port 0: the kernel picks a free port"
start tcp_echo_server --listen 127.0.0.1:0
server_pid=$pid

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

stop tcp_echo_server "$server_pid"
say "lab 01 demo: every step behaved as described"
