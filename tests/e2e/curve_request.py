"""One request over CURVE with a device's own key, as any client written from PROTOCOL.md
would send it: for tests that need a field hallqctl does not offer (an issue's token).

    curve_request.py ENDPOINT SERVER_KEY DEVICE_KEY_SECRET JSON

prints the reply (one JSON line); exit status 3 when none comes within 3 s."""
import json
import re
import sys

import zmq


def z85_keys(path):
    """The Z85 keys of a czmq certificate file (ZPL text)."""
    text = open(path, encoding="utf-8").read()
    keys = dict(re.findall(r'(public-key|secret-key)\s*=\s*"([^"]+)"', text))
    return keys.get("public-key", "").encode(), keys.get("secret-key", "").encode()


endpoint, server_key, device_secret, body = sys.argv[1:5]
server_public, _ = z85_keys(server_key)
public, secret = z85_keys(device_secret)
ctx = zmq.Context()
sock = ctx.socket(zmq.DEALER)
sock.setsockopt(zmq.LINGER, 0)
sock.setsockopt(zmq.RCVTIMEO, 3000)
sock.curve_serverkey = server_public
sock.curve_publickey = public
sock.curve_secretkey = secret
sock.connect(endpoint)
sock.send(json.dumps(json.loads(body)).encode())
try:
    print(sock.recv().decode())
except zmq.Again:
    print("no reply", file=sys.stderr)
    sys.exit(3)
