#!/bin/bash
# ui_smoke: `kiosk run --script` starts headless, screenshots the first
# screen, and fails loudly (status, file:line, the missing font) on bad
# scripts, options and font manifests.  Does not depend on what the
# screens show.
. "$(dirname "$0")/lib.sh"
dir=$T
unset SDL_VIDEODRIVER
# a server URL nobody listens on: `kiosk run` then hosts no queue server
# (no port, no var/kiosk.db) and the UI start is all that is tested
SRV="--server http://127.0.0.1:9"

# PNG facts without libraries: "W H IDAT-bytes".  A blank 1920x1080
# frame compresses to under 10 kB; any drawn screen to far more.
png_info() {
	python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
w, h = struct.unpack('>II', d[16:24])
i, n = 8, 0
while i < len(d):
    ln, = struct.unpack('>I', d[i:i+4])
    if d[i+4:i+8] == b'IDAT': n += ln
    i += 12 + ln
print(w, h, n)
PY
}

printf 'shot first\nquit\n' > "$dir/s.txt"
"$KIOSK" run $SRV --script "$dir/s.txt" --screenshots "$dir/shots" 2>"$dir/err"
rc=$?
check "scripted run exits 0" eval "[ $rc -eq 0 ]"
check "the offscreen driver was chosen without SDL_VIDEODRIVER" \
    eval "grep -q 'video offscreen' '$dir/err'"
if [ -f "$dir/shots/first.png" ]; then
	read -r w h bytes < <(png_info "$dir/shots/first.png")
	check "screenshot is 1920x1080 (kiosk.width/height)" eval "[ '$w $h' = '1920 1080' ]"
	check "screenshot is not blank ($bytes bytes of pixels)" eval "[ $bytes -gt 30000 ]"
else
	nok "screenshot first.png written"
fi

printf '[kiosk]\nwidth = 1280\nheight = 800\n' > "$dir/small.ini"
"$KIOSK" run $SRV --config "$dir/small.ini" --script "$dir/s.txt" \
    --screenshots "$dir/small" 2>/dev/null
read -r w h bytes < <(png_info "$dir/small/first.png" 2>/dev/null || echo 0 0 0)
check "window size comes from the config (1280x800)" eval "[ '$w $h' = '1280 800' ]"

printf 'shot a\nwiat 100\n' > "$dir/bad.txt"
"$KIOSK" run $SRV --script "$dir/bad.txt" --screenshots "$dir/shots" 2>"$dir/err"
rc=$?
check "a script syntax error exits 2" eval "[ $rc -eq 2 ]"
check "... naming file and line" eval "grep -q 'bad.txt:2: unknown command' '$dir/err'"
check "... before anything ran" eval "[ ! -f '$dir/shots/a.png' ]"

printf 'expect "この文字列はどこにもない"\n' > "$dir/fail.txt"
"$KIOSK" run $SRV --script "$dir/fail.txt" --screenshots "$dir/shots" 2>"$dir/err"
rc=$?
check "a failed expect exits 1" eval "[ $rc -eq 1 ]"
check "... naming file and line" eval "grep -q 'fail.txt:1: expected' '$dir/err'"
check "... and leaving a picture of the screen" eval "[ -f '$dir/shots/FAILED-line-1.png' ]"
grep -q 'fail.txt:1: expected' "$dir/err" || sed 's/^/#   /' "$dir/err"

"$KIOSK" run --bogus 2>"$dir/err"
check "an unknown option exits 2 with usage" eval "[ $? -eq 2 ] && grep -q usage '$dir/err'"
"$KIOSK" run --screenshots "$dir/x" 2>"$dir/err"
check "--screenshots without --script is refused" eval "[ $? -eq 2 ]"
"$KIOSK" run $SRV --script 2>"$dir/err"
check "--script without a value is refused" eval "[ $? -eq 2 ] && grep -q 'needs a value' '$dir/err'"
"$KIOSK" run $SRV --script "$dir/nonexistent.txt" 2>"$dir/err"
check "a missing script is named" eval "[ $? -ne 0 ] && grep -q nonexistent.txt '$dir/err'"

printf 'font biz regular 0 1.0 /nonexistent/BIZUDPGothic-Regular.ttf\nlang ja biz\n' > "$dir/fonts.conf"
printf '[kiosk]\nfonts = %s/fonts.conf\n' "$dir" > "$dir/nofont.ini"
"$KIOSK" run $SRV --config "$dir/nofont.ini" --script "$dir/s.txt" 2>"$dir/err"
rc=$?
check "a missing font file stops the start" eval "[ $rc -ne 0 ]"
check "... naming the file" eval "grep -q '/nonexistent/BIZUDPGothic-Regular.ttf' '$dir/err'"

printf '[kiosk]\nfonts = %s/none.conf\n' "$dir" > "$dir/nomanifest.ini"
"$KIOSK" run $SRV --config "$dir/nomanifest.ini" --script "$dir/s.txt" 2>"$dir/err"
check "a missing font manifest is named" eval "[ $? -ne 0 ] && grep -q 'none.conf' '$dir/err'"

printf 'font biz regular 0 1.0 x.ttf\nlang ja nosuch\n' > "$dir/badfonts.conf"
printf '[kiosk]\nfonts = %s/badfonts.conf\n' "$dir" > "$dir/badfonts.ini"
"$KIOSK" run $SRV --config "$dir/badfonts.ini" --script "$dir/s.txt" 2>"$dir/err"
check "a bad manifest line is named with file:line" \
    eval "[ $? -ne 0 ] && grep -q 'badfonts.conf:2:' '$dir/err'"
