#!/bin/bash
# Ten staff clients call-next at once on one service for 1,000 tickets: each
# ticket is called exactly once.  A free port.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 300 python3 tests/server/concurrency.py "$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" 1000
