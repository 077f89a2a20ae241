#!/bin/bash
# The resident screen under cage, as a non-root user, on the headless
# wlroots backend: grim captures the idle screen and it matches the
# offscreen driver's screenshot of the same screen.
#
# Why the output rotated by 180° (cage -r -r): with the kiosk's buffer the
# size of the output, cage 0.1.4 scans the client's buffer out directly
# instead of compositing it.  On the headless backend screencopy (grim)
# only sees composited frames, so it returned the last one composited:
# black when the very first buffer already fitted the output (the "black
# screen after 8 s"), or the first frame drawn before the compositor's
# configure (the default 1920x1080 layout cropped to 1280x720) with every
# later frame missing.  A transformed output never takes the scan-out path
# (cage requires the surface's transform to equal the output's), so every
# frame is composited and grim sees what a monitor would show; grim undoes
# the rotation.  On a real KMS display scan-out is correct (the planes show
# the client's buffer), so kiosk-ui.service does not rotate.
# Needs root (to become another user); free ports only.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
KIOSK=${KIOSK:-$BUILD/kiosk}
CMP=$BUILD/tests/appliance/pngcmp
pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; }
if [ "$(id -u)" -ne 0 ]; then echo "# skipped: needs root to run as another user"; exit 0; fi
for t in cage grim; do
	command -v $t >/dev/null || { fail "$t is installed (DEB_TEST)"; exit 1; }
done
[ -x "$CMP" ] || { fail "$CMP built (make check builds it)"; exit 1; }
USER_=nobody
T=$(mktemp -d /tmp/kiosk-cage-XXXXXX)
CAGE_PID=
# cage runs in a session of its own: runuser does not pass SIGTERM on to
# cage and the kiosk, so the whole group is ended
stop_cage() {
	[ -n "$CAGE_PID" ] || return 0
	kill -TERM -- "-$CAGE_PID" 2>/dev/null
	for i in $(seq 50); do kill -0 -- "-$CAGE_PID" 2>/dev/null || break; sleep 0.1; done
	kill -KILL -- "-$CAGE_PID" 2>/dev/null
	wait "$CAGE_PID" 2>/dev/null
	CAGE_PID=
}
cleanup() {
	stop_cage
	rm -rf "$T"
}
trap cleanup EXIT
chmod 755 "$T"
mkdir -p "$T/run" "$T/off" "$T/w"
# everything the other user reads is copied in: the source tree may sit
# in a folder only root can enter
cp "$KIOSK" "$T/kiosk"
cp -R assets fonts "$T/"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ROOT=$T
cat >"$T/w/kiosk.ini" <<INI
[kiosk]
assets = $ROOT/assets
fonts = $ROOT/fonts/fonts.conf
width = 1280
height = 720
[server]
port = $PORT
db = $T/w/kiosk.db
[printer]
uri = file:$T/w/tickets
INI
chown -R "$USER_" "$T"
chmod 700 "$T/run"
as_user() { runuser -u "$USER_" -- env -u SDL_VIDEODRIVER -u WAYLAND_DISPLAY XDG_RUNTIME_DIR="$T/run" "$@"; }

# the reference: the same idle screen through the offscreen driver
printf 'wait 3000\nshot idle\nquit\n' >"$T/s.txt"
chmod 644 "$T/s.txt"
if as_user "$T/kiosk" run --config "$T/w/kiosk.ini" --script "$T/s.txt" \
    --screenshots "$T/off" >"$T/off.log" 2>&1 && [ -f "$T/off/idle.png" ]; then
	pass "offscreen screenshot of the idle screen"
else
	fail "offscreen screenshot of the idle screen"; tail -5 "$T/off.log"; exit 1
fi
rm -f "$T/w/kiosk.db"*

# the kiosk under cage, headless, as $USER_
setsid runuser -u "$USER_" -- env -u SDL_VIDEODRIVER -u WAYLAND_DISPLAY \
    XDG_RUNTIME_DIR="$T/run" WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 \
    cage -d -r -r -- env SDL_VIDEODRIVER=wayland "$T/kiosk" run \
    --config "$T/w/kiosk.ini" >"$T/cage.log" 2>&1 &
CAGE_PID=$!
for i in $(seq 100); do [ -S "$T/run/wayland-0" ] && break; sleep 0.1; done
[ -S "$T/run/wayland-0" ] && pass "cage is up (headless backend)" ||
    { fail "cage is up"; tail -20 "$T/cage.log"; exit 1; }
# the issue's moment: 8 s after start
sleep 8
if as_user WAYLAND_DISPLAY=wayland-0 grim "$T/grim.png" 2>"$T/grim.err"; then
	pass "grim captured the output"
else
	fail "grim captured the output ($(cat "$T/grim.err"))"; exit 1
fi
grep -q "video wayland" "$T/cage.log" && pass "the kiosk runs on SDL's wayland driver" ||
    fail "the kiosk runs on SDL's wayland driver"
kill -0 "$CAGE_PID" 2>/dev/null && pass "cage and the kiosk still run after 8 s" ||
    fail "cage and the kiosk still run after 8 s"
read -r W H CLOSE MEANG MEANO < <("$CMP" "$T/grim.png" "$T/off/idle.png" 24)
echo "# grim ${W}x${H}, offscreen: ${CLOSE}% of pixels within 24 levels; mean grey grim $MEANG, offscreen $MEANO"
[ "$W" = 1280 ] && [ "$H" = 720 ] && pass "grim's picture is 1280x720 like the offscreen one" ||
    fail "grim's picture is 1280x720 like the offscreen one (${W}x${H})"
[ "${MEANG:-0}" -gt 100 ] && pass "the output is not black (mean $MEANG)" ||
    fail "the output is not black (mean ${MEANG:-?})"
awk -v c="${CLOSE:-0}" 'BEGIN { exit !(c >= 97.0) }' &&
    pass "grim's picture matches the offscreen screenshot (${CLOSE}% >= 97%)" ||
    fail "grim's picture matches the offscreen screenshot (${CLOSE:-?}% < 97%)"
# the comparison itself can fail: a black frame of the same size does not match
python3 - "$T/black.png" <<'PY'
import sys, zlib, struct
w, h = 1280, 720
raw = b"".join(b"\x00" + b"\x00" * (w * 3) for _ in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
    chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
read -r _ _ BLACK _ < <("$CMP" "$T/black.png" "$T/off/idle.png" 24)
awk -v c="${BLACK:-100}" 'BEGIN { exit !(c < 50) }' &&
    pass "a black frame does not match the reference (${BLACK}%)" ||
    fail "a black frame does not match the reference (${BLACK:-?}%)"
# the kiosk keeps drawing: the queue panel was filled in after start
# (the first frame says 確認しています…): a second capture equals the first
sleep 1
as_user WAYLAND_DISPLAY=wayland-0 grim "$T/grim2.png" 2>/dev/null
read -r _ _ SAME _ < <("$CMP" "$T/grim.png" "$T/grim2.png" 0)
[ "$SAME" = "100.00" ] && pass "the idle screen is stable (a second capture is identical)" ||
    fail "the idle screen is stable (${SAME:-?}% identical)"
stop_cage
check_gone() { ! pgrep -f "$T/kiosk" >/dev/null; }
check_gone && pass "cage and the kiosk are gone after the test" ||
    fail "cage and the kiosk are gone after the test"
exit 0
