#!/bin/bash
# ctl.sh - a private pcscd with the vpcd reader driver, and the emulated My
# Number card, for tests and demos.  Everything lives in one state directory;
# processes are stopped by the PIDs recorded there.
#
#   eval "$(tests/card/ctl.sh DIR start [PORT])"   pcscd up; prints the env to export
#   tests/card/ctl.sh DIR insert [EMULATOR OPTIONS] card in; waits until pcscd sees it
#        options: --kind other  --tries N  --pull-after N  (see mynumber_card.py)
#   tests/card/ctl.sh DIR remove                    card out; waits until pcscd saw it
#   tests/card/ctl.sh DIR restart-pcscd             pcscd stopped and started again
#   tests/card/ctl.sh DIR stop-pcscd | start-pcscd  pcscd alone (service gone / back)
#   tests/card/ctl.sh DIR unplug | plug             pcscd restarted without / with the reader
#   tests/card/ctl.sh DIR stop                      card and pcscd stopped, by PID
#   tests/card/ctl.sh DIR env                       the env lines again
#
# Every command returns only once pcscd shows the state it asked for, or
# fails within a bound (CARD_WAIT seconds, default 20, for each wait) with a
# message naming what it waited for; a failed insert takes its card out
# again, so one failure does not make every later insert fail.
#
# A card stays in the reader while pcscd is stopped or restarted, or the
# reader unplugged: the emulator process ends with its connection, and
# start-pcscd / restart-pcscd / plug start it again with the options it
# was inserted with (DIR/card.args).  The emulator never reconnects on its
# own.  A card pulled by --pull-after is out of the reader once its process
# has ended.  After each removal, ctl.sh makes sure pcscd's presence poll
# has seen the empty reader before anything else happens (see "Removal" in
# mynumber_card.py): without that, a card put in right after a pull was
# never announced by pcscd.
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
# Files in DIR: pcscd.pid card.pid card.args port mode unplugged pcscd.log
# card.log apdu.log (one line per command, no data) holder.json (card state).
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
case $CMD in env|stop|stop-pcscd) ;; *)
	[ -x "$KIOSK_BIN" ] || die "no kiosk binary at $KIOSK_BIN (make; or set KIOSK): it tells pcscd's state" ;;
esac

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

# Card state as pcscd sees it: "card", "empty", "none" (no reader), "down",
# or "unknown" (the kiosk binary gave an answer this script cannot read).
reader_state() {
	local out rc
	out=$(PCSCLITE_CSOCK_NAME=$(sock) "$KIOSK_BIN" card list 2>&1); rc=$?
	if [ $rc -eq 0 ]; then
		case $out in
		*"$(reader_name)"*$'\t'card*) echo card ;;
		*"$(reader_name)"*) echo empty ;;
		*) echo none ;;
		esac
	elif [ $rc -ne 3 ]; then
		echo unknown
	elif [[ $out == *"not running"* ]]; then
		echo down
	else
		echo none
	fi
}

reader_name() { echo "Kiosk Test PCD"; }

WAIT_S=${CARD_WAIT:-20}
# now_ms: a clock for the bounded waits (loop counts stretch under load).
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# wait_for STATE...: until pcscd shows one of the states (CARD_WAIT s).
# With WATCH_PID set, fails at once when that process has ended (a card
# that cannot connect never shows up).
wait_for() {
	local s want end=$(( $(now_ms) + WAIT_S * 1000 ))
	while :; do
		s=$(reader_state)
		for want in "$@"; do [ "$s" = "$want" ] && return 0; done
		if [ -n "${WATCH_PID:-}" ] && ! pid_runs "$WATCH_PID"; then
			echo "ctl.sh: the card emulator ended; pcscd state is '$s', wanted $*" >&2
			return 1
		fi
		[ "$(now_ms)" -lt $end ] || break
		sleep 0.05
	done
	echo "ctl.sh: pcscd state is '$s' after ${WAIT_S} s, wanted $*" >&2
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
	local port mode end driver=$DRIVER
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
	end=$(( $(now_ms) + WAIT_S * 1000 ))
	until [ -S "$(sock)" ]; do
		alive "$DIR/pcscd.pid" || die "pcscd exited; see $DIR/pcscd.log"
		[ "$(now_ms)" -lt $end ] || die "pcscd did not open $(sock) in ${WAIT_S} s"
		sleep 0.05
	done
	if [ -f "$DIR/unplugged" ]; then
		wait_for none || die "pcscd still shows a reader"
	else
		wait_for empty card || die "no '$(reader_name)' reader; see $DIR/pcscd.log"
		# A card left in the reader while pcscd was away is back.
		if [ -f "$DIR/card.args" ]; then
			launch_card || die "the card left in the reader did not come back"
		fi
	fi
}

stop_pid() { # pidfile
	local pid end
	alive "$1" || { rm -f "$1"; return 0; }
	pid=$(cat "$1")
	kill "$pid" 2>/dev/null
	end=$(( $(now_ms) + 5000 ))
	while pid_runs "$pid" && [ "$(now_ms)" -lt $end ]; do sleep 0.02; done
	if pid_runs "$pid"; then
		kill -9 "$pid" 2>/dev/null
		while pid_runs "$pid"; do sleep 0.02; done
	fi
	rm -f "$1"
}

# wait_gone PIDFILE: the process ends by itself (CARD_WAIT s), else killed.
wait_gone() {
	local pid end
	alive "$1" || { rm -f "$1"; return 0; }
	pid=$(cat "$1")
	end=$(( $(now_ms) + WAIT_S * 1000 ))
	while pid_runs "$pid" && [ "$(now_ms)" -lt $end ]; do sleep 0.02; done
	pid_runs "$pid" && echo "ctl.sh: the card emulator (pid $pid) did not end with its connection; killed" >&2
	stop_pid "$1"
}

serving() { alive "$DIR/pcscd.pid" && [ ! -f "$DIR/unplugged" ]; }

# A card is in: its emulator runs, or it waits in a reader pcscd does not
# serve now.  A recorded card whose process ended while pcscd served it was
# pulled.
card_in() {
	[ -f "$DIR/card.args" ] || return 1
	alive "$DIR/card.pid" || ! serving
}

# launch_card: start the emulator with DIR/card.args; wait until pcscd
# shows the card.  On failure the emulator is stopped again.
launch_card() {
	local args=()
	[ -x $PY ] || die "$PY missing (Debian python3)"
	mapfile -t args <"$DIR/card.args"
	$PY "$HERE/mynumber_card.py" --port "$(cat "$DIR/port")" \
		--state "$DIR/holder.json" --log "$DIR/apdu.log" "${args[@]}" \
		>>"$DIR/card.log" 2>&1 </dev/null &
	echo $! >"$DIR/card.pid"
	if WATCH_PID=$! wait_for card; then
		return 0
	fi
	tail -5 "$DIR/card.log" >&2
	stop_pid "$DIR/card.pid"
	confirm_empty
	return 1
}

# confirm_empty: pcscd's presence poll has seen the reader without a card
# (mynumber_card.py --absent), and clients see it empty.  Only while pcscd
# serves the reader; the card's process has ended.
confirm_empty() {
	serving || return 0
	$PY "$HERE/mynumber_card.py" --port "$(cat "$DIR/port")" --absent \
		--timeout "$WAIT_S" >>"$DIR/card.log" 2>&1 </dev/null ||
		{ echo "ctl.sh: pcscd did not poll the reader (see $DIR/card.log)" >&2; return 1; }
	wait_for empty
}

case $CMD in
start)
	[ -x "$DRIVER" ] || [ -f "$DRIVER" ] || die "vpcd driver missing: apt-get install vsmartcard-vpcd"
	command -v pcscd >/dev/null || [ -x /usr/sbin/pcscd ] || die "pcscd missing: apt-get install pcscd"
	PATH=$PATH:/usr/sbin
	rm -f "$DIR/unplugged" "$DIR/card.args"
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
	card_in && die "a card is already in (pid $(cat "$DIR/card.pid" 2>/dev/null || echo none: pcscd is not serving the reader))"
	serving || die "pcscd is not serving the reader (start-pcscd or plug first)"
	# The last card's process may still be on its way out (a pull).
	wait_gone "$DIR/card.pid"
	printf '%s\n' "$@" >"$DIR/card.args"
	[ $# -gt 0 ] || : >"$DIR/card.args"
	launch_card || { rm -f "$DIR/card.args"; exit 1; }
	;;
remove)
	stop_pid "$DIR/card.pid"
	rm -f "$DIR/card.args"
	confirm_empty || exit 1
	;;
restart-pcscd)
	PATH=$PATH:/usr/sbin
	"$0" "$DIR" stop-pcscd && start_pcscd
	;;
unplug|plug)
	PATH=$PATH:/usr/sbin
	"$0" "$DIR" stop-pcscd || exit 1
	if [ "$CMD" = unplug ]; then touch "$DIR/unplugged"; else rm -f "$DIR/unplugged"; fi
	start_pcscd
	;;
stop-pcscd)
	# A card still in stays recorded (card.args) and comes back with pcscd;
	# its emulator ends with the connection.  One that ended before was
	# pulled.
	serving && ! alive "$DIR/card.pid" && rm -f "$DIR/card.args"
	stop_pid "$DIR/pcscd.pid"
	wait_gone "$DIR/card.pid"
	;;
stop)
	stop_pid "$DIR/card.pid"
	stop_pid "$DIR/pcscd.pid"
	rm -f "$DIR/card.args"
	;;
env)
	print_env
	;;
*)
	die "unknown command '$CMD'"
	;;
esac
