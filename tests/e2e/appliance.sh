#!/bin/bash
# The kiosk as a Debian package: `make deb` (debhelper, lintian without
# errors), `dpkg -i` on this machine, `kiosk serve` as the kiosk user from
# the installed files and config, a ticket issued and read, backup, an
# upgrade that keeps config and database, remove and purge; every systemd
# unit verified and the server's security exposure printed.
# Needs root (dpkg); leaves the machine as it found it.  Free ports only.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
export BUILD
pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

if [ "$(id -u)" -ne 0 ]; then
	echo "# skipped: dpkg -i needs root"; exit 0
fi
PRE=$(dpkg-query -W -f='${Status}' kiosk 2>/dev/null)
if [ -n "$PRE" ] && [ "$PRE" != "unknown ok not-installed" ] &&
    [ "${PRE##* }" != "not-installed" ]; then
	echo "# skipped: a kiosk package is installed here already ($PRE);"
	echo "# this test would replace and purge it"
	exit 0
fi
T=$(mktemp -d /tmp/kiosk-deb-XXXXXX)
SERVE_PID=
cleanup() {
	[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null
	dpkg --purge kiosk >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT

# ---- build and lint
start=$(date +%s)
if make --no-print-directory deb BUILD="$BUILD" >"$T/make.log" 2>&1; then
	pass "make deb ($(( $(date +%s) - start )) s)"
else
	fail "make deb"; tail -30 "$T/make.log"; exit 1
fi
DEB=$(ls -t "$BUILD"/kiosk_*_*.deb | head -1)
check "package named kiosk_<version>_<arch>.deb ($DEB)" \
    test "$DEB" = "$BUILD/kiosk_$(dpkg-parsechangelog -S Version)_$(dpkg --print-architecture).deb"
check "lintian: no error" bash -c "! grep -q '^E: ' '$BUILD/lintian.log'"
grep -E '^[WI]: ' "$BUILD/lintian.log" | sed 's/^/# lintian /'
deps=$(dpkg-deb -f "$DEB" Depends)
check "Depends: libraries from dpkg-shlibdeps, pcscd, fonts" \
    bash -c "grep -q 'libsqlite3-0' <<<'$deps' && grep -q 'libsystemd0' <<<'$deps' &&
        grep -q 'pcscd' <<<'$deps' && grep -q 'fonts-noto-cjk' <<<'$deps' &&
        grep -q 'fonts-morisawa-bizud-gothic' <<<'$deps'"
files=$(dpkg-deb -c "$DEB" | awk '{print $6}')
for f in ./usr/bin/kiosk ./usr/share/kiosk/assets/procedures.json \
    ./usr/share/kiosk/fonts/fonts.conf ./etc/kiosk/kiosk.ini \
    ./lib/systemd/system/kiosk-server.service ./lib/systemd/system/kiosk-ui.service \
    ./lib/systemd/system/kiosk-display.service ./lib/systemd/system/kiosk-backup.service \
    ./lib/systemd/system/kiosk-backup.timer ./lib/systemd/system/kiosk-screen.timer \
    ./usr/libexec/kiosk/kiosk-screen-hours ./usr/share/doc/kiosk/operations.md.gz; do
	check "package holds $f" grep -qx "$f" <<<"$files"
done

# ---- units
for u in systemd/*.service systemd/*.timer; do
	out=$(systemd-analyze verify "$u" 2>&1 | grep -v 'is not executable: No such file')
	check "systemd-analyze verify $(basename "$u")${out:+: $out}" test -z "$out"
done
for u in kiosk-server kiosk-backup kiosk-ui kiosk-display; do
	lvl=$(systemd-analyze security --offline=true "systemd/$u.service" 2>/dev/null |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	echo "# security exposure $u.service: ${lvl:-?}"
	[ "$u" = kiosk-server ] &&
	    check "kiosk-server.service exposure ${lvl:-?} <= 2.0" \
	        awk -v l="${lvl:-99}" 'BEGIN { exit !(l <= 2.0) }'
done

# ---- install
if dpkg -i "$DEB" >"$T/install.log" 2>&1; then pass "dpkg -i"; else
	fail "dpkg -i"; tail -20 "$T/install.log"; exit 1; fi
check "a kiosk system user and group" bash -c \
    'u=$(getent passwd kiosk) && [ "$(echo "$u" | cut -d: -f3)" -lt 1000 ] && getent group kiosk >/dev/null'
check "/var/lib/kiosk kiosk:kiosk 0750" \
    test "$(stat -c '%U:%G %a' /var/lib/kiosk)" = "kiosk:kiosk 750"
check "/etc/kiosk/kiosk.ini root:kiosk 0640" \
    test "$(stat -c '%U:%G %a' /etc/kiosk/kiosk.ini)" = "root:kiosk 640"
check "/etc/kiosk/kiosk.ini is a conffile" \
    bash -c "dpkg-query -W -f='\${Conffiles}' kiosk | grep -q /etc/kiosk/kiosk.ini"
tok() { sed -n "s/^$1 *= *//p" /etc/kiosk/kiosk.ini; }
TK=$(tok token_kiosk); TS=$(tok token_staff); TD=$(tok token_display)
check "postinst generated three tokens of 16+ characters" \
    bash -c "[ \${#1} -ge 16 ] && [ \${#2} -ge 16 ] && [ \${#3} -ge 16 ]" _ "$TK" "$TS" "$TD"
check "postinst printed the staff URL" grep -q "Staff console: http" "$T/install.log"
check "kiosk config check passes on the installed config" \
    kiosk config check --config /etc/kiosk/kiosk.ini
check "the installed binary finds /usr/share/kiosk from another folder" \
    bash -c "cd / && kiosk config check --config /etc/kiosk/kiosk.ini >/dev/null"

# an operator's edit: a free port (the tests never use 8080)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s/^port = .*/port = $PORT/; s#^public_url = .*#public_url = http://127.0.0.1:$PORT#;
    s#^server = .*#server = http://127.0.0.1:$PORT#" /etc/kiosk/kiosk.ini

# ---- serve as the kiosk user, from the installed files
cd /var/lib/kiosk || exit 1
runuser -u kiosk -- /usr/bin/kiosk serve --config /etc/kiosk/kiosk.ini 2>"$T/serve.log" &
SERVE_PID=$!
cd - >/dev/null || exit 1
for i in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.1; done
check "kiosk serve as the kiosk user answers /api/health" \
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/health"
R=$(curl -s -H "Authorization: Bearer $TK" -H 'Content-Type: application/json' \
    -d '{"procedure":"juminhyo","lang":"ja","answers":{}}' \
    "http://127.0.0.1:$PORT/api/tickets")
NUM=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["number"])' "$R" 2>/dev/null)
ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$R" 2>/dev/null)
TOKEN=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["token"])' "$R" 2>/dev/null)
check "a ticket issued with the kiosk token ($NUM)" test -n "$NUM"
S=$(curl -s "http://127.0.0.1:$PORT/api/status/$TOKEN")
check "the ticket read back by its phone token" grep -q "\"number\": *\"$NUM\"" <<<"$S"
S=$(curl -s -H "Authorization: Bearer $TS" "http://127.0.0.1:$PORT/api/tickets/$ID")
check "the ticket read back by staff" grep -q "\"$NUM\"" <<<"$S"
check "the database kiosk:kiosk 0600" \
    test "$(stat -c '%U:%G %a' /var/lib/kiosk/kiosk.db)" = "kiosk:kiosk 600"
check "kiosk status (as the kiosk user) exits 0" \
    runuser -u kiosk -- kiosk status --config /etc/kiosk/kiosk.ini
check "kiosk print test prints into /var/lib/kiosk/tickets as the kiosk user" \
    bash -c 'cd /var/lib/kiosk && runuser -u kiosk -- kiosk print test --printer file:/var/lib/kiosk/tickets >/dev/null 2>&1 &&
        [ -n "$(find /var/lib/kiosk/tickets -type f -user kiosk)" ]'
check "kiosk backup (as the timer runs it) writes a generation" \
    bash -c 'cd /var/lib/kiosk && runuser -u kiosk -- kiosk backup --config /etc/kiosk/kiosk.ini 2>/dev/null &&
        ls /var/lib/kiosk/backup/kiosk-*.db >/dev/null'
check "server log lines: time, level, module (journal format)" \
    grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9]{4} info server: serving on' "$T/serve.log"
kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null; SERVE_PID=

# ---- upgrade: a newer version of the same package
mkdir -p "$T/up"; dpkg-deb -R "$DEB" "$T/up/root"
sed -i 's/^Version: .*/Version: 99.0.0/' "$T/up/root/DEBIAN/control"
dpkg-deb -b --root-owner-group "$T/up/root" "$T/up/kiosk_99.0.0.deb" >/dev/null
INI_BEFORE=$(md5sum </etc/kiosk/kiosk.ini)
check "dpkg -i of a newer version (upgrade)" \
    bash -c "dpkg -i --force-confold '$T/up/kiosk_99.0.0.deb' >'$T/upgrade.log' 2>&1"
check "upgrade keeps the config (tokens, the port edit)" \
    test "$(md5sum </etc/kiosk/kiosk.ini)" = "$INI_BEFORE"
check "upgrade keeps the database (ticket $NUM still there)" \
    bash -c "sqlite3 /var/lib/kiosk/kiosk.db \"SELECT count(*) FROM tickets WHERE id = $ID\" | grep -qx 1"

# ---- remove, purge
check "dpkg -r" bash -c "dpkg -r kiosk >/dev/null 2>&1"
check "after remove: config and database stay" \
    test -f /etc/kiosk/kiosk.ini -a -f /var/lib/kiosk/kiosk.db
check "dpkg --purge" bash -c "dpkg --purge kiosk >/dev/null 2>&1"
check "after purge: no /etc/kiosk, no /var/lib/kiosk" \
    test ! -e /etc/kiosk -a ! -e /var/lib/kiosk
exit 0
