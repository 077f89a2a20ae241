#!/bin/bash
# stop.sh DIR - stop the card emulator and the private pcscd started by
# start.sh / ctl.sh in DIR (by the PIDs recorded there).
HERE=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: stop.sh DIR" >&2; exit 2; }
exec "$HERE/ctl.sh" "$1" stop
