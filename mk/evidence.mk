# mk/evidence.mk - evidence (kiosk/evidence/): open data, estimate accuracy,
# staffing advice, charts.  Charts are drawn with cairo and laid out with
# Pango (Japanese text in the kiosk's fonts).  The tests generate history
# through the real store with tests/evidence/gen_history.c and check it
# with python3 (standard library only).
PKGS      += cairo pangocairo fontconfig
DEB_BUILD += libcairo2-dev libpango1.0-dev libfontconfig-dev
DEB_TEST  += python3 time

GEN_HISTORY = $(BUILD)/tests/gen_history

# (Fragments are read before LIB_OBJ is set: the recipe expands it later,
# and the binary depends on the kiosk so the objects are built first.)
$(GEN_HISTORY): tests/evidence/gen_history.c $(BUILD)/kiosk
	@mkdir -p $(dir $@)
	$(E) "  TEST    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Itests $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJ) $(LIBS)

CHECK_PREREQS += $(GEN_HISTORY)
BENCH_PREREQS += $(GEN_HISTORY)
