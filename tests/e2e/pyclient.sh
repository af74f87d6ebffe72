#!/usr/bin/env bash
# An independent client written from lib/hallq/PROTOCOL.md alone (Python, pyzmq) works.
. "$(dirname "$0")/lib.sh"
start_daemon
/usr/bin/python3 "$(dirname "$0")/pyclient.py" "$HALLQ_ENDPOINT" "$HALLQ_EVENTS" || fail "python client"
pass "independent Python client"
