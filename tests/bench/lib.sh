# tests/bench/lib.sh - sourced by issue.sh and issue_cpu.sh (not a bench: run skips it): a
# scratch folder with the test catalog (removed at exit), and
#   start DB-NAME [WRAPPER...]  `kiosk serve` on a free port ($PORT) with
#                               its db in the folder, run under WRAPPER
#                               (valgrind, env LD_PRELOAD=...) if given;
#                               returns once /api/health answers
#   stop                        ends it
dir=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
mkdir -p "$dir/assets/web"
cp tests/server/catalog.json "$dir/assets/procedures.json"

stop() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	pid=
}

start() { # db-name [wrapper...]
	stop
	PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$dir/kiosk.ini" <<INI
[kiosk]
assets = $dir/assets
[server]
port = $PORT
db = $dir/$1
INI
	shift
	"$@" "$KIOSK" serve --config "$dir/kiosk.ini" 2>>"$dir/server.log" &
	pid=$!
	i=0
	# a minute: under valgrind the start-up is slow
	until curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null; do
		i=$((i + 1)); [ $i -gt 600 ] && { echo "   server did not start"; cat "$dir/server.log"; exit 1; }
		sleep 0.1
	done
}
