#!/usr/bin/env bash
# Lab 08 demo: publish/subscribe through a broker. A private mosquitto on a free loopback port
# (or $MQTT_BROKER), three simulated sensors at two sites, the dashboard's live table, a sensor
# killed (its will says "offline"), one stopped cleanly, and the system's mosquitto_sub listening
# in on the same topics. Offline, headless. Run by `./lab demo 08` with NETLAB_BIN set.
# shellcheck source=SCRIPTDIR/../common/demo_lib.sh
source "$(dirname "$0")/../common/demo_lib.sh"

if [[ -n ${MQTT_BROKER:-} ]]; then
    say "using the external broker MQTT_BROKER=$MQTT_BROKER"
    hostport=${MQTT_BROKER#*://}
    host=${hostport%:*} port=${hostport##*:}
else
    start embedded_mosquitto --listen 127.0.0.1:0
    host=127.0.0.1
    say "a private mosquitto from a generated config (listener on 127.0.0.1, allow_anonymous, max_queued_messages 0, set_tcp_nodelay)"
fi
broker=(-h "$host" -p "$port")

sensor() {  # sensor SITE ID: one iot_sensor in the background; sets $sensor_pid
    "$BIN/iot_sensor" "${broker[@]}" --site "$1" --sensor "$2" --interval-ms 200 >"$work/$1-$2.out" 2>&1 &
    sensor_pid=$!
    demo_pids+=("$sensor_pid")
}
status_of() {  # status_of SITE ID: the retained status, as a late subscriber sees it
    timeout 5 mosquitto_sub "${broker[@]}" -t "site/$1/sensor/$2/status" -C 1 -W 3 2>/dev/null || echo "(none)"
}

say "three sensors publish JSON to site/SITE/sensor/ID, and a retained 'online' to .../status"
sensor plant-a temp1; a1=$sensor_pid
sensor plant-a temp2; a2=$sensor_pid
sensor plant-b temp1; b1=$sensor_pid
say "mosquitto_sub (the system's client) on the wildcard filter site/+/sensor/+ for 3 messages:"
timeout 10 mosquitto_sub "${broker[@]}" -t 'site/+/sensor/+' -v -C 3 | sed 's/^/    /' ||
    fail "mosquitto_sub got no telemetry"

say "the dashboard subscribes to site/+/sensor/+ and site/+/sensor/+/status and prints its table:"
timeout 20 "$BIN/iot_dashboard" "${broker[@]}" --refresh-ms 60000 -C 12 >"$work/dash1.out" ||
    fail "iot_dashboard failed: $(cat "$work/dash1.out")"
sed -n '/--- final/,$p' "$work/dash1.out" | sed 's/^/    /'
grep -q 'plant-b *temp1 *online' "$work/dash1.out" || fail "the dashboard does not show plant-b/temp1 online"

say "SIGKILL to plant-a/temp1: no DISCONNECT, so the broker publishes its will (retained 'offline')"
disown "$a1"  # no "Killed" job notice from bash: the kill is the point
kill -KILL "$a1"
for _ in $(seq 50); do [[ $(status_of plant-a temp1) == offline ]] && break; done
[[ $(status_of plant-a temp1) == offline ]] || fail "the will of the killed sensor was not published"
say "a late subscriber to site/plant-a/sensor/temp1/status now reads: $(status_of plant-a temp1)"

say "SIGINT to plant-a/temp2: it publishes 'offline' itself, then DISCONNECTs (a clean exit sends no will)"
kill -INT "$a2"
timeout 10 tail -s 0.1 --pid="$a2" -f /dev/null || fail "iot_sensor did not stop on SIGINT"
wait "$a2" || fail "iot_sensor exited with an error: $(cat "$work/plant-a-temp2.out")"
say "plant-a/temp2 status: $(status_of plant-a temp2)"

say "the dashboard again, started late: the retained statuses tell it who is gone"
timeout 20 "$BIN/iot_dashboard" "${broker[@]}" --refresh-ms 60000 -C 6 >"$work/dash2.out" ||
    fail "iot_dashboard failed: $(cat "$work/dash2.out")"
sed -n '/--- final/,$p' "$work/dash2.out" | sed 's/^/    /'
grep -q 'plant-a *temp1 *offline' "$work/dash2.out" || fail "the dashboard does not show plant-a/temp1 offline"

say "retained messages: one retained value, then an empty retained payload (mqtt_pub -r -n) clears it"
"$BIN/mqtt_pub" "${broker[@]}" -t demo/setpoint -m 22.5 -r -q 1
say "late subscriber reads: $(timeout 5 mosquitto_sub "${broker[@]}" -t demo/setpoint -C 1 -W 3)"
"$BIN/mqtt_pub" "${broker[@]}" -t demo/setpoint -n -r -q 1
cleared=$(timeout 5 mosquitto_sub "${broker[@]}" -t demo/setpoint -C 1 -W 1 2>/dev/null || true)
[[ -z $cleared ]] || fail "the retained message was not cleared"
say "after clearing, a late subscriber reads nothing (it times out)"

say "bad input never leaves the client: mqtt_pub -t 'site/+/x' says"
"$BIN/mqtt_pub" "${broker[@]}" -t 'site/+/x' -m x 2>&1 | sed 's/^/    /' || true

kill -INT "$b1"
wait "$b1" || fail "iot_sensor plant-b/temp1 did not exit cleanly"
if [[ -z ${MQTT_BROKER:-} ]]; then
    stop embedded_mosquitto "${demo_pids[0]}"
fi
say "lab 08 demo: every step behaved as described"
