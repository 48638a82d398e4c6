#!/usr/bin/env bash
# Lab 03 demo: a real loopback capture decoded layer by layer (data encapsulation), a hand-made
# length-prefixed frame through the core echo server (framing), and the core's clean stop (RAII).
# Run by `./lab demo 03` with NETLAB_BIN set to the built programs; loopback only, no nc needed.
# shellcheck source=SCRIPTDIR/../common/demo_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common/demo_lib.sh"
capture=tests/data/lab01_lo.pcap

say "pcap_decode $capture: lab 01's echo, captured with tcpdump on lo (packet 4 carries the client's bytes)"
timeout 10 "$BIN/pcap_decode" "$capture" >"$work/decoded.txt" || fail "pcap_decode failed"
awk '/^Frame 4:/,/^$/' "$work/decoded.txt" | sed 's/^/    /'
grep -q 'header checksum 0x[0-9a-f]* \[good\]' "$work/decoded.txt" || fail "no IPv4 header checksum verified"
say "every layer stripped in turn: Ethernet (14 B), IPv4 (20 B), TCP (32 B with options), then the payload"

start core_echo_server --listen 127.0.0.1:0
server_pid=$pid

say "a frame by hand: a 4-byte big-endian length (0x0000000c = 12), then 12 bytes of payload"
exec {conn}<>"/dev/tcp/127.0.0.1/$port"
printf '\x00\x00\x00\x0chello, frame' >&"$conn"
timeout 10 head -c 16 <&"$conn" >"$work/reply.bin" || fail "no echo within 10 s"
exec {conn}>&-
od -A d -t x1z "$work/reply.bin" | sed 's/^/    /'
printf '\x00\x00\x00\x0chello, frame' | cmp -s - "$work/reply.bin" || fail "the echo differs from the frame sent"
say "the same 16 bytes came back: TCP carried them as a stream; the length prefix is what makes them one message"

stop core_echo_server "$server_pid"
say "lab 03 demo: every step behaved as described"
