#!/usr/bin/env bash
# Lab 06 demo, headless and offline: the Qt echo server (an echo with half-close, then the
# threaded variant), qt_chat_client talking to lab 04's poll_chat_server, two qt_udp_discovery
# instances finding each other, and qt_http_get against the HTTP test peer (a 404, a timeout,
# and 20 MiB streamed to a file). Run by `./lab demo 06` with NETLAB_BIN set to the built programs.
# shellcheck source=SCRIPTDIR/../common/demo_lib.sh
source "$(dirname "$0")/../common/demo_lib.sh"

start qt_echo_server --listen 127.0.0.1:0
echo_pid=$pid
say "qt_echo_client sends 1 MiB from standard input, half-closes (FIN), and reads the echo to EOF"
head -c 1048576 /dev/urandom >"$work/in.bin"
timeout 10 "$BIN/qt_echo_client" --connect "$address" <"$work/in.bin" >"$work/out.bin" || fail "qt_echo_client failed"
cmp "$work/in.bin" "$work/out.bin" || fail "the echo differs"
say "all $(wc -c <"$work/out.bin") bytes came back before the server's FIN"
stop qt_echo_server "$echo_pid"

start qt_echo_server --listen 127.0.0.1:0 --threads 2
threaded_pid=$pid
say "the same with --threads 2: three clients at once, each served by a worker thread"
clients=()
for i in 1 2 3; do
    seq 1 20000 | timeout 10 "$BIN/qt_echo_client" --connect "$address" >"$work/seq$i.txt" &
    clients+=($!)
done
for client in "${clients[@]}"; do wait "$client" || fail "a threaded echo client failed"; done
for i in 1 2 3; do cmp <(seq 1 20000) "$work/seq$i.txt" || fail "threaded echo $i differs"; done
say "threads in the server process: $(find /proc/"$threaded_pid"/task -mindepth 1 -maxdepth 1 | wc -l) (the main thread and 2 workers)"
stop qt_echo_server "$threaded_pid"

if [[ -x $BIN/reference_poll_chat_server ]]; then
    start reference_poll_chat_server --listen 127.0.0.1:0
    chat_pid=$pid
    say "two stacks, one protocol: two qt_chat_clients in lab 04's poll() chat server"
    mkfifo "$work/ann.in"
    "$BIN/qt_chat_client" --connect "$address" --name ann <"$work/ann.in" >"$work/ann.out" 2>&1 &
    ann=$!
    demo_pids+=("$ann")
    exec {ann_in}>"$work/ann.in"
    timeout 10 bash -c "until grep -q '^\* ann joined' '$work/ann.out'; do sleep 0.1; done" || fail "ann was not welcomed"
    printf 'hello ann, this is bob\n' | timeout 10 "$BIN/qt_chat_client" --connect "$address" --name bob >"$work/bob.out" ||
        fail "bob's client failed: $(cat "$work/bob.out")"
    timeout 10 bash -c "until grep -q '^\* bob left' '$work/ann.out'; do sleep 0.1; done" || fail "ann did not see bob leave"
    say "what ann's qt_chat_client printed:"
    sed 's/^/    /' "$work/ann.out"
    exec {ann_in}>&-
    wait "$ann" || fail "ann's client did not exit 0"
    stop reference_poll_chat_server "$chat_pid"
fi

say "UDP discovery: two instances on one port; ann exits once she has found someone"
"$BIN/qt_udp_discovery" --name ann --port 0 --interval-ms 200 --peers 1 >"$work/ann.udp" 2>&1 &
ann=$!
demo_pids+=("$ann")
timeout 10 bash -c "until grep -q '^listening on' '$work/ann.udp'; do sleep 0.1; done" || fail "discovery did not start"
udp_port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/ann.udp")
start qt_udp_discovery --name bob --port "$udp_port" --interval-ms 200
bob=$pid
wait "$ann" || fail "ann found no one"
sed 's/^/    ann: /' "$work/ann.udp"
stop qt_udp_discovery "$bob"

if [[ -x $BIN/netlab_http_peer ]]; then
    start netlab_http_peer --listen 127.0.0.1:0
    http_pid=$pid
    status=0
    "$BIN/qt_http_get" "http://$address/status/404" 2>"$work/404.err" || status=$?
    say "GET /status/404 -> exit $status ($(cat "$work/404.err"))"
    [[ $status == 22 ]] || fail "expected exit status 22"
    status=0
    "$BIN/qt_http_get" --timeout-ms 300 "http://$address/delay/5000" 2>"$work/delay.err" || status=$?
    say "GET /delay/5000 with --timeout-ms 300 -> exit $status ($(cat "$work/delay.err"))"
    [[ $status == 28 ]] || fail "expected exit status 28"
    say "GET /bytes/20971520 -o file --progress (streamed: the reply's buffer is capped at 256 KiB)"
    measure=()
    [[ -x /usr/bin/time ]] && measure=(/usr/bin/time -f "peak RSS of qt_http_get: %M KiB")
    "${measure[@]}" "$BIN/qt_http_get" --progress -o "$work/big" "http://$address/bytes/20971520" 2>"$work/big.err" ||
        fail "the download failed: $(cat "$work/big.err")"
    { grep '^progress' "$work/big.err" | sed -n '1p;$p'; grep -v '^progress' "$work/big.err"; } | sed 's/^/    /'
    [[ $(stat -c %s "$work/big") == 20971520 ]] || fail "the file is not 20 MiB"
    stop netlab_http_peer "$http_pid"
fi
say "lab 06 demo: every step behaved as described"
