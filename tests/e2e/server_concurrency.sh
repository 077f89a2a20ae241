#!/bin/bash
# Ten staff clients call-next at once on one service for 1,000 tickets: each
# ticket is called exactly once.  Port 18083.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 300 python3 tests/server/concurrency.py 18083 1000
