#!/bin/bash
# Kill -9 while two counters call: 200 SIGKILLs with restarts while two
# counters call and finish tickets the way the staff console does (request
# ids, sent again until answered) and a kiosk issues walk-ins, visits with a
# route (move_in) and appointment check-ins; 0 stranded, 0 lost, 0 twice.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 170 python3 tests/server/counter_kill.py 0 "${KILLS:-200}"
