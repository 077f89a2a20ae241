#!/bin/bash
# The queue server under hostile use (issue 12, SECURITY.md): HTTP
# strictness, cross-site requests and DNS rebinding, per-address connection
# limit, no token in the log, one server per port and per database.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 240 python3 tests/server/security_e2e.py
