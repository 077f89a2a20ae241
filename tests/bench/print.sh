#!/bin/bash
# print.sh - ticket printing figures: ms from print_ticket() (the ticket
# just committed) to the last byte written, median of 20, on the TCP
# printer emulator and the file: printer; and bytes per ticket.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname "$0")/../e2e/lib.sh"      # T, start_printer_emulator
BENCH=$BUILD/tests/printer/print_bench
[ -x "$BENCH" ] || { echo "   $BENCH is not built"; exit 1; }

start_printer_emulator --mode ok 2>/dev/null ||
	{ echo "   printer emulator did not start"; exit 1; }
port=$EMU_PORT

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
