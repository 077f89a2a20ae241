#!/bin/bash
# journey.sh - the resident journey end to end: `kiosk run` driven by the
# scripts in tests/journey/ (SDL offscreen), with the queue server
# in-process on a temp db, the file printer, and the emulated My Number
# card behind a private pcscd + vpcd (tests/card/ctl.sh).  After each script
# the db, the printed tickets and the log are checked: one ticket issued,
# the applicant stored only on the card path, help requests, no personal
# data in the log; the tap budget of 住民票の写し is counted from the scripts.
. "$(dirname "$0")/lib.sh"
CTL=$ROOT/tests/card/ctl.sh
PIDS=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	"$CTL" "$T/card" stop >/dev/null 2>&1
}
on_exit cleanup

[ -x "$KIOSK" ] || { nok "kiosk binary $KIOSK"; exit 1; }
command -v sqlite3 >/dev/null || { nok "sqlite3 (make deps)"; exit 1; }

# config NAME [PRINTER_URI]: a private config in $T/NAME/kiosk.ini
config() { kiosk_config "$T/$1" "${2:-}"; }

# run NAME [kiosk run options]: the script tests/journey/NAME.txt
run() {
	local name=$1; shift
	"$KIOSK" run --config "$T/$name/kiosk.ini" --script "tests/journey/$name.txt" \
	    --screenshots "$T/$name/shots" "$@" >"$T/$name/out.log" 2>&1
	RC=$?
	[ $RC -eq 0 ] || { echo "# $name: exit $RC"; grep -v ' info ' "$T/$name/out.log" | tail -8 | sed 's/^/#   /'; }
	return $RC
}

# JOURNEY_CASES="card help" runs only those
want() { [ -z "${JOURNEY_CASES:-}" ] || [[ " $JOURNEY_CASES " == *" $1 "* ]]; }

q() { sqlite3 "$T/$1/kiosk.db" "$2"; }

# taps between the markers, PIN digits apart
taps() { # file
	awk '/TAPS-BEGIN/{on=1} /TAPS-END/{on=0} /PIN-BEGIN/{pin=1} /PIN-END/{pin=0}
	    on && !pin && /^tap /{n++} END{print n+0}' "$1"
}
pins() {
	awk '/PIN-BEGIN/{on=1} /PIN-END/{on=0} on && /^tap "[0-9]"$/{n++} END{print n+0}' "$1"
}
no_personal_data() { # name: the card's name, address, birth date not in the log
	! grep -qE '太郎|旭市二の|1980-04-01|19800401' "$T/$1/out.log"
}

# ---- without a card reader ------------------------------------------------
export PCSCLITE_CSOCK_NAME=$T/no-pcscd/pcscd.comm

if want nocard; then
config nocard
check "no card: 住民票の写し from idle to ticket" run nocard
check "no card: at most 6 taps ($(taps tests/journey/nocard.txt))" [ "$(taps tests/journey/nocard.txt)" -le 6 ]
check "no card: one ticket A-001 in the db" [ "$(q nocard "select count(*) from tickets where procedure='juminhyo'")" = 1 ]
check "no card: no applicant stored" [ "$(q nocard "select count(*) from applications where body like '%applicant\":{%'")" = 0 ]
check "no card: the ticket was printed (file printer)" [ "$(ls "$T/nocard/tickets" | grep -c '\.bin$')" = 1 ]
fi

# 音声案内: the keypad alone, the speech log checked at every step
if want voice_keypad; then
config voice_keypad
check "voice guidance: 住民票の写し to the ticket with the keypad alone, each step spoken" run voice_keypad
check "voice guidance: no tap in the script" [ "$(grep -c '^tap' tests/journey/voice_keypad.txt)" = 0 ]
check "voice guidance: one ticket A-001 in the db" [ "$(q voice_keypad "select count(*) from tickets where procedure='juminhyo'")" = 1 ]
fi

if want life_event; then
config life_event
check "life event: moving in, guide and a B ticket" run life_event
check "life event: ticket for move_in in service B" [ "$(q life_event "select service||':'||procedure from tickets")" = "B:move_in" ]
fi

if want date; then
config date
check "count and date questions: 転入届 with the move date" run date
check "date: the application carries people 2 and the date" \
    [ "$(q date "select count(*) from applications where body like '%\"people\":2%\"date\":\"2026-11-28\"%'")" = 1 ]
fi

if want help; then
config help
check "help: overlay, request sent, answers kept" run help
check "help: one resident help request in the db" [ "$(q help "select count(*) from help where kind='resident'")" = 1 ]
fi

if want small_screen; then
config small_screen
check "smaller screens (1280x720 … 1080x1920): idle and menu pass the audit in 8 languages" run small_screen
fi

if want timeout; then
config timeout
check "idle time-out: still there?, continue, then wiped to defaults" run timeout
check "idle time-out: nothing was issued" [ "$(q timeout "select count(*) from tickets")" = 0 ]
fi

if want lang_switch; then
config lang_switch
check "language switch in the middle keeps the answers" run lang_switch
check "language switch: the ticket is in Vietnamese with 2 copies" \
    [ "$(q lang_switch "select lang from tickets")" = vi ]
fi

if want printer_fail; then
closed=$(free_port)
config printer_fail "tcp:127.0.0.1:$closed"
check "printer failure: ticket on screen with its QR" run printer_fail
check "printer failure: exactly one ticket" [ "$(q printer_fail "select count(*) from tickets")" = 1 ]
check "printer failure: staff told (help kind printer)" [ "$(q printer_fail "select count(*) from help where kind='printer'")" = 1 ]
check "printer failure: the alert names the unprinted ticket" [ "$(q printer_fail "select count(*) from help h join tickets t on h.number = t.num_service || '-' || printf('%03d', t.seq) where h.kind='printer' and t.flags & 8 = 0")" = 1 ]
fi

if want ticket_layout; then
closed=$(free_port)
config ticket_layout "tcp:127.0.0.1:$closed"
check "ticket screen, English, large, not printed, card left: readable QR, nothing overflows" run ticket_layout
for o in landscape portrait; do
	check "ticket screen, crowded, $o: a phone reads the QR code" \
	    sh -c "zbarimg --quiet --raw '$T/ticket_layout/shots/$o.png' | grep -q '/t/'"
done
fi

if want reprint; then
closed=$(free_port)
config reprint "tcp:127.0.0.1:$closed"
check "reprint at the kiosk and a volunteer's priority: on screen" run reprint
check "reprint: the kiosk's own reprint is logged, marked not printed" [ "$(q reprint "select count(*) from reprints where target = 'kiosk:kiosk-1' and done_ms > 0 and result != 'printed'")" = 1 ]
check "reprint: logged as an event" [ "$(q reprint "select count(*) from events where kind = 'reprinted'")" = 1 ]
check "reprint: still one printer alert (open alerts are not repeated)" [ "$(q reprint "select count(*) from help where kind='printer'")" = 1 ]
check "long press: the ticket is priority" [ "$(q reprint "select flags & 4 from tickets")" = 4 ]
fi

if want server_down; then
# server unreachable: a proxy that swallows the first 2 connections (the
# idle screen's queue summary and the first issue: sent, never answered),
# then forwards to the real server.
config server_down
sport=$(free_port)
rport=$(free_port)
sed -i "s/^port = .*/port = $rport/" "$T/server_down/kiosk.ini"
"$KIOSK" serve --config "$T/server_down/kiosk.ini" >"$T/server_down/serve.log" 2>&1 &
PIDS+=($!)
python3 - "$sport" "$rport" 2 <<'PY' >"$T/server_down/proxy.log" 2>&1 &
import socket, sys, threading
lport, rport, swallow = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", lport)); s.listen(16)
print("listening", flush=True)
held, n = [], 0
def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d: break
            b.sendall(d)
    except OSError: pass
    finally:
        for x in (a, b):
            try: x.shutdown(socket.SHUT_RDWR)
            except OSError: pass
while True:
    c, _ = s.accept(); n += 1
    if n <= swallow:
        held.append(c); print("held", n, flush=True); continue
    r = socket.create_connection(("127.0.0.1", rport))
    print("forwarded", n, flush=True)
    threading.Thread(target=pipe, args=(c, r), daemon=True).start()
    threading.Thread(target=pipe, args=(r, c), daemon=True).start()
PY
PIDS+=($!)
for i in $(seq 50); do
	[ -s "$T/server_down/kiosk.db" ] && grep -q listening "$T/server_down/proxy.log" && break
	sleep 0.1
done
check "server unreachable: paused, retried, then issued" run server_down --server "http://127.0.0.1:$sport"
check "server unreachable: exactly one ticket issued" [ "$(q server_down "select count(*) from tickets")" = 1 ]
fi

# ---- with the emulated card ----------------------------------------------
have_card=1
for need in /usr/sbin/pcscd /usr/lib/pcsc/drivers/serial/libifdvpcd.so; do
	[ -e "$need" ] || { nok "prerequisite $need (make deps: pcscd vsmartcard-vpcd vsmartcard-vpicc)"; have_card=0; }
done
if [ $have_card = 1 ] && eval "$("$CTL" "$T/card" start)"; then
	card() { "$CTL" "$T/card" remove >/dev/null 2>&1; rm -f "$T/card/holder.json" "$T/card/apdu.log"; "$CTL" "$T/card" insert "$@" >/dev/null; }

	if want card; then
	card; config card
	check "card: 住民票の写し with the card, four facts with 和暦" run card
	check "card: at most 7 taps ($(taps tests/journey/card.txt)) plus 4 PIN digits ($(pins tests/journey/card.txt))" \
	    [ "$(taps tests/journey/card.txt)" -le 7 -a "$(pins tests/journey/card.txt)" = 4 ]
	check "card: the applicant went to the server with the ticket" \
	    [ "$(q card "select count(*) from applications where body like '%旭%太郎%'")" = 1 ]
	check "card: one VERIFY sent" [ "$(grep -c '^20 0080 4$' "$T/card/apdu.log")" = 1 ]
	check "card: no personal data in the log" no_personal_data card
	fi

	if want voice_pin; then
	card; config voice_pin
	check "voice guidance with the card: PIN digits and the four facts never spoken" run voice_pin
	check "voice guidance with the card: no tap in the script" [ "$(grep -c '^tap' tests/journey/voice_pin.txt)" = 0 ]
	check "voice guidance with the card: one VERIFY sent" [ "$(grep -c '^20 0080 4$' "$T/card/apdu.log")" = 1 ]
	check "voice guidance with the card: no personal data in the log" no_personal_data voice_pin
	fi

	if want voice_private; then
	card; config voice_private
	printf '[speech]\nprivate = true\n' >>"$T/voice_private/kiosk.ini"
	check "voice guidance, private sound: the confirm screen's four facts are spoken" run voice_private
	fi

	if want wrong_pin; then
	card; config wrong_pin
	check "wrong PIN then right: tries left shown, then read" run wrong_pin
	check "wrong PIN: two VERIFYs, no automatic retry" [ "$(grep -c '^20 0080 4$' "$T/card/apdu.log")" = 2 ]
	check "wrong PIN: no personal data in the log" no_personal_data wrong_pin
	fi

	if want last_try; then
	card --tries 1; config last_try
	check "1 try left: stop before the PIN pad, on without the card" run last_try
	check "1 try left: no VERIFY was sent" [ "$(grep -c '^20 0080 4$' "$T/card/apdu.log")" = 0 ]
	check "1 try left: staff asked to help" [ "$(q last_try "select count(*) from help where kind='card_last_try'")" -ge 1 ]
	fi

	if want not_mine; then
	card --kind other; config not_mine
	check "not a My Number card: told, 'read again' is a button, then on without" run not_mine
	fi

	if want pulled; then
	card --pull-after 8; config pulled
	check "card pulled while reading: told, then on without the card" run pulled
	check "card pulled: the ticket has no applicant" \
	    [ "$(q pulled "select count(*) from applications where body like '%太郎%'")" = 0 ]
	fi
	"$CTL" "$T/card" stop >/dev/null 2>&1
fi
exit 0
