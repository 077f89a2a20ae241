#!/bin/bash
# build.sh - the build and its tools: the fake objects outlive the build (a
# second `make` relinks nothing), `make clean` removes $(BUILD) and refuses
# the source folder, NODEPS=1 skips the package step, `make fuzz` runs every
# fuzzer (not the .d files beside them), `make lint` catches each layer rule,
# `make style` reports a badly laid out change and passes a good one.
# Make runs in a scratch copy of the Makefile and mk/, never on this tree's
# build folders.
. "$(dirname "$0")/lib.sh"

# ---- the build that `make check` just made -----------------------------------
fakes=$(ls tests/fakes/*.c 2>/dev/null | sed "s|^|$BUILD/obj/|; s|\.c$|.o|")
check "the fake objects are kept after the build (a second make relinks nothing)" \
	test -n "$fakes" -a "$(ls $fakes 2>/dev/null | wc -l)" -eq "$(echo "$fakes" | wc -l)"

# ---- a scratch copy of the build files ---------------------------------------
S=$T/src
mkdir -p "$S/tests/fuzz" "$S/tests/fakes"
cp -R Makefile mk "$S/"
# make in the copy, free of what the calling make passed down (NODEPS=1 of
# `make check NODEPS=1` reaches us through MAKEFLAGS)
M() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u NODEPS -u BUILD \
	    make --no-print-directory -C "$S" "$@"
}
not() { ! "$@"; }
runs_deps() { M -n check "$@" 2>/dev/null | grep -q "mk/deps.sh"; }
ran() { cut -d' ' -f1 "$T/ran" 2>/dev/null | tr '\n' ' '; }

mkdir -p "$T/b/obj" "$T/a" "$T/f" "$S/build"
M clean BUILD="$T/b" ASAN_BUILD="$T/a" FUZZ_BUILD="$T/f" >/dev/null 2>&1
check "make clean BUILD=DIR removes DIR and the asan and fuzz trees" \
	test ! -e "$T/b" -a ! -e "$T/a" -a ! -e "$T/f"
check "  and leaves ./build alone" test -d "$S/build"
check "make clean BUILD=. is refused" quiet not M clean BUILD=.
check "make clean BUILD=\$PWD is refused" quiet not M clean BUILD="$S"
check "  and the folder stays" test -f "$S/Makefile"

check "make check runs the package step" runs_deps
check "make check NODEPS=1 does not" not runs_deps NODEPS=1

# make fuzz: two stand-in fuzzers (scripts that note their run) with the
# dependency files a real build leaves beside them.
for n in one two; do
	echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);' >"$S/tests/fuzz/fuzz_$n.c"
done
mkdir -p "$T/fz/fuzz"
for n in one two; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/ran"\n' "$n" "$T" >"$T/fz/fuzz/fuzz_$n"
	chmod +x "$T/fz/fuzz/fuzz_$n"
	echo "fuzz_$n: x.c" >"$T/fz/fuzz/fuzz_$n.d"
done
M fuzz NODEPS=1 FUZZ_BUILD="$T/fz" FUZZ_SECONDS=1 >"$T/fuzz.out" 2>&1
check "make fuzz runs every fuzzer, not the .d files" test "$(ran)" = "one two "
check "  each on its working corpus and the seeds" grep -q "^two .*-max_total_time=1 .*$T/fz/corpus/two tests/fuzz/corpus/two$" "$T/ran"
: >"$T/ran"
M fuzz NODEPS=1 FUZZ_BUILD="$T/fz" FUZZ_SECONDS=1 FUZZ_TARGETS=two >/dev/null 2>&1
check "make fuzz FUZZ_TARGETS=two runs that one" test "$(ran)" = "two "

# ---- make lint ---------------------------------------------------------------
check "make lint passes on this tree" quiet sh mk/lint.sh
L=$T/lint
mkdir -p "$L"
cp -R kiosk screens include "$L/"
lint_catches() { # what file line...
	local what=$1 f=$2 out; shift 2
	rm -rf "$L/kiosk" && cp -R kiosk "$L/"
	mkdir -p "$L/${f%/*}" && printf '%s\n' "$@" >>"$L/$f"
	out=$(cd "$L" && sh "$ROOT/mk/lint.sh"); local rc=$?
	check "make lint catches $what" test $rc -ne 0 -a -n "$(grep -F "$f" <<<"$out")"
}
lint_catches "SDL in the text core" kiosk/text/t.c '#include <SDL.h>'
lint_catches "a UI header in the card module" kiosk/card/t.c '#include "ui.h"'
lint_catches "a screen header in the queue store" kiosk/queue/t.c '#include "screen.h"'
lint_catches "an app header in the server" kiosk/server/t.c '#include "app.h"'
lint_catches "jansson in the card module" kiosk/card/t.c '#include <jansson.h>'
lint_catches "HarfBuzz in the UI" kiosk/ui/t.c '#include <hb.h>'
lint_catches "FreeType in the queue" kiosk/queue/t.c '#include <ft2build.h>'
lint_catches "another module's private header" kiosk/print/t.c '#include "../queue/store_int.h"'

# ---- make style --------------------------------------------------------------
if command -v clang-format >/dev/null && command -v clang-format-diff >/dev/null; then
	G=$T/git
	mkdir -p "$G/kiosk" && cp .clang-format "$G/"
	printf 'int\nf(int a)\n{\n\treturn a;\n}\n' >"$G/kiosk/a.c"
	(cd "$G" && git init -q -b main && git add -A && git -c user.name=t -c user.email=t@t commit -qm base)
	printf 'int\ng(int b)\n{\n\tif (b) {\n\t\treturn 1;\n\t}\n\treturn 0;\n}\n' >>"$G/kiosk/a.c"
	check "make style passes a change laid out like the code" quiet bash -c 'cd "$0" && sh "$1/mk/style.sh" main' "$G" "$ROOT"
	printf 'int h(int c) {  if(c) return 2; return 0; }\n' >>"$G/kiosk/a.c"
	(cd "$G" && sh "$ROOT/mk/style.sh" main) >"$T/style.out" 2>&1; rc=$?
	check "make style reports a change laid out otherwise" test $rc -eq 1
	check "  with the lines it would change" grep -q '^-int h(int c) {' "$T/style.out"
	check "  and leaves the file as it was" grep -q '^int h(int c) {  if(c)' "$G/kiosk/a.c"
else
	nok "clang-format and clang-format-diff are installed (make deps)"
fi
