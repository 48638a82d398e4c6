#!/usr/bin/env bash
# Makes the lab 03 captures in tests/data/ from the project's own lab 01/02 programs, then the
# expected field values from tshark (an independent decoder). Run as root (tcpdump needs it):
#
#     tests/data/capture.sh BIN_DIR        (BIN_DIR holds tcp_echo_* and udp_echo_*, e.g. build/bin)
#     tests/data/capture.sh --fields       (only regenerate the .tsv files from the .pcap files)
#
# The captures are data, not code: they are made once, committed, and the tests read them
# without tcpdump or tshark. Re-running this replaces them (ports and timestamps will differ,
# so the .tsv files must be regenerated with them, which this script does).
set -euo pipefail
BIN=${1:?usage: tests/data/capture.sh BIN_DIR | --fields}
[[ $BIN == --fields ]] || BIN=$(realpath "$BIN")  # before the cd below
cd "$(dirname "${BASH_SOURCE[0]}")"
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "capture.sh: $*" >&2; exit 1; }

# wait_for FILE TEXT: polls (for at most 10 s) until FILE contains TEXT.
wait_for() {
    timeout 10 bash -c 'until grep -q "$2" "$1" 2>/dev/null; do sleep 0.05; done' _ "$1" "$2" ||
        fail "no '$2' in $1: $(cat "$1")"
}

# start_server NAME: starts BIN/NAME on 127.0.0.1 port 0; sets server_pid and port.
start_server() {
    "$BIN/$1" --listen 127.0.0.1:0 >"$work/$1.out" 2>"$work/$1.err" &
    server_pid=$!
    pids+=("$server_pid")
    wait_for "$work/$1.out" "listening on"
    port=$(sed -n 's/^listening on .*://p' "$work/$1.out")
}

# start_capture FILE TCPDUMP_ARGS...: starts tcpdump writing FILE (packet-buffered), waits until it listens.
start_capture() {
    local file=$1
    shift
    tcpdump -s 0 -U --immediate-mode -w "$file" "$@" 2>"$work/tcpdump.err" &
    capture_pid=$!
    pids+=("$capture_pid")
    wait_for "$work/tcpdump.err" "listening on"
}

# stop_capture FILE CONDITION: polls until tshark's display filter CONDITION matches a packet of
# FILE (the last packet of the exchange is on disk: tcpdump -U writes each one), then SIGINT.
stop_capture() {
    timeout 10 bash -c 'until [[ -n $(tshark -r "$1" -Y "$2" 2>/dev/null) ]]; do sleep 0.05; done' _ "$1" "$2" ||
        fail "$1: no packet matching '$2' (have: $(tshark -r "$1" 2>&1))"
    kill -INT "$capture_pid"
    wait "$capture_pid"
}

# fields FILE: the expected values, decoded by tshark, one row per packet (see README.md). The
# checksum options make tshark verify the IPv4 checksum and compute what TCP/UDP's should be.
fields() {
    tshark -r "$1" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE \
        -T fields -E header=y -E separator=/t -E occurrence=f \
        -e frame.number -e frame.time_epoch -e frame.len -e frame.cap_len \
        -e eth.dst -e eth.src -e eth.type -e sll.pkttype -e sll.etype \
        -e ip.version -e ip.hdr_len -e ip.len -e ip.id -e ip.flags -e ip.frag_offset -e ip.ttl -e ip.proto \
        -e ip.checksum -e ip.checksum_calculated -e ip.checksum.status -e ip.src -e ip.dst \
        -e tcp.srcport -e tcp.dstport -e tcp.seq_raw -e tcp.ack_raw -e tcp.hdr_len -e tcp.flags \
        -e tcp.window_size_value -e tcp.checksum -e tcp.checksum_calculated -e tcp.urgent_pointer \
        -e tcp.len -e tcp.payload \
        -e udp.srcport -e udp.dstport -e udp.length -e udp.checksum -e udp.checksum_calculated \
        -e udp.payload >"${1%.pcap}.tsv"
}

# A TCP echo (lab 01), one connection per message. The capture ends once the client's ACK of the
# server's FIN on the second connection (the exchange's last packet) is in the file.
tcp_echo_capture() {
    local file=$1
    shift
    start_server tcp_echo_server
    start_capture "$file" "$@" "tcp port $port"
    printf 'hello from lab 01\nsecond line\n' | "$BIN/tcp_echo_client" --connect "127.0.0.1:$port" >/dev/null
    head -c 1200 /dev/urandom >"$work/binary"
    "$BIN/tcp_echo_client" --connect "127.0.0.1:$port" --file "$work/binary" >/dev/null
    # The client's ACK of the server's FIN: relative ack 1202 = SYN + 1200 echoed bytes + FIN.
    stop_capture "$file" "tcp.stream == 1 && tcp.dstport == $port && tcp.flags == 0x010 && tcp.ack == 1202"
    kill -INT "$server_pid"
    wait "$server_pid"
}

# A UDP echo (lab 02): three datagrams (one empty), then one to the closed port, answered by ICMP.
udp_echo_capture() {
    local file=$1
    shift
    start_server udp_echo_server
    start_capture "$file" "$@" "udp port $port or icmp"
    "$BIN/udp_echo_client" --connect "127.0.0.1:$port" hello "" "one send is one datagram" >/dev/null
    kill -INT "$server_pid"
    wait "$server_pid"
    ! "$BIN/udp_echo_client" --connect "127.0.0.1:$port" --retries 0 "anyone there?" 2>/dev/null ||
        fail "the closed port answered"
    stop_capture "$file" "icmp"
}

if [[ $BIN == --fields ]]; then
    for file in ./*.pcap; do fields "$file"; done
    exit 0
fi

tcp_echo_capture lab01_lo.pcap -i lo
fields lab01_lo.pcap
udp_echo_capture lab02_lo.pcap -i lo --time-stamp-precision=nano
fields lab02_lo.pcap
# -B 16384 (KiB of capture buffer): with -i any and -s 0, libpcap's default 2 MiB buffer holds only
# a few 256 KiB frames; without -B we saw "packets dropped by kernel" and a capture that stalled.
tcp_echo_capture lab01_any.pcap -i any -B 16384
fields lab01_any.pcap
udp_echo_capture lab02_any_sll.pcap -i any -B 16384 -y LINUX_SLL
fields lab02_any_sll.pcap
chown "$(stat -c %u:%g .)" ./*.pcap  # tcpdump -w writes them as user tcpdump
ls -l ./*.pcap ./*.tsv
