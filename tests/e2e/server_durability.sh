#!/bin/bash
# Kill -9 while issuing: 200 SIGKILLs with restarts while 4 clients issue;
# numbers stay 1..N per service with no gap or duplicate, and every
# acknowledged ticket exists.  Port 18082.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 300 python3 tests/server/durability.py 18082 "${KILLS:-200}"
