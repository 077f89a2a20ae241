#!/bin/bash
# web_phone.sh - the phone wait page (/t/{token}): first without JavaScript
# (curl: the server writes the number, the state, the people ahead and the
# wait into the page, which reloads itself through <noscript>), then in
# Debian's chromium (tests/web/phone.test.js): "your turn is near" asked
# once, alerting with sound, vibration, title and notification when two are
# ahead and when called, over the event stream and by polling alone.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
SHOTS="$ROOT/$BUILD/web-screenshots"
STOK=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
KTOK=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
cat >"$T/kiosk.ini" <<INI
[kiosk]
assets = $ROOT/assets
[server]
listen = 127.0.0.1
port = $PORT
db = $T/kiosk.db
public_url = $BASE
token_kiosk = $KTOK
token_staff = $STOK
status_rate_per_min = 600
phone_near_ahead = 2
INI
"$KIOSK" serve --config "$T/kiosk.ini" >>"$T/server.log" 2>&1 &
SPID=$!
on_exit stop_pid "$SPID"
for _ in $(seq 100); do curl -s -o /dev/null "$BASE/api/health" && break; sleep 0.1; done

issue() {
	curl -s -X POST "$BASE/api/tickets" -H "Authorization: Bearer $KTOK" \
	    -H 'Content-Type: application/json' \
	    -d '{"procedure":"juminhyo","lang":"ja","answers":{"who":"self","copies":1},"applicant":{"name":"旭 電話子","address":"旭市ニ1234番地"},"flags":{"card":false,"assist":false,"priority":false}}' |
	    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
TOK1=$(issue); TOK2=$(issue); TOK3=$(issue)
check "three tickets issued" test -n "$TOK1" -a -n "$TOK2" -a -n "$TOK3"

page() { curl -s -o "$T/page.html" -w '%{http_code} %{content_type}' "$BASE/t/$1"; }
has() { grep -q -F -- "$1" "$T/page.html"; }
hasnt() { ! grep -q -F -- "$1" "$T/page.html"; }

out=$(page "$TOK3")
check "the page of a waiting ticket is 200 html ($out)" test "$out" = "200 text/html; charset=utf-8"
check "without JavaScript it shows the number" has '<p class="number" id="number">A-003</p>'
check "... the state" has '<p class="state-ja" id="state-ja">お待ちください</p>'
check "... two people ahead" has '<span id="ahead">2</span>'
check "... the estimated wait" grep -q -E '<span id="wait">[0-9]+</span>' "$T/page.html"
check "... in its title" has '<title>A-003 お待ちください - 旭市役所</title>'
check "the ticket section is not hidden" hasnt 'id="ticket" hidden'
check "the <noscript> refresh is there" has '<noscript><meta http-equiv="refresh" content="30"></noscript>'
check "no personal data in the page" hasnt '電話子'
check "the alert question waits for JavaScript (hidden)" has 'id="alert-ask" hidden'

code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$BASE/api/counters/1/call" \
    -H "Authorization: Bearer $STOK" -H 'Content-Type: application/json' -d '{}')
check "counter 1 calls the first ticket ($code)" test "$code" = 200
page "$TOK1" >/dev/null
check "the called ticket's page says to go to counter 1" has 'id="state-ja">1番窓口へお越しください</p>'
check "... in English too" has 'lang="en">Please go to counter 1</p>'
check "... and hides the people ahead" has '<div id="f-ahead" hidden>'
page "$TOK3" >/dev/null
check "the last ticket now has one ahead" has '<span id="ahead">1</span>'

out=$(page 0123456789abcdef0123456789abcdef)
check "an unknown ticket's page is 404 html ($out)" test "${out%% *}" = 404
check "... and says it was not found" has 'id="notfound" aria-labelledby'
check "... in its title" has '<title>番号札が見つかりません'
out=$(page '..%2F..%2Fetc%2Fpasswd')
check "a malformed token gets no file ($out)" test "${out%% *}" = 404
check "... nothing of /etc/passwd" hasnt 'root:'

mkdir -p "$SHOTS"
WEB_BASE="$BASE" WEB_SHOTS="$SHOTS" WEB_STAFF_TOKEN="$STOK" WEB_KIOSK_TOKEN="$KTOK" \
    timeout 180 node --test --test-reporter=tap tests/web/phone.test.js >"$T/node.out" 2>&1
rc=$?
sed -E 's/^(not )?ok [0-9]+ - /\1ok - /' "$T/node.out"
if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$T/node.out"; then
	nok "phone browser tests ran to the end (exit $rc)"
fi
if grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T/server.log"; then
	nok "no sanitizer report in the server log"
else
	ok "no sanitizer report in the server log"
fi
exit 0
