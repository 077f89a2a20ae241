#!/bin/sh
# The appliance: the hardened units' systemd-analyze security exposure
# (budget for the server: 2.0), and a backup of a busy day's database
# taken while the server runs (budget: 2 s for 3,000 tickets with their
# applications; the nightly timer has hours).
KIOSK=${KIOSK:-build/kiosk}
cd "$(dirname "$0")/../.." || exit 1
for u in kiosk-server kiosk-backup kiosk-ui kiosk-display kiosk-screen; do
	lvl=$(systemd-analyze security --offline=true "systemd/$u.service" 2>/dev/null |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	echo "   security exposure $u.service: ${lvl:-?}$( [ $u = kiosk-server ] && echo ' (budget 2.0)')"
done
dir=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf '[kiosk]\nassets = %s/assets\n[server]\nport = %s\ndb = %s/kiosk.db\n' \
    "$(pwd)" "$PORT" "$dir" >"$dir/kiosk.ini"
"$KIOSK" serve --config "$dir/kiosk.ini" 2>/dev/null &
pid=$!
N=${BENCH_TICKETS:-3000}
python3 - "$PORT" "$N" <<'PY'
import http.client, json, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
for _ in range(100):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10); c.connect(); break
    except OSError:
        time.sleep(0.05)
body = json.dumps({"procedure": "juminhyo", "lang": "ja", "answers": {},
                   "applicant": {"name": "旭 太郎", "address": "千葉県旭市二の1920"}})
for i in range(n):
    c.request("POST", "/api/tickets", body, {"Content-Type": "application/json"})
    c.getresponse().read()
PY
size=$(stat -c %s "$dir/kiosk.db")
t0=$(date +%s%N)
"$KIOSK" backup --config "$dir/kiosk.ini" --out "$dir/b.db" 2>/dev/null || echo "   backup failed"
t1=$(date +%s%N)
echo "   backup of $N tickets while serving: $(( (t1 - t0) / 1000000 )) ms (budget 2000 ms), database $size bytes -> backup $(stat -c %s "$dir/b.db") bytes"
t0=$(date +%s%N)
"$KIOSK" restore --config "$dir/kiosk.ini" --db "$dir/r/kiosk.db" "$dir/b.db" 2>/dev/null || echo "   restore failed"
t1=$(date +%s%N)
echo "   restore (checks + copy): $(( (t1 - t0) / 1000000 )) ms"
