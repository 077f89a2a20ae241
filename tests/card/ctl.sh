#!/bin/bash
# ctl.sh - a private pcscd with the vpcd reader driver, and the emulated My
# Number card, for tests and demos.  Everything lives in one state directory;
# processes are stopped by the PIDs recorded there.
#
#   eval "$(tests/card/ctl.sh DIR start [PORT])"   pcscd up; prints the env to export
#   tests/card/ctl.sh DIR insert [EMULATOR OPTIONS] card in; waits until pcscd sees it
#        options: --kind other  --tries N  --pull-after N  (see mynumber_card.py)
#   tests/card/ctl.sh DIR remove                    card out; waits until pcscd sees it
#   tests/card/ctl.sh DIR restart-pcscd             pcscd stopped and started again
#   tests/card/ctl.sh DIR stop-pcscd | start-pcscd  pcscd alone (service gone / back)
#   tests/card/ctl.sh DIR unplug | plug             pcscd restarted without / with the reader
#   tests/card/ctl.sh DIR stop                      card and pcscd stopped, by PID
#   tests/card/ctl.sh DIR env                       the env lines again
#
# The client finds this pcscd through PCSCLITE_CSOCK_NAME.  pcscd 1.9 always
# listens on /run/pcscd/pcscd.comm, so it runs in its own mount namespace
# (unshare -m) with DIR/run bound over /run/pcscd: it never meets the
# system's pcscd.  Without that permission it falls back to the fixed path,
# and refuses if another pcscd already listens there.  In the namespace an
# empty folder also hides /usr/lib/pcsc/drivers, so the test pcscd never
# claims a real USB reader (it runs its own copy of the vpcd driver).
#
# The vpcd reader listens on PORT and PORT+1 (any free pair in 20000-29999
# when not given); it listens on all interfaces: test machines only.
# pcscd is never started with -a (its APDU log would show the PIN).
# Files in DIR: pcscd.pid card.pid port mode pcscd.log card.log
# apdu.log (one line per command, no data) holder.json (card state).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
DRIVER=/usr/lib/pcsc/drivers/serial/libifdvpcd.so

die() { echo "ctl.sh: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: ctl.sh DIR start|insert|remove|restart-pcscd|stop-pcscd|start-pcscd|stop|env [ARGS]"
DIR=$1; CMD=$2; shift 2
mkdir -p "$DIR" || die "cannot create $DIR"
DIR=$(cd "$DIR" && pwd)
KIOSK_BIN=${KIOSK:-$ROOT/build/kiosk}
case $KIOSK_BIN in /*) ;; *) KIOSK_BIN=$ROOT/$KIOSK_BIN ;; esac

# A PID file's process runs (zombies count as gone: here they are orphans
# whose reaping is up to init).
pid_runs() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ]
}
alive() { [ -f "$1" ] && pid_runs "$(cat "$1")"; }

sock() {
	if [ "$(cat "$DIR/mode" 2>/dev/null)" = shared ]; then
		echo /run/pcscd/pcscd.comm
	else
		echo "$DIR/run/pcscd.comm"
	fi
}

print_env() {
	echo "export PCSCLITE_CSOCK_NAME=$(sock)"
	echo "export KIOSK_CARD_DIR=$DIR"
	echo "export KIOSK_CARD_PORT=$(cat "$DIR/port")"
}

# Card state as pcscd sees it: "card", "empty", "none" (no reader), "down".
reader_state() {
	local out rc
	[ -x "$KIOSK_BIN" ] || { echo unknown; return; }
	out=$(PCSCLITE_CSOCK_NAME=$(sock) "$KIOSK_BIN" card list 2>&1); rc=$?
	if [ $rc -eq 0 ]; then
		case $out in
		*"$(reader_name)"*$'\t'card*) echo card ;;
		*"$(reader_name)"*) echo empty ;;
		*) echo none ;;
		esac
	elif [ $rc -ne 3 ]; then
		echo unknown	# this kiosk build cannot tell
	elif [[ $out == *"not running"* ]]; then
		echo down
	else
		echo none
	fi
}

reader_name() { echo "Kiosk Test PCD"; }

# wait_for STATE...: up to 5 s
wait_for() {
	local i s
	for i in $(seq 100); do
		s=$(reader_state)
		[ "$s" = unknown ] && { sleep 1; return 0; }
		for want in "$@"; do [ "$s" = "$want" ] && return 0; done
		sleep 0.05
	done
	echo "ctl.sh: pcscd state is '$s', wanted $*" >&2
	return 1
}

free_pair() {
	$PY - <<'EOF'
import random, socket
for _ in range(200):
    p = random.randrange(20000, 29998)
    ok = True
    for q in (p, p + 1):
        s = socket.socket()
        try:
            s.bind(("0.0.0.0", q))
        except OSError:
            ok = False
        s.close()
    if ok:
        print(p)
        break
EOF
}

start_pcscd() {
	local port mode driver=$DRIVER
	alive "$DIR/pcscd.pid" && return 0
	port=$(cat "$DIR/port")
	mkdir -p "$DIR/conf" "$DIR/run" "$DIR/nodrivers"
	mode=shared
	if unshare -m true 2>/dev/null; then
		# Own copy of the driver, since the namespace hides the system's
		# driver folder: this pcscd never claims a real USB reader.
		mode=private
		cp "$DRIVER" "$DIR/libifdvpcd.so"
		driver=$DIR/libifdvpcd.so
	fi
	rm -f "$DIR/conf/vpcd"
	[ -f "$DIR/unplugged" ] || cat >"$DIR/conf/vpcd" <<EOF
FRIENDLYNAME "$(reader_name)"
DEVICENAME   /dev/null:$port
LIBPATH      $driver
CHANNELID    $port
EOF
	rm -f "$DIR/run/pcscd.comm" "$DIR/run/pcscd.pid"
	if [ $mode = private ]; then
		unshare -m sh -c 'mkdir -p /run/pcscd &&
			mount --bind "$1/run" /run/pcscd &&
			mount --bind "$1/nodrivers" /usr/lib/pcsc/drivers &&
			exec pcscd --foreground --config "$1/conf"' sh "$DIR" \
			>>"$DIR/pcscd.log" 2>&1 </dev/null &
	else
		[ -S /run/pcscd/pcscd.comm ] && pgrep -x pcscd >/dev/null &&
			die "a pcscd already listens on /run/pcscd/pcscd.comm and no private mount namespace is allowed here"
		pcscd --foreground --config "$DIR/conf" >>"$DIR/pcscd.log" 2>&1 </dev/null &
	fi
	echo $! >"$DIR/pcscd.pid"
	echo $mode >"$DIR/mode"
	for _ in $(seq 100); do
		[ -S "$(sock)" ] && break
		alive "$DIR/pcscd.pid" || die "pcscd exited; see $DIR/pcscd.log"
		sleep 0.05
	done
	[ -S "$(sock)" ] || die "pcscd did not open $(sock)"
	if [ -f "$DIR/unplugged" ]; then
		wait_for none || die "pcscd still shows a reader"
	else
		wait_for empty card || die "no '$(reader_name)' reader; see $DIR/pcscd.log"
	fi
}

stop_pid() { # pidfile
	local pid i
	alive "$1" || { rm -f "$1"; return 0; }
	pid=$(cat "$1")
	kill "$pid" 2>/dev/null
	for i in $(seq 100); do pid_runs "$pid" || break; sleep 0.02; done
	pid_runs "$pid" && kill -9 "$pid" 2>/dev/null
	rm -f "$1"
}

case $CMD in
start)
	[ -x "$DRIVER" ] || [ -f "$DRIVER" ] || die "vpcd driver missing: apt-get install vsmartcard-vpcd"
	command -v pcscd >/dev/null || [ -x /usr/sbin/pcscd ] || die "pcscd missing: apt-get install pcscd"
	PATH=$PATH:/usr/sbin
	rm -f "$DIR/unplugged"
	if [ $# -ge 1 ]; then echo "$1" >"$DIR/port"; else free_pair >"$DIR/port"; fi
	[ -s "$DIR/port" ] || die "no free port pair found"
	start_pcscd
	print_env
	;;
start-pcscd)
	PATH=$PATH:/usr/sbin
	start_pcscd
	;;
insert)
	alive "$DIR/card.pid" && die "a card is already in (pid $(cat "$DIR/card.pid"))"
	[ -x $PY ] || die "$PY missing (Debian python3)"
	$PY "$HERE/mynumber_card.py" --port "$(cat "$DIR/port")" \
		--state "$DIR/holder.json" --log "$DIR/apdu.log" "$@" \
		>>"$DIR/card.log" 2>&1 </dev/null &
	echo $! >"$DIR/card.pid"
	wait_for card || { tail -5 "$DIR/card.log" >&2; exit 1; }
	;;
remove)
	stop_pid "$DIR/card.pid"
	if alive "$DIR/pcscd.pid" && [ ! -f "$DIR/unplugged" ]; then
		wait_for empty
	fi
	exit 0
	;;
restart-pcscd)
	PATH=$PATH:/usr/sbin
	stop_pid "$DIR/pcscd.pid"
	start_pcscd
	;;
unplug|plug)
	PATH=$PATH:/usr/sbin
	stop_pid "$DIR/pcscd.pid"
	if [ "$CMD" = unplug ]; then touch "$DIR/unplugged"; else rm -f "$DIR/unplugged"; fi
	start_pcscd
	;;
stop-pcscd)
	stop_pid "$DIR/pcscd.pid"
	;;
stop)
	stop_pid "$DIR/card.pid"
	stop_pid "$DIR/pcscd.pid"
	;;
env)
	print_env
	;;
*)
	die "unknown command '$CMD'"
	;;
esac
