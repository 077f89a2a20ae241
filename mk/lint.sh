#!/bin/sh
# make lint: the layer rules of DESIGN.md §2, checked on the #include lines
# of kiosk/, screens/ and include/.
#
# 1. Each foreign header has its owners: the only files that include it.
#    A new module is covered by the folder patterns below (kiosk/text/ may
#    shape text with FreeType/HarfBuzz but, like every non-UI folder, knows
#    no SDL; kiosk/evidence/ writes its JSON with jansson).
# 2. The lower layers (card, print, queue, server, text, evidence, speech,
#    and the operator commands in ops)
#    never include a UI, app or screen header, nor SDL (rule 1): arrows
#    point from screens and the app down to them, never back.
# 3. A module's private header (kiosk/DIR/*_int.h, *_priv.h) is included
#    from its own folder only.
fail=0
SRC="kiosk screens include"

# owners HEADER-REGEX OWNER-REGEX: <HEADER...> only in files matching OWNER.
owners() {
	hits=$(grep -rlE "#include[[:space:]]*<($1)" $SRC 2>/dev/null | grep -vE "$2")
	if [ -n "$hits" ]; then
		echo "lint: <$1> may only be included by $2, but also by:"; echo "$hits" | sed 's/^/  /'
		fail=1
	fi
}
owners 'SDL' '^kiosk/(app[a-z_]*\.[ch]|ui/(render|text|sdl)[a-z_]*\.c|audio\.c)$'
owners 'winscard\.h|pcsclite\.h|reader\.h' '^kiosk/card/pcsc[a-z_]*\.c$'
owners 'sqlite3\.h' '^kiosk/queue/store[a-z_]*\.[ch]$'
owners 'microhttpd\.h' '^kiosk/server/http[a-z_]*\.c$'
owners 'qrencode\.h' '^kiosk/print/qr\.c$'
owners 'png\.h' '^kiosk/pngio\.c$'
owners 'systemd/' '^kiosk/server/serve\.c$'
owners 'cairo|pango|fontconfig/' '^kiosk/evidence/chart\.c$'
# JSON at the edges only: the catalog file, the API bodies, the queue
# client's answers, `kiosk status` reading /api/health, the open data, and
# the one member checker they share.
owners 'jansson\.h' '^(include/jfield\.h|kiosk/(jfield|catalog)\.c|kiosk/queue/client[a-z_]*\.[ch]|kiosk/server/api[a-z_]*\.[ch]|kiosk/ops/status[a-z_]*\.c|kiosk/evidence/opendata[a-z_]*\.c)$'
# Glyphs for paper: FreeType + HarfBuzz in the ticket's text drawing (or the
# shared text core); the screen gets its glyphs through SDL_ttf.
owners 'ft2build\.h|freetype/|hb\.h|hb-ft\.h|harfbuzz/' '^kiosk/(print/ticket_text[a-z_]*\.c|text/[a-z_]*\.c)$'

# Rule 2.  UI-side headers: include/ui*.h, app*.h, screen.h, journey.h,
# chime.h and the UI's private headers.
UI_HDR='(ui|ui_core|ui_priv|app|app_int|app_script|screen|journey|chime)\.h'
LOWER='^kiosk/(card|print|queue|server|text|evidence|speech|ops)/'
hits=$(grep -rnE "#include[[:space:]]*[\"<]([a-z_./]*/)?$UI_HDR[\">]" kiosk 2>/dev/null |
	grep -E "$LOWER")
if [ -n "$hits" ]; then
	echo "lint: card/, print/, queue/, server/, text/, evidence/, speech/ and ops/ never include UI, app or screen headers:"
	echo "$hits" | sed 's/^/  /'
	fail=1
fi

# Rule 3.
for h in $(find kiosk -name '*_int.h' -o -name '*_priv.h' | sort); do
	dir=${h%/*}; base=${h##*/}
	hits=$(grep -rlE "#include[[:space:]]*\"([a-z_./]*/)?$base\"" $SRC 2>/dev/null |
		while read -r f; do [ "${f%/*}" = "$dir" ] || echo "$f"; done)
	if [ -n "$hits" ]; then
		echo "lint: $h is private to $dir/, but included by:"; echo "$hits" | sed 's/^/  /'
		fail=1
	fi
done

[ $fail -eq 0 ] && echo "lint: ok"
exit $fail
