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
away_until = 23:59
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

# Leaving the line: away keeps the place, back returns to it, cancel ends
# it; staff see each as an event and held tickets as a count.
curl -s -N --max-time 30 "$BASE/api/events?token=$STOK" >"$T/staff-events" 2>/dev/null &
EVPID=$!
on_exit stop_pid "$EVPID"
sleep 0.5
post() { curl -s -o "$T/post.json" -w '%{http_code}' -X POST "$BASE$1" -H "Authorization: Bearer $STOK" -H 'Content-Type: application/json' -d "${2:-{\}}"; }
pub() { curl -s -o "$T/post.json" -w '%{http_code}' -X POST "$BASE/api/status/$1/$2"; }
field() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/post.json" "$1"; }
status() { curl -s "$BASE/api/status/$1" >"$T/post.json"; field "$2"; }
code=$(pub "$TOK2" away)
check "a waiting resident steps out from the phone ($code)" test "$code" = 200
check "... the ticket is away" test "$(field 'd["state"]')" = away
check "... the status says away and until when" test "$(status "$TOK2" 'd["state"]+" "+d["away_until"]')" = "away 23:59"
check "... the one behind now has nobody ahead" test "$(status "$TOK3" 'd["ahead"]')" = 0
curl -s "$BASE/api/queue" -H "Authorization: Bearer $STOK" >"$T/post.json"
check "staff see one held ticket in service A" test "$(field '[s["away"] for s in d["services"] if s["letter"]=="A"][0]')" = 1
page "$TOK2" >/dev/null
check "the held ticket's page says its place is kept (no JavaScript)" has 'お戻りをお待ちしています'
code=$(post /api/counters/2/call)
check "the next call skips the held ticket ($code: $(field 'd["ticket"]["number"]'))" test "$(field 'd["ticket"]["number"]')" = A-003
post "/api/tickets/$(field 'd["ticket"]["id"]')/done" >/dev/null
code=$(pub "$TOK2" back)
check "the resident comes back ($code)" test "$code" = 200 -a "$(field 'd["state"]')" = waiting
TOK4=$(issue)
check "a ticket issued later has the returned one ahead (place kept)" test "$(status "$TOK4" 'd["ahead"]')" = 1
code=$(post /api/counters/2/call)
check "the next call takes the returned ticket first" test "$(field 'd["ticket"]["number"]')" = A-002
post "/api/tickets/$(field 'd["ticket"]["id"]')/done" >/dev/null
code=$(pub "$TOK4" cancel)
check "a resident cancels from the phone ($code)" test "$code" = 200 -a "$(field 'd["state"]')" = cancelled
code=$(pub "$TOK4" cancel)
check "a second cancel is refused ($code)" test "$code" = 409
code=$(pub "$TOK4" away)
check "a cancelled ticket cannot step away ($code)" test "$code" = 409
code=$(pub "$TOK1" away)
check "a called ticket cannot step away ($code)" test "$code" = 409
code=$(pub 0123456789abcdef0123456789abcdef cancel)
check "an unknown token cancels nothing ($code)" test "$code" = 404
page "$TOK4" >/dev/null
check "the cancelled ticket's page says so" has 'この番号札は取り消されました'
sleep 0.5
check "staff get an 'away' event" grep -q '^event: away' "$T/staff-events"
check "staff get a 'back' event" grep -q '^event: back' "$T/staff-events"
check "staff get a 'cancelled' event" grep -q '^event: cancelled' "$T/staff-events"
check "the events carry no personal data" grep -v -q '電話子' "$T/staff-events"

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

# After server.away_until a resident can no longer step out or come back by
# the phone; staff still bring a held ticket back.
stop_pid "$SPID"
sed -i 's/^away_until = .*/away_until = 00:00/' "$T/kiosk.ini"
"$KIOSK" serve --config "$T/kiosk.ini" >>"$T/server.log" 2>&1 &
SPID=$!
on_exit stop_pid "$SPID"
for _ in $(seq 100); do curl -s -o /dev/null "$BASE/api/health" && break; sleep 0.1; done
TOK5=$(issue)
code=$(pub "$TOK5" away)
check "after server.away_until the phone cannot step out ($code)" test "$code" = 409
check "... and says to speak to the staff" grep -q 'speak to the counter staff' "$T/post.json"
sed -e 's/^away_until = .*/away_until = 25:00/' -e "s#^db = .*#db = $T/bad.db#" \
    -e "s/^port = .*/port = $(free_port)/" "$T/kiosk.ini" >"$T/bad.ini"
if timeout 10 "$KIOSK" serve --config "$T/bad.ini" >"$T/bad.log" 2>&1; then
	nok "a bad server.away_until is refused at start"
else
	check "a bad server.away_until is refused at start, naming the key" grep -q 'server.away_until' "$T/bad.log"
fi
exit 0
