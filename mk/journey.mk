# mk/journey.mk - the resident journey (kiosk/journey*.c, kiosk/catalog.c,
# kiosk/i18n.c, kiosk/wareki.c, screens/, assets/procedures.json, assets/po/).
#
#   make screenshots   every resident screen in every language, normal and
#                      large text, 1920x1080 and 1080x1920, in
#                      $(BUILD)/screenshots/<orientation>[-large]/<lang>-NN-*.png
#   make demo          `make run` with the emulated My Number card (旭 太郎,
#                      PIN 1234) behind a private pcscd + vpcd; take the card
#                      out / put it back from another terminal with
#                      tests/card/ctl.sh var/card remove | insert
# The demo's packages (pcscd with the vpcd driver, vpicc) are installed by
# `make demo` only: vpcd listens on the network and has no place on a kiosk.
DEB_TEST += python3 sqlite3
DEMO_DEBS = pcscd vsmartcard-vpcd vsmartcard-vpicc python3 util-linux

.PHONY: screenshots demo
screenshots: all
	@rm -rf $(BUILD)/screenshots
	@KIOSK=$(BUILD)/kiosk bash tests/journey/screens.sh $(BUILD)/screenshots

demo: deps-run
	@sh mk/deps.sh $(DEMO_DEBS)
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	@KIOSK=$(BUILD)/kiosk bash tests/journey/demo.sh var/card $(RUN_ARGS)
