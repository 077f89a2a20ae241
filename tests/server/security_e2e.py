"""security_e2e.py - the queue server under hostile use (issue 12, SECURITY.md):
HTTP strictness, cross-site requests and DNS rebinding, the per-address
connection limit, tokens kept out of the log, one server per port and per
database.  Each check fails on a server without the matching defence."""
import http.client
import json
import os
import resource
import socket
import subprocess
import sys
import time

import qtest

ok = qtest.ok


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def raw(port, data, timeout=5.0, src=None):
    """Send bytes, read until the server closes; (status, body, seconds)."""
    t0 = time.time()
    s = socket.socket()
    if src:
        s.bind((src, 0))
    s.settimeout(timeout)
    s.connect(("127.0.0.1", port))
    s.sendall(data)
    out = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            out += d
    except OSError:
        pass
    s.close()
    head, _, body = out.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ")[1])
    except (IndexError, ValueError):
        status = 0
    return status, body, time.time() - t0


def req(port, line, headers=(), body=b""):
    h = "".join("%s\r\n" % x for x in headers)
    return raw(port, ("%s HTTP/1.1\r\n%sConnection: close\r\n\r\n" %
                      (line, h)).encode() + body)


SECRET_NAME = "秘密野 花子"
ISSUE = {"procedure": "juminhyo", "lang": "ja",
         "answers": {"who": "self", "copies": 1},
         "applicant": {"name": SECRET_NAME, "address": "千葉県旭市ニ1920",
                       "birth": "1970-01-01", "sex": "2"}}

P = free_port()
srv = qtest.Server(P, {"hosts": "kiosk.hall.example, counter-pc"})
# a database a loose umask left readable by every user
open(srv.db, "wb").close()
os.chmod(srv.db, 0o644)
old_umask = os.umask(0o022)
srv.start()
os.umask(old_umask)
H = "Host: 127.0.0.1:%d" % P

# --- the database is not readable by other users -----------------------------
qtest.call(P, "POST", "/api/help", {"kiosk": "k"})
modes = {}
for ext in ("", "-wal", "-shm", ".lock"):
    if os.path.exists(srv.db + ext):
        modes[ext or "db"] = os.stat(srv.db + ext).st_mode & 0o777
ok(modes and all(m & 0o007 == 0 for m in modes.values()) and "-wal" in modes,
   "the database, -wal, -shm and lock give other users no access (%s)" %
   ", ".join("%s %o" % kv for kv in sorted(modes.items())))

# --- 6. HTTP strictness -------------------------------------------------
q = "&".join("a%d=1" % i for i in range(600))
st, body, t = req(P, "GET /api/health?" + q, [H])
ok(st == 414 and t < 2, "600 query parameters: prompt 414 (%d in %.1f s)" %
   (st, t))
st, _, _ = req(P, "GET /api/health?a=1&b=2", [H])
ok(st == 200, "a short query still works")
st, _, t = req(P, "GET /api/health", [H] + ["X-Pad-%d: 1" % i
                                            for i in range(2000)])
ok(st in (400, 431) and t < 2, "2000 header lines: prompt %d in %.1f s" %
   (st, t))
st, body, _ = req(P, "POST /api/help", [H, "Content-Type: application/json",
                                       "Content-Length: 2",
                                       "Content-Length: 5"], b"{}")
ok(st == 400 and b"Content-Length" in body,
   "two differing Content-Length headers: 400")
st, body, _ = req(P, "POST /api/help", [H, "Content-Type: application/json",
                                       "Transfer-Encoding: chunked",
                                       "Content-Length: 5"], b"0\r\n\r\n")
ok(st == 400 and b"Transfer-Encoding" in body,
   "Transfer-Encoding with Content-Length: 400")
st, _, _ = raw(P, b"GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n")
ok(st == 400, "HTTP/1.1 without Host: 400")
st, _, _ = raw(P, b"GET /api/health HTTP/1.0\r\n\r\n")
ok(st == 200, "HTTP/1.0 without Host is still answered")
s, o = qtest.call(P, "POST", "/api/tickets", ISSUE)
ok(s == 201, "a ticket is issued (loopback kiosk)")
tid, token = o["id"], o["token"]
for path in ("/api/tickets/%d%%00" % tid, "/web/staff.html%00.png",
             "/api/tickets/%d%%0a" % tid, "/api/tickets/%d%%7F" % tid,
             "/api/health?x=%01"):
    st, body, _ = req(P, "GET " + path, [H])
    ok(st == 400 and SECRET_NAME.encode() not in body,
       "%s: 400, never a shortened path" % path)

# --- 4. cross-site requests and DNS rebinding -------------------------------
st, body, _ = req(P, "GET /api/tickets/%d" % tid,
                  ["Host: rebind.evil.example:%d" % P])
ok(st == 421 and SECRET_NAME.encode() not in body and
   b"rebind.evil.example" in body,
   "Host: rebind.evil.example gets 421 naming the host, no application")
for host in ("localhost:%d" % P, "127.0.0.1", "[::1]:%d" % P,
             "KIOSK.hall.example:%d" % P, "counter-pc", "192.0.2.7:%d" % P):
    st, _, _ = req(P, "GET /api/health", ["Host: " + host])
    ok(st == 200, "Host: %s is accepted" % host)
call = "POST /api/counters/1/call"
st, body, _ = req(P, call, [H, "Origin: http://evil.example",
                            "Content-Type: text/plain", "Content-Length: 2"],
                  b"{}")
ok(st == 403 and b"evil.example" in body,
   "a cross-origin text/plain call: 403")
st, _, _ = req(P, "POST /api/tickets/%d/done" % tid,
               [H, "Origin: http://evil.example", "Content-Type: text/plain",
                "Content-Length: 2"], b"{}")
ok(st == 403, "a cross-origin done: 403")
st, _, _ = req(P, call, [H, "Origin: null", "Content-Type: application/json",
                         "Content-Length: 2"], b"{}")
ok(st == 403, "Origin: null: 403")
st, _, _ = req(P, call, [H, "Sec-Fetch-Site: cross-site",
                         "Content-Type: application/json",
                         "Content-Length: 2"], b"{}")
ok(st == 403, "Sec-Fetch-Site: cross-site: 403")
st, _, _ = req(P, call, [H, "Sec-Fetch-Site: same-site",
                         "Content-Type: application/json",
                         "Content-Length: 2"], b"{}")
ok(st == 403, "Sec-Fetch-Site: same-site (another port or sub-domain): 403")
st, body, _ = req(P, call, [H, "Content-Type: text/plain",
                            "Content-Length: 2"], b"{}")
ok(st == 415 and b"application/json" in body,
   "a text/plain body without Origin: 415")
st, _, _ = req(P, call, [H, "Content-Type: application/x-www-form-urlencoded",
                         "Content-Length: 3"], b"a=1")
ok(st == 415, "a form body: 415")
s, o = qtest.call(P, "GET", "/api/tickets/%d" % tid)
ok(s == 200 and o["ticket"]["state"] == "waiting",
   "after the refused calls the ticket is still waiting")
st, _, _ = req(P, call, [H, "Origin: http://127.0.0.1:%d" % P,
                         "Sec-Fetch-Site: same-origin",
                         "Content-Type: application/json; charset=utf-8",
                         "Content-Length: 2"], b"{}")
ok(st == 200, "the staff console's own call (same origin, JSON): 200")

# --- 7. no token in the log ------------------------------------------------
phones = []
for i in range(3):
    so = socket.create_connection(("127.0.0.1", P))
    so.sendall(("GET /api/status/%s/events HTTP/1.1\r\n%s\r\n\r\n" %
                (token, H)).encode())
    so.settimeout(5)
    phones.append(so)
for so in phones:
    ok(b"200 OK" in so.recv(4096), "a phone's event stream opens")
st, _, _ = req(P, "GET /t/" + token, [H])
st, _, _ = req(P, "GET /api/status/" + token, [H])
for so in phones:
    so.close()
qtest.call(P, "POST", "/api/tickets/%d/done" % tid, {})
time.sleep(1.0)
srv.stop()
with open(os.path.join(srv.dir, "server.log"), "rb") as f:
    log = f.read()
ok(len(log) > 0 and token.encode() not in log and
   SECRET_NAME.encode() not in log,
   "the log names neither the phone's token nor the applicant")

# --- 11. one server per port and per database -------------------------------
srv.start()
other = qtest.Server(P)
other.start(wait=False)
try:
    rc = other.proc.wait(timeout=10)
except subprocess.TimeoutExpired:
    rc = None
with open(os.path.join(other.dir, "server.log"), "rb") as f:
    olog = f.read()
ok(rc not in (None, 0) and b"port" in olog and b"in use" in olog,
   "a second server on the same port fails at start, naming the port")
ok(qtest.call(P, "GET", "/api/health")[0] == 200,
   "the first server still answers")
other.cleanup()
P2 = free_port()
twin = qtest.Server(P2)
with open(twin.ini, "a") as f:
    f.write("db = %s\n" % srv.db)
twin.start(wait=False)
try:
    rc = twin.proc.wait(timeout=10)
except subprocess.TimeoutExpired:
    rc = None
with open(os.path.join(twin.dir, "server.log"), "rb") as f:
    tlog = f.read()
ok(rc not in (None, 0) and b"in use by another queue server" in tlog and
   str(srv.proc.pid).encode() in tlog,
   "a second server on the same database fails, naming the first's pid")
twin.cleanup()
srv.kill()
twin = qtest.Server(P2)
with open(twin.ini, "a") as f:
    f.write("db = %s\n" % srv.db)
twin.start()
ok(qtest.call(P2, "GET", "/api/health")[0] == 200,
   "after the first server died (kill -9) another may take its database")
twin.cleanup()

# --- 5. one address cannot take the server down -----------------------------
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
want = min(hard, 8192)
if soft < want:
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
N = min(3000, want - 200)
srv.start()
hold = []
refused = 0
for i in range(N):
    s = socket.socket()
    s.setblocking(False)
    s.bind(("127.0.0.2", 0))
    try:
        s.connect(("127.0.0.1", P))
    except BlockingIOError:
        pass
    except OSError:
        refused += 1
    hold.append(s)
time.sleep(1.0)
good = 0
for i in range(5):
    try:
        if qtest.call(P, "GET", "/api/health", timeout=3)[0] == 200:
            good += 1
    except OSError:
        pass
ok(good == 5, "%d idle sockets from 127.0.0.2: /api/health from "
   "127.0.0.1 answered %d of 5" % (N, good))
# the server keeps at most max_conns_per_addr of them: the rest are closed
closed = 0
for s in hold:
    try:
        if s.recv(1) == b"":
            closed += 1
    except BlockingIOError:
        pass
    except OSError:
        closed += 1
ok(closed >= N - 1000 - 50, "the server closed the %d sockets over its "
   "per-address limit (%d closed)" % (N - 1000, closed))
for s in hold:
    s.close()
srv.cleanup()

# idle connections are closed after idle_timeout_s; event streams live on
P3 = free_port()
srv = qtest.Server(P3, {"idle_timeout_s": 2, "keepalive_s": 1,
                        "max_conns_per_addr": 20})
srv.start()
idle = socket.create_connection(("127.0.0.1", P3))
idle.settimeout(6)
t0 = time.time()
try:
    gone = idle.recv(1) == b""
except OSError:
    gone = True
ok(gone and time.time() - t0 < 5, "a silent connection is closed after "
   "idle_timeout_s (%.1f s)" % (time.time() - t0))
idle.close()
es = socket.create_connection(("127.0.0.1", P3))
es.sendall(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").encode())
es.settimeout(1)
got = b""
end = time.time() + 4.5
while time.time() < end:
    try:
        d = es.recv(4096)
    except socket.timeout:
        continue
    if not d:
        break
    got += d
ok(got.count(b"keep-alive") >= 3, "an event stream outlives idle_timeout_s "
   "(keep-alives keep it open)")
es.close()
many = []
for i in range(25):
    s = socket.create_connection(("127.0.0.1", P3))
    s.settimeout(2)
    many.append(s)
time.sleep(0.5)
dropped = 0
for s in many:
    try:
        s.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        if s.recv(100) == b"":
            dropped += 1
    except OSError:
        dropped += 1
ok(dropped >= 5, "max_conns_per_addr = 20: the connections over it are "
   "closed (%d of 25)" % dropped)
for s in many:
    s.close()
srv.cleanup()

# --- start-up refusals --------------------------------------------------------
for extra, want in (({"hosts": "evil/.example"}, b"server.hosts"),
                    ({"idle_timeout_s": 10, "keepalive_s": 15},
                     b"idle_timeout_s"),
                    ({"tls_cert": "/nonexistent/cert.pem",
                      "tls_key": "/nonexistent/key.pem"}, b"tls_cert"),
                    ({"tls_key": "/nonexistent/key.pem"}, b"tls_cert")):
    bad = qtest.Server(free_port(), extra)
    bad.start(wait=False)
    try:
        rc = bad.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        rc = None
    with open(os.path.join(bad.dir, "server.log"), "rb") as f:
        blog = f.read()
    ok(rc not in (None, 0) and want in blog, "start refused with %s: %s" %
       (extra, blog.decode(errors="replace").strip().split("\n")[-1]))
    bad.cleanup()

qtest.finish()
