#!/bin/bash
# Processes that hold personal data leave no core file and cannot be read
# by other users (issue 12, item 2): `kiosk serve`, `kiosk run` and `kiosk
# card read` set RLIMIT_CORE to 0 and clear PR_SET_DUMPABLE at start.
#
# How it is seen from outside: /proc/PID/limits shows the core limit, and
# a non-dumpable process's /proc/PID/status (and mem, environ) belong to root instead of its
# user, so the roles run as another user (nobody) when the test is root.
# Then each gets SIGSEGV with `ulimit -c unlimited` in a folder it may
# write, and no core file may appear (checked when core_pattern writes
# files; a piped core_pattern goes to a collector this test cannot see).
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
KIOSK=${KIOSK:-build/kiosk}
case $KIOSK in /*) ;; *) KIOSK=$ROOT/$KIOSK ;; esac
dir=$(mktemp -d /tmp/kiosk-core.XXXXXX)
chmod 0777 "$dir"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$dir"
}
trap cleanup EXIT
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; }

if [ "$(id -u)" = 0 ]; then
	AS=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
	user=65534
else
	AS=()
	user=$(id -u)
fi
pattern=$(cat /proc/sys/kernel/core_pattern)
echo "# core_pattern: $pattern; running the roles as uid $user"

# the control: a plain process run the same way is dumpable, so the
# owner check below can tell the difference
(cd "$dir" && exec "${AS[@]}" sleep 30) &
ctl=$!
pids+=($ctl)
sleep 0.3
if [ "$(stat -c %u /proc/$ctl/status 2>/dev/null)" = "$user" ]; then
	ok "control: a plain process of uid $user owns its /proc/PID/status"
	owner_check=1
else
	echo "# /proc/$ctl is owned by $(stat -c %u /proc/$ctl/status 2>/dev/null), not $user: the owner check is skipped"
	owner_check=0
fi
kill -9 $ctl 2>/dev/null; wait $ctl 2>/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$dir/kiosk.ini" <<INI
[kiosk]
assets = $ROOT/assets
fonts = $ROOT/fonts/fonts.conf
[server]
port = $port
db = $dir/db/k.db
INI
chmod 0644 "$dir/kiosk.ini"

# check NAME PID LOG: the process must be running as $user
check() {
	local name=$1 pid=$2 log=$3 i lim st
	for i in $(seq 1 100); do
		[ "$(readlink /proc/$pid/exe 2>/dev/null)" = "$KIOSK" ] && break
		sleep 0.05
	done
	sleep 0.5
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid"
		notok "$name is running (it exited early with status $?: $(tail -3 "$log"))"
		return
	fi
	lim=$(awk '/^Max core file size/ {print $5 "/" $6}' /proc/$pid/limits)
	if [ "$lim" = "0/0" ]; then ok "$name: core file size limit 0 (soft and hard)"
	else notok "$name: core file size limit is $lim, not 0/0"; fi
	if [ $owner_check = 1 ]; then
		st=$(stat -c %u /proc/$pid/status)
		if [ "$st" = 0 ]; then ok "$name: not dumpable (/proc/$pid/status belongs to root, the process to uid $user)"
		else notok "$name: dumpable (/proc/$pid/status belongs to uid $st)"; fi
	fi
	kill -SEGV "$pid"
	wait "$pid" 2>/dev/null
	st=$?
	sleep 0.3
	case $pattern in
	'|'*) echo "# core_pattern is a pipe: the no-core-file check is left to the limits above" ;;
	*)
		if [ -z "$(find "$dir" -maxdepth 1 -name 'core*' -print -quit)" ]; then
			ok "$name: SIGSEGV (status $st) with ulimit -c unlimited left no core file"
		else
			notok "$name: SIGSEGV left a core file: $(ls "$dir" | grep core)"
			rm -f "$dir"/core*
		fi ;;
	esac
}

(cd "$dir" && ulimit -c unlimited && exec "${AS[@]}" "$KIOSK" serve --config "$dir/kiosk.ini") >"$dir/serve.log" 2>&1 &
pids+=($!)
check "kiosk serve" $! "$dir/serve.log"

(cd "$dir" && ulimit -c unlimited && unset SDL_VIDEODRIVER DISPLAY WAYLAND_DISPLAY &&
    exec "${AS[@]}" "$KIOSK" run --config "$dir/kiosk.ini" --server http://127.0.0.1:9 --windowed) >"$dir/run.log" 2>&1 &
pids+=($!)
check "kiosk run" $! "$dir/run.log"

sleep 30 | (cd "$dir" && ulimit -c unlimited && exec "${AS[@]}" "$KIOSK" card read --config "$dir/kiosk.ini") >"$dir/card.log" 2>&1 &
pids+=($!)
check "kiosk card read (waiting for the PIN)" $! "$dir/card.log"
