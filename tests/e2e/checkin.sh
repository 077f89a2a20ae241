#!/bin/bash
# checkin.sh - 予約の方 end to end: `kiosk run` driven by the scripts in
# tests/journey/checkin*.txt (SDL offscreen), the queue server in-process on
# a temp db, the file printer.  The keypad and a QR scanner that types like
# a keyboard (the script's `type`: key presses and text input through SDL),
# and the keys around them: slow keys on the idle screen stay keys, text
# typed where no code is taken does nothing.
. "$(dirname "$0")/lib.sh"

[ -x "$KIOSK" ] || { nok "kiosk binary $KIOSK"; exit 1; }
command -v sqlite3 >/dev/null || { nok "sqlite3 (make deps)"; exit 1; }
cp "$KIOSK" "$T/kiosk" && KIOSK=$T/kiosk
export PCSCLITE_CSOCK_NAME=$T/no-pcscd/pcscd.comm   # no card reader here

# config NAME: a private config and db in $T/NAME
config() { kiosk_config "$T/$1"; }

# run NAME [SCRIPT [kiosk run options]]: the script (default
# tests/journey/NAME.txt) on NAME's config
run() {
	local name=$1 script=${2:-tests/journey/$1.txt}
	shift; [ $# -gt 0 ] && shift
	"$KIOSK" run --config "$T/$name/kiosk.ini" --script "$script" \
	    --screenshots "$T/$name/shots" "$@" >"$T/$name/out.log" 2>&1
	RC=$?
	[ $RC -eq 0 ] || { echo "# $name: exit $RC"; grep -v ' info ' "$T/$name/out.log" | tail -8 | sed 's/^/#   /'; }
	return $RC
}
q() { sqlite3 "$T/$1/kiosk.db" "$2"; }

config checkin_keys
check "keypad and scanner keys: digits in fours, delete, 12 at most, idle keys stay keys" \
    run checkin_keys
check "keypad and scanner keys: nothing issued" [ "$(q checkin_keys "select count(*) from tickets")" = 0 ]
check "keypad and scanner keys: no booking code in the log" \
    quiet eval '! grep -qE "87654321|12345678|123456789012" "$T/checkin_keys/out.log"'

config checkin_down
dport=$(free_port)
check "server unreachable: the check-in says reception is paused, and again on the next scan" \
    run checkin_down tests/journey/checkin_down.txt --server "http://127.0.0.1:$dport"

# ---- through the real server: booked with `kiosk appointments import` ----
DECODE=$BUILD/tests/printer/escpos_decode
[ -x "$DECODE" ] || { nok "$DECODE is built"; exit 1; }
# The server books and checks in by the clock of Asia/Tokyo: slots now
# (on time), an hour ago (late, the window after a slot being 15 min by
# default) and tomorrow.
NOW=$(TZ=Asia/Tokyo date +%H:%M)
LATE=$(TZ=Asia/Tokyo date -d '-60 min' +%H:%M)
TODAY=$(TZ=Asia/Tokyo date +%F)
TOMORROW=$(TZ=Asia/Tokyo date -d tomorrow +%F)
TOMORROW_JA=$(TZ=Asia/Tokyo date -d tomorrow '+%Y年%-m月%-d日')

# book NAME CSV-LINES...: a config, and the lines imported into its db
book() {
	local name=$1; shift
	config "$name"
	{ echo "date,time,service,procedure,code"; printf '%s\n' "$@"; } >"$T/$name/book.csv"
	"$KIOSK" appointments import --config "$T/$name/kiosk.ini" "$T/$name/book.csv" \
	    >"$T/$name/import.log" 2>&1
}
# script NAME: tests/journey/NAME.txt with the times filled in, run on NAME
script() {
	sed -e "s/@TIME@/$NOW/g" -e "s/@LATE@/$LATE/g" -e "s/@TOMORROW@/$TOMORROW_JA/g" \
	    "tests/journey/$1.txt" >"$T/$1/script.txt" && run "$1" "$T/$1/script.txt"
}
# printed NAME LANG HH:MM: the first ticket NAME printed, decoded from its
# bytes, carries the line "予約 HH:MM" of a sample ticket in LANG (status 0;
# 1: it does not; other: could not tell)
printed() {
	local d=$T/$1 lang=$2 hm=$3
	rm -rf "$d/ref-walk" "$d/ref-appt"
	"$KIOSK" print test --config "$d/kiosk.ini" --printer "file:$d/ref-walk" --lang "$lang" \
	    --at 1764300000 >/dev/null 2>&1 &&
	"$KIOSK" print test --config "$d/kiosk.ini" --printer "file:$d/ref-appt" --lang "$lang" \
	    --at 1764300000 --appointment "$hm" >/dev/null 2>&1 &&
	"$DECODE" --out "$d/printed.png" "$d/tickets/001.bin" >/dev/null || return 2
	"$PY" tests/printer/ticket_band.py "$d/ref-walk/001.png" "$d/ref-appt/001.png" "$d/printed.png"
}
# cancel NAME CODE: staff cancel a booking through the API (by its id: a
# code is never in a URL), on NAME's db served by `kiosk serve`
cancel() {
	local d=$T/$1 port id pid rc i
	port=$(sed -n 's/^port = //p' "$d/kiosk.ini")
	id=$(q "$1" "select id from appointments where code = '$2'")
	"$KIOSK" serve --config "$d/kiosk.ini" >"$d/serve.log" 2>&1 &
	pid=$!
	for i in $(seq 100); do
		curl -fsS "http://127.0.0.1:$port/api/queue" >/dev/null 2>&1 && break
		sleep 0.1
	done
	curl -fsS -X POST -H 'Content-Type: application/json' -d '{}' \
	    "http://127.0.0.1:$port/api/appointments/$id/cancel" >"$d/cancel.json" 2>&1
	rc=$?
	stop_pid "$pid"
	return $rc
}
no_code_logged() { # name code...
	local n=$1 c; shift
	for c in "$@"; do ! grep -q "$c" "$T/$n/out.log" || return 1; done
}

if [ "$(TZ=Asia/Tokyo date +%H%M)" -ge 2350 ]; then
	ok "# SKIP appointments: the slot now would be tomorrow's before the run ends"
	exit 0
fi

book checkin_typed "$TODAY,$NOW,,juminhyo,24681357" "$TOMORROW,10:00,,juminhyo,33330001" \
    "$TODAY,$NOW,,juminhyo,66660001"
check "typed: booked" [ "$(q checkin_typed "select count(*) from appointments")" = 3 ]
check "typed: staff cancel one" cancel checkin_typed 66660001
check "typed: a wrong code, the right one on the keypad, its questions, the ticket with 予約 $NOW; again: checked in; tomorrow's, a cancelled one: said" \
    script checkin_typed
check "typed: one ticket, for the appointment, checked in" \
    [ "$(q checkin_typed "select count(*) from tickets t join appointments a on a.ticket_id = t.id where a.code = '24681357' and a.state = 1 and t.procedure = 'juminhyo' and t.appt_ms is not null")/$(q checkin_typed "select count(*) from tickets")" = 1/1 ]
check "typed: no counter open, so staff got the appointment_closed alert the screen told of" \
    [ "$(q checkin_typed "select count(*) from help where kind = 'appointment_closed'")" = 1 ]
check "typed: the printed ticket reads back with the line 予約 $NOW" printed checkin_typed ja "$NOW"
check "typed: no booking code in the log" no_code_logged checkin_typed 24681357 33330001 13579246 66660001

book checkin_scan "$TODAY,$NOW,,juminhyo,20261203"
check "scanner at the idle screen: APPT: + code + Enter, in English, to the ticket" script checkin_scan
check "scanner: the appointment is checked in with its ticket" \
    [ "$(q checkin_scan "select count(*) from appointments a join tickets t on t.id = a.ticket_id where a.state = 1")" = 1 ]
check "scanner: the printed ticket reads back with Appointment $NOW" printed checkin_scan en "$NOW"
check "scanner: no booking code in the log" no_code_logged checkin_scan 20261203

if [ "$(TZ=Asia/Tokyo date +%H%M)" -ge 0105 ]; then
	book checkin_late "$TODAY,$LATE,,juminhyo,55550001"
	check "late arrival: the time has passed, a normal ticket for the same procedure" script checkin_late
	check "late arrival: one ticket for juminhyo, placed like a walk-in" \
	    [ "$(q checkin_late "select count(*) from tickets where procedure = 'juminhyo'")" = 1 ]
	printed checkin_late ja "$LATE" >/dev/null; rc=$?
	check "late arrival: the printed ticket reads back without an appointment line" [ $rc = 1 ]
else
	ok "# SKIP late arrival: an hour ago is yesterday in Tokyo"
fi
