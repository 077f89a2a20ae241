# mk/print.mk - the ticket printer module (kiosk/print/, tests/printer/).
#
# The ticket text is drawn with FreeType + HarfBuzz (not SDL: the printer
# module knows no window), so kiosk/print needs no SDL and mk/lint.sh is
# unchanged.  PKG_CFLAGS/PKG_LIBS are computed before fragments are read,
# so the flags are appended here as well as the package names.
PRINT_PKGS = freetype2 harfbuzz
PKGS += $(PRINT_PKGS)
PKG_CFLAGS += $(shell $(PKG_CONFIG) --cflags $(PRINT_PKGS) 2>/dev/null)
PKG_LIBS += $(shell $(PKG_CONFIG) --libs $(PRINT_PKGS) 2>/dev/null)

DEB_BUILD += libfreetype-dev libharfbuzz-dev
DEB_RUN   += fonts-morisawa-bizud-gothic fonts-noto-core fonts-noto-cjk cups-client
DEB_TEST  += zbar-tools python3
