#!/bin/bash
# print.sh - tickets end to end: `kiosk print test|status` against the
# ESC/POS printer emulator on TCP, the decoder rendering the recorded bytes
# back dot for dot, zbarimg reading the QR, golden bytes for three
# residents, and every printer failure ending as "not printed" + reason.
. "$(dirname "$0")/lib.sh"
DECODE=$BUILD/tests/printer/escpos_decode
AT=1764300000                        # 2025-11-28 12:20 JST: fixed for goldens
URL=http://127.0.0.1:8080/t/5f3a9c2e7b1d4086a2c4e6f8091b3d5e

for f in "$KIOSK" "$DECODE"; do
	[ -x "$f" ] || { nok "$f is built"; exit 1; }
done
command -v zbarimg >/dev/null || { nok "zbarimg is installed (zbar-tools)"; exit 1; }
# One binary for the whole script, even if the tree is rebuilt meanwhile.
cp "$KIOSK" "$T/kiosk" && KIOSK=$T/kiosk

# A config of our own so /etc/kiosk/kiosk.ini cannot change the ticket.
cat >"$T/kiosk.ini" <<'EOF'
[printer]
timeout_ms = 800
EOF
K() { "$KIOSK" print "$@" --config "$T/kiosk.ini"; }

# -- file: printer, golden bytes and previews ---------------------------
n=0
for lang in ja en vi; do
	n=$((n + 1))
	if K test --printer "file:$T/files" --lang "$lang" --at $AT >"$T/out" 2>&1; then
		ok "print test --lang $lang to file: prints"
	else
		nok "print test --lang $lang to file: prints"; cat "$T/out"
	fi
	bin=$(printf '%s/files/%03d.bin' "$T" $n)
	if cmp "$bin" "tests/golden/ticket-$lang.bin"; then
		ok "ticket bytes for a $lang resident equal tests/golden/ticket-$lang.bin"
	else
		nok "ticket bytes for a $lang resident equal tests/golden/ticket-$lang.bin (fonts, FreeType or HarfBuzz changed? look at the PNG)"
	fi
	got=$(zbarimg -q --raw "${bin%.bin}.png" 2>/dev/null)
	check "the $lang preview PNG's QR reads exactly the ticket URL" quiet [ "$got" = "$URL" ]
done

# -- the emulator ----------------------------------------------------------
start_printer_emulator --mode-file "$T/mode" --drop-after 4096 ||
	{ nok "printer emulator starts"; exit 1; }
port=$EMU_PORT
ok "printer emulator listens on 127.0.0.1:$port"
PRN=tcp:127.0.0.1:$port
conn=0
last_conn() { printf '%s/rec/conn-%03d.bin' "$T" "$conn"; }
mode() { echo "$1" >"$T/mode"; }

# Dot for dot: what the printer got, decoded, equals the layout's preview.
roundtrip() { # lang width extra-args...
	local lang=$1 width=$2; shift 2
	mode ok
	rm -rf "$T/ref"
	K test --printer "file:$T/ref" --lang "$lang" --width "$width" --at $AT "$@" >/dev/null 2>&1
	if K test --printer "$PRN" --lang "$lang" --width "$width" --at $AT "$@" >"$T/out" 2>&1; then
		ok "$lang ticket at $width dots ${*:-raster} prints on the emulator"
	else
		nok "$lang ticket at $width dots ${*:-raster} prints on the emulator"; cat "$T/out"
	fi
	conn=$((conn + 1))
	if "$DECODE" --width "$width" --out "$T/dec.png" --compare "$T/ref/001.png" \
	    "$(last_conn)" >"$T/dec.log" 2>&1; then
		ok "decoded $lang bytes at $width dots ${*:-raster} equal the layout bitmap dot for dot"
	else
		nok "decoded $lang bytes at $width dots ${*:-raster} equal the layout bitmap dot for dot"; cat "$T/dec.log"
	fi
	got=$(zbarimg -q --raw "$T/dec.png" 2>/dev/null)
	check "zbarimg reads exactly the ticket URL from the decoded $lang ticket ${*:-raster}" quiet [ "$got" = "$URL" ]
	check "status was asked before and after the $lang job" quiet grep -q "8 status queries\|4 status queries" "$T/dec.log"
	check "no real-time command hides in the $lang image data" quiet bash -c "! grep -q 'inside image data' '$T/dec.log'"
}
roundtrip ja 576
roundtrip en 512
roundtrip vi 384
roundtrip zh 384 --native-qr
roundtrip ko 576 --native-qr

# Every failure state: not printed, exit 1, and the right reason.
fail_case() { # mode reason
	mode "$1"
	if K test --printer "$PRN" --lang ja --at $AT >"$T/out" 2>"$T/err"; then
		nok "emulator '$1' gives a failure"; return
	fi
	conn=$((conn + 1))
	if grep -q "not printed: $2:" "$T/err"; then
		ok "emulator '$1' gives 'not printed' with reason $2"
	else
		nok "emulator '$1' gives 'not printed' with reason $2"; cat "$T/err"
	fi
}
fail_case paper_out paper_out
fail_case cover_open cover_open
fail_case offline offline
fail_case cutter_error cutter_error
fail_case no_answer timeout
fail_case drop_mid_job disconnected
fail_case paper_out_mid_job paper_out
fail_case stall timeout

mode paper_out
K test --printer "$PRN" --lang ja --at $AT >/dev/null 2>&1; conn=$((conn + 1))
check "a printer out of paper gets no ticket bytes, only status queries" quiet \
    bash -c "[ \$(stat -c %s '$(last_conn)') -eq 12 ]"

mode near_end
if K test --printer "$PRN" --lang en --at $AT >"$T/out" 2>&1 && grep -q "paper near end" "$T/out"; then
	ok "paper near end: the ticket prints and says paper near end"
else
	nok "paper near end: the ticket prints and says paper near end"; cat "$T/out"
fi
conn=$((conn + 1))

mode unsolicited
check "unsolicited status bytes (ASB, GS ( H reply, junk) do not disturb printing" quiet \
    K test --printer "$PRN" --lang ja --at $AT
conn=$((conn + 1))

mode ok
if K status --printer "$PRN" >"$T/out" 2>&1 && grep -q ": ok$" "$T/out"; then
	ok "print status on a healthy printer says ok"
else
	nok "print status on a healthy printer says ok"; cat "$T/out"
fi
mode cover_open
if ! K status --printer "$PRN" >"$T/out" 2>&1 && grep -q "cover_open" "$T/out"; then
	ok "print status with the cover open says cover_open and exits 1"
else
	nok "print status with the cover open says cover_open and exits 1"; cat "$T/out"
fi
check "print status on a file: printer says status unknown" quiet \
    bash -c "'$KIOSK' print status --config '$T/kiosk.ini' --printer 'file:$T/x' | grep -q 'status unknown'"

# -- cups: raw job through lp (a stand-in lp records what it is given) ----
mkdir -p "$T/bin"
cat >"$T/bin/lp" <<EOF
#!/bin/sh
echo "\$@" >"$T/lp.args"
cat >"$T/cups.bin"
[ -f "$T/lp.fail" ] && { echo "lp: The printer or class does not exist." >&2; exit 1; }
echo "request id is tickets-1 (1 file(s))"
EOF
chmod +x "$T/bin/lp"
if PATH="$T/bin:$PATH" K test --printer cups:tickets --lang ja --at $AT >/dev/null 2>&1 &&
    cmp -s "$T/cups.bin" tests/golden/ticket-ja.bin && grep -q -- "-d tickets -o raw" "$T/lp.args"; then
	ok "cups:QUEUE hands the raw ticket bytes to lp -d QUEUE -o raw"
else
	nok "cups:QUEUE hands the raw ticket bytes to lp -d QUEUE -o raw"
fi
touch "$T/lp.fail"
if ! PATH="$T/bin:$PATH" K test --printer cups:tickets --lang ja --at $AT >/dev/null 2>"$T/err" &&
    grep -q "write_error.*does not exist" "$T/err"; then
	ok "a failing lp gives 'not printed' with lp's message"
else
	nok "a failing lp gives 'not printed' with lp's message"; cat "$T/err"
fi

# -- bad printer URIs ------------------------------------------------------
if ! K test --printer "usb:/dev/usb/no-such-lp" --at $AT >/dev/null 2>"$T/err" &&
    grep -q "no_printer.*cannot open printer /dev/usb/no-such-lp" "$T/err"; then
	ok "a missing usb printer is named in the error"
else
	nok "a missing usb printer is named in the error"; cat "$T/err"
fi
if ! K test --printer "lpt:1" >/dev/null 2>"$T/err" && grep -q "lpt" "$T/err"; then
	ok "an unknown printer scheme is refused by name"
else
	nok "an unknown printer scheme is refused by name"; cat "$T/err"
fi
