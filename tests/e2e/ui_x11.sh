#!/bin/bash
# ui_x11: the kiosk on a real X server (Xvfb): full-screen by default,
# --windowed at kiosk.width x kiosk.height, keyboard input through SDL's
# event translation (Tab moves the keypad focus, Return activates: the
# screen changes), SIGTERM ends it with status 0.  Independent of what the
# screens show.
. "$(dirname "$0")/lib.sh"
dir=$T
xpid=""; kpid=""
cleanup() {
	[ -n "$kpid" ] && kill "$kpid" 2>/dev/null
	[ -n "$xpid" ] && kill "$xpid" 2>/dev/null
}
on_exit cleanup

if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null; then
	nok "Xvfb and xdotool are installed (make deps)"
	exit 1
fi
if ! start_xvfb 1920x1080x24; then
	nok "Xvfb starts"
	exit 1
fi
xpid=$XVFB_PID
export SDL_VIDEODRIVER=x11 SDL_AUDIODRIVER=dummy
# Under AddressSanitizer: on X11 SDL talks D-Bus (screen-saver inhibit,
# input methods) through libraries it loads and unloads itself, which
# leave small blocks behind that no suppression can name.  Leaks of ours
# are checked by the unit tests and ui_smoke, which run the same code on
# the offscreen driver; here the leak check at exit is off.
export LSAN_OPTIONS="detect_leaks=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
SRV="--server http://127.0.0.1:9"

# wait for the kiosk's window; prints its id
window() {
	local w
	for i in $(seq 100); do
		w=$(xdotool search --sync --onlyvisible --pid "$kpid" 2>/dev/null |
		    head -1)
		[ -n "$w" ] && { echo "$w"; return 0; }
		sleep 0.1
	done
	return 1
}

KIOSK_DEBUG=1 "$KIOSK" run $SRV >"$dir/full.log" 2>&1 &
kpid=$!
w=$(timeout 15 bash -c "$(declare -f window); kpid=$kpid; window")
check "the kiosk opens a window on X11" eval "[ -n '$w' ]"
for i in $(seq 50); do grep -q 'video x11' "$dir/full.log" && break; sleep 0.1; done
check "... through the x11 driver" eval "grep -q 'video x11' '$dir/full.log'"
geo=$(xdotool getwindowgeometry "$w" 2>/dev/null | sed -n 's/.*Geometry: //p')
check "full-screen by default ($geo)" eval "[ '$geo' = '1920x1080' ]"
sleep 1
before=$(grep -cE 'debug app: (push|replace|pop|reset)' "$dir/full.log")
xdotool key --window "$w" Tab
sleep 0.3
xdotool key --window "$w" Return
for i in $(seq 30); do
	after=$(grep -cE 'debug app: (push|replace|pop|reset)' "$dir/full.log")
	[ "$after" -gt "$before" ] && break
	sleep 0.1
done
check "Tab then Return activates the focused control (the screen changes)" \
    eval "[ $after -gt $before ]"
kill -TERM "$kpid"
for i in $(seq 50); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
wait "$kpid"
rc=$?
kpid=""
check "SIGTERM ends the kiosk with status 0 (rc $rc)" eval "[ $rc -eq 0 ]"
[ $rc -eq 0 ] || grep -vE ' (info|debug) ' "$dir/full.log" | head -30 | sed 's/^/#   /'

printf '[kiosk]\nwidth = 1280\nheight = 800\n' > "$dir/w.ini"
"$KIOSK" run $SRV --config "$dir/w.ini" --windowed >"$dir/win.log" 2>&1 &
kpid=$!
w=$(timeout 15 bash -c "$(declare -f window); kpid=$kpid; window")
geo=$(xdotool getwindowgeometry "$w" 2>/dev/null | sed -n 's/.*Geometry: //p')
check "--windowed opens kiosk.width x kiosk.height ($geo)" eval "[ '$geo' = '1280x800' ]"
