# tests/e2e/lib.sh - the start every end-to-end script shares.  Source it
# first:   . "$(dirname "$0")/lib.sh"
#
# After it: the working folder is the checkout (ROOT); BUILD (default
# build) and KIOSK (default $BUILD/kiosk, made absolute) are exported; PY is
# Debian's python3; T is a fresh folder under /tmp, removed at exit (kept
# and named with KEEP=1); set -u.
#
# Check lines, as tests/run counts them ("ok - ..." and "not ok - ..."):
#   ok TEXT             a check passed
#   nok TEXT            a check failed
#   check TEXT CMD...   ok or nok by CMD's status; CMD runs in this shell
#                       (it may set variables), its output goes to the log
#   quiet CMD...        CMD with its output thrown away (for check)
# Processes and cleanup:
#   on_exit CMD...      run CMD at exit (last registered runs first)
#   stop_pid PID        SIGTERM, up to 5 s, then SIGKILL; waits for the end
#   free_port           a TCP port free on 127.0.0.1 just now
#   kiosk_config DIR [PRINTER_URI [TIMEOUT_MS]]
#                       DIR/kiosk.ini for a scripted kiosk (server in-process)
#   start_xvfb WxHxD    an X server; sets DISPLAY and XVFB_PID
#   start_printer_emulator [OPTIONS]
#                       tests/printer/printer_emulator.py on a port of its
#                       own choosing, recording into $T/rec; sets EMU_PORT
#                       and EMU_PID, stopped at exit.  Fails (status 1,
#                       its log on stderr) when it does not listen in 10 s.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
BUILD=${BUILD:-build}
KIOSK=${KIOSK:-$BUILD/kiosk}
case $KIOSK in /*) ;; *) KIOSK=$ROOT/$KIOSK ;; esac
export BUILD KIOSK
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
check() {
	local what=$1; shift
	if "$@"; then ok "$what"; else nok "$what"; fi
}
quiet() { "$@" >/dev/null 2>&1; }

_E2E_EXIT=()
on_exit() { _E2E_EXIT=("$*" "${_E2E_EXIT[@]}"); }
_e2e_exit() {
	local rc=$? c
	for c in "${_E2E_EXIT[@]}"; do eval "$c"; done
	exit $rc
}
trap _e2e_exit EXIT

T=$(mktemp -d "/tmp/kiosk-e2e-$(basename "$0" .sh).XXXXXX") || exit 1
on_exit '[ -n "${KEEP:-}" ] && echo "# kept $T" || rm -rf "$T"'

stop_pid() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

free_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

EMU_PID=
EMU_PORT=
# kiosk_config DIR [PRINTER_URI [TIMEOUT_MS]]: DIR/kiosk.ini for one
# scripted kiosk: windowed, its server in-process on a free port, its db in
# DIR, printing to PRINTER_URI (default file:DIR/tickets).
kiosk_config() {
	local d=$1 uri=${2:-} to=${3:-1500}
	mkdir -p "$d/tickets"
	[ -n "$uri" ] || uri="file:$d/tickets"
	cat >"$d/kiosk.ini" <<-INI
	[kiosk]
	fullscreen = false
	[server]
	port = $(free_port)
	db = $d/kiosk.db
	public_url = http://127.0.0.1:8080
	[printer]
	uri = $uri
	timeout_ms = $to
	INI
}

# start_xvfb WxHxD: an X server on a display number it picks itself
# (-displayfd: no two runs ever race for one); sets DISPLAY and XVFB_PID.
start_xvfb() {
	local fifo n
	fifo=$(mktemp -u)
	mkfifo "$fifo" || return 1
	Xvfb -displayfd 3 -screen 0 "$1" -nolisten tcp 3>"$fifo" >/dev/null 2>&1 &
	XVFB_PID=$!
	n=$(timeout 10 head -n 1 "$fifo")
	rm -f "$fifo"
	[ -n "$n" ] || return 1
	export DISPLAY=:$n
}

start_printer_emulator() {
	local i
	"$PY" "$ROOT/tests/printer/printer_emulator.py" --port 0 --record "$T/rec" \
	    "$@" >"$T/emu.log" 2>&1 &
	EMU_PID=$!
	on_exit 'stop_pid "$EMU_PID"'
	for i in $(seq 100); do
		EMU_PORT=$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$T/emu.log")
		[ -n "$EMU_PORT" ] && return 0
		kill -0 "$EMU_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "# the printer emulator did not start:" >&2
	sed 's/^/#   /' "$T/emu.log" >&2
	return 1
}
