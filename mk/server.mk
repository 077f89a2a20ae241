# mk/server.mk - the queue server (kiosk/queue, kiosk/server) and its tests.
# Build: SQLite, libmicrohttpd and jansson are in the top Makefile's PKGS.
# Tests: python3 drives the durability, concurrency and event-stream
# scripts (tests/server/*.py, standard library only); wrk is the load tool
# of tests/bench/server.sh; curl for hand checks.
DEB_BUILD += libsqlite3-dev libmicrohttpd-dev libjansson-dev
DEB_TEST  += python3 wrk curl procps
