#!/bin/bash
# docs.sh - the reference in docs/ and the README's source tour agree with the
# code: config keys, the API's routes, the card's exit codes, every source file.
cd "$(dirname "$0")/../.." || exit 1
exec python3 tests/docs/check_docs.py
