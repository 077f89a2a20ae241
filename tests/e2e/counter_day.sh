#!/bin/bash
# A full simulated day at the counters (issue 11): two kiosks, four counters,
# a printer that runs out of paper, a reader unplugged, a console that
# reloads mid-call, the server killed twice; it ends with every ticket done,
# no-show or carried over, every alert taken and nothing stranded.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 240 python3 tests/server/counter_day.py 0
