#!/bin/bash
# print_journey.sh - every failure state of the printer emulator, met by the
# real resident journey (`kiosk run --script`, SDL offscreen, queue server
# in-process on a temp db): the ticket is committed once, shown on screen
# with its QR and the "could not print" notice (tests/journey/printer_fail.txt
# expects both), marked unprinted in the db, and staff get a help request of
# kind printer.  Paper near end prints and raises kind paper_low.
. "$(dirname "$0")/lib.sh"

[ -x "$KIOSK" ] || { nok "kiosk binary $KIOSK"; exit 1; }
command -v sqlite3 >/dev/null || { nok "sqlite3 (make deps)"; exit 1; }
for s in printer_fail nocard; do
	[ -f "tests/journey/$s.txt" ] || { nok "journey script tests/journey/$s.txt"; exit 1; }
done
cp "$KIOSK" "$T/kiosk" && KIOSK=$T/kiosk
export PCSCLITE_CSOCK_NAME=$T/no-pcscd/pcscd.comm   # no card reader here

start_printer_emulator --mode-file "$T/mode" --drop-after 4096 ||
	{ nok "printer emulator starts"; exit 1; }
port=$EMU_PORT

# journey MODE SCRIPT: one resident with the emulator in MODE.
journey() {
	local mode=$1 script=$2 d=$T/$1
	echo "$mode" >"$T/mode"
	kiosk_config "$d" "tcp:127.0.0.1:$port" 800
	"$KIOSK" run --config "$d/kiosk.ini" --script "tests/journey/$script.txt" \
	    --screenshots "$d/shots" >"$d/out.log" 2>&1
	RC=$?
	[ $RC -eq 0 ] || { echo "# $mode: exit $RC"; grep -v ' info ' "$d/out.log" | tail -8 | sed 's/^/#   /'; }
	return $RC
}
q() { sqlite3 "$T/$1/kiosk.db" "$2"; }

for mode in paper_out cover_open offline cutter_error no_answer drop_mid_job paper_out_mid_job stall; do
	check "$mode: the resident sees the ticket and its QR with the could-not-print notice" \
	    journey "$mode" printer_fail
	check "$mode: exactly one ticket, committed" [ "$(q "$mode" "select count(*) from tickets")" = 1 ]
	check "$mode: the ticket is marked unprinted" \
	    [ "$(q "$mode" "select count(*) from tickets where flags & 8 = 0")" = 1 ]
	check "$mode: staff are alerted (help kind printer)" \
	    [ "$(q "$mode" "select count(*) from help where kind='printer'")" = 1 ]
done

check "near_end: the ticket prints" journey near_end nocard
check "near_end: the ticket is marked printed" \
    [ "$(q near_end "select count(*) from tickets where flags & 8 = 8")" = 1 ]
check "near_end: staff are told the paper runs low (help kind paper_low)" \
    [ "$(q near_end "select count(*) from help where kind='paper_low'")" = 1 ]
check "near_end: no printer alert" [ "$(q near_end "select count(*) from help where kind='printer'")" = 0 ]

check "ok: the ticket prints" journey ok nocard
check "ok: marked printed, no alerts" \
    [ "$(q ok "select count(*) from tickets where flags & 8 = 8")/$(q ok "select count(*) from help")" = 1/0 ]
