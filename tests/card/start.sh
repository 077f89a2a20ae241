#!/bin/bash
# start.sh DIR [PORT] - a private pcscd + vpcd with the emulated My Number card
# (旭　太郎, PIN 1234) already in the reader.  Prints the environment to use:
#     eval "$(tests/card/start.sh /tmp/kiosk-card)"
#     echo 1234 | build/kiosk card read --json
#     tests/card/stop.sh /tmp/kiosk-card
# For other cards and faults use ctl.sh in the same folder (same DIR).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: start.sh DIR [PORT]" >&2; exit 2; }
"$HERE/ctl.sh" "$1" start ${2:+"$2"}
"$HERE/ctl.sh" "$1" insert >&2
