#!/bin/bash
# Queue server over real HTTP: tokens, body limit, bad input stores nothing,
# pages, 300 event-stream clients, clean stop, start-up refusals, schema and
# append-only log.  A free port.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 300 python3 tests/server/api_e2e.py "$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
