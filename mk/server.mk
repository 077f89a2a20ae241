# mk/server.mk - the queue server (kiosk/queue, kiosk/server) and its tests.
# Build: SQLite, libmicrohttpd and jansson are in the top Makefile's PKGS.
# Tests: python3 drives the durability, concurrency and event-stream
# scripts (tests/server/*.py, standard library only); wrk is the load tool
# of tests/bench/server.sh; curl for hand checks.
DEB_BUILD += libsqlite3-dev libmicrohttpd-dev libjansson-dev
DEB_TEST  += python3 wrk curl procps

# tests/bench/issue.sh: a fixed-count ticket load (the 1st and the 10,000th
# thousand of a day) and an fsync-delay shim standing in for a slow disk.
BENCH_PREREQS += $(BUILD)/bench/issue_load $(BUILD)/bench/fsync_delay.so
$(BUILD)/bench/issue_load: tests/bench/issue_load.c
	@mkdir -p $(dir $@)
	$(E) "  BENCH   $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< -lpthread
$(BUILD)/bench/fsync_delay.so: tests/bench/fsync_delay.c
	@mkdir -p $(dir $@)
	$(E) "  BENCH   $@"
	$(Q)$(CC) $(ALL_CFLAGS) -shared -fPIC -o $@ $< -ldl
