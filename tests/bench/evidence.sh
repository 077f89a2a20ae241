#!/bin/sh
# Evidence for a year of a busy hall: ~150,000 tickets over five services
# (generated once through the real store by tests/evidence/gen_history.c
# and kept in $BUILD/bench/), then the time and peak memory of
# `kiosk report` (open data, accuracy replay, staffing, 20-odd charts in
# three formats) and of `kiosk simulate`.  Budgets: the report in a minute
# and 1 GB, the simulation in 10 s, on the 2-core build machine.
BUILD=${BUILD:-build}
KIOSK=${KIOSK:-$BUILD/kiosk}
GEN=$BUILD/tests/gen_history
cd "$(dirname "$0")/../.." || exit 1
[ -x "$GEN" ] || { echo "   $GEN missing (make $GEN)"; exit 1; }
[ -x /usr/bin/time ] || { echo "   /usr/bin/time missing (apt-get install time)"; exit 1; }
SERVICES='A:住民票・証明書:1,2,3,4,5;B:届出・異動:6,7,8,9,10,11;C:マイナンバーカード:12,13,14;D:保険・年金・手当:15,16,17;E:相談:18,19,20,21,22'
DB=$BUILD/bench/evidence-year.db
mkdir -p "$BUILD/bench"
if [ ! -s "$DB" ]; then     # once: delete it to generate again
	tmp=$(mktemp -d /dev/shm/kiosk-bench.XXXXXX 2>/dev/null || mktemp -d)
	start=$(date +%s)
	n=$("$GEN" --db "$tmp/y.db" --services "$SERVICES" --from 2025-04-01 \
	    --days 365 --seed 2025 --hours 8-17 --profile hall \
	    'A:rate=26:dist=lognorm:sigma=0.7:procs=juminhyo/5,inkan_shomei/3,koseki/6,zeishomei/4' \
	    'B:rate=12:dist=lognorm:sigma=0.8:procs=tennyu/20,tenshutsu/12,tenkyo/10,shussei/15' \
	    'C:rate=9:dist=lognorm:sigma=0.6:procs=mynumber_card/10' \
	    'D:rate=10:dist=lognorm:sigma=0.8:procs=kokuho/8,nenkin/10,jido_teate/9' \
	    'E:rate=8:dist=exp:procs=soudan/20' 2>/dev/null) || { echo "   generation failed"; rm -rf "$tmp"; exit 1; }
	sqlite3 "$tmp/y.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null 2>&1
	cp "$tmp/y.db" "$DB"
	rm -rf "$tmp"
	echo "   generated a year of history: $n tickets in $(( $(date +%s) - start )) s ($DB)"
fi
n=$(sqlite3 "$DB" 'SELECT count(*) FROM tickets')
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
cat >"$dir/kiosk.ini" <<INI
[kiosk]
assets = $PWD/assets
[server]
db = $DB
services = $SERVICES
INI
/usr/bin/time -f '%e %M' -o "$dir/t" "$KIOSK" report --config "$dir/kiosk.ini" \
    --from 2025-04-01 --to 2026-03-31 --out "$dir/out" >/dev/null 2>"$dir/err" ||
	{ echo "   report failed: $(tail -2 "$dir/err")"; exit 1; }
read -r s kb <"$dir/t"
echo "   kiosk report, $n tickets: $s s, peak RSS $((kb / 1024)) MB ($(ls "$dir/out" | wc -l) files) (budget 60 s, 1024 MB)"
/usr/bin/time -f '%e %M' -o "$dir/t" "$KIOSK" simulate --config "$dir/kiosk.ini" \
    --from 2025-04-01 --to 2026-03-31 --counters A=5,B=6,C=3,D=3,E=5 --seed 1 \
    >"$dir/sim" 2>"$dir/err" || { echo "   simulate failed: $(tail -2 "$dir/err")"; exit 1; }
read -r s kb <"$dir/t"
echo "   kiosk simulate, $n tickets, 22 counters: $s s, peak RSS $((kb / 1024)) MB (budget 10 s)"
