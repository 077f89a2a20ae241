#!/bin/bash
# Operator commands: setup, status, backup while issuing, restore
# (tests/appliance/ops_e2e.py).  Free ports only.
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 240 python3 tests/appliance/ops_e2e.py
