#!/bin/bash
# wipe_core.sh - after a session with the card ends (おわる, card taken
# out), nothing of the resident is left in the kiosk's memory (DESIGN.md
# §5, issue 12 item 10).  `kiosk run` talks to a separate `kiosk serve`
# (which keeps the application until the counter is done, by design), reads
# the emulated card with a holder of our own, issues a ticket, ends; while
# the script holds on the idle screen a core image is taken (gcore) and
# searched for the holder's name, address and birth date in every encoding
# the program or its libraries might hold them in: UTF-8, UTF-16LE/BE,
# UTF-32LE (HarfBuzz buffers), Shift_JIS, EUC-JP, and the text cache's key
# form.  Under AddressSanitizer the memory is read from /proc/PID/mem.
#
# WIPE_CORE_KEEP=1 keeps the core and the temp folder for a look.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
KIOSK=${KIOSK:-build/kiosk}
case $KIOSK in /*) ;; *) KIOSK=$ROOT/$KIOSK ;; esac
CTL=$ROOT/tests/card/ctl.sh
T=$(mktemp -d /tmp/kiosk-e2e-wipe.XXXXXX)
KPID= SPID=

cleanup() {
	[ -n "$KPID" ] && kill "$KPID" 2>/dev/null && wait "$KPID" 2>/dev/null
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	"$CTL" "$T/card" stop >/dev/null 2>&1
	[ -n "${WIPE_CORE_KEEP:-}" ] && echo "# kept $T" || rm -rf "$T"
}
trap cleanup EXIT

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }

[ -x "$KIOSK" ] || { nok "kiosk binary $KIOSK"; exit 1; }
for need in /usr/sbin/pcscd /usr/lib/pcsc/drivers/serial/libifdvpcd.so; do
	[ -e "$need" ] || { nok "prerequisite $need (make deps)"; exit 1; }
done
command -v gcore >/dev/null || { nok "gcore (make deps: gdb)"; exit 1; }

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# wait_for WHAT SECONDS COMMAND...: poll until COMMAND succeeds
wait_for() {
	local what=$1 n=$(($2 * 10)); shift 2
	while ! "$@" 2>/dev/null; do
		n=$((n - 1))
		[ $n -gt 0 ] || { nok "$what"; return 1; }
		sleep 0.1
	done
}

# A holder no catalog, screen or test string shares a word with.
NAME='鷺宮　瑠璃子'
ADDR='千葉県旭市ニの二四六八番地 ひみつ荘'
cat >"$T/holder.json" <<JSON
{"name": "$NAME", "address": "$ADDR", "birth": "19770305", "sex": "2"}
JSON

port=$(free_port)
cat >"$T/kiosk.ini" <<INI
[kiosk]
fullscreen = false
[server]
port = $port
db = $T/kiosk.db
[printer]
uri = file:$T/tickets
INI
mkdir -p "$T/tickets"

eval "$("$CTL" "$T/card" start)" || { nok "card emulator starts"; exit 1; }
mkdir -p "$T/card"
cp "$T/holder.json" "$T/card/holder.json"
"$CTL" "$T/card" insert >/dev/null || { nok "card inserted"; exit 1; }

"$KIOSK" serve --config "$T/kiosk.ini" >"$T/serve.log" 2>&1 &
SPID=$!
wait_for "queue server answers" 20 curl -sf "http://127.0.0.1:$port/api/health" -o /dev/null || exit 1

sed -e "s|HOLD1|$T/go1|" -e "s|HOLD2|$T/go2|" tests/journey/wipe.txt >"$T/wipe.txt"
"$KIOSK" run --config "$T/kiosk.ini" --server "http://127.0.0.1:$port" \
    --script "$T/wipe.txt" >"$T/run.log" 2>&1 &
KPID=$!

# 1: the card alarm holds; take the card out, let the kiosk go idle
if wait_for "session reached the card alarm" 60 grep -q "holding until $T/go1" "$T/run.log"; then
	ok "session with the card ended at the card alarm"
else
	grep -v ' info ' "$T/run.log" | tail -8 | sed 's/^/#   /'; exit 1
fi
"$CTL" "$T/card" remove >/dev/null || nok "card taken out"
touch "$T/go1"
wait_for "kiosk back on the idle screen" 40 grep -q "holding until $T/go2" "$T/run.log" || {
	grep -v ' info ' "$T/run.log" | tail -8 | sed 's/^/#   /'; exit 1; }
ok "card taken out, kiosk idle"
applicants=$(sqlite3 "$T/kiosk.db" "select count(*) from applications where body like '%鷺宮%'" 2>/dev/null)
if [ "$applicants" = 1 ]; then ok "the application reached the server"; else nok "the application reached the server ($applicants)"; fi

# 2: the core image.  Under AddressSanitizer (make asan) the process maps
# terabytes of shadow memory that gcore would write out: its memory is read
# from /proc/PID/mem instead, mappings of 1 GiB and more left out.
ASAN=
if readelf -Ws "$KIOSK" 2>/dev/null | grep -q '__asan_init'; then
	ASAN=1
	if python3 - "$KPID" "$T/core.$KPID" <<'PY'
import sys
pid, out = sys.argv[1], sys.argv[2]
with open("/proc/%s/maps" % pid) as maps, open("/proc/%s/mem" % pid, "rb", 0) as mem, open(out, "wb") as o:
    for line in maps:
        addr, perms = line.split()[:2]
        lo, hi = (int(x, 16) for x in addr.split("-"))
        if perms[0] != "r" or hi - lo >= 1 << 30:
            continue
        try:
            mem.seek(lo)
            o.write(mem.read(hi - lo))
        except OSError:
            pass
PY
	then
		ok "memory image of kiosk run read ($(($(stat -c %s "$T/core.$KPID") / 1048576)) MB, ASan build)"
	else
		nok "memory image of kiosk run read"; touch "$T/go2"; exit 1
	fi
elif gcore -o "$T/core" "$KPID" >"$T/gcore.log" 2>&1 && [ -s "$T/core.$KPID" ]; then
	ok "core image of kiosk run taken ($(($(stat -c %s "$T/core.$KPID") / 1048576)) MB)"
else
	nok "core image of kiosk run taken"; tail -5 "$T/gcore.log" | sed 's/^/#   /'
	touch "$T/go2"; exit 1
fi
touch "$T/go2"

# 3: search it.  Pieces of the name and address, in each encoding.
python3 - "$T/core.$KPID" "$NAME" "$ADDR" "$ASAN" <<'PY'
import sys
# Under ASan freed heap sits in a quarantine and is never reused, so a
# copy freed without a wipe stays there for certain (the regular allocator
# may or may not overwrite it): the ASan run is the stricter one.
def fail(msg):
    print("not ok - " + msg + (" (ASan build)" if sys.argv[4] else ""))
core = open(sys.argv[1], "rb").read()
name, addr = sys.argv[2], sys.argv[3]
pieces = {
    "family name": name.split("\u3000")[0],
    "given name": name.split("\u3000")[1],
    "full name": name,
    "address (street)": "ニの二四六八番地",
    "address (building)": "ひみつ荘",
    "full address": addr,
}
encodings = ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "shift_jis",
             "euc_jp"]
found = 0
for what, text in pieces.items():
    for enc in encodings:
        pat = text.encode(enc)
        n = core.count(pat)
        tag = "%s in %s" % (what, enc.upper())
        if n:
            found += n
            at = core.find(pat)
            ctx = core[max(0, at - 48):at].decode("utf-8", "replace")
            ctx = "".join(c if c.isprintable() else "." for c in ctx)
            fail("%s: %d time(s) in the core (first after '%s')"
                 % (tag, n, ctx[-40:]))
        else:
            print("ok - %s: not in the core" % tag)
# the text cache's key form: "family|px|line|bold|wrap|align|ruby|text"
for what, text in (("name", pieces["family name"]), ("address", pieces["address (street)"])):
    import re
    keys = re.findall(rb"(?:-?\d+\|){7}[^\x00]{0,40}" + re.escape(text.encode()), core)
    if keys:
        fail("a text-cache key holds the %s (%d)" % (what, len(keys)))
    else:
        print("ok - no text-cache key holding the %s" % what)
# the birth date as the card gives it (19770305) and as the kiosk shows it
for what, pat in (("birth date 19770305", b"19770305"),
                  ("birth date shown (昭和52年3月5日)", "昭和52年3月5日".encode())):
    n = core.count(pat)
    if n:
        fail("%s: %d time(s) in the core" % (what, n))
    else:
        print("ok - %s: not in the core" % what)
PY

# the run ends by itself once go2 exists
for _ in $(seq 100); do kill -0 "$KPID" 2>/dev/null || break; sleep 0.1; done
if wait "$KPID"; then ok "kiosk run ended its script cleanly"; else nok "kiosk run ended its script cleanly"; grep -v ' info ' "$T/run.log" | tail -8 | sed 's/^/#   /'; fi
KPID=
exit 0
