#!/bin/bash
# Queue server over real HTTP: tokens, body limit, bad input stores nothing,
# pages, 300 event-stream clients, clean stop, start-up refusals, schema and
# append-only log.  Port 18084.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 300 python3 tests/server/api_e2e.py 18084
