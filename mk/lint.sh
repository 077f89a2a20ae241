#!/bin/sh
# Each foreign header has exactly one owner (DESIGN.md §2).  Screens see no SDL.
fail=0
check() { # header owner-regex
	hits=$(grep -rlE "#include[[:space:]]*<$1" kiosk screens include 2>/dev/null | grep -vE "$2")
	if [ -n "$hits" ]; then
		echo "lint: <$1> may only be included by $2, but also by:"; echo "$hits" | sed 's/^/  /'
		fail=1
	fi
}
check 'SDL' '^kiosk/(app[a-z_]*\.[ch]|ui/(render|text|sdl)[a-z_]*\.c|audio\.c)$'
check 'winscard\.h' '^kiosk/card/pcsc[a-z_]*\.c$'
check 'sqlite3\.h' '^kiosk/queue/store[a-z_]*\.[ch]$'
check 'microhttpd\.h' '^kiosk/server/http[a-z_]*\.c$'
check 'qrencode\.h' '^kiosk/print/qr\.c$'
check 'png\.h' '^kiosk/pngio\.c$'
check 'systemd/' '^kiosk/server/serve\.c$'
check 'cairo' '^kiosk/evidence/chart\.c$'
check 'pango' '^kiosk/evidence/chart\.c$'
[ $fail -eq 0 ] && echo "lint: ok"
exit $fail
