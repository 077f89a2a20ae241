#!/bin/bash
# The queue server over HTTPS with a `kiosk tls selfsigned` pair: issue,
# call and the phone page over https, the QR URL from public_url, and the
# kiosk's client trusting the pinned certificate (issue 12).
cd "$(dirname "$0")/../.." || exit 1
KIOSK=${KIOSK:-build/kiosk} exec timeout -k 5 120 python3 tests/server/tls_e2e.py
