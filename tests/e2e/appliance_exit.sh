#!/bin/bash
# Lockdown of the resident screen against a keyboard (X server: Xvfb, keys
# sent by xdotool through SDL's real event translation): the usual ways out
# (Alt+F4, Ctrl+Alt+Backspace, Ctrl+Q, Ctrl+W, Ctrl+C, Escape,
# Ctrl+Alt+F2) leave the kiosk running; the staff's exit key
# (kiosk.exit_key; a key switch programmed to send a key the kiosk's
# users never have, here Pause) ends it with status 75, the status kiosk-ui.service
# does not restart after.  A kiosk without exit_key has no way out at all.
KIOSK=${KIOSK:-build/kiosk}
dir=$(mktemp -d)
xpid=""; kpid=""
cleanup() {
	[ -n "$kpid" ] && kill "$kpid" 2>/dev/null
	[ -n "$xpid" ] && kill "$xpid" 2>/dev/null
	[ -n "${KEEP:-}" ] && echo "# kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fi; }
if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null; then
	echo "not ok - Xvfb and xdotool are installed (make deps)"; exit 1
fi
# an X server on a display number it picks itself (-displayfd: no two
# runs race for one number)
mkfifo "$dir/xfd"
Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp 3>"$dir/xfd" >/dev/null 2>&1 &
xpid=$!
n=$(timeout 10 head -n 1 "$dir/xfd")
[ -n "$n" ] || { echo "not ok - Xvfb starts"; exit 1; }
export DISPLAY=:$n
export SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=dummy
export LSAN_OPTIONS="detect_leaks=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
SRV="--server http://127.0.0.1:9"

start() { # config
	"$KIOSK" run $SRV --config "$1" >"$dir/k.log" 2>&1 &
	kpid=$!
	for i in $(seq 150); do
		w=$(xdotool search --pid "$kpid" 2>/dev/null | head -1)
		[ -n "$w" ] && grep -q 'video x11' "$dir/k.log" && break
		sleep 0.1
	done
	sleep 0.5
}

printf '[kiosk]\nexit_key = Pause\n' >"$dir/exit.ini"
start "$dir/exit.ini"
check "the kiosk runs full screen on X11" "[ -n '$w' ]"
for combo in alt+F4 ctrl+alt+BackSpace ctrl+q ctrl+w ctrl+c Escape \
    ctrl+alt+F2 super+q F12; do
	xdotool key --window "$w" "$combo" 2>/dev/null
	sleep 0.4
	check "$combo does not end the kiosk" "kill -0 $kpid 2>/dev/null"
done
xdotool key --window "$w" Pause
for i in $(seq 50); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$kpid" 2>/dev/null && kill "$kpid"
wait "$kpid"; rc=$?; kpid=""
check "the staff exit key (kiosk.exit_key = Pause) ends it with status 75 (rc $rc)" "[ $rc -eq 75 ]"
check "... and says so in the log" "grep -q 'staff exit key' '$dir/k.log'"

printf '[kiosk]\n' >"$dir/none.ini"
start "$dir/none.ini"
xdotool key --window "$w" Pause
sleep 0.5
check "without kiosk.exit_key, Pause does nothing" "kill -0 $kpid 2>/dev/null"
kill "$kpid"; wait "$kpid" 2>/dev/null; kpid=""

printf '[kiosk]\nexit_key = NoSuchKey\n' >"$dir/typo.ini"
start "$dir/typo.ini"
check "a misspelt exit_key: the kiosk still runs, with a warning" \
    "kill -0 $kpid 2>/dev/null && grep -q \"exit_key = 'NoSuchKey' is not a key\" '$dir/k.log'"
exit 0
