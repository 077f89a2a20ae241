#!/bin/bash
# web_display.sh - `kiosk display` (the SDL lobby board) against a real
# `kiosk serve`: the newest call large with its counter, the recent calls,
# the waiting counts, the accessibility audit, and the messages for an
# unreachable server and a wrong display token.  Headless (--script on the
# SDL offscreen driver); screenshots in $BUILD/web-screenshots/display/.
. "$(dirname "$0")/lib.sh"
PORT=${WEB_DISPLAY_PORT:-$(free_port)}
DEAD_PORT=${WEB_DISPLAY_DEAD_PORT:-$(free_port)}
BASE="http://127.0.0.1:$PORT"
SHOTS="$BUILD/web-screenshots/display"
TMP=$T
PID=""
cleanup() {
	if [ -n "$PID" ]; then
		kill "$PID" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$PID" 2>/dev/null
	fi
}
on_exit cleanup
mkdir -p "$SHOTS"

tok() { head -c 16 /dev/urandom | od -An -tx1 | tr -d " \n"; }
KTOK=$(tok) STOK=$(tok) DTOK=$(tok)
cat >"$TMP/server.ini" <<INI
[kiosk]
assets = $PWD/assets
[server]
port = $PORT
db = $TMP/kiosk.db
public_url = $BASE
token_kiosk = $KTOK
token_staff = $STOK
token_display = $DTOK
INI
# the display's own config: where to find the server and its token
cat >"$TMP/display.ini" <<INI
[kiosk]
server = $BASE
[server]
token_display = $DTOK
INI
cat >"$TMP/wrong.ini" <<INI
[kiosk]
server = $BASE
[server]
token_display = wrong-$DTOK
INI

"$KIOSK" serve --config "$TMP/server.ini" >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "$BASE/board" && break; sleep 0.1; done
if ! curl -s -o /dev/null "$BASE/board"; then
	nok "kiosk serve starts"; tail -3 "$TMP/server.log"; exit 1
fi

for p in juminhyo koseki tennyu juminhyo; do
	curl -s -o /dev/null -X POST "$BASE/api/tickets" -H "Authorization: Bearer $KTOK" -H 'Content-Type: application/json' \
	    -d "{\"procedure\":\"$p\",\"lang\":\"ja\",\"answers\":{},\"flags\":{\"card\":false,\"assist\":false,\"priority\":false}}"
done
c1=$(curl -s -X POST "$BASE/api/counters/1/call" -H "Authorization: Bearer $STOK" -H 'Content-Type: application/json' -d '{}')
c2=$(curl -s -X POST "$BASE/api/counters/3/call" -H "Authorization: Bearer $STOK" -H 'Content-Type: application/json' -d '{}')
case "$c1$c2" in
*A-001*B-001*) ok "two tickets called at counters 1 and 3" ;;
*) nok "two tickets called at counters 1 and 3 ($c1 $c2)" ;;
esac

run_display() { # name config script-text
	printf '%s\n' "$3" >"$TMP/$1.script"
	"$KIOSK" display --config "$2" --script "$TMP/$1.script" \
	    --screenshots "$SHOTS" >"$TMP/$1.log" 2>&1
}

if run_display board "$TMP/display.ini" 'size 1920 1080
clock 2026-11-28T10:05
wait 1000
expect "B-001"
expect "3番窓口へお越しください"
expect "Please go to counter 3"
expect "A-001"
expect "住民票・証明書"
expect "2人"
expect "People waiting"
audit
shot board-called
wait 11000
audit
shot board'; then
	ok "kiosk display shows the newest call large, the recent calls and the waiting counts (audit clean)"
else
	nok "kiosk display shows the newest call large, the recent calls and the waiting counts"
	sed 's/^/    /' "$TMP/board.log" | tail -8
fi

# a recall moves the number to the top again
id1=$(printf '%s' "$c1" | sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -1)
curl -s -o /dev/null -X POST "$BASE/api/tickets/$id1/recall" -H "Authorization: Bearer $STOK" -H 'Content-Type: application/json' -d '{}'
if run_display recall "$TMP/display.ini" 'wait 1000
expect "1番窓口へお越しください"
shot board-recall'; then
	ok "a recalled number is the newest call again"
else
	nok "a recalled number is the newest call again"; sed 's/^/    /' "$TMP/recall.log" | tail -5
fi

if run_display wrong "$TMP/wrong.ini" 'wait 1000
expect "表示用トークン"
shot board-wrong-token'; then
	ok "a wrong display token is refused and the board says so"
else
	nok "a wrong display token is refused and the board says so"; sed 's/^/    /' "$TMP/wrong.log" | tail -5
fi

cat >"$TMP/dead.ini" <<INI
[kiosk]
server = http://127.0.0.1:$DEAD_PORT
INI
if run_display dead "$TMP/dead.ini" 'wait 1000
expect "サーバーに接続できません"
audit
shot board-no-server'; then
	ok "an unreachable server is shown as such, and the board keeps trying"
else
	nok "an unreachable server is shown as such"; sed 's/^/    /' "$TMP/dead.log" | tail -5
fi
# Not scripted: the real loop with the SDL dummy audio driver, so the
# chime is rendered and queued on a device; it must keep running.
SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy timeout -s TERM 4 \
    "$KIOSK" display --config "$TMP/display.ini" --windowed >"$TMP/live.log" 2>&1
rc=$?
if { [ $rc -eq 124 ] || [ $rc -eq 0 ]; } && ! grep -q 'no chimes' "$TMP/live.log"; then
	ok "kiosk display runs live with an audio device (chimes queued on it)"
else
	nok "kiosk display runs live with an audio device (exit $rc)"; tail -5 "$TMP/live.log" | sed 's/^/    /'
fi

stop_pid=$PID
kill "$PID" 2>/dev/null
for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
PID=""
if cat "$TMP"/*.log | grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:'; then
	nok "no sanitizer report from kiosk display or kiosk serve (pid $stop_pid)"
	cat "$TMP"/*.log | grep -E -A5 'ERROR: (Address|Leak)Sanitizer|runtime error:' | head -20 | sed 's/^/    /'
else
	ok "no sanitizer report from kiosk display or kiosk serve"
fi
exit 0
