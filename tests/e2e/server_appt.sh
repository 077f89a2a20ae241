#!/bin/bash
# Appointments mixed with walk-ins through the real server and the real
# command line (tests/server/appt_e2e.py).  A free port.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 120 python3 tests/server/appt_e2e.py "$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
