#!/bin/sh
# Queue server under load on loopback (wrk): GET /api/status/{token} (what
# the phones poll) and POST /api/tickets (durable: fsync per ticket), with
# the server's peak RSS.  A building's peak is a few hundred phones polling
# every ~10 s (~30 req/s) and about one ticket a second; the budgets are
# 100 times that.
KIOSK=${KIOSK:-build/kiosk}
PORT=18085
DUR=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNS:-200}
cd "$(dirname "$0")/../.." || exit 1
command -v wrk >/dev/null || { echo "   wrk not installed (apt-get install wrk)"; exit 1; }
dir=$(mktemp -d)
pid=
sampler=
cleanup() {
	[ -n "$sampler" ] && kill "$sampler" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
mkdir -p "$dir/assets/web"
cp tests/server/catalog.json "$dir/assets/procedures.json"
cat >"$dir/kiosk.ini" <<INI
[kiosk]
assets = $dir/assets
[server]
port = $PORT
db = $dir/kiosk.db
status_rate_per_min = 100000000
threads = 4
INI
"$KIOSK" serve --config "$dir/kiosk.ini" 2>"$dir/server.log" &
pid=$!
i=0
until curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null; do
	i=$((i + 1)); [ $i -gt 200 ] && { echo "   server did not start"; cat "$dir/server.log"; exit 1; }
	sleep 0.05
done
token=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/tickets" -H 'Content-Type: application/json' \
    -d '{"procedure":"juminhyo","lang":"ja"}' | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')

# peak RSS while under load
(
	peak=0
	while kill -0 "$pid" 2>/dev/null; do
		r=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null)
		[ -n "$r" ] && [ "$r" -gt "$peak" ] && { peak=$r; echo "$peak" >"$dir/peak"; }
		sleep 0.2
	done
) &
sampler=$!

report() { # label budget-rps budget-p99-ms file
	rps=$(awk '/^Requests\/sec/ {printf "%d", $2}' "$4")
	p50=$(awk '$1 == "50%" {print $2}' "$4")
	p99=$(awk '$1 == "99%" {print $2}' "$4")
	non2xx=$(awk '/Non-2xx/ {print $NF}' "$4")
	errs=$(awk '/Socket errors/ {print $0}' "$4")
	printf "   %-34s %8s req/s (budget >= %s)  p50 %s  p99 %s (budget <= %s ms)%s%s\n" \
	    "$1" "$rps" "$2" "$p50" "$p99" "$3" \
	    "${non2xx:+  non-2xx: $non2xx}" "${errs:+  $errs}"
}

wrk -t2 -c"$CONNS" -d"${DUR}s" --latency \
    "http://127.0.0.1:$PORT/api/status/$token" >"$dir/status.txt" 2>&1
report "GET /api/status/{token} ($CONNS conns)" 3000 100 "$dir/status.txt"

cat >"$dir/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"procedure":"juminhyo","lang":"ja","answers":{"who":"self","copies":1},"applicant":{"name":"負荷 試験","birth":"1990-01-01"},"flags":{"card":true}}'
LUA
wrk -t2 -c16 -d"${DUR}s" --latency -s "$dir/post.lua" \
    "http://127.0.0.1:$PORT/api/tickets" >"$dir/post.txt" 2>&1
report "POST /api/tickets (16 conns, fsync)" 100 200 "$dir/post.txt"
n=$(curl -sf "http://127.0.0.1:$PORT/api/stats" | sed 's/.*"issued":\([0-9]*\).*"issued".*/\1/' | head -c 12)
kill "$sampler" 2>/dev/null; sampler=
echo "   server peak RSS under load: $(( $(cat "$dir/peak" 2>/dev/null || echo 0) / 1024 )) MB (budget <= 64 MB)"
