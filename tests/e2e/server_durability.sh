#!/bin/bash
# Kill -9 while issuing: 200 SIGKILLs with restarts while 4 clients issue;
# numbers stay 1..N per service with no gap or duplicate, and every
# acknowledged ticket exists.  A free port.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 300 python3 tests/server/durability.py "$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" "${KILLS:-200}"
