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
config() {
	local d=$T/$1
	mkdir -p "$d/tickets"
	cat >"$d/kiosk.ini" <<-INI
	[kiosk]
	fullscreen = false
	[server]
	port = $(free_port)
	db = $d/kiosk.db
	public_url = http://127.0.0.1:8080
	[printer]
	uri = file:$d/tickets
	timeout_ms = 1500
	INI
}

# run NAME [SCRIPT]: tests/journey/SCRIPT.txt (default NAME) on NAME's config
run() {
	local name=$1 script=${2:-$1}
	"$KIOSK" run --config "$T/$name/kiosk.ini" --script "tests/journey/$script.txt" \
	    --screenshots "$T/$name/shots" >"$T/$name/out.log" 2>&1
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
