#!/usr/bin/env bash
# Lab 02 demo: UDP echo (boundaries, truncation, timeout, refused) and reliable request/response.
# Run by `./lab demo 02` with NETLAB_BIN set to the built programs; loopback only, no nc needed.
# shellcheck source=SCRIPTDIR/../common/demo_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../common/demo_lib.sh"

start udp_echo_server --listen 127.0.0.1:0 --max-datagram 64
echo_pid=$pid echo_port=$port

say "udp_echo_client sends 3 datagrams ('hello', an empty one, a sentence); each comes back whole:"
replies=$(timeout 10 "$BIN/udp_echo_client" --connect "127.0.0.1:$echo_port" hello "" "one send is one datagram") ||
    fail "udp_echo_client did not get its 3 echoes"
while IFS= read -r reply; do echo "    reply: $reply"; done <<<"$replies"

long=$(printf 'x%.0s' {1..100})
say "a 100-byte datagram to a server whose buffer holds 64: it is dropped, never echoed cut"
if timeout 10 "$BIN/udp_echo_client" --connect "127.0.0.1:$echo_port" --timeout 300 --retries 1 "$long" \
    2>"$work/client.err"; then
    fail "a truncated datagram was echoed"
fi
say "the client waited, resent once, then said: $(cat "$work/client.err")"
say "the server said (once per copy): $(grep -m1 truncated "$work/udp_echo_server.err")"

stop udp_echo_server "$echo_pid"
say "the same port now has no server: its host answers with ICMP port unreachable"
if timeout 10 "$BIN/udp_echo_client" --connect "127.0.0.1:$echo_port" hello 2>"$work/client.err"; then
    fail "a closed port answered"
fi
grep -q "no one is listening" "$work/client.err" || fail "expected ECONNREFUSED, got: $(cat "$work/client.err")"
say "the client said: $(cat "$work/client.err")"

start rr_server --listen 127.0.0.1:0
rr_pid=$pid rr_port=$port
say "rr_client sends 2 requests; each carries a sequence number and is retransmitted until answered:"
replies=$(timeout 20 "$BIN/rr_client" --connect "127.0.0.1:$rr_port" hello "exactly once") || fail "rr_client failed"
while IFS= read -r reply; do echo "    reply: $reply"; done <<<"$replies"
[[ $replies == $'#1 HELLO\n#2 EXACTLY ONCE' ]] || fail "unexpected replies from rr_server"
stop rr_server "$rr_pid"
say "rr_server said: $(cat "$work/rr_server.err")"
say "lab 02 demo: every step behaved as described"
