#!/bin/bash
# screens.sh OUTDIR [--audit] [--only LANG,...] - every resident screen in
# every language, normal and large text, landscape 1920x1080 and portrait
# 1080x1920: PNGs in OUTDIR/<orientation>[-large]/<lang>-NN-screen.png.
# With --audit the UI layer's audit runs on every screen (targets >= 61 px,
# contrast >= 7:1, text sizes, missing glyphs, overflow) and a problem fails
# the run.  The card screens use the emulated card (tests/card/ctl.sh) when
# pcscd and vpcd are installed.  Prints "ok - ..." / "not ok - ..." lines.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=${1:?usage: screens.sh OUTDIR [--audit] [--only LANGS]}
shift
KIOSK=${KIOSK:-build/kiosk}
case $KIOSK in /*) ;; *) KIOSK=$ROOT/$KIOSK ;; esac
export KIOSK
CTL=$ROOT/tests/card/ctl.sh
T=$(mktemp -d /tmp/kiosk-screens.XXXXXX)
cleanup() { "$CTL" "$T/card" stop >/dev/null 2>&1; rm -rf "$T"; }
trap cleanup EXIT
mkdir -p "$OUT"

card=--no-card
if [ -e /usr/sbin/pcscd ] && [ -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] &&
    eval "$("$CTL" "$T/card" start)" && "$CTL" "$T/card" insert >/dev/null; then
	card=
else
	echo "# no card emulator (make deps): card screens left out"
	export PCSCLITE_CSOCK_NAME=$T/no-pcscd/pcscd.comm
fi
python3 tests/journey/gen_screens.py "$T/scripts" $card "$@" || exit 1

fail=0
for s in "$T"/scripts/*.txt; do
	n=$(basename "$s" .txt)
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	cat >"$T/$n.ini" <<-INI
	[kiosk]
	fullscreen = false
	[server]
	port = $port
	db = $T/$n.db
	[printer]
	uri = file:$T/tickets-$n
	INI
	# the check-in's found and late screens (gen_screens.py's codes)
	printf 'date,time,service,procedure,code\n%s,%s,,juminhyo,20000001\n%s,%s,,juminhyo,20000002\n' \
	    "$(TZ=Asia/Tokyo date +%F)" "$(TZ=Asia/Tokyo date +%H:%M)" \
	    "$(TZ=Asia/Tokyo date +%F)" "$(TZ=Asia/Tokyo date -d '-60 min' +%H:%M)" >"$T/$n.csv"
	if ! "$KIOSK" appointments import --config "$T/$n.ini" "$T/$n.csv" >"$T/$n.import.log" 2>&1; then
		fail=1
		echo "not ok - $n: appointments booked"
		sed 's/^/#   /' "$T/$n.import.log"
		continue
	fi
	if "$KIOSK" run --config "$T/$n.ini" --script "$s" --screenshots "$OUT/$n" \
	    >"$T/$n.log" 2>&1; then
		rm -f "$OUT/$n/start.png"
		echo "ok - $n: $(find "$OUT/$n" -name '*.png' | wc -l) screens"
	else
		fail=1
		echo "not ok - $n"
		grep -av ' info ' "$T/$n.log" | head -20 | sed 's/^/#   /'
	fi
done
exit $fail
