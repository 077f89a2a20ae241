#!/bin/sh
# The server's CPU per durable issue (POST /api/tickets), the figures that
# do not move with the machine's load as req/s does:
#  - instructions per ticket, counted by valgrind's callgrind over a fixed
#    2,000 tickets at 8 connections (after 1,000 to warm up), split by
#    thread (the store's writer, whose work is serial, and the HTTP
#    polling threads) and by where they go (docs/performance.md);
#  - without valgrind: CPU time (user, kernel) and thread switches per
#    ticket over 5,000 tickets at 8 and 32 connections (build/bench/
#    issue_load; the kernel's share moves with the machine).
# Budget: at most 400,000 instructions a ticket (340,000 when written,
# 471,000 before docs/performance.md's second round).
# PROFILE_OUT=dir keeps the callgrind file for callgrind_annotate.
BUILD=${BUILD:-build}
KIOSK=${KIOSK:-$BUILD/kiosk}
cd "$(dirname "$0")/../.." || exit 1
LOAD=$BUILD/bench/issue_load
[ -x "$LOAD" ] || { echo "   $LOAD missing (make bench builds it)"; exit 1; }
. tests/bench/lib.sh

N=2000
if command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
	out=$dir/cg.out
	start cg.db valgrind --tool=callgrind --callgrind-out-file="$out" \
	    --dump-instr=no
	"$LOAD" "$PORT" 8 1000 >/dev/null
	callgrind_control -z "$pid" >/dev/null 2>&1
	"$LOAD" "$PORT" 8 $N >"$dir/load.txt"
	callgrind_control -d "$pid" >/dev/null 2>&1
	stop
	[ -n "$PROFILE_OUT" ] && cp "$out".1 "$PROFILE_OUT/issue.callgrind"
	callgrind_annotate --threshold=100 --inclusive=yes "$out".1 \
	    >"$dir/incl.txt" 2>/dev/null
	callgrind_annotate --threshold=100 --inclusive=no "$out".1 \
	    >"$dir/self.txt" 2>/dev/null
	# inclusive instructions of a function, per ticket
	incl() {
		awk -v f="$1" -v n=$N 'index($0, f) && /^ *[0-9,]+ \( *[0-9.]+%\)/ {
		    gsub(",", "", $1); printf "%d", $1 / n; found = 1; exit }
		    END { if (!found) printf "0" }' "$dir/incl.txt"
	}
	total=$(awk -v n=$N '/PROGRAM TOTALS/ { gsub(",", "", $1);
	    printf "%d", $1 / n }' "$dir/incl.txt")
	writer=$(incl "store_writer.c:writer_main ")
	printf "   %-40s %7s Ir (budget <= 400000)\n" \
	    "instructions per ticket (8 conns)" "$total"
	printf "   %-40s %7s Ir (serial: one thread commits)\n" \
	    "  on the store's writer thread" "$writer"
	printf "   %-40s %7s Ir\n" "  on the HTTP polling threads" \
	    "$((total - writer))"
	# self instructions by library, per ticket
	awk -v n=$N '/^ *[0-9,]+ \( *[0-9.]+%\)/ && /\[/ &&
	    !/clone\.S|:start_thread / {
		c = $1; gsub(",", "", c); o = $NF
		if (o ~ /sqlite/) k = "SQLite"
		else if (o ~ /jansson/) k = "jansson"
		else if (o ~ /microhttpd/) k = "libmicrohttpd"
		else if (o ~ /libc\.so/) k = "libc"
		else if (o ~ /kiosk\]/) k = "kiosk"
		else k = "other"
		s[k] += c }
	    END { for (k in s) printf "%d %s\n", s[k] / n, k }' "$dir/self.txt" |
	    sort -rn | while read -r c k; do
		printf "   %-40s %7s Ir\n" "  in $k (self)" "$c"
	done
	for f in "store_issue.c:issue_job " "store_issue.c:store_estimate " \
	    "store.c:store_load " "store.c:store_add_event " \
	    "api_ticket.c:api_h_issue " "api.c:api_body " \
	    "api_ticket.c:issue_answer " "api.c:api_emit "; do
		printf "   %-40s %7s Ir\n" "  ${f%% }" "$(incl "$f")"
	done
else
	echo "   valgrind not installed: no instruction counts"
fi

# Native CPU and thread switches per ticket.
for c in 8 32; do
	start cpu$c.db
	"$LOAD" "$PORT" "$c" 1000 >/dev/null
	snap() {
		awk '{ printf "%s %s ", $14, $15 }' "/proc/$pid/stat"
		cat /proc/"$pid"/task/*/status | awk '/^voluntary_ctxt/ { v += $2 }
		    /^nonvoluntary_ctxt/ { n += $2 } END { print v, n }'
	}
	a=$(snap)
	"$LOAD" "$PORT" "$c" 5000 >"$dir/load.txt"
	b=$(snap)
	stop
	echo "$a $b" | awk -v hz="$(getconf CLK_TCK)" -v c="$c" \
	    -v r="$(awk '$1 == "rate" { print $2 }' "$dir/load.txt")" '{
	    printf "   %-40s %4.0f us user %4.0f us kernel, %.1f thread switches (%s tickets/s)\n",
	    "CPU per ticket, " c " conns", ($5 - $1) * 1e6 / hz / 5000,
	    ($6 - $2) * 1e6 / hz / 5000, ($7 - $3 + $8 - $4) / 5000, r }'
done
