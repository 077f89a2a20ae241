#!/bin/bash
# web_congestion.sh - the public congestion page (/congestion) and the staff
# console's accuracy and staffing figures in Debian's chromium, against a
# `kiosk serve` holding eight weeks of generated history and a few tickets
# of today with an applicant's name (which must not show).  The printed
# poster's QR code is read back with zbarimg.
set -u
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
BUILD=${BUILD:-build}
KIOSK=${KIOSK:-$BUILD/kiosk}
GEN=$BUILD/tests/gen_history
SHOTS="$ROOT/$BUILD/web-screenshots"
TMP=$(mktemp -d /tmp/kiosk-cong.XXXXXX)
PID=""
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }

# a free port: ask the kernel
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
SERVICES='A:住民票・証明書:1,2;B:届出・異動:3,4'
FROM=$(date -u -d "@$(( $(date +%s) + 9 * 3600 - 56 * 86400 ))" +%F)
if "$GEN" --db "$TMP/kiosk.db" --services "$SERVICES" --from "$FROM" --days 56 \
    --seed 21 --hours 9-17 --weekends \
    'A:rate=14:dist=lognorm:sigma=0.7:procs=juminhyo/4,inkan_shomei/3' \
    'B:rate=5:dist=exp:procs=tennyu/12' >"$TMP/gen.out" 2>"$TMP/gen.err"; then
	ok "eight weeks of history generated ($(cat "$TMP/gen.out") tickets)"
else
	nok "history generated: $(tail -2 "$TMP/gen.err")"; exit 1
fi
cat >"$TMP/kiosk.ini" <<INI
[kiosk]
assets = $ROOT/assets
site_name = 旭市役所 市民課
[server]
port = $PORT
db = $TMP/kiosk.db
public_url = $BASE
services = $SERVICES
[evidence]
history_weeks = 8
min_cell = 10
INI
"$KIOSK" serve --config "$TMP/kiosk.ini" >>"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "$BASE/api/health" && break; sleep 0.1; done
# three residents waiting now, one with a name and address
for p in juminhyo juminhyo inkan_shomei; do
	curl -s -o /dev/null -X POST "$BASE/api/tickets" -H 'Content-Type: application/json' \
	    -d "{\"procedure\":\"$p\",\"lang\":\"vi\",\"applicant\":{\"name\":\"混雑 確認子\",\"address\":\"旭市ハ9999番地\"},\"flags\":{\"card\":true,\"assist\":false,\"priority\":false}}"
done
mkdir -p "$SHOTS"
WEB_BASE="$BASE" WEB_SHOTS="$SHOTS" WEB_TMP="$TMP" \
    timeout 180 node --test --test-reporter=tap tests/web/congestion.test.js >"$TMP/node.out" 2>&1
rc=$?
sed -E 's/^(not )?ok [0-9]+ - /\1ok - /' "$TMP/node.out"
if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$TMP/node.out"; then
	nok "browser tests ran to the end (exit $rc)"
fi
if [ -f "$TMP/poster.png" ]; then
	got=$(zbarimg -q --raw "$TMP/poster.png" 2>/dev/null | head -1)
	if [ "$got" = "$BASE/congestion" ]; then ok "the printed poster's QR code reads $got"
	else nok "the printed poster's QR code reads $BASE/congestion (got '$got')"; fi
fi
if grep -q '混雑 確認子\|旭市ハ9999' "$TMP/server.log"; then nok "no personal data in the server log"
else ok "no personal data in the server log"; fi
