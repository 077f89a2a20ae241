#!/bin/bash
# kiosk report: CSV open data and charts by hour, weekday and procedure,
# with no personal data.  A free port.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 300 python3 tests/server/report_e2e.py "$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
