#!/bin/sh
# ui bench: the kiosk UI's speed and memory, each figure with its budget.
#   first frame  exec to the first frame presented, offscreen, median of 10
#   peak RSS     every font face opened (KIOSK_FONTS_EAGER=1) and used in
#                eight languages, large text included
#   menu redraw  instructions (callgrind) for one full redraw of the menu,
#                with the text already laid out (the cold first draw beside)
#   clock tick   instructions per idle clock tick: the tick and the redraw
#                it causes, counted over one fake minute on the idle screen
#   idle CPU     % of one core over 30 s with nothing happening
# Runs `kiosk run` against a server URL nobody listens on, so no queue
# server is hosted and only the UI is measured.  Software renderer (no GPU
# offscreen): a GPU renderer needs far fewer CPU instructions per redraw.
KIOSK=${KIOSK:-build/kiosk}
dir=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
SRV="--server http://127.0.0.1:9"
export SDL_VIDEODRIVER=offscreen

printf 'quit\n' > "$dir/quit.txt"

# ---- exec to first frame ----
# wall time from just before exec to the first present; the CPU time of
# each whole run (start, first frame, exit) beside it, and the load, since
# wall time on a busy machine is mostly waiting for a core
python3 - "$KIOSK" run $SRV --script "$dir/quit.txt" <<'PY'
import os, subprocess, sys, time
env = dict(os.environ, KIOSK_FIRST_FRAME="1")
walls, cpus = [], []
for i in range(10):
    t0 = time.time_ns()
    p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env=env)
    err = p.stderr.read().decode(errors="replace")
    _, status, ru = os.wait4(p.pid, 0)
    for line in err.splitlines():
        if line.startswith("first-frame-realtime-ns "):
            walls.append((int(line.split()[1]) - t0) / 1e6)
            cpus.append((ru.ru_utime + ru.ru_stime) * 1000)
if not walls:
    print("   first frame: no frame was presented (see: kiosk run --script)")
    sys.exit(0)
def median(v):
    v = sorted(v); n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
print("   first frame: %.1f ms from exec (median of %d, min %.1f; CPU of a whole run %.0f ms; load %.1f)   budget 120 ms"
      % (median(walls), len(walls), min(walls), median(cpus), os.getloadavg()[0]))
PY

# ---- peak RSS with every font in use ----
cat > "$dir/langs.txt" <<'S'
lang en
lang zh
lang ko
lang vi
lang tl
lang pt
lang th
lang ja-easy
reset menu
lang zh
lang vi
lang ko
large on
lang ja
quit
S
KIOSK_FONTS_EAGER=1 python3 - "$KIOSK" run $SRV --script "$dir/langs.txt" <<'PY'
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL).returncode
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("   peak RSS: %.1f MB with all fonts open and drawn in 8 languages%s   budget 45 MB"
      % (kb / 1024, "" if rc == 0 else " (run exited %d)" % rc))
PY

# ---- instructions (callgrind) ----
if command -v valgrind >/dev/null 2>&1; then
	# Ir collected inside the named functions only
	cg() {
		out="$dir/cg.$1"
		shift
		valgrind --tool=callgrind --callgrind-out-file="$out" "$@" \
		    "$KIOSK" run $SRV --script "$dir/$(basename "$out" | sed 's/^cg\.//').txt" \
		    >/dev/null 2>&1
		sed -n 's/^summary: //p' "$out"
	}
	# calls of function $2 in callgrind file $1
	calls() {
		awk -v want="$2" '
		    /^c?fn=\(/ { id = $1; sub(/^c?fn=/, "", id); name = $0;
		        sub(/^c?fn=\([0-9]+\) ?/, "", name);
		        if (name != "") names[id] = name; last = id;
		        iscall = ($1 ~ /^cfn=/) ; next }
		    /^calls=/ { if (iscall && names[last] == want) { split($0, a, /[= ]/); n += a[2] } }
		    END { print n + 0 }' "$1"
	}
	DRAW="--toggle-collect=redraw --toggle-collect=present"
	printf 'reset menu\nredraw\nquit\n' > "$dir/m1.txt"
	printf 'reset menu\nredraw\nredraw\nredraw\nredraw\nredraw\nredraw\nredraw\nredraw\nredraw\nredraw\nredraw\nquit\n' > "$dir/m11.txt"
	cp "$dir/quit.txt" "$dir/m0.txt"
	m0=$(cg m0 $DRAW)
	m1=$(cg m1 $DRAW)
	m11=$(cg m11 $DRAW)
	if [ -n "$m0" ] && [ -n "$m1" ] && [ -n "$m11" ]; then
		awk -v a="$m0" -v b="$m1" -v c="$m11" 'BEGIN {
		    warm = (c - b) / 10; cold = b - a - warm
		    printf "   menu redraw: %.2f M instructions (first draw, laying out the text: %.2f M)   budget 12 M\n", warm / 1e6, cold / 1e6 }'
	else
		echo "   menu redraw: callgrind run failed"
	fi
	TICK="--toggle-collect=tick --toggle-collect=redraw --toggle-collect=present"
	printf 'wait 60000\nquit\n' > "$dir/t1.txt"
	cp "$dir/quit.txt" "$dir/t0.txt"
	t0=$(cg t0 $TICK)
	t1=$(cg t1 $TICK)
	n=$(calls "$dir/cg.t1" tick)
	if [ -n "$t0" ] && [ -n "$t1" ] && [ "${n:-0}" -gt 0 ]; then
		awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN {
		    printf "   clock tick: %.2f M instructions per tick (%d tick(s) in a fake idle minute, with the redraws they caused)   budget 1 M\n", (b - a) / n / 1e6, n }'
	else
		echo "   clock tick: no timer tick in a fake idle minute (the idle screen sets no timer)"
	fi
else
	echo "   menu redraw / clock tick: valgrind not installed (make deps)"
fi

# ---- idle CPU over 30 s ----
"$KIOSK" run $SRV >/dev/null 2>&1 &
pid=$!
sleep 3
if [ -r "/proc/$pid/stat" ]; then
	a=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	sleep 30
	b=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null)
	hz=$(getconf CLK_TCK)
	if [ -n "$b" ]; then
		awk -v a="$a" -v b="$b" -v hz="$hz" 'BEGIN {
		    printf "   idle CPU: %.3f %% of a core over 30 s (%d ticks of 1/%d s)   budget 0.1 %%\n", (b - a) / hz / 30 * 100, b - a, hz }'
	else
		echo "   idle CPU: the kiosk exited during the measurement"
	fi
else
	echo "   idle CPU: the kiosk did not start"
fi
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=""
