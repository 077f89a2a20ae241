"""ops_e2e.py - the operator commands end to end: `kiosk setup` (tokens,
kept lines, QR), `kiosk status` (exit codes, details only for staff),
`kiosk backup` while tickets are being issued (no personal data in it,
generations), `kiosk restore` (refusals, a new folder gives the same
queue).  TAP lines "ok - ..." / "not ok - ..."."""
import http.client
import json
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zlib

KIOSK = os.environ.get("KIOSK", "build/kiosk")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
fails = 0
procs = []


def ok(cond, what):
    global fails
    print(("ok - " if cond else "not ok - ") + what, flush=True)
    if not cond:
        fails += 1
    return cond


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def run(*args, stdin=None):
    return subprocess.run([KIOSK] + list(args), capture_output=True,
                          text=True, timeout=60, input=stdin)


def call(port, method, path, token=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    h = {"Content-Type": "application/json"}
    if token:
        h["Authorization"] = "Bearer " + token
    c.request(method, path, json.dumps(body) if body is not None else None, h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, (json.loads(data) if data else None)


def serve(ini, port):
    p = subprocess.Popen([KIOSK, "serve", "--config", ini],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    procs.append(p)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return p
        except OSError:
            time.sleep(0.05)
    raise SystemExit("not ok - server on %d did not start" % port)


def stop(p):
    p.terminate()
    p.wait(10)


def qr_text_to_png(lines, path):
    """The terminal QR (light = full block) as a PNG, 4 px a module."""
    rows = []
    for ln in lines:
        top, bot = [], []
        for ch in ln:
            t, b = {"\u2588": (1, 1), "\u2580": (1, 0), "\u2584": (0, 1),
                    " ": (0, 0)}[ch]   # 1 = light
            top.append(t)
            bot.append(b)
        rows += [top, bot]
    w, h, s = len(rows[0]), len(rows), 4
    raw = b""
    for r in rows:
        line = bytes(255 if v else 0 for v in r for _ in range(s))
        raw += (b"\x00" + line) * s

    def chunk(t, d):
        return (len(d).to_bytes(4, "big") + t + d +
                zlib.crc32(t + d).to_bytes(4, "big"))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" +
                chunk(b"IHDR", (w * s).to_bytes(4, "big") +
                      (h * s).to_bytes(4, "big") + b"\x08\x00\x00\x00\x00") +
                chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def notify_test(tmp):
    """kiosk serve under a fake systemd: NOTIFY_SOCKET and WATCHDOG_USEC."""
    sockp = os.path.join(tmp, "notify.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(sockp)
    s.settimeout(5)
    port = free_port()
    ini = os.path.join(tmp, "notify.ini")
    with open(ini, "w") as f:
        f.write("[kiosk]\nassets = %s/assets\n[server]\nport = %d\n"
                "db = %s/notify.db\n" % (ROOT, port, tmp))
    env = dict(os.environ, NOTIFY_SOCKET=sockp, WATCHDOG_USEC="600000")
    p = subprocess.Popen([KIOSK, "serve", "--config", ini], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(p)
    msgs = []
    try:
        t0 = time.time()
        while time.time() - t0 < 4 and \
                sum(1 for m in msgs if "WATCHDOG=1" in m) < 3:
            msgs.append(s.recv(4096).decode())
    except socket.timeout:
        pass
    ready = [m for m in msgs if "READY=1" in m]
    ok(ready and "STATUS=serving on port %d" % port in ready[0],
       "serve under systemd: READY=1 with its port (%r)" % msgs[:1])
    try:
        socket.create_connection(("127.0.0.1", port), 1).close()
        listening = True
    except OSError:
        listening = False
    ok(listening, "READY came once the server listens")
    ok(sum(1 for m in msgs if "WATCHDOG=1" in m) >= 3,
       "watchdog pinged every half interval (%d pings)" %
       sum(1 for m in msgs if "WATCHDOG=1" in m))
    p.terminate()
    try:
        while True:
            m = s.recv(4096).decode()
            if "STOPPING=1" in m:
                break
        stopping = True
    except socket.timeout:
        stopping = False
    ok(p.wait(10) == 0 and stopping, "SIGTERM: STOPPING=1, exit 0")
    st = os.stat(os.path.join(tmp, "notify.db"))
    ok(stat.S_IMODE(st.st_mode) == 0o600,
       "the database file is owner-only (0600) whatever the umask")
    s.close()


def main():
    tmp = tempfile.mkdtemp(prefix="kiosk-ops-")
    port = free_port()
    ini = os.path.join(tmp, "kiosk.ini")
    db = os.path.join(tmp, "var", "kiosk.db")
    with open(ini, "w") as f:
        f.write("# the hall's config\n[kiosk]\nassets = %s/assets\n"
                "[server]\nport = %d\ndb = %s\ntoken_display = "
                "displaytoken-kept-0001\ntoken_staff =\n"
                "public_url = http://192.0.2.10:%d\n[backup]\ndir = %s/bk\n"
                "keep = 2\n" % (ROOT, port, db, port, tmp))
    os.chmod(ini, 0o640)

    # ---- setup
    r = run("setup", "--config", ini)
    ok(r.returncode == 0, "setup: exit 0 (%s)" % r.stderr.strip()[-200:])
    text = open(ini).read()
    toks = {}
    for ln in text.splitlines():
        if ln.startswith("token_"):
            k, v = [x.strip() for x in ln.split("=", 1)]
            toks[k] = v
    ok(toks.get("token_display") == "displaytoken-kept-0001",
       "setup: a token already set is kept")
    ok(all(len(toks.get(k, "")) >= 16 for k in
           ("token_kiosk", "token_staff")), "setup: kiosk and staff tokens "
       "of 16+ characters generated")
    ok(toks.get("token_kiosk") != toks.get("token_staff"),
       "setup: the tokens differ")
    ok(text.startswith("# the hall's config\n") and "keep = 2" in text,
       "setup: comments and other keys kept")
    ok(text.count("token_staff") == 1, "setup: the empty token_staff line "
       "replaced, not duplicated")
    ok(stat.S_IMODE(os.stat(ini).st_mode) == 0o640, "setup: file mode kept")
    url = "http://192.0.2.10:%d/staff" % port
    ok(url in r.stdout, "setup: prints the staff sign-in URL")
    qr = [ln for ln in r.stdout.splitlines()
          if ln and set(ln) <= set("\u2588\u2580\u2584 ")]
    png = os.path.join(tmp, "qr.png")
    if ok(len(qr) > 10, "setup: prints a QR code (%d lines)" % len(qr)):
        qr_text_to_png(qr, png)
        z = subprocess.run(["zbarimg", "-q", "--raw", png],
                           capture_output=True, text=True)
        ok(z.stdout.strip() == url, "setup: the QR code reads as the "
           "staff URL (%r)" % z.stdout.strip())
    r = run("config", "check", "--config", ini)
    ok(r.returncode == 0, "config check passes on the result")
    before = open(ini).read()
    r = run("setup", "--config", ini, "--quiet")
    ok(r.returncode == 0 and open(ini).read() == before,
       "setup again: nothing changes")
    bad = os.path.join(tmp, "bad.ini")
    with open(bad, "w") as f:
        f.write("[server]\nport = eighty\n")
    r = run("setup", "--config", bad)
    ok(r.returncode == 1 and "port" in r.stderr and
       open(bad).read() == "[server]\nport = eighty\n",
       "setup: a config with an error is left alone and named")
    fresh = os.path.join(tmp, "fresh.ini")
    r = run("setup", "--config", fresh, "--quiet")
    ok(r.returncode == 0 and open(fresh).read().count("token_") == 3,
       "setup: a missing file gets a [server] section with three tokens")

    staff, kiosk_tok = toks["token_staff"], toks["token_kiosk"]

    # ---- opening hours (kiosk-screen.timer asks `kiosk hours`)
    hini = os.path.join(tmp, "hours.ini")
    with open(hini, "w") as f:
        f.write("[kiosk]\nopen_hours = 08:30-17:15\nopen_days = mon-fri,sun\n")
    for at, want, what in (("2026-12-03T08:30", 0, "Thursday at opening"),
                           ("2026-12-03T08:29", 1, "a minute before"),
                           ("2026-12-03T17:14", 0, "a minute before closing"),
                           ("2026-12-03T17:15", 1, "at closing"),
                           ("2026-12-05T10:00", 1, "Saturday"),
                           ("2026-12-06T10:00", 0, "Sunday (listed)")):
        r = run("hours", "--config", hini, "--at", at)
        ok(r.returncode == want and r.stdout.startswith(
            "open" if want == 0 else "closed"),
           "hours: %s is %s" % (what, "open" if want == 0 else "closed"))
    for hours, days, key in (("8:30-17:15", "mon-fri", "open_hours"),
                             ("17:00-09:00", "mon-fri", "open_hours"),
                             ("08:30-17:15", "mon-fry", "open_days")):
        with open(hini, "w") as f:
            f.write("[kiosk]\nopen_hours = %s\nopen_days = %s\n" %
                    (hours, days))
        r = run("hours", "--config", hini)
        c = run("config", "check", "--config", hini)
        ok(r.returncode == 2 and key in r.stderr and c.returncode == 1 and
           key in c.stderr, "hours and config check name a bad %s (%s)" %
           (key, c.stderr.strip()))

    # ---- systemd: READY once listening, watchdog pings, STOPPING
    notify_test(tmp)

    # ---- status
    r = run("status", "--config", ini)
    ok(r.returncode == 1 and "DOWN" in r.stdout,
       "status: exit 1 when the server does not answer")
    srv = serve(ini, port)
    r = run("status", "--config", ini)
    ok(r.returncode == 0 and "server: " in r.stdout and "version: " in
       r.stdout and "uptime: " in r.stdout and "database: " in r.stdout
       and "issued" in r.stdout, "status: exit 0 with version, uptime, "
       "database and today's counts (%s)" % r.stdout.replace("\n", " | "))
    st, h = call(port, "GET", "/api/health")
    ok(st == 200 and h.get("ok") is True and "version" not in h and
       "db_bytes" not in h, "health without the staff token: only ok/now")
    st, h = call(port, "GET", "/api/health", token=kiosk_tok)
    ok("version" not in h, "health with the kiosk token: no details")
    st, h = call(port, "GET", "/api/health", token=staff)
    ok(st == 200 and h.get("schema", 0) >= 2 and h.get("db_bytes", 0) > 0
       and h["today"]["issued"] == 0 and h["printer"]["state"] == "unknown",
       "health with the staff token: schema, size, counts, printer")

    # ---- backup while tickets are being issued
    name = "旭 花子 backup-canary"
    note = "transfer-note-canary"
    issued = []
    stop_flag = threading.Event()

    def issuer():
        i = 0
        while not stop_flag.is_set() or i < 40:
            body = {"procedure": "juminhyo", "lang": "ja", "answers": {},
                    "applicant": {"name": name, "address": "旭市ニの%d" % i,
                                  "birth": "1960-01-02", "sex": "2"}}
            st, t = call(port, "POST", "/api/tickets", kiosk_tok, body)
            if st == 201:
                issued.append(t)
            i += 1
            if i > 400:
                break
    th = threading.Thread(target=issuer)
    th.start()
    outs = []
    time.sleep(0.2)
    for i in range(3):
        out = os.path.join(tmp, "during-%d.db" % i)
        r = run("backup", "--config", ini, "--out", out)
        ok(r.returncode == 0, "backup %d while issuing: exit 0 (%s)" %
           (i, r.stderr.strip()[-150:]))
        outs.append(out)
    stop_flag.set()
    th.join()
    ok(len(issued) >= 40, "%d tickets issued meanwhile" % len(issued))
    # a transfer with a staff note
    st, t = call(port, "POST", "/api/counters/1/call", staff, {})
    ok(st == 200, "a ticket called")
    t = t.get("ticket", t)
    st, _ = call(port, "POST", "/api/tickets/%d/transfer" % t["id"], staff,
                 {"service": "B", "note": note})
    ok(st == 200, "the ticket transferred with a note")
    final = os.path.join(tmp, "final.db")
    r = run("backup", "--config", ini, "--out", final)
    ok(r.returncode == 0, "backup after the rush: exit 0")
    live = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    napps = live.execute("SELECT count(*) FROM applications").fetchone()[0]
    ok(napps > 0, "the live database holds %d applications (the test "
       "would see them)" % napps)
    for out in outs + [final]:
        raw = open(out, "rb").read()
        b = sqlite3.connect("file:%s?mode=ro" % out, uri=True)
        integ = b.execute("PRAGMA integrity_check").fetchone()[0]
        apps = b.execute("SELECT count(*) FROM applications").fetchone()[0]
        notes = b.execute("SELECT count(*) FROM tickets WHERE note <> ''"
                          ).fetchone()[0]
        n = b.execute("SELECT count(*) FROM tickets").fetchone()[0]
        b.close()
        ok(integ == "ok" and apps == 0 and notes == 0 and n > 0,
           "%s: intact, %d tickets, no application, no note" %
           (os.path.basename(out), n))
        ok(name.encode() not in raw and "旭市ニ".encode() not in raw and
           note.encode() not in raw and b"1960-01-02" not in raw,
           "%s: no personal data anywhere in the file (free pages too)" %
           os.path.basename(out))
        ok(stat.S_IMODE(os.stat(out).st_mode) == 0o600,
           "%s: mode 0600" % os.path.basename(out))
    ok(not [f for f in os.listdir(tmp) if f.endswith(".tmp")],
       "no temporary file left behind")

    # generations
    for i in range(3):
        r = run("backup", "--config", ini)
        time.sleep(1.05)
    gens = sorted(f for f in os.listdir(os.path.join(tmp, "bk")))
    ok(r.returncode == 0 and len(gens) == 2 and
       all(g.startswith("kiosk-") for g in gens),
       "backup without --out keeps backup.keep = 2 generations (%s)" % gens)

    # ---- restore
    newdb = os.path.join(tmp, "newpc", "state", "kiosk.db")
    r = run("restore", "--config", ini, "--db", newdb, final)
    ok(r.returncode == 0, "restore into a new folder: exit 0 (%s)" %
       r.stderr.strip()[-150:])
    cols = ("id, day, num_service, seq, service, state, procedure, lang, "
            "kiosk, flags, token, issued_ms, called_ms, started_ms, "
            "finished_ms, counter, recalls, default_min")
    a = live.execute("SELECT %s FROM tickets ORDER BY id" % cols).fetchall()
    rb = sqlite3.connect("file:%s?mode=ro" % newdb, uri=True)
    b = rb.execute("SELECT %s FROM tickets ORDER BY id" % cols).fetchall()
    ok(a == b and len(a) == len(issued) + 0,
       "restored tickets equal the live ones (%d rows)" % len(b))
    ev_a = live.execute("SELECT count(*) FROM events").fetchone()[0]
    ev_b = rb.execute("SELECT count(*) FROM events").fetchone()[0]
    ok(ev_a == ev_b, "restored event log complete (%d events)" % ev_b)
    rb.close()
    # the same queue, asked of a server on the restored folder
    port2 = free_port()
    ini2 = os.path.join(tmp, "restored.ini")
    with open(ini2, "w") as f:
        f.write("[kiosk]\nassets = %s/assets\n[server]\nport = %d\n"
                "db = %s\n" % (ROOT, port2, newdb))
    srv2 = serve(ini2, port2)
    _, q1 = call(port, "GET", "/api/queue", staff)
    _, q2 = call(port2, "GET", "/api/queue")
    ok(q1 == q2, "the restored server shows the same queue")
    stop(srv2)

    r = run("restore", "--config", ini, final)
    ok(r.returncode == 1 and "stop it first" in r.stderr,
       "restore onto the running server's database: refused")
    stop(srv)
    r = run("restore", "--config", ini, final)
    ok(r.returncode == 1 and "--force" in r.stderr,
       "restore over an existing database without --force: refused")
    junk = os.path.join(tmp, "junk.db")
    with open(junk, "wb") as f:
        f.write(b"this is not a database, just text" * 100)
    r = run("restore", "--config", ini, "--db", os.path.join(tmp, "j.db"),
            junk)
    ok(r.returncode == 1 and "not a kiosk database" in r.stderr,
       "restore of a file that is not a database: refused, named (%s)" %
       r.stderr.strip())
    future = os.path.join(tmp, "future.db")
    with open(final, "rb") as s, open(future, "wb") as d:
        d.write(s.read())
    fc = sqlite3.connect(future)
    fc.execute("PRAGMA user_version = 99")
    fc.commit()
    fc.close()
    r = run("restore", "--config", ini, "--db", os.path.join(tmp, "f.db"),
            future)
    ok(r.returncode == 1 and "newer" in r.stderr,
       "restore of a newer schema: refused (%s)" % r.stderr.strip())
    broken = os.path.join(tmp, "broken.db")
    data = bytearray(open(final, "rb").read())
    for off in range(4096 + 100, len(data), 4096):
        data[off:off + 200] = b"\xff" * 200
    open(broken, "wb").write(bytes(data))
    r = run("restore", "--config", ini, "--db", os.path.join(tmp, "b.db"),
            broken)
    ok(r.returncode == 1 and os.path.exists(os.path.join(tmp, "b.db")) is
       False, "restore of a damaged file: refused, nothing written (%s)" %
       r.stderr.strip()[-120:])
    r = run("restore", "--config", ini, "--force", final)
    ok(r.returncode == 0, "restore with --force once the server is stopped")
    live.close()
    subprocess.run(["rm", "-rf", tmp])
    return 1 if fails else 0


try:
    sys.exit(main())
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
