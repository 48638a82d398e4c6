#!/usr/bin/env bash
# Lab 04 demo: epoll_echo_server echoes a line and a 1 MiB file (through lab 01's tcp_echo_client),
# then poll_chat_server relays a chat between two chat_clients; both servers stop on SIGINT with
# status 0. Run by `./lab demo 04` with NETLAB_BIN set to the built programs; loopback only.
# shellcheck source=SCRIPTDIR/../common/demo_lib.sh
source "$(dirname "$0")/../common/demo_lib.sh"

# expect FD TEXT: the next line on FD (a client's stdout) must be TEXT.
expect() {
    local line
    read -r -t 10 line <&"$1" || fail "no line within 10 s, expected '$2'"
    [[ $line == "$2" ]] || fail "got '$line', expected '$2'"
    say "ann's screen: $line"
}

[[ -x $BIN/tcp_echo_client ]] || fail "$BIN/tcp_echo_client (lab 01) is not built"
say "epoll_echo_server: one thread, edge-triggered epoll, --max-buffer 64 KiB of unsent echo per client"
start epoll_echo_server --listen 127.0.0.1:0 --max-buffer 65536
echo_pid=$pid
reply=$(echo 'hello, epoll' | timeout 10 "$BIN/tcp_echo_client" --connect "$address") || fail "tcp_echo_client failed"
[[ $reply == 'hello, epoll' ]] || fail "the echo was '$reply'"
say "echo 'hello, epoll' came back: $reply"
head -c 1048576 /dev/urandom >"$work/in.bin"
timeout 10 "$BIN/tcp_echo_client" --connect "$address" --file "$work/in.bin" --output "$work/out.bin" ||
    fail "tcp_echo_client failed on the 1 MiB file"
cmp "$work/in.bin" "$work/out.bin" || fail "the echoed file differs"
say "a 1 MiB random file came back identical (cmp), then EOF after the client's half-close"
stop epoll_echo_server "$echo_pid"

say "poll_chat_server: one thread, poll(), lab 03's framed chat messages"
start poll_chat_server --listen 127.0.0.1:0
chat_pid=$pid
mkfifo "$work/ann.in" "$work/ann.screen"
"$BIN/chat_client" --connect "$address" --name ann <"$work/ann.in" >"$work/ann.screen" 2>"$work/ann.err" &
ann_pid=$!
demo_pids+=("$ann_pid")
exec {ann_in}>"$work/ann.in" {ann_screen}<"$work/ann.screen"
expect "$ann_screen" "* ann joined"
say "bob joins, says one line and leaves: printf 'hello from bob\\n' | chat_client --name bob"
printf 'hello from bob\n' | timeout 10 "$BIN/chat_client" --connect "$address" --name bob >"$work/bob.screen" ||
    fail "bob's chat_client failed"
expect "$ann_screen" "* bob joined"
expect "$ann_screen" "bob: hello from bob"
expect "$ann_screen" "* bob left"
say "ann's input ends: she leaves, and her client exits 0"
exec {ann_in}>&-
timeout 10 tail -s 0.1 --pid="$ann_pid" -f /dev/null || fail "ann's client did not exit"
wait "$ann_pid" || fail "ann's client failed: $(cat "$work/ann.err")"
say "bob's screen: $(tr '\n' '|' <"$work/bob.screen")"
stop poll_chat_server "$chat_pid"
say "poll_chat_server's log (stderr):"
sed 's/^/    /' "$work/poll_chat_server.err"
say "lab 04 demo: every step behaved as described"
