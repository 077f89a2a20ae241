#!/bin/sh
# print.sh - ticket printing figures: ms from print_ticket() (the ticket
# just committed) to the last byte written, median of 20, on the TCP
# printer emulator and the file: printer; and bytes per ticket.
BUILD=${BUILD:-build}
BENCH=$BUILD/tests/printer/print_bench
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
[ -x "$BENCH" ] || { echo "   $BENCH is not built"; exit 1; }
T=$(mktemp -d)
EMU_PID=
trap '[ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null; rm -rf "$T"' EXIT

port=
for p in $(seq 19237 19299); do
	"$PY" tests/printer/printer_emulator.py --port "$p" --record "$T/rec" \
	    --mode ok >"$T/emu.log" 2>&1 &
	EMU_PID=$!
	for _ in $(seq 50); do
		grep -q listening "$T/emu.log" 2>/dev/null && break
		kill -0 "$EMU_PID" 2>/dev/null || break
		sleep 0.1
	done
	if grep -q listening "$T/emu.log"; then port=$p; break; fi
	wait "$EMU_PID" 2>/dev/null; EMU_PID=
done
[ -n "$port" ] || { echo "   printer emulator did not start"; exit 1; }

fig() { # label printer args...
	label=$1; shift
	r=$("$BENCH" "$@" 2>&1) || { echo "   $label: FAILED: $r"; return; }
	set -- $r
	printf '   %-44s %4s ms median (max %s; with status check %s ms)  budget 500 ms\n' \
	    "$label" "$2" "$4" "$6"
	printf '   %-44s %6s bytes a ticket                          budget 120000\n' \
	    "$label" "$8"
}
fig "ja 576 dots raster, tcp emulator" --printer "tcp:127.0.0.1:$port" --lang ja
fig "vi 576 dots raster, tcp emulator" --printer "tcp:127.0.0.1:$port" --lang vi
fig "en 384 dots raster, tcp emulator" --printer "tcp:127.0.0.1:$port" --lang en --width 384
fig "ja 576 dots native QR, tcp emulator" --printer "tcp:127.0.0.1:$port" --lang ja --native-qr
fig "ja 576 dots raster, file:" --printer "file:$T/files" --lang ja
