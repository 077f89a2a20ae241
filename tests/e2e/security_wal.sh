#!/bin/bash
# Deleted personal data leaves no byte in the database, its WAL or -shm
# within 1 s of done, no-show, or a transfer note then done (issue 12).
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 120 python3 tests/server/wal_e2e.py
