# mk/appliance.mk - the kiosk as a Debian package (debian/), its systemd
# units (debian/*.service, *.timer) and the operator commands (kiosk/ops/).
#
#   make deb      build/kiosk_<version>_<arch>.deb (debhelper), then lintian
#
# The server tells systemd it is ready and pings the watchdog
# (libsystemd's sd_notify; a no-op without NOTIFY_SOCKET).  Tests: the
# package is built, linted, installed and removed (tests/e2e/appliance.sh);
# the resident screen runs in cage on the headless wlroots backend and grim
# takes its picture (tests/e2e/appliance_cage.sh).
PKGS += libsystemd

DEB_BUILD += libsystemd-dev debhelper dpkg-dev fakeroot
DEB_RUN   += pcscd fonts-morisawa-bizud-gothic fonts-noto-core fonts-noto-cjk
DEB_TEST  += lintian cage grim xwayland systemd util-linux sqlite3 python3 curl

# The version comes from debian/changelog; the health report shows it.
VERSION := $(shell dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null || echo dev)
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB_FILE  = $(BUILD)/kiosk_$(VERSION)_$(DEB_ARCH).deb

$(BUILD)/obj/kiosk/server/api_health.o: MK_CFLAGS += -DKIOSK_VERSION='"$(VERSION)"'
$(BUILD)/obj/kiosk/server/api_health.o: debian/changelog

.PHONY: deb
deb: $(DEB_FILE)

# debian/rules builds with -j2 into build-deb/ (its own DATADIR
# /usr/share/kiosk; kept between runs, so a second `make deb` only
# relinks) and writes the .deb into $(BUILD).  No dpkg-buildpackage: it
# would want to clean the tree and write into the parent folder; the
# package needs no root to build (Rules-Requires-Root: no).  Lintian must
# report no error; its warnings are explained in debian/ (overrides with
# comments) and docs/operations.md.
DEB_SOURCES = $(SRC) $(wildcard include/*.h) $(wildcard debian/* systemd/*) Makefile \
              $(wildcard mk/*.mk) docs/operations.md \
              $(shell find assets fonts -type f 2>/dev/null)
$(DEB_FILE): $(DEB_SOURCES)
	@mkdir -p $(BUILD)
	$(E) "  DEB     $@"
	$(Q)DEB_DESTDIR=$(BUILD) debian/rules binary >$(BUILD)/deb-build.log 2>&1 || \
	    { tail -30 $(BUILD)/deb-build.log; exit 1; }
	$(Q)rm -f $(BUILD)/kiosk-dbgsym_*.deb
	$(E) "  LINT    $@"
	$(Q)lintian --fail-on error --info $@ >$(BUILD)/lintian.log 2>&1 || \
	    { cat $(BUILD)/lintian.log; exit 1; }
	@cat $(BUILD)/lintian.log

# Screenshot comparison for the cage test (links only the PNG reader).
APPLIANCE_PNGCMP = $(BUILD)/tests/appliance/pngcmp
$(APPLIANCE_PNGCMP): tests/appliance/pngcmp.c $(addprefix $(BUILD)/obj/kiosk/,kerr.o xmalloc.o pngio.o)
	@mkdir -p $(dir $@)
	$(E) "  TOOL    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)
CHECK_PREREQS += $(APPLIANCE_PNGCMP)
