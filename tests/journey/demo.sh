#!/bin/bash
# demo.sh CARD_DIR [kiosk run options] - `kiosk run` with the emulated My
# Number card in a private pcscd + vpcd (tests/card/ctl.sh), stopped again
# (by PID) when the kiosk ends.  The card: 旭　太郎, PIN 1234.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
DIR=${1:?usage: demo.sh CARD_DIR [kiosk run options]}
shift
KIOSK=${KIOSK:-build/kiosk}
export KIOSK
CTL=$ROOT/tests/card/ctl.sh
env=$("$CTL" "$DIR" start) || { echo "demo: the card emulator did not start" >&2; exit 1; }
eval "$env"
trap '"$CTL" "$DIR" stop >/dev/null 2>&1' EXIT
"$CTL" "$DIR" insert >&2 || echo "demo: no card inserted" >&2
echo "demo: emulated card in the reader (PIN 1234); from another shell:" >&2
echo "      $CTL $DIR remove | insert [--tries 1] [--pull-after 8]" >&2
"$KIOSK" run "$@"
