#!/usr/bin/env bash
# Lab 07 demo: libcurl clients against the HTTP test peer (netlab_http_peer) on a free port, offline.
# One reused handle (new connections: 1, then 0), a 20 MiB download with a progress bar, -f and
# curl's exit codes for transport failures, the multi interface against /delay, and HTTPS with
# a throwaway CA (openssl s_server): refused without the CA, accepted with --cacert.
# Run by `./lab demo 07` with NETLAB_BIN set to the built programs.
# shellcheck source=SCRIPTDIR/../common/demo_lib.sh
source "$(dirname "$0")/../common/demo_lib.sh"

expect_exit() {  # expect_exit CODE COMMAND...: runs it, shows stderr, insists on the exit code
    local want=$1 got=0
    shift
    "$@" >"$work/out" 2>"$work/err" || got=$?
    sed 's/^/    /' "$work/err"
    [[ $got == "$want" ]] || fail "'$*' exited with $got, expected $want"
    say "exit status $got, as expected"
}

server=netlab_http_peer
start "$server" --listen 127.0.0.1:0
url="http://$address"

say "three GETs on ONE easy handle: only the first opens a connection (keep-alive)"
"$BIN/http_get" -s --timing "$url/hello.txt" "$url/status/200" "$url/hello.txt" 2>&1 >/dev/null | sed 's/^/    /'
timing=$("$BIN/http_get" -s --timing "$url/status/200" "$url/status/200" 2>&1 >/dev/null)
[[ $timing == *"new connections: 0"* ]] || fail "the second GET did not reuse the connection"

say "20 MiB to a file: streamed (constant memory), progress bar on stderr, FILE appears only when complete"
"$BIN/http_get" -o "$work/big.bin" "$url/bytes/20971520"
[[ $(stat -c %s "$work/big.bin") == 20971520 ]] || fail "the download is not 20971520 bytes"

say "POST a form to /echo (as curl -d):"
"$BIN/http_get" -s -d 'lab=07&tool=libcurl' "$url/echo" | sed 's/^/    /'
echo

say "HTTP errors are responses; -f makes them exit 22, like curl"
expect_exit 0 "$BIN/http_get" -s "$url/status/404"
expect_exit 22 "$BIN/http_get" -s -f "$url/status/404"
say "transport errors exit with curl's codes: 28 timeout, 18 body cut short, 7 refused"
expect_exit 28 "$BIN/http_get" -s --max-time 0.3 "$url/delay/5000"
expect_exit 18 "$BIN/http_get" -s -o "$work/cut.txt" "$url/close-mid-body"
[[ ! -e $work/cut.txt ]] || fail "a partial download was published"

say "the multi interface: 100 x /delay/100 at 10 at a time (serially that is 10 s)"
urls=()
for _ in $(seq 100); do urls+=("$url/delay/100"); done
started=$(date +%s%N)
"$BIN/http_fetch_many" -s --parallel-max 10 "${urls[@]}" >"$work/many.tsv"
took=$(( ($(date +%s%N) - started) / 1000000 ))
say "100 transfers in $took ms; $(awk -F'\t' '$2 == 200' "$work/many.tsv" | wc -l) answered 200;" \
    "new connections: $(awk -F'\t' '{s += $5} END {print s}' "$work/many.tsv")"
(( took < 5000 )) || fail "the parallel fetch took $took ms"
stop "$server" "$pid"
expect_exit 7 "$BIN/http_get" -s "$url/hello.txt"

say "HTTPS: a throwaway CA and a certificate for 'localhost', made now with openssl"
(cd "$work" &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem \
        -days 1 -subj '/CN=demo CA' -addext basicConstraints=critical,CA:TRUE 2>/dev/null &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout tls.key -out tls.csr \
        -subj /CN=localhost 2>/dev/null &&
    printf 'subjectAltName=DNS:localhost\n' >tls.ext &&
    openssl x509 -req -in tls.csr -CA ca.pem -CAkey ca.key -set_serial 1 -days 1 -extfile tls.ext \
        -out tls.pem 2>/dev/null) || fail "openssl could not make the test certificates"
mkfifo "$work/tls.out"
openssl s_server -accept 127.0.0.1:0 -cert "$work/tls.pem" -key "$work/tls.key" -www >"$work/tls.out" 2>"$work/tls.err" &
tls_pid=$!
demo_pids+=("$tls_pid")
exec {tls}<"$work/tls.out"
line=
until [[ $line == ACCEPT* ]]; do  # s_server's stdout: "ACCEPT 127.0.0.1:PORT" once it listens
    read -r -t 10 line <&"$tls" || fail "openssl s_server did not start ($(cat "$work/tls.err"))"
done
tls_port=${line##*:}
say "openssl s_server: $line"
say "without the CA: verification fails (exit 60), and no request is sent"
expect_exit 60 "$BIN/http_get" -s "https://localhost:$tls_port/"
say "with --cacert: verified, and the page arrives"
"$BIN/http_get" -s --cacert "$work/ca.pem" --timing "https://localhost:$tls_port/" 2>&1 >/dev/null | sed 's/^/    /'
say "with --cacert but the wrong host name (127.0.0.1 is not in the certificate): refused"
expect_exit 60 "$BIN/http_get" -s --cacert "$work/ca.pem" "https://127.0.0.1:$tls_port/"
kill -TERM "$tls_pid"
wait "$tls_pid" 2>/dev/null || true
say "lab 07 demo: every step behaved as described"
