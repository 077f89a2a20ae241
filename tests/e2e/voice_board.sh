#!/bin/bash
# voice_board.sh - `kiosk display` speaks each call against a real
# `kiosk serve`: the chime, then Japanese in kana and English, in that
# order; a recall says 「さいど およびします」 first; speech.enable=false
# keeps the chime only.  Scripted (silent sink): the speech log is what is
# checked (`said`), the sound itself in test_speech.  The live board with
# the SDL dummy audio device plays the call-outs without freezing.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
PID=""
cleanup() { [ -n "$PID" ] && stop_pid "$PID"; }
on_exit cleanup

tok() { head -c 16 /dev/urandom | od -An -tx1 | tr -d " \n"; }
KTOK=$(tok) STOK=$(tok) DTOK=$(tok)
cat >"$T/server.ini" <<INI
[kiosk]
assets = $PWD/assets
[server]
port = $PORT
db = $T/kiosk.db
public_url = $BASE
token_kiosk = $KTOK
token_staff = $STOK
token_display = $DTOK
INI
cat >"$T/display.ini" <<INI
[kiosk]
server = $BASE
[server]
token_display = $DTOK
INI
cat >"$T/quiet.ini" <<INI
[kiosk]
server = $BASE
[server]
token_display = $DTOK
[speech]
enable = false
INI

"$KIOSK" serve --config "$T/server.ini" >"$T/server.log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "$BASE/board" && break; sleep 0.1; done
curl -s -o /dev/null "$BASE/board" || { nok "kiosk serve starts"; exit 1; }

issue() {
	curl -s -o /dev/null -X POST "$BASE/api/tickets" -H "Authorization: Bearer $KTOK" \
	    -H 'Content-Type: application/json' \
	    -d "{\"procedure\":\"$1\",\"lang\":\"ja\",\"answers\":{},\"flags\":{\"card\":false,\"assist\":false,\"priority\":false}}"
}
call() {
	curl -s -X POST "$BASE/api/counters/$1/call" -H "Authorization: Bearer $STOK" \
	    -H 'Content-Type: application/json' -d '{}'
}
issue juminhyo; issue juminhyo; issue tennyu
c1=$(call 2)
case "$c1" in *A-001*) ok "A-001 called at counter 2" ;; *) nok "A-001 called ($c1)" ;; esac

# the display starts, announces A-001; meanwhile two more calls and a
# recall of A-001 come in; each is spoken after the one before
printf '%s\n' 'wait 1000' \
    'said "chime"' \
    'said "うけつけばんごう エー の いち ばんの かた、にばん まどぐちへ おこしください。"' \
    'said "Number A 1, please come to counter 2."' \
    'said "chime"' \
    'said "うけつけばんごう エー の に ばんの かた、いちばん まどぐちへ"' \
    'said "Number A 2, please come to counter 1."' \
    'said "chime"' \
    'said "うけつけばんごう ビー の いち ばんの かた、さんばん まどぐちへ"' \
    'said "Number B 1, please come to counter 3."' \
    'said "さいど およびします。 うけつけばんごう エー の いち ばんの かた、にばん"' \
    'said "Calling again. Number A 1, please come to counter 2."' >"$T/board.script"
"$KIOSK" display --config "$T/display.ini" --script "$T/board.script" >"$T/board.log" 2>&1 &
DPID=$!
sleep 1.5
c2=$(call 1); c3=$(call 3)
id1=$(printf '%s' "$c1" | sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -1)
sleep 1.5
curl -s -o /dev/null -X POST "$BASE/api/tickets/$id1/recall" -H "Authorization: Bearer $STOK" \
    -H 'Content-Type: application/json' -d '{}'
if wait $DPID; then
	ok "each call is spoken after a chime, in Japanese (kana) and English, one after the other; a recall says so"
else
	nok "the board speaks each call"; tail -8 "$T/board.log" | sed 's/^/    /'
fi

# a ticket issued in Vietnamese: its call-out also in Vietnamese, last
curl -s -o /dev/null -X POST "$BASE/api/tickets" -H "Authorization: Bearer $KTOK" \
    -H 'Content-Type: application/json' \
    -d '{"procedure":"tennyu","lang":"vi","answers":{},"flags":{"card":false,"assist":false,"priority":false}}'
cv=$(call 4)
case "$cv" in *B-002*) ok "B-002 (Vietnamese) called at counter 4" ;; *) nok "B-002 called ($cv)" ;; esac
case "$(curl -s "$BASE/api/board" -H "Authorization: Bearer $DTOK")" in
*'"number":"B-002"'*'"lang":"vi"'*) ok "/api/board says the ticket's language" ;;
*) nok "/api/board says the ticket's language" ;;
esac
printf '%s\n' 'wait 1000' \
    'said "うけつけばんごう ビー の に ばんの かた、よんばん まどぐちへ"' \
    'said "Number B 2, please come to counter 4."' \
    'said "Mời số B 2 đến quầy số 4."' >"$T/vi.script"
if "$KIOSK" display --config "$T/display.ini" --script "$T/vi.script" >"$T/vi.log" 2>&1; then
	ok "a ticket in another language is also called in it (speech.ticket_language)"
else
	nok "a ticket in another language is also called in it"; tail -8 "$T/vi.log" | sed 's/^/    /'
fi

# speech off: the chime only
printf '%s\n' 'wait 1000' 'not_said "Number"' >"$T/quiet.script"
curl -s -o /dev/null -X POST "$BASE/api/tickets/$id1/recall" -H "Authorization: Bearer $STOK" \
    -H 'Content-Type: application/json' -d '{}'
if "$KIOSK" display --config "$T/quiet.ini" --script "$T/quiet.script" >"$T/quiet.log" 2>&1; then
	ok "speech.enable = false: the board chimes only"
else
	nok "speech.enable = false: the board chimes only"; tail -5 "$T/quiet.log" | sed 's/^/    /'
fi

# live, on the SDL dummy audio device: the call-out is synthesised and
# played on the announcer's thread while the board keeps drawing
curl -s -o /dev/null -X POST "$BASE/api/tickets/$id1/recall" -H "Authorization: Bearer $STOK" \
    -H 'Content-Type: application/json' -d '{}'
SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy timeout -s TERM 4 \
    "$KIOSK" display --config "$T/display.ini" --windowed >"$T/live.log" 2>&1
rc=$?
if { [ $rc -eq 124 ] || [ $rc -eq 0 ]; } && ! grep -qE 'no speech|no chimes' "$T/live.log"; then
	ok "kiosk display speaks live on an audio device and ends cleanly on TERM"
else
	nok "kiosk display speaks live (exit $rc)"; tail -5 "$T/live.log" | sed 's/^/    /'
fi
