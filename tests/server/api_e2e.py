"""api_e2e.py PORT - the real `kiosk serve` on loopback: tokens, body
limit, bad input, pages, hundreds of event-stream clients, clean stop,
refusals at start-up, the schema and the append-only log."""
import http.client
import json
import os
import selectors
import socket
import sqlite3
import subprocess
import sys
import time

import qtest

PORT = int(sys.argv[1])
KT, ST, DT = "kiosk-token-e2e-0001", "staff-token-e2e-0001", "disp-token-e2e-0001"
SSE_CLIENTS = 300

srv = qtest.Server(PORT, {"token_kiosk": KT, "token_staff": ST,
                          "token_display": DT, "keepalive_s": 1,
                          "max_body": 4096})
web = os.path.join(srv.dir, "assets", "web")
for name in ("staff.html", "board.html", "phone.html"):
    with open(os.path.join(web, name), "w") as f:
        f.write("<!doctype html><title>%s</title>\n" % name)
srv.start()
P = PORT
ISSUE = {"procedure": "juminhyo", "lang": "ja",
         "answers": {"who": "self", "copies": 1}}


def waiting():
    s, o = qtest.call(P, "GET", "/api/queue", token=ST)
    return sum(x["waiting"] for x in o["services"])


s, o = qtest.call(P, "GET", "/api/health")
qtest.ok(s == 200 and o["ok"] is True, "GET /api/health answers")
s, o = qtest.call(P, "POST", "/api/tickets", ISSUE)
qtest.ok(s == 401 and o["error"] == "unauthorized",
         "issuing without the kiosk token: 401")
s, o = qtest.call(P, "POST", "/api/tickets", ISSUE, token=ST)
qtest.ok(s == 401, "issuing with the staff token: 401")
s, o = qtest.call(P, "POST", "/api/tickets", ISSUE, token=KT)
qtest.ok(s == 201 and o["number"] == "A-001", "issuing with the kiosk "
         "token: 201 A-001")
token = o["token"]
before = waiting()

c = http.client.HTTPConnection("127.0.0.1", P, timeout=5)
c.request("POST", "/api/tickets", body=b"{" + b" " * 100000 + b"}",
          headers={"Authorization": "Bearer " + KT,
                   "Content-Type": "application/json"})
r = c.getresponse()
qtest.ok(r.status == 413 and json.loads(r.read())["error"] == "too_large",
         "a 100 kB body with Content-Length: 413")
c.close()
c = http.client.HTTPConnection("127.0.0.1", P, timeout=5)
c.request("POST", "/api/tickets", body=iter([b"{" + b" " * 3000] * 4),
          headers={"Authorization": "Bearer " + KT,
                   "Content-Type": "application/json",
                   "Transfer-Encoding": "chunked"}, encode_chunked=True)
r = c.getresponse()
qtest.ok(r.status == 413, "a 12 kB chunked body: 413")
c.close()
for body, what in ((b"{", "truncated JSON"),
                   (b'{"procedure":"jumin\xff","lang":"ja"}', "invalid UTF-8"),
                   (b'{"procedure":"x\'; DROP TABLE tickets;--","lang":"ja"}',
                    "SQL in the procedure"),
                   (b'{"procedure":"juminhyo","lang":"ja","answers":{"copies":"9e9"}}',
                    "a wrong type in an answer")):
    s, o = qtest.call(P, "POST", "/api/tickets", body, token=KT)
    qtest.ok(s == 400 and o.get("detail"), "%s: 400 %s (%s)" %
             (what, o.get("error"), o.get("detail")))
qtest.ok(waiting() == before, "nothing was stored by the refused requests")
s, o = qtest.call(P, "GET", "/api/status/" + token)
qtest.ok(s == 200 and o["state"] == "waiting", "the phone status needs no "
         "token")
s, o = qtest.call(P, "GET", "/api/stats?date=2026-02-30", token=ST)
qtest.ok(s == 400, "stats for 2026-02-30: 400")


def get_raw(path):
    c = http.client.HTTPConnection("127.0.0.1", P, timeout=5)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, r.getheader("Content-Type") or "", body


s, ct, b = get_raw("/staff")
qtest.ok(s == 200 and ct.startswith("text/html") and b"staff.html" in b,
         "GET /staff serves assets/web/staff.html")
s, ct, b = get_raw("/t/" + token)
qtest.ok(s == 200 and b"phone.html" in b, "GET /t/{token} serves the phone "
         "page")
s, ct, b = get_raw("/web/../kiosk.ini")
qtest.ok(s == 404, "no path out of the web folder")

# hundreds of event-stream clients
sel = selectors.DefaultSelector()
socks = []
for i in range(SSE_CLIENTS):
    so = socket.create_connection(("127.0.0.1", P))
    so.sendall(("GET /api/events?token=%s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" %
                DT).encode())
    so.setblocking(False)
    sel.register(so, selectors.EVENT_READ, i)
    socks.append(so)
got = [b""] * SSE_CLIENTS


def pump(until, pred):
    end = time.time() + until
    while time.time() < end and not all(pred(g) for g in got):
        for key, _ in sel.select(timeout=0.2):
            try:
                data = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            got[key.data] += data


pump(10, lambda g: b": connected" in g)
qtest.ok(all(b": connected" in g for g in got), "%d event-stream clients "
         "connected" % sum(b": connected" in g for g in got))
with open("/proc/%d/status" % srv.proc.pid) as f:
    rss = [line for line in f if line.startswith("VmRSS")][0].split()[1]
qtest.ok(True, "server RSS with %d streams: %s kB" % (SSE_CLIENTS, rss))
s, o = qtest.call(P, "POST", "/api/tickets", ISSUE, token=KT)
number = o["number"]
pump(10, lambda g: ("event: issued" in g.decode() and number in g.decode()))
n = sum(b"event: issued" in g and number.encode() in g for g in got)
qtest.ok(n == SSE_CLIENTS, "all %d clients received the 'issued' event "
         "(%d)" % (SSE_CLIENTS, n))
pump(3, lambda g: b": keep-alive" in g)
n = sum(b": keep-alive" in g for g in got)
qtest.ok(n == SSE_CLIENTS, "keep-alive comments reach every client (%d)" % n)
qtest.ok(not any(b"juminhyo" in g and b"applicant" in g for g in got),
         "events carry no application")
s, o = qtest.call(P, "GET", "/api/events")
qtest.ok(s == 401, "the event stream needs a staff or display token")
# the same request twice (an answer lost on the way): one ticket
rq = dict(ISSUE, request_id="kiosk1-" + "ab" * 12)
s1, o1 = qtest.call(P, "POST", "/api/tickets", rq, token=KT)
s2, o2 = qtest.call(P, "POST", "/api/tickets", rq, token=KT)
qtest.ok(s1 == 201 and s2 == 200 and o1["number"] == o2["number"] and
         o1["token"] == o2["token"], "a repeated request_id returns the same "
         "ticket (%s %s, %s %s)" % (s1, o1.get("number"), s2, o2.get("number")))
s, o = qtest.call(P, "POST", "/api/tickets", dict(ISSUE, request_id="x';--"),
                  token=KT)
qtest.ok(s == 400 and "request_id" in o["detail"], "a malformed request_id: "
         "400 naming it")
# a phone's own stream: public, for an existing ticket, no help events
ph = socket.create_connection(("127.0.0.1", P))
ph.sendall(("GET /api/status/%s/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" %
            token).encode())
ph.settimeout(0.3)
qtest.call(P, "POST", "/api/help", {"kiosk": "kiosk-9", "kind": "resident"},
           token=KT)
s, o = qtest.call(P, "POST", "/api/tickets", ISSUE, token=KT)
seen, end = b"", time.time() + 5
while time.time() < end and o["number"].encode() not in seen:
    try:
        seen += ph.recv(65536)
    except socket.timeout:
        pass
ph.close()
qtest.ok(b" 200 " in seen.split(b"\r\n")[0] and b"event: issued" in seen,
         "a phone's own stream needs no token and gets queue events")
qtest.ok(b"event: help" not in seen and b"kiosk-9" not in seen,
         "a phone's stream never carries help requests")
s, ct, b = get_raw("/api/status/" + "0" * 32 + "/events")
qtest.ok(s == 404, "no stream for an unknown ticket")
s, ct, b = get_raw("/t/not-a-token")
qtest.ok(s == 404 and ct.startswith("text/html"), "a malformed ticket page "
         "gets the phone page with 404 (it says no such ticket)")
for so in socks[:100]:
    so.close()
t0 = time.time()
srv.proc.send_signal(15)
try:
    rc = srv.proc.wait(timeout=10)
except subprocess.TimeoutExpired:
    rc = None
qtest.ok(rc == 0, "SIGTERM with 200 open streams: clean exit (%s) in %.1f s"
         % (rc, time.time() - t0))
for so in socks[100:]:
    so.close()

db = sqlite3.connect(srv.db)
v = db.execute("PRAGMA user_version").fetchone()[0]
qtest.ok(v >= 5, "schema version %d" % v)
mode = db.execute("PRAGMA journal_mode").fetchone()[0]
qtest.ok(mode == "wal", "journal mode %s" % mode)
try:
    db.execute("DELETE FROM events")
    db.commit()
    qtest.ok(False, "the event log refuses deletes")
except sqlite3.DatabaseError as e:
    qtest.ok("append-only" in str(e), "the event log refuses deletes (%s)" % e)
try:
    db.execute("UPDATE events SET kind = 'x'")
    db.commit()
    qtest.ok(False, "the event log refuses updates")
except sqlite3.DatabaseError as e:
    qtest.ok("append-only" in str(e), "the event log refuses updates")
db.execute("PRAGMA user_version = 99")
db.commit()
db.close()
p = subprocess.run([qtest.KIOSK, "serve", "--config", srv.ini],
                   capture_output=True, text=True, timeout=10)
qtest.ok(p.returncode == 1 and "newer" in p.stderr, "a database from a newer "
         "version is refused: %s" % p.stderr.strip()[-120:])

# refusals at start-up
with open(srv.ini) as f:
    ini = f.read()
bad = os.path.join(srv.dir, "open.ini")
with open(bad, "w") as f:
    f.write("[server]\nlisten = 0.0.0.0\nport = %d\n" % P)
p = subprocess.run([qtest.KIOSK, "serve", "--config", bad],
                   capture_output=True, text=True, timeout=10)
qtest.ok(p.returncode == 1 and "token" in p.stderr,
         "listening on 0.0.0.0 without tokens is refused: %s" %
         p.stderr.strip())
with open(bad, "w") as f:
    f.write("[server]\nport = %d\nthreds = 4\n" % P)
p = subprocess.run([qtest.KIOSK, "serve", "--config", bad],
                   capture_output=True, text=True, timeout=10)
qtest.ok(p.returncode == 1 and "threds" in p.stderr and ":3" in p.stderr,
         "an unknown key stops start-up: %s" % p.stderr.strip())
with open(bad, "w") as f:
    f.write("[server]\nport = %d\nservices = A:x\n" % P)
p = subprocess.run([qtest.KIOSK, "serve", "--config", bad],
                   capture_output=True, text=True, timeout=10)
qtest.ok(p.returncode == 1 and "server.services" in p.stderr,
         "a bad services line stops start-up: %s" % p.stderr.strip())
srv.cleanup(keep=qtest.failures > 0)
qtest.finish()
