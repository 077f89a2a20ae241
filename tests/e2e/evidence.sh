#!/bin/bash
# evidence: kiosk report and kiosk simulate on generated history of known
# arrival rates and service times; Erlang C, accuracy and waits recomputed
# independently in python; suppression, CSVW and the docs of every column.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
KIOSK=${KIOSK:-$BUILD/kiosk} GEN=$BUILD/tests/gen_history \
	exec timeout -k 5 600 python3 tests/evidence/evidence_test.py
