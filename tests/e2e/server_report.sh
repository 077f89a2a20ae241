#!/bin/bash
# kiosk report: CSV open data and charts by hour, weekday and procedure,
# with no personal data.  Port 18087.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 300 python3 tests/server/report_e2e.py 18087
