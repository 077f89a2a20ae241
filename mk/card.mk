# mk/card.mk - the My Number card module (kiosk/card/, tests/card/).
#
# Runtime: pcscd (and a CCID reader).  Tests: pcscd with the vpcd driver and
# the vpicc Python package, driven by Debian's /usr/bin/python3 (see
# tests/card/ctl.sh); unshare(1) from util-linux gives the test pcscd its
# own socket directory.
DEB_RUN  += pcscd
DEB_TEST += pcscd vsmartcard-vpcd vsmartcard-vpicc python3 util-linux

# A demo card for people: `eval "$(make -s card-start)"`, then
# `echo 1234 | build/kiosk card read --json`; `make card-stop` ends it.
CARD_DIR ?= var/card

.PHONY: card-start card-stop
card-start: all
	@KIOSK=$(BUILD)/kiosk tests/card/start.sh $(CARD_DIR)
card-stop:
	@tests/card/stop.sh $(CARD_DIR)

# In-process timing of a card read for `make bench` (tests/bench/card.sh).
BENCH_PREREQS += $(BUILD)/bench/card_read
# (Fragments are read before LIB_OBJ is set: the recipe expands it later,
# and $(BUILD)/kiosk stands for "all library objects are built".)
$(BUILD)/bench/card_read: tests/bench/card_read.c $(BUILD)/kiosk
	@mkdir -p $(dir $@)
	$(E) "  BENCH   $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJ) $(LIBS)
