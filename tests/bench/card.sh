#!/bin/bash
# card.sh - My Number card figures through the real stack (private pcscd +
# vpcd + the emulated card of tests/card/): APDUs per normal read, and
# milliseconds per `kiosk card read` (process start included), median of 50,
# and per card_read_at() inside one process (build/bench/card_read).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KIOSK=${KIOSK:-build/kiosk}
case $KIOSK in /*) ;; *) KIOSK=$ROOT/$KIOSK ;; esac
export KIOSK
CTL=$ROOT/tests/card/ctl.sh
D=$(mktemp -d /tmp/kiosk-bench-card.XXXXXX)
trap '"$CTL" "$D" stop >/dev/null 2>&1; rm -rf "$D"' EXIT

eval "$("$CTL" "$D" start)" && "$CTL" "$D" insert 2>/dev/null ||
	{ echo "   card: cannot start pcscd + vpcd + emulator (make deps?)"; exit 1; }

: >"$D/apdu.log"
echo 1234 | "$KIOSK" card read --json >/dev/null || { echo "   card: read failed"; exit 1; }
printf '   APDUs per normal read: %d (spec minimum 7; budget 7)\n' "$(wc -l <"$D/apdu.log")"
: >"$D/apdu.log"
echo 1234 | "$KIOSK" card read --json --mynumber >/dev/null
printf '   APDUs per read with the 個人番号: %d (budget 9)\n' "$(wc -l <"$D/apdu.log")"

times=()
for i in $(seq 50); do
	s=$(date +%s%N)
	echo 1234 | "$KIOSK" card read --json >/dev/null || { echo "   card: read $i failed"; exit 1; }
	e=$(date +%s%N)
	times+=($(( (e - s) / 1000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
med=$(( (sorted[24] + sorted[25]) / 2 ))
printf '   ms per kiosk card read through pcscd + vpcd: %d.%01d median of 50, max %d.%01d (budget 300)\n' \
	$((med / 1000)) $((med % 1000 / 100)) $((sorted[49] / 1000)) $((sorted[49] % 1000 / 100))

BIN=$ROOT/${BUILD:-build}/bench/card_read
if [ -x "$BIN" ]; then
	set -- $(echo 1234 | "$BIN" 50) || set --
	[ $# -eq 3 ] && printf '   ms per card_read_at() in one process: %s median of 50, max %s; %s APDUs (budget 50 ms)\n' "$2" "$3" "$1"
fi

s=$(date +%s%N)
for i in $(seq 20); do "$KIOSK" card tries >/dev/null; done
e=$(date +%s%N)
printf '   ms per kiosk card tries: %d (mean of 20, process start included; budget 300)\n' $(( (e - s) / 20000000 ))
