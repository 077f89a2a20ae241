"""tls_e2e.py - the queue server over HTTPS (issue 12, item 12): a first
install's self-signed pair from `kiosk tls selfsigned`, `kiosk serve` with
it, a ticket issued, called and watched on the phone page over https, the
QR URL from public_url, and `kiosk status` trusting the pinned
certificate."""
import http.client
import json
import os
import socket
import ssl
import stat
import subprocess

import qtest

ok = qtest.ok
KIOSK = qtest.KIOSK


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


P = free_port()
srv = qtest.Server(P)
import shutil
shutil.rmtree(os.path.join(srv.dir, "assets", "web"))
shutil.copytree(os.path.join(qtest.HERE, "..", "..", "assets", "web"),
                os.path.join(srv.dir, "assets", "web"))
tls = os.path.join(srv.dir, "tls")
with open(srv.ini, "a") as f:
    f.write("public_url = https://kiosk.hall.example:%d\n" % P)
    f.write("hosts = kiosk.hall.example\n")
r = subprocess.run([KIOSK, "tls", "selfsigned", "--out", tls, "--config",
                    srv.ini], capture_output=True, text=True)
cert = os.path.join(tls, "kiosk-cert.pem")
key = os.path.join(tls, "kiosk-key.pem")
ok(r.returncode == 0 and os.path.exists(cert) and "SHA-256" in r.stdout,
   "kiosk tls selfsigned writes a pair and names its fingerprint")
ok(stat.S_IMODE(os.stat(key).st_mode) == 0o600, "the key is mode 600")
with open(key) as f:
    ok("PRIVATE KEY" in f.read(), "the key is a PEM private key")
r2 = subprocess.run([KIOSK, "tls", "selfsigned", "--out", tls, "--config",
                     srv.ini], capture_output=True, text=True)
ok(r2.returncode != 0 and "--force" in r2.stderr,
   "a second run keeps the pair and says how to replace it")
r3 = subprocess.run([KIOSK, "tls", "selfsigned"], capture_output=True,
                    text=True)
ok(r3.returncode == 2 and "usage" in r3.stderr, "no --out: usage")

with open(srv.ini, "a") as f:
    f.write("tls_cert = %s\ntls_key = %s\n" % (cert, key))
srv.start(wait=False)

ctx = ssl.create_default_context(cafile=cert)


def https(method, path, body=None, host="127.0.0.1", sni=None):
    c = http.client.HTTPSConnection(host, P, timeout=5, context=ctx)
    if sni:
        # connect to 127.0.0.1 but check the certificate for sni
        c = http.client.HTTPSConnection("127.0.0.1", P, timeout=5,
                                        context=ctx)
        c._tunnel_host = None
        c.sock = ctx.wrap_socket(socket.create_connection(("127.0.0.1", P)),
                                 server_hostname=sni)
    headers = {"Host": "%s:%d" % (sni or host, P)}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=headers)
    res = c.getresponse()
    raw = res.read()
    c.close()
    return res.status, res.getheader("Content-Type") or "", raw


import time
end = time.time() + 10
up = False
while time.time() < end and not up:
    try:
        up = https("GET", "/api/health")[0] == 200
    except OSError:
        time.sleep(0.05)
ok(up, "kiosk serve answers over https, trusted by the pinned certificate")
for name in ("localhost", "kiosk.hall.example"):
    try:
        st = https("GET", "/api/health", sni=name)[0]
    except (OSError, ssl.SSLError) as e:
        st = str(e)
    ok(st == 200, "the certificate is valid for %s (%s)" % (name, st))

# plain HTTP on the TLS port gets nothing that looks like an answer
try:
    st, _ = qtest.call(P, "GET", "/api/health", timeout=2)
except (OSError, http.client.HTTPException):
    st = None
ok(st != 200, "plain HTTP to the HTTPS port is not served")

st, _, raw = https("POST", "/api/tickets",
                   {"procedure": "juminhyo", "lang": "ja",
                    "answers": {"who": "self", "copies": 1}})
t = json.loads(raw) if st == 201 else {}
ok(st == 201 and t["url"] == "https://kiosk.hall.example:%d/t/%s" %
   (P, t["token"]), "issued over https; the QR URL follows public_url (%s)" %
   t.get("url"))
st, _, raw = https("POST", "/api/counters/1/call", {})
ok(st == 200 and json.loads(raw)["ticket"]["number"] == t["number"]
   if st == 200 else False, "called over https")
st, ctype, raw = https("GET", "/t/" + t["token"])
ok(st == 200 and ctype.startswith("text/html") and b"phone" in raw,
   "the phone page over https (%d %s)" % (st, ctype))
st, _, raw = https("GET", "/api/status/" + t["token"])
ok(st == 200 and json.loads(raw)["state"] == "called" and
   json.loads(raw)["counter"] == 1, "the phone sees its call over https")

# the kiosk's own client (kiosk status) with the certificate as its pin
kini = os.path.join(srv.dir, "kiosk-side.ini")
with open(kini, "w") as f:
    f.write("[kiosk]\nserver = https://localhost:%d\nserver_ca = %s\n" %
            (P, cert))
r = subprocess.run([KIOSK, "status", "--config", kini], capture_output=True,
                   text=True, timeout=20)
ok("DOWN" not in r.stdout and "https://localhost:%d" % P in r.stdout,
   "kiosk status reaches the server over https with the pin: %s" %
   r.stdout.strip().split("\n")[0])
with open(kini, "w") as f:
    f.write("[kiosk]\nserver = https://localhost:%d\n" % P)
r = subprocess.run([KIOSK, "status", "--config", kini], capture_output=True,
                   text=True, timeout=20)
ok("DOWN" in r.stdout and "not trusted" in r.stdout,
   "without the pin the self-signed server is not trusted: %s" %
   r.stdout.strip().split("\n")[0])
srv.cleanup()
qtest.finish()
