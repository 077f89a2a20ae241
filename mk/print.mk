# mk/print.mk - the ticket printer module (kiosk/print/, tests/printer/).
#
# The ticket text is drawn with FreeType + HarfBuzz (not SDL: the printer
# module knows no window); mk/lint.sh names the files that may include
# them.  The top Makefile reads the fragments first and then computes
# PKG_CFLAGS/PKG_LIBS from PKGS, so adding the package names here is all
# it takes.
PRINT_PKGS = freetype2 harfbuzz
PKGS += $(PRINT_PKGS)

DEB_BUILD += libfreetype-dev libharfbuzz-dev
DEB_RUN   += fonts-morisawa-bizud-gothic fonts-noto-core fonts-noto-cjk cups-client
DEB_TEST  += zbar-tools python3

# Test tools: the ESC/POS decoder (tests/printer/escpos_decode.c) and the
# bench driver link only the objects they need, so they build even while
# other modules are half-written.
PRINT_BASE_OBJ = $(addprefix $(BUILD)/obj/kiosk/,kerr.o xmalloc.o bytebuf.o config.o pngio.o i18n.o) \
                 $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard kiosk/text/*.c)))
PRINT_MOD_OBJ  = $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard kiosk/print/*.c)))
PRINT_DECODE   = $(BUILD)/tests/printer/escpos_decode
PRINT_BENCH    = $(BUILD)/tests/printer/print_bench

$(PRINT_DECODE): tests/printer/escpos_decode.c $(PRINT_BASE_OBJ) \
    $(BUILD)/obj/kiosk/print/qr.o $(BUILD)/obj/kiosk/print/bitmap.o
	@mkdir -p $(dir $@)
	$(E) "  TOOL    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(PRINT_BENCH): tests/printer/print_bench.c $(PRINT_BASE_OBJ) $(PRINT_MOD_OBJ)
	@mkdir -p $(dir $@)
	$(E) "  TOOL    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

CHECK_PREREQS += $(PRINT_DECODE)
BENCH_PREREQS += $(PRINT_DECODE) $(PRINT_BENCH)
