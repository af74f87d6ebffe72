#!/usr/bin/env bash
# hallq-web's progress page against the real hallqd, both on ephemeral loopback ports: the
# issue reply's web token opens the page; its state comes as server-sent events and as JSON;
# a call reaches the stream within a second; unknown links get a plain page and guessing is
# limited; the daemon's absence shows as offline. Checked by web.py (Python's standard
# library: an HTTP client that knows nothing of hallq's code).
# usage: web.sh HALLQD HALLQCTL HALLQ-WEB
. "$(dirname "$0")/lib.sh"
WEB=${3:?usage: web.sh HALLQD HALLQCTL HALLQ-WEB}
start_daemon
"$WEB" --listen 127.0.0.1:0 2> "$WORK/web.log" &
WEB_PID=$!
port() { sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$WORK/web.log"; }
listening() { [ -n "$(port)" ]; }
wait_until 10 "hallq-web did not start listening" listening
# HTTPS through libmicrohttpd (GnuTLS): a self-signed certificate, as the README shows.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2> /dev/null || fail "openssl"
"$WEB" --listen 127.0.0.1:0 --tls-cert "$WORK/tls.crt" --tls-key "$WORK/tls.key" \
    2> "$WORK/tls.log" &
TLS_PID=$!
tls_port() { sed -n 's/.*listening on https:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$WORK/tls.log"; }
tls_listening() { [ -n "$(tls_port)" ]; }
wait_until 10 "hallq-web with --tls-cert did not start listening" tls_listening
tls_live() {
    curl -sf --cacert "$WORK/tls.crt" "https://127.0.0.1:$(tls_port)/wall/state" | grep -q '"live":true'
}
wait_until 10 "the wall over HTTPS is not live" tls_live
curl -sf "http://127.0.0.1:$(tls_port)/wall/state" > /dev/null && fail "plain HTTP answered on the HTTPS port"
kill -TERM "$TLS_PID"
wait "$TLS_PID" || fail "hallq-web with TLS did not stop cleanly"
pass "HTTPS: the wall's state over TLS, verified against the certificate"
HALLQ_WEB="http://127.0.0.1:$(port)" HALLQCTL="$HALLQCTL" DAEMON_PID=$DAEMON_PID \
    /usr/bin/python3 "$(dirname "$0")/web.py" ||
    { echo "--- hallq-web log:" >&2; tail -n 20 "$WORK/web.log" >&2; fail "web.py"; }
kill -TERM "$WEB_PID"
wait "$WEB_PID" || fail "hallq-web did not stop cleanly on SIGTERM"
pass "hallq-web progress page"
