#!/bin/sh
# journey.sh - how long the resident waits on the kiosk: the scripted
# 住民票の写し journey without the card (kiosk start-up, in-process server,
# 6 taps, ticket committed and written by the file printer), and the time
# the catalog and the eight message catalogs take to load.  Figures only.
KIOSK=${KIOSK:-build/kiosk}
T=$(mktemp -d /tmp/kiosk-bench-journey.XXXXXX)
trap 'rm -rf "$T"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$T/k.ini" <<INI
[kiosk]
fullscreen = false
[server]
port = $port
db = $T/k.db
[printer]
uri = file:$T/tickets
INI
runs=3
start=$(date +%s%N)
i=0
while [ $i -lt $runs ]; do
	rm -f "$T"/k.db*
	PCSCLITE_CSOCK_NAME=$T/none "$KIOSK" run --config "$T/k.ini" \
	    --script tests/journey/nocard.txt >"$T/log" 2>&1 || { echo "   journey run failed"; tail -3 "$T/log"; exit 1; }
	i=$((i + 1))
done
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 / runs ))
echo "   scripted journey idle -> ticket, incl. start-up and exit: ${ms} ms per run (budget 10000 ms)"
echo "   tickets printed to file: $(ls "$T/tickets" | grep -c '\.bin$') for $runs runs"
