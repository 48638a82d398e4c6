#!/usr/bin/env bash
# Lab 09 demo: the WebSocket echo server and client (text, ping, fragments, the close handshake),
# a plain HTTP request refused with 426, an unmasked frame closed with 1002 (raw bytes through
# bash's /dev/tcp), then the chat server with two terminal clients and, if Chromium is installed,
# two headless browser tabs. Run by `./lab demo 09` with NETLAB_BIN set to the built programs.
# shellcheck source=SCRIPTDIR/../common/demo_lib.sh
source "$(dirname "$0")/../common/demo_lib.sh"
here=$(cd "$(dirname "$0")" && pwd)

start ws_echo_server --listen 127.0.0.1:0
echo_pid=$pid echo_port=$port
say "ws_client: two lines, a ping and a message in 3-byte fragments; stdin's end sends Close 1000"
printf 'hello, WebSocket\n/ping are you there\n' |
    timeout 10 "$BIN/ws_client" --connect "127.0.0.1:$echo_port" >"$work/client.out" || fail "ws_client failed"
printf 'sent in fragments\n' |
    timeout 10 "$BIN/ws_client" --connect "127.0.0.1:$echo_port" --fragment 3 >>"$work/client.out" || fail "ws_client --fragment failed"
sed 's/^/    /' "$work/client.out"
grep -q '^hello, WebSocket$' "$work/client.out" || fail "no echo"
grep -q '^\[pong\] are you there$' "$work/client.out" || fail "no pong"
grep -q '^sent in fragments$' "$work/client.out" || fail "the fragmented message did not come back whole"
grep -q '^\[close 1000\]$' "$work/client.out" || fail "no close handshake"

say "a plain HTTP GET (no Upgrade header) is refused with a proper HTTP error:"
exec {http}<>"/dev/tcp/127.0.0.1/$echo_port"
printf 'GET / HTTP/1.1\r\nHost: demo\r\n\r\n' >&"$http"
read -r -t 5 status_line <&"$http" || fail "no HTTP reply"
exec {http}>&-
say "    ${status_line%$'\r'}"
[[ $status_line == "HTTP/1.1 426"* ]] || fail "expected 426 Upgrade Required"

say "a client that breaks the rules: an UNMASKED text frame after a valid handshake"
exec {raw}<>"/dev/tcp/127.0.0.1/$echo_port"
printf 'GET / HTTP/1.1\r\nHost: demo\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n' >&"$raw"
while read -r -t 5 line <&"$raw" && [[ $line != $'\r' ]]; do say "    ${line%$'\r'}"; done
printf '\x81\x02hi' >&"$raw"
timeout 5 head -c 4 <&"$raw" >"$work/close.bin" || true
exec {raw}>&-
say "    the server's reply, in hex:$(od -An -tx1 "$work/close.bin" | tr -s ' ') (88: FIN + Close; then the length; 03 ea: 1002)"
[[ $(od -An -tx1 -N4 "$work/close.bin" | tr -d ' \n') == 88*03ea ]] || fail "expected a Close frame with 1002"
stop ws_echo_server "$echo_pid"

start ws_chat_server --listen 127.0.0.1:0
chat_pid=$pid chat_port=$port
say "two terminal clients in the chat room: bob listens, alice speaks"
mkfifo "$work/bob.in"
timeout 20 "$BIN/ws_client" --connect "127.0.0.1:$chat_port" --path /chat <"$work/bob.in" >"$work/bob.out" 2>&1 &
bob=$!
demo_pids+=("$bob")
exec {bob_in}>"$work/bob.in"
for _ in $(seq 100); do grep -q 'joined' "$work/bob.out" 2>/dev/null && break; sleep 0.05; done
printf 'hi bob, it is alice\n' | timeout 10 "$BIN/ws_client" --connect "127.0.0.1:$chat_port" --path /chat >/dev/null ||
    fail "alice's client failed"
for _ in $(seq 100); do grep -q 'hi bob, it is alice' "$work/bob.out" && break; sleep 0.05; done
exec {bob_in}>&-
wait "$bob" || true
sed 's/^/    bob saw: /' "$work/bob.out"
grep -q 'hi bob, it is alice' "$work/bob.out" || fail "bob never saw alice's message"

browser_check="$here/../../tests/lab09/browser_check.py"
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver && -f $browser_check ]]; then
    say "the page in a real browser: two headless Chromium tabs, a line typed in tab 2 appears in tab 1"
    python3 "$browser_check" --url "http://127.0.0.1:$chat_port/" --timeout 45 2>&1 |
        sed 's/^/    /'
    [[ ${PIPESTATUS[0]} == 0 ]] || fail "the browser check failed"
else
    say "(chromium and chromium-driver are not installed: open http://127.0.0.1:$chat_port/ in two tabs yourself)"
fi
stop ws_chat_server "$chat_pid"
say "done: echo, ping, fragments, a refused HTTP request, a 1002, and a chat between clients and browsers"
