#!/bin/bash
# voice.sh - spoken call-outs: the CPU cost of one call-out (Japanese +
# English synthesised by espeak-ng) and the time from the announcer taking
# a call to its first sample, median of 10 (tests/speech/voice_bench.c);
# then end to end: a call on a real `kiosk serve` to the first sample the
# live `kiosk display` (SDL dummy audio) hands to its device, median of 3
# (the board asks the server once a second, so up to 1 s of it is that).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../e2e/lib.sh"
BENCH=$BUILD/tests/speech/voice_bench
[ -x "$BENCH" ] || { echo "   $BENCH is not built"; exit 1; }

set -- $("$BENCH" 10) || { echo "   voice_bench failed"; exit 1; }
printf '   %-52s %6s ms CPU (%s s of speech)   budget 500 ms\n' \
    "one call-out, ja + en, synthesised" "$2" "$6"
printf '   %-52s %6s ms median                    budget 300 ms\n' \
    "announcer: call queued to first sample" "$4"

PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
SPID="" DPID=""
cleanup() { stop_pid "$DPID"; stop_pid "$SPID"; }
on_exit cleanup
cat >"$T/server.ini" <<INI
[kiosk]
assets = $PWD/assets
[server]
port = $PORT
db = $T/kiosk.db
public_url = $BASE
INI
cat >"$T/display.ini" <<INI
[kiosk]
server = $BASE
INI
"$KIOSK" serve --config "$T/server.ini" >"$T/server.log" 2>&1 &
SPID=$!
for _ in $(seq 100); do curl -s -o /dev/null "$BASE/board" && break; sleep 0.1; done
for _ in 1 2 3; do
	curl -s -o /dev/null -X POST "$BASE/api/tickets" -H 'Content-Type: application/json' \
	    -d '{"procedure":"juminhyo","lang":"ja","answers":{},"flags":{"card":false,"assist":false,"priority":false}}'
done
KIOSK_SPEECH_TRACE=$T/trace SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
    "$KIOSK" display --config "$T/display.ini" --windowed >"$T/display.log" 2>&1 &
DPID=$!
sleep 2
lat=()
for i in 1 2 3; do
	t0=$(date +%s%3N)
	resp=$(curl -s -X POST "$BASE/api/counters/1/call" -H 'Content-Type: application/json' -d '{}')
	num=$(printf '%s' "$resp" | sed -n 's/.*"number":"\([^"]*\)".*/\1/p')
	id=$(printf '%s' "$resp" | sed -n 's/.*"ticket":{"id":\([0-9]*\).*/\1/p')
	t1=""
	for _ in $(seq 150); do
		t1=$(awk -v n="$num" '$1 == n { print $2 }' "$T/trace" 2>/dev/null | tail -1)
		[ -n "$t1" ] && break
		sleep 0.1
	done
	[ -n "$t1" ] || { echo "   board: no first sample for $num"; break; }
	lat+=($((t1 - t0)))
	sleep 9     # the call-out plays (chime + ja + en) before the next
	# a counter serves one ticket at a time: finish this one before the next call
	curl -s -o /dev/null -X POST "$BASE/api/tickets/$id/done" -H 'Content-Type: application/json' -d '{}'
done
if [ ${#lat[@]} -eq 3 ]; then
	med=$(printf '%s\n' "${lat[@]}" | sort -n | sed -n 2p)
	printf '   %-52s %6s ms median (%s)   budget 1500 ms\n' \
	    "call on the server to the board's first sample" "$med" "${lat[*]}"
fi
