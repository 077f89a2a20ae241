#!/bin/bash
# card.sh - `kiosk card` through the real stack: libpcsclite -> a private
# pcscd -> the vpcd driver -> the emulated My Number card (tests/card/).
# Normal read, wrong PIN counting down to the last try (no VERIFY at 1 try
# left, like the touch UI), a blocked card, a card that is not a My Number
# card, the card pulled at every APDU, no card, no reader, pcscd gone, and the watcher
# through remove / pcscd restart / reader unplug.
. "$(dirname "$0")/lib.sh"
CTL=$ROOT/tests/card/ctl.sh
D=$T/card
WATCH_PID=

cleanup() {
	[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
	"$CTL" "$D" stop >/dev/null 2>&1
}
on_exit cleanup

for need in /usr/sbin/pcscd /usr/lib/pcsc/drivers/serial/libifdvpcd.so \
    /usr/bin/python3 /usr/lib/python3/site-packages/virtualsmartcard; do
	[ -e "$need" ] || { nok "prerequisite $need (make deps: pcscd vsmartcard-vpcd vsmartcard-vpicc)"; exit 1; }
done
[ -x "$KIOSK" ] || { nok "kiosk binary $KIOSK"; exit 1; }

# run_card EXPECTED_RC STDIN ARGS...: output in $OUT, stderr in $ERR
run_card() {
	local want=$1 input=$2; shift 2
	OUT=$(printf '%s' "$input" | "$KIOSK" card "$@" 2>"$T/err"); RC=$?
	ERR=$(cat "$T/err")
	[ "$RC" -eq "$want" ] || { echo "# kiosk card $*: exit $RC, want $want: $ERR" >&2; return 1; }
}
verifies() { grep -c '^20 0080 4$' "$D/apdu.log" 2>/dev/null || true; }
apdus() { wc -l <"$D/apdu.log" 2>/dev/null || echo 0; }
holder_tries() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tries"])' "$D/holder.json"; }
fresh_card() { # emulator options...
	"$CTL" "$D" remove >/dev/null
	rm -f "$D/holder.json" "$D/apdu.log"
	"$CTL" "$D" insert "$@"
}

# ---- pcscd not running, then up without the card ---------------------------
export PCSCLITE_CSOCK_NAME=$T/nowhere/pcscd.comm
check "no pcscd: card list exits 3 (no reader / service)" run_card 3 "" list
check "no pcscd: the message names pcscd" grep -q "pcscd" <<<"$ERR"
check "no pcscd: card read exits 3" run_card 3 $'1234\n' read --json
check "no pcscd: --json error object" grep -q '"error":"K_ENODEV"' <<<"$OUT"

eval "$("$CTL" "$D" start)" || { nok "private pcscd with vpcd starts"; exit 1; }
ok "private pcscd with vpcd starts (socket $PCSCLITE_CSOCK_NAME)"

check "empty reader: card list shows the reader empty" run_card 0 "" list
check "empty reader: listed" grep -q $'Kiosk Test PCD 00 00\tempty' <<<"$OUT"
check "empty reader: card read exits 4 (no card)" run_card 4 $'1234\n' read
check "empty reader: card tries exits 4" run_card 4 "" tries

# ---- the normal card ---------------------------------------------------------
"$CTL" "$D" insert || { nok "emulated card inserted"; exit 1; }
check "card list shows the card and its ATR" run_card 0 "" list --json
check "card list --json" grep -q '"card":true,"mute":false,"in_use":false,"atr":"3BE000FF8131FE4514"' <<<"$OUT"
check "card tries prints 3 without a VERIFY" run_card 0 "" tries
check "card tries output" test "$OUT" = 3 -a "$(verifies)" = 0

: >"$D/apdu.log"
want='{"name":"旭　太郎","name_family":"旭","name_given":"太郎","address":"千葉県旭市二の１９２０番地","birth":"1980-04-01","sex":"1","sex_text":"male","tries_left":3}'
check "echo 1234 | kiosk card read --json prints the holder" run_card 0 $'1234\n' read --json
check "read --json output is exactly the emulated holder" test "$OUT" = "$want"
check "a normal read takes 7 APDUs" test "$(apdus)" -eq 7
check "read --reader with a part of the name" run_card 0 $'1234\n' read --reader "Test PCD 00 00" --json
check "read without --mynumber has no mynumber" test "${OUT/mynumber/}" = "$OUT"
check "read --mynumber adds the 個人番号" run_card 0 $'1234\n' read --json --mynumber
check "read --mynumber output" grep -q '"tries_left":3,"mynumber":"123456789018"}' <<<"$OUT"
check "plain-text read" run_card 0 $'1234\r\n' read
check "plain-text output" grep -q '^birth: 1980-04-01$' <<<"$OUT"
check "unknown reader exits 3" run_card 3 $'1234\n' read --reader "No Such Reader"
printf '[kiosk]\ncard_reader = Test PCD 00 01\n' >"$T/kiosk.ini"
check "kiosk.card_reader from --config is used (the empty reader: exit 4)" \
	run_card 4 $'1234\n' read --config "$T/kiosk.ini"
check "--reader wins over the config" run_card 0 $'1234\n' read --config "$T/kiosk.ini" --reader "PCD 00 00"
check "card tries --json" run_card 0 "" tries --json
check "card tries --json output" test "$OUT" = '{"tries_left":3,"blocked":false}'

: >"$D/apdu.log"
check "PIN of 5 digits exits 10" run_card 10 $'12345\n' read
check "PIN with a letter exits 10" run_card 10 $'12a4\n' read
check "no PIN on stdin exits 10" run_card 10 "" read
check "a bad PIN sends nothing to the card" test "$(apdus)" -eq 0
check "PIN on the command line is refused (exit 2)" run_card 2 "" read 1234
check "messages never echo the PIN" bash -c '! grep -q 1234 <<<"$0"' "$ERR"
check "PIN as an option is refused (exit 2)" run_card 2 "" read --pin=1234
check "  and not echoed" bash -c '! grep -q 1234 <<<"$0"' "$ERR"
check "an unknown option is named" run_card 2 "" read --frobnicate
check "  by name" grep -q -- '--frobnicate' <<<"$ERR"

# ---- wrong PIN: 2, 1, then no VERIFY at the last try ---------------------------
fresh_card || nok "fresh card"
check "wrong PIN once exits 6" run_card 6 $'0000\n' read --json
check "  2 tries left" grep -q '"error":"K_EPIN".*"tries_left":2' <<<"$OUT"
check "  card tries says 2" run_card 0 "" tries
check "  card tries output 2" test "$OUT" = 2
check "wrong PIN twice exits 6" run_card 6 $'9999\n' read --json
check "  1 try left" grep -q '"tries_left":1' <<<"$OUT"
check "two VERIFYs were sent" test "$(verifies)" -eq 2
# Like the touch UI: at 1 try left no PIN goes to the card, right or wrong.
check "1 try left: a wrong PIN exits 11 (last try kept)" run_card 11 $'0000\n' read --json
check "  K_ELASTTRY with 1 try left" grep -q '"error":"K_ELASTTRY".*"tries_left":1' <<<"$OUT"
check "  the message says the PIN was not sent" grep -q "PIN was not sent" <<<"$ERR"
check "1 try left: even the right PIN exits 11" run_card 11 $'1234\n' read
check "  nothing printed on stdout without --json" test -z "$OUT"
check "1 try left: no VERIFY was sent" test "$(verifies)" -eq 2
check "1 try left: the card still has 1 try" test "$(holder_tries)" -eq 1
check "1 try left: card tries prints 1 and exits 0" run_card 0 "" tries
check "  tries output 1" test "$OUT" = 1

fresh_card --tries 1 || nok "card with 1 try left inserted"
check "a card put in with 1 try left exits 11" run_card 11 $'1234\n' read --json --mynumber
check "  nothing read" bash -c '[[ $0 != *旭* && $0 != *123456789018* ]]' "$OUT"
check "  no VERIFY was sent to it" test "$(verifies)" -eq 0
check "  its tries are unchanged" test "$(holder_tries)" -eq 1

# ---- blocked: no VERIFY any more ---------------------------------------------
fresh_card --tries 0 || nok "blocked card inserted"
check "blocked: the right PIN exits 7 (plain text)" run_card 7 $'1234\n' read
check "blocked: the right PIN exits 7" run_card 7 $'1234\n' read --json
check "  0 tries left" grep -q '"error":"K_EBLOCKED".*"tries_left":0' <<<"$OUT"
check "blocked: no VERIFY was sent" test "$(verifies)" -eq 0
check "blocked: card tries prints 0 and exits 7" run_card 7 "" tries
check "blocked: tries output 0" test "$OUT" = 0

fresh_card || nok "fresh card"
check "a good PIN after a wrong one restores 3 tries" \
	bash -c '"$0" card read <<<0000 >/dev/null 2>&1; out=$("$0" card read --json <<<1234) && [[ $out == *\"tries_left\":3* ]]' "$KIOSK"

# ---- not a My Number card ------------------------------------------------------
fresh_card --kind other || nok "other card inserted"
check "another card exits 5 (not a My Number card)" run_card 5 $'1234\n' read --json
check "  K_ENOTMINE" grep -q '"error":"K_ENOTMINE"' <<<"$OUT"
check "  card tries exits 5" run_card 5 "" tries
check "  no VERIFY to another card" test "$(verifies)" -eq 0

# ---- the card pulled at each APDU ------------------------------------------------
"$CTL" "$D" remove >/dev/null
rm -f "$D/holder.json" "$D/apdu.log"
for pos in 1 2 3 4 5 6 7 8 9; do
	"$CTL" "$D" insert --pull-after "$pos" || { nok "card in for pull at $pos"; continue; }
	check "card pulled at APDU $pos: exit 8 (removed)" run_card 8 $'1234\n' read --json --mynumber
	check "card pulled at APDU $pos: K_EREMOVED, nothing read" \
		bash -c '[[ $0 == "{\"error\":\"K_EREMOVED\""* && $0 != *旭* ]]' "$OUT"
	check "card pulled at APDU $pos: no try used up" test "$(holder_tries)" -eq 3
	"$CTL" "$D" remove >/dev/null
done
"$CTL" "$D" insert >/dev/null
check "after all the pulls the card reads normally" run_card 0 $'1234\n' read --json
check "  with 3 tries left" grep -q '"tries_left":3' <<<"$OUT"

# ---- the watcher: remove, pcscd restart, reader unplugged and back ------------
W=$T/watch.out
"$KIOSK" card watch >"$W" 2>"$T/watch.err" &
WATCH_PID=$!
MARK=0
wait_event() { # TEXT: a new event TEXT since the last one waited for (10 s)
	local i
	for i in $(seq 200); do
		if tail -n +$((MARK + 1)) "$W" | cut -f1 | grep -qx "$1"; then
			MARK=$(wc -l <"$W")
			return 0
		fi
		sleep 0.05
	done
	echo "# watch output: $(tr '\t\n' ': ' <"$W")" >&2
	return 1
}
first_event() { # TEXT: the first event since the last one waited for
	wait_event "$1" && [ "$(sed -n "$((PREV + 1))p" "$W" | cut -f1)" = "$1" ]
}
PREV=0
check "watch: reports the card at start" first_event inserted
check "watch: names the reader" grep -q $'^inserted\tKiosk Test PCD 00 00$' "$W"
check "watch --reader: only that reader (the other one is empty)" \
	test "$("$KIOSK" card watch --reader "PCD 00 01" --count 1 --timeout 5)" = empty
check "watch --reader: an unknown reader is no-reader" \
	test "$("$KIOSK" card watch --reader "No Such Reader" --count 1 --timeout 5)" = no-reader
PREV=$MARK; "$CTL" "$D" remove >/dev/null
check "watch: card removed" first_event removed
PREV=$MARK; "$CTL" "$D" insert >/dev/null
check "watch: card inserted" first_event inserted
PREV=$MARK; "$CTL" "$D" stop-pcscd >/dev/null
check "watch: pcscd gone -> no-reader" first_event no-reader
PREV=$MARK; "$CTL" "$D" start-pcscd >/dev/null
check "watch: pcscd back, card still in -> inserted" wait_event inserted
PREV=$MARK; "$CTL" "$D" unplug >/dev/null
check "watch: reader unplugged -> no-reader" first_event no-reader
check "unplugged: card read exits 3" run_card 3 $'1234\n' read
"$CTL" "$D" remove >/dev/null
PREV=$MARK; "$CTL" "$D" plug >/dev/null
check "watch: reader plugged back, empty -> empty" first_event empty
PREV=$MARK; "$CTL" "$D" insert >/dev/null
check "watch: card inserted again" first_event inserted
check "read works after pcscd restarts and replug" run_card 0 $'1234\n' read --json
kill -TERM "$WATCH_PID"
stopped=no
for _ in $(seq 40); do kill -0 "$WATCH_PID" 2>/dev/null || { stopped=yes; break; }; sleep 0.05; done
check "watch: stops on SIGTERM at once" test $stopped = yes
wait "$WATCH_PID" 2>/dev/null; rc=$?
WATCH_PID=
check "watch: exit status 0" test $rc -eq 0
check "watch: nothing on stderr" test ! -s "$T/watch.err"

# ---- pcscd logs carry no PIN ---------------------------------------------------
check "pcscd log carries no PIN bytes" bash -c '! grep -qi "31 32 33 34\|31323334" "$0"' "$D/pcscd.log"
