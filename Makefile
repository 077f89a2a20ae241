# Asahi counter kiosk.  `make run` and `make check` are all a newcomer needs.
#
# Knobs (override on the command line or in the environment):
#   CC CFLAGS CPPFLAGS LDFLAGS PREFIX DESTDIR BUILD=build
#   SANITIZE=address,undefined   build with sanitizers (what `make asan` does)
#   CI=true                      warnings are errors
#   TESTS=PATTERN                `make check` runs only tests whose name matches
#   NODEPS=1                     skip the Debian package step (check, bench,
#                                fuzz, run) on a machine that has them all
#   ASAN_BUILD=build-asan FUZZ_BUILD=build-fuzz   trees of `make asan`, `make fuzz`
#   FUZZ_TARGETS="tlv po ..."    `make fuzz` runs only these (tests/fuzz/fuzz_NAME.c)
#   STYLE_BASE=main              `make style` checks the lines changed since
#                                main; STYLE_BASE= checks every file
#   V=1                          show full commands
.DEFAULT_GOAL := all

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/kiosk
BUILD   ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
STYLE_BASE ?= main
PKG_CONFIG ?= pkg-config
CFLAGS  ?= -O2 -g

PKGS = sdl2 SDL2_ttf libqrencode libpcsclite sqlite3 libmicrohttpd jansson libpng gnutls
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla \
       -Wwrite-strings -Wformat=2 -Wno-format-nonliteral -Wpointer-arith \
       -Wundef -Wno-unused-parameter
ifneq ($(CI),)
WARN += -Werror
endif
ifneq ($(SANITIZE),)
SAN_FLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
ifneq ($(FUZZ),)
SAN_FLAGS += -fsanitize=fuzzer-no-link
endif

# Debian packages: to build, to run a kiosk, and for the tests only.
# Module fragments in mk/ may add to these lists and add targets.
DEB_BUILD = build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libqrencode-dev \
            libpcsclite-dev libsqlite3-dev libmicrohttpd-dev libjansson-dev libpng-dev \
            libgnutls28-dev
DEB_RUN   = pcscd fonts-morisawa-bizud-gothic fonts-noto-core fonts-noto-cjk
DEB_TEST  = libcmocka-dev python3 sqlite3 clang libclang-rt-14-dev valgrind \
            zbar-tools vsmartcard-vpcd vsmartcard-vpicc python3-pyscard wrk \
            chromium curl procps psmisc clang-format

# Module fragments add packages (PKGS, DEB_*) and targets.
-include $(sort $(wildcard mk/*.mk))

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS  = -std=c11 -D_GNU_SOURCE -DKIOSK_DATADIR='"$(DATADIR)"' $(WARN) -Iinclude \
              $(PKG_CFLAGS) $(SAN_FLAGS) $(MK_CFLAGS) \
              $(CPPFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
LIBS        = $(PKG_LIBS) -lpthread -lm

ifeq ($(V),)
Q = @
E = @echo
else
Q =
E = @:
endif

SRC      := $(sort $(wildcard kiosk/*.c kiosk/*/*.c screens/*.c))
LIB_SRC  := $(filter-out kiosk/main.c,$(SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/kiosk/main.o
FAKE_SRC := $(sort $(wildcard tests/fakes/*.c))
FAKE_OBJ := $(FAKE_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(BUILD)/fuzz/replay_%)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(BUILD)/fuzz/fuzz_%)
FUZZ_TARGETS ?= $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
# The Debian package step, unless NODEPS is set.
DEPS     := $(if $(NODEPS),,deps)

.PHONY: all run check asan bench lint style install uninstall clean deps deps-run \
        fuzz unit-bins replay-bins

# The fake objects are built only as prerequisites of pattern rules, which
# makes them intermediate: make deleted them after the first build, and the
# next `make` rebuilt them and relinked every test.
.SECONDARY: $(FAKE_OBJ)

all: $(BUILD)/kiosk

$(BUILD)/kiosk: $(LIB_OBJ) $(MAIN_OBJ)
	$(E) "  LINK    $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(E) "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(E) "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests -c -o $@ $<

$(BUILD)/tests/unit/%: tests/unit/%.c $(FAKE_OBJ) $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(E) "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -lcmocka

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/standalone.c $(FAKE_OBJ) $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(E) "  REPLAY  $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FAKE_OBJ) $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(E) "  FUZZ    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# unit-bins also builds the helpers the tests read (tests/gen_history), so
# that `TESTS=evidence bash tests/run` works after `make unit-bins`.
unit-bins: $(UNIT_BIN) $(CHECK_PREREQS)
replay-bins: $(REPLAY_BIN)

# deps: install what is missing (as root; uses sudo otherwise).
deps:
	@sh mk/deps.sh $(DEB_BUILD) $(DEB_RUN) $(DEB_TEST)
deps-run:
	@sh mk/deps.sh $(DEB_BUILD) $(DEB_RUN)

run: $(if $(NODEPS),,deps-run)
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	$(BUILD)/kiosk run $(RUN_ARGS)

check: $(DEPS)
	@$(MAKE) --no-print-directory all unit-bins replay-bins $(CHECK_PREREQS)
	@BUILD=$(BUILD) bash tests/run

asan:
	@LSAN_OPTIONS="suppressions=$(CURDIR)/tests/lsan.supp$${LSAN_OPTIONS:+:$$LSAN_OPTIONS}" \
	    $(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) SANITIZE=address,undefined \
	    CC=$(CC) check

FUZZ_SECONDS ?= 60
# Each fuzzer in turn, FUZZ_SECONDS each.  New inputs go to
# $(FUZZ_BUILD)/corpus/NAME (copy the ones worth keeping into
# tests/fuzz/corpus/NAME, which `make check` replays); a crash stops the run
# and leaves its input as $(FUZZ_BUILD)/crash-NAME-*.
fuzz: $(DEPS)
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang FUZZ=1 \
	    SANITIZE=address,undefined $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz/fuzz_%)
	@for n in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n; \
	    echo "== $$n ($(FUZZ_SECONDS) s)"; \
	    $(FUZZ_BUILD)/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	        -artifact_prefix=$(FUZZ_BUILD)/crash-$$n- \
	        $(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n || exit 1; \
	done

bench: $(DEPS)
	@$(MAKE) --no-print-directory all $(BENCH_PREREQS)
	@BUILD=$(BUILD) sh tests/bench/run

# Each foreign header is included by its one owning file only (DESIGN.md §2).
lint:
	@sh mk/lint.sh

# The C layout against .clang-format, as a report: never rewrites a file.
style:
	@sh mk/style.sh $(STYLE_BASE)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)
	install -m 755 $(BUILD)/kiosk $(DESTDIR)$(BINDIR)/kiosk
	cp -R assets fonts $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kiosk
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	@for d in "$(BUILD)" "$(ASAN_BUILD)" "$(FUZZ_BUILD)"; do case $$d in \
	    ""|/|.|./|..|../|"$(CURDIR)"|"$(CURDIR)/") \
	        echo "clean: refusing to remove '$$d'"; exit 1;; esac; done
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
