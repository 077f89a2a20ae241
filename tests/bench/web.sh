#!/bin/sh
# web.sh - 500 phone pages and 20 staff consoles on the event stream, one
# call per second for 20 s: the server's RSS and CPU %, and the delay from
# a call to each phone stream receiving it (median, p99).  Figures only,
# each with its budget; nothing is asserted.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
KIOSK=${KIOSK:-$BUILD/kiosk}
PORT=${WEB_BENCH_PORT:-18190}
PHONES=${BENCH_PHONES:-500}
STAFF=${BENCH_STAFF:-20}
CALLS=${BENCH_CALLS:-20}
TMP=$(mktemp -d /tmp/kiosk-webbench.XXXXXX)
PID=""
cleanup() {
	if [ -n "$PID" ]; then
		kill "$PID" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$PID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

# loopback without tokens: phones may listen to the event stream
cat >"$TMP/kiosk.ini" <<INI
[kiosk]
assets = $PWD/assets
[server]
listen = 127.0.0.1
port = $PORT
db = $TMP/kiosk.db
public_url = http://127.0.0.1:$PORT
INI
"$KIOSK" serve --config "$TMP/kiosk.ini" >"$TMP/server.log" 2>&1 &
PID=$!
up=0
for _ in $(seq 100); do
	curl -s -o /dev/null "http://127.0.0.1:$PORT/staff" && { up=1; break; }
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.1
done
if [ $up -ne 1 ]; then
	echo "   kiosk serve did not start:"; tail -3 "$TMP/server.log" | sed 's/^/   /'
	exit 1
fi
idle=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$PID/status)

out=$(BENCH_BASE="http://127.0.0.1:$PORT" BENCH_PID=$PID BENCH_PHONES=$PHONES \
    BENCH_STAFF=$STAFF BENCH_CALLS=$CALLS timeout 120 node tests/web/bench_sse.js 2>&1)
rc=$?
if [ $rc -ne 0 ]; then
	echo "   bench client failed: $out"
	tail -3 "$TMP/server.log" | sed 's/^/   server: /'
	exit 1
fi
printf '%s\n' "$out" | node -e '
const o = JSON.parse(require("fs").readFileSync(0, "utf8"));
const f = (v, d) => v === null || v === undefined ? "n/a" : Number(v).toFixed(d);
const idle = process.argv[1];
console.log(`   ${o.phones} phone + ${o.staff} staff streams open in ${o.connect_ms} ms; ${o.calls} calls, 1 per second`);
console.log(`   server RSS idle ${idle} MB, under load ${f(o.rss_mb, 1)} MB (peak ${f(o.hwm_mb, 1)} MB)   budget 64 MB`);
console.log(`   server CPU ${f(o.cpu_pct, 1)} % of one core during the calls   budget 25 %`);
console.log(`   call -> phone stream update: median ${f(o.delay_median_ms, 1)} ms   budget 100 ms`);
console.log(`   call -> phone stream update: p99 ${f(o.delay_p99_ms, 1)} ms (max ${f(o.delay_max_ms, 1)})   budget 500 ms`);
console.log(`   call -> staff stream: median ${f(o.staff_delay_median_ms, 1)} ms; POST call median ${f(o.call_median_ms, 1)} ms   budget 100 ms`);
console.log(`   events delivered to phones ${o.phone_events} of ${o.phones * o.calls}, missed ${o.missed}   budget 0 missed`);
' "$idle"
