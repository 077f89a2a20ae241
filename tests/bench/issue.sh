#!/bin/sh
# Durable issuing (POST /api/tickets, each answer after its fsync) on
# loopback: req/s and p50/p99 at 1, 8 and 32 connections, the same with
# the database on a slow disk (build/bench/fsync_delay.so adds
# FSYNC_DELAY_US, default 10 ms, to every fsync, as an SD card does), and
# the issue rate of the 1st and the 10,000th thousand tickets of one day
# (build/bench/issue_load; flat is the target).  Budgets: 10 times the
# peer measured in issue 17 (Memuro-Town/MADO-queue: 659, 699 and 681
# req/s at 1, 8 and 32 connections) at 8 and 32 connections, and no worse
# than it at 1.  The server runs with its default settings.
BUILD=${BUILD:-build}
KIOSK=${KIOSK:-$BUILD/kiosk}
DUR=${BENCH_SECONDS:-5}
DELAY=${FSYNC_DELAY_US:-10000}
cd "$(dirname "$0")/../.." || exit 1
command -v wrk >/dev/null || { echo "   wrk not installed (apt-get install wrk)"; exit 1; }
for f in "$BUILD/bench/issue_load" "$BUILD/bench/fsync_delay.so"; do
	[ -x "$f" ] || [ -f "$f" ] || { echo "   $f missing (make bench builds it)"; exit 1; }
done
. tests/bench/lib.sh

cat >"$dir/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"procedure":"juminhyo","lang":"ja","answers":{"who":"self","copies":1},"applicant":{"name":"負荷 試験","birth":"1990-01-01"},"flags":{"card":true}}'
LUA

report() { # label budget-rps budget-p99-ms file
	rps=$(awk '/^Requests\/sec/ {printf "%d", $2}' "$4")
	p50=$(awk '$1 == "50%" {print $2}' "$4")
	p99=$(awk '$1 == "99%" {print $2}' "$4")
	non2xx=$(awk '/Non-2xx/ {print $NF}' "$4")
	errs=$(awk '/Socket errors/ {print $0}' "$4")
	printf "   %-40s %6s req/s (budget >= %s)  p50 %s  p99 %s (budget <= %s ms)%s%s\n" \
	    "$1" "$rps" "$2" "$p50" "$p99" "$3" \
	    "${non2xx:+  non-2xx: $non2xx}" "${errs:+  $errs}"
}

run() { # label conns budget-rps budget-p99
	t=$(( $2 < 2 ? 1 : 2 ))
	wrk -t$t -c"$2" -d"${DUR}s" --latency -s "$dir/post.lua" \
	    "http://127.0.0.1:$PORT/api/tickets" >"$dir/wrk.txt" 2>&1
	report "$1" "$3" "$4" "$dir/wrk.txt"
}

start fast.db
run "POST /api/tickets, 1 conn" 1 659 20
run "POST /api/tickets, 8 conns" 8 6990 20
run "POST /api/tickets, 32 conns" 32 6810 50

start slow.db env FSYNC_DELAY_US="$DELAY" \
    LD_PRELOAD="$BUILD/bench/fsync_delay.so"
d=$((DELAY / 1000))
# one fsync per commit: 1 conn cannot beat 1/delay; more connections share it
run "slow disk (+$d ms/fsync), 1 conn" 1 $((700 / (d + 1))) $((3 * d + 20))
run "slow disk (+$d ms/fsync), 8 conns" 8 $((5000 / (d + 1))) $((3 * d + 30))
run "slow disk (+$d ms/fsync), 32 conns" 32 $((20000 / (d + 1))) $((3 * d + 60))

start day.db
"$BUILD/bench/issue_load" "$PORT" 8 10000 >"$dir/day.txt" || { echo "   issue_load failed"; exit 1; }
first=$(awk '$1 == "first1000" {print $2}' "$dir/day.txt")
last=$(awk '$1 == "last1000" {print $2}' "$dir/day.txt")
errs=$(awk '$1 == "errors" {print $2}' "$dir/day.txt")
printf "   %-40s %6s tickets/s\n" "one day, tickets 1-1000 (8 conns)" "$first"
printf "   %-40s %6s tickets/s (budget >= 90%% of the 1st thousand: %s)%s\n" \
    "one day, tickets 9001-10000 (8 conns)" "$last" "$((first * 9 / 10))" \
    "$([ "$errs" != 0 ] && echo "  errors: $errs")"
stop
