#!/usr/bin/env bash
# Lab 05 demo: the libevent echo server (an echo, a half-close, and backpressure measured against a
# client that never reads), then the evhttp server fetched with bash's /dev/tcp (no curl, no nc),
# and both stopped with SIGINT. Run by `./lab demo 05` with NETLAB_BIN set to the built programs.
# shellcheck source=SCRIPTDIR/../common/demo_lib.sh
source "$(dirname "$0")/../common/demo_lib.sh"

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

start libevent_echo_server --listen 127.0.0.1:0
echo_pid=$pid echo_port=$port
exec {sock}<>"/dev/tcp/127.0.0.1/$echo_port"
printf 'hello, libevent\n' >&"$sock"
read -r -t 5 reply <&"$sock" || fail "no echo within 5 s"
say "sent 'hello, libevent' over /dev/tcp, came back: '$reply'"
exec {sock}>&-
if [[ -x $BIN/tcp_echo_client ]]; then
    say "half-close: lab 01's client sends 1 MiB, shuts down its sending side, then reads the echo to EOF"
    head -c 1048576 /dev/urandom >"$work/in.bin"
    timeout 10 "$BIN/tcp_echo_client" --connect "127.0.0.1:$echo_port" --file "$work/in.bin" --output "$work/out.bin" ||
        fail "tcp_echo_client failed"
    cmp "$work/in.bin" "$work/out.bin" || fail "the echoed file differs"
    say "all $(wc -c <"$work/out.bin") bytes came back before the server's FIN"
fi
say "backpressure: a client writes 64 MiB and never reads (dd reports how far it got after 2 s)"
before=$(rss_kib "$echo_pid")
exec {rude}<>"/dev/tcp/127.0.0.1/$echo_port"
{ timeout -s USR1 -k 1 2 dd if=/dev/zero bs=64k count=1024 1>&"$rude" 2>"$work/dd.err"; } 2>/dev/null || true
pushed=$(grep -m1 -o '^[0-9]* bytes' "$work/dd.err" || echo "an unknown number of bytes")
say "the kernel accepted only $pushed: the server stopped reading at its high watermark"
say "server memory (VmRSS): $before KiB before, $(rss_kib "$echo_pid") KiB after"
exec {rude}>&-
stop libevent_echo_server "$echo_pid"

start libevent_http_server --listen 127.0.0.1:0
get() {  # get TARGET: one HTTP/1.1 request over bash's /dev/tcp, the whole response on stdout
    exec {http}<>"/dev/tcp/127.0.0.1/$port"
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&"$http"
    timeout 5 cat <&"$http" | tr -d '\r'
    exec {http}>&-
}
say "GET /hello.txt"
get /hello.txt | sed 's/^/    /'
status=$(get /../etc/passwd | head -1)
say "GET /../etc/passwd -> $status"
[[ $status == *" 403 "* ]] || fail "a traversal attempt was not refused"
status=$(get /status/418 | head -1)
say "GET /status/418 -> $status"
[[ $status == *" 418 "* ]] || fail "/status/418 did not answer with status 418"
stop libevent_http_server "$pid"
say "lab 05 demo: every step behaved as described"
