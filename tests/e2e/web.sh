#!/bin/bash
# web.sh - the staff console, the lobby board and the phone page in a real
# browser (Debian chromium driven by playwright-core) against a real
# `kiosk serve` with tokens configured, its own port and a temp database.
# Prints one "ok - ..." / "not ok - ..." line per check; screenshots go to
# $BUILD/web-screenshots/.
. "$(dirname "$0")/lib.sh"
PORT=${WEB_E2E_PORT:-$(free_port)}
BASE="http://127.0.0.1:$PORT"
SHOTS="$ROOT/$BUILD/web-screenshots"
TMP=$T
PIDFILE="$TMP/server.pid"

stop_server() {
	local pid
	pid=$(cat "$PIDFILE" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null
	: >"$PIDFILE"
}
LPID=""
cleanup() {
	stop_server
	[ -n "$LPID" ] && kill "$LPID" 2>/dev/null
}
on_exit cleanup

# Tokens: random per run (never real ones); the wrong one differs from all.
KTOK=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
STOK=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
DTOK=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')

cat >"$TMP/kiosk.ini" <<INI
[kiosk]
id = kiosk-e2e
assets = $ROOT/assets
[server]
listen = 127.0.0.1
port = $PORT
db = $TMP/kiosk.db
public_url = $BASE
token_kiosk = $KTOK
token_staff = $STOK
token_display = $DTOK
status_rate_per_min = 600
noshow_after_recalls = 1
INI

start_server() {
	"$KIOSK" serve --config "$TMP/kiosk.ini" >>"$TMP/server.log" 2>&1 &
	echo $! >"$PIDFILE"
	for _ in $(seq 100); do
		curl -s -o /dev/null "$BASE/staff" && return 0
		kill -0 "$(cat "$PIDFILE")" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

if [ ! -x "$KIOSK" ]; then
	nok "kiosk binary $KIOSK exists (run make first)"; exit 1
fi
if ! start_server; then
	nok "kiosk serve starts on port $PORT"
	sed 's/^/    server: /' "$TMP/server.log" | tail -5
	exit 1
fi
ok "kiosk serve starts on port $PORT"

# Tickets as a kiosk would issue them (curl, kiosk token).
issue() {
	curl -s -w '\n%{http_code}' -X POST "$BASE/api/tickets" \
	    -H "Authorization: Bearer $KTOK" -H 'Content-Type: application/json' -d "$1"
}
APPLICANT='{"name":"旭 花子","name_kana":"あさひ はなこ","address":"千葉県旭市二の2132番地","birth":"1980-04-01","sex":"2"}'
: >"$TMP/tickets.jsonl"
n_ok=0
for body in \
    "{\"procedure\":\"juminhyo\",\"lang\":\"ja\",\"answers\":{\"who\":\"household\",\"copies\":2},\"applicant\":$APPLICANT,\"flags\":{\"card\":true,\"assist\":false,\"priority\":false},\"kiosk\":\"kiosk-e2e\",\"fee_yen\":600}" \
    '{"procedure":"inkan_shomei","lang":"en","answers":{"copies":1},"flags":{"card":false,"assist":true,"priority":false},"kiosk":"kiosk-e2e","fee_yen":300}' \
    '{"procedure":"koseki","lang":"ja","answers":{"kind":"tohon","copies":1},"flags":{"card":false,"assist":false,"priority":false},"kiosk":"kiosk-e2e","fee_yen":450}' \
    '{"procedure":"shotoku","lang":"ja","answers":{"year":"current","copies":1},"flags":{"card":false,"assist":false,"priority":false},"kiosk":"kiosk-e2e","fee_yen":300}' \
    '{"procedure":"juminhyo","lang":"ja","answers":{"who":"self","copies":1},"flags":{"card":false,"assist":false,"priority":false},"kiosk":"kiosk-e2e","fee_yen":300}'; do
	out=$(issue "$body")
	code=${out##*$'\n'}
	json=${out%$'\n'*}
	if [ "$code" = 201 ]; then
		n_ok=$((n_ok + 1)); printf '%s\n' "$json" >>"$TMP/tickets.jsonl"
	else
		echo "    issue failed ($code): $json"
	fi
done
if [ $n_ok -eq 5 ]; then ok "5 tickets issued with curl (201)"; else nok "5 tickets issued with curl ($n_ok were)"; fi

code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/queue" -H "Authorization: Bearer wrong-$STOK")
if [ "$code" = 401 ] || [ "$code" = 403 ]; then ok "GET /api/queue with a wrong staff token is refused ($code)"
else nok "GET /api/queue with a wrong staff token is refused (got $code)"; fi

mkdir -p "$SHOTS"
export WEB_BASE="$BASE" WEB_STAFF_TOKEN="$STOK" WEB_KIOSK_TOKEN="$KTOK" \
    WEB_DISPLAY_TOKEN="$DTOK" WEB_TICKETS="$TMP/tickets.jsonl" WEB_SHOTS="$SHOTS" \
    WEB_SERVER_PIDFILE="$PIDFILE" WEB_SERVER_CMD="$KIOSK serve --config $TMP/kiosk.ini" \
    WEB_SERVER_LOG="$TMP/server.log" WEB_TMP="$TMP"
# node's TAP reporter: top-level "ok N - name" / "not ok N - name" lines.
timeout 300 node --test --test-reporter=tap tests/web/common.test.js tests/web/web.test.js >"$TMP/node.out" 2>&1
rc=$?
sed -E 's/^(not )?ok [0-9]+ - /\1ok - /' "$TMP/node.out"
if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$TMP/node.out"; then
	nok "browser tests ran to the end (exit $rc)"
fi

# The same pages on a server without tokens, as `make run` starts it.
LPORT=${WEB_E2E_LOOPBACK_PORT:-$(free_port)}
cat >"$TMP/loopback.ini" <<INI
[kiosk]
assets = $ROOT/assets
[server]
listen = 127.0.0.1
port = $LPORT
db = $TMP/loopback.db
public_url = http://127.0.0.1:$LPORT
INI
"$KIOSK" serve --config "$TMP/loopback.ini" >>"$TMP/loopback.log" 2>&1 &
LPID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$LPORT/staff" && break; sleep 0.1; done
WEB_LOOPBACK_BASE="http://127.0.0.1:$LPORT" timeout 120 node --test --test-reporter=tap \
    tests/web/loopback.test.js >"$TMP/loopback.out" 2>&1
lrc=$?
sed -E 's/^(not )?ok [0-9]+ - /\1ok - /' "$TMP/loopback.out"
if [ "$lrc" -ne 0 ] && ! grep -q '^not ok' "$TMP/loopback.out"; then
	nok "loopback browser tests ran to the end (exit $lrc)"
fi
kill "$LPID" 2>/dev/null
for _ in $(seq 50); do kill -0 "$LPID" 2>/dev/null || break; sleep 0.1; done
kill -9 "$LPID" 2>/dev/null
LPID=""
cat "$TMP/loopback.log" >>"$TMP/server.log"

# personal data never reaches the server log
if grep -q -e '旭 花子' -e '二の2132' -e '1980-04-01' "$TMP/server.log"; then
	nok "the server log holds no personal data from the staff session"
else
	ok "the server log holds no personal data from the staff session"
fi
if grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$TMP/server.log"; then
	nok "no sanitizer report in the server log"
	grep -E -A5 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$TMP/server.log" | head -20 | sed 's/^/    /'
else
	ok "no sanitizer report in the server log"
fi
if [ "$rc" -ne 0 ]; then
	echo "    (browser tests exited $rc; server log tail:)"
	tail -5 "$TMP/server.log" | sed 's/^/    /'
fi
exit 0
