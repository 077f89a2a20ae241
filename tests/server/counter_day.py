"""counter_day.py - a full simulated day at the counters (issue 11), against
the real `kiosk serve`:

  two kiosks (HTTP clients sending what the kiosk sends: issues with request
  ids, heartbeats, alerts, the idle printer check and ticket printing
  through `kiosk print status|test` on printer emulators), four counters
  (clients doing what the staff console does: every action with a request
  id, sent again with the same id until answered; a busy counter takes the
  ticket it holds; GET /api/counters/{n} after a reload), a printer that
  runs out of paper (one ticket not printed: staff reprint it by number on
  counter 4's printer), a card reader unplugged and a card at 1 PIN try
  (help kinds), a volunteer's priority, a console that reloads mid-call, a
  lost answer to 呼出, a kiosk that falls silent, the server killed twice.

At closing the tickets still waiting are carried over and every open alert
is taken.  The day ends with every ticket done, a no-show or carried over,
every alert taken (who and when), and nothing stranded.  Prints the day's
figures.  Usage: counter_day.py [PORT] (0 or none: a free port)."""
import http.client
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import qtest

PORT = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "0" else \
    qtest.free_port()
HERE = os.path.dirname(os.path.abspath(__file__))
rnd = random.Random(2026)
work = tempfile.mkdtemp(prefix="kiosk-day-")
figures = {"retries": 0, "replayed": 0, "busy": 0, "kills": 0}


def printer(name, mode="ok"):
    """A printer emulator on a free port; its mode file can be changed."""
    port = qtest.free_port()
    rec = os.path.join(work, name)
    os.makedirs(rec)
    mode_file = os.path.join(work, name + ".mode")
    with open(mode_file, "w") as f:
        f.write(mode)
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "..", "printer",
                                                       "printer_emulator.py"),
                          "--port", str(port), "--record", rec,
                          "--mode-file", mode_file],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True)
    p.stdout.readline()                      # "listening on PORT"
    return {"proc": p, "port": port, "rec": rec, "mode": mode_file}


def set_mode(prn, mode):
    with open(prn["mode"], "w") as f:
        f.write(mode)


def jobs(prn):
    return [f for f in os.listdir(prn["rec"])
            if os.path.getsize(os.path.join(prn["rec"], f)) > 1000]


prn1, prn2, prn4 = printer("kiosk-1"), printer("kiosk-2"), printer("counter-4")
# four counters: A at 1 and 2, B and E at 3, C at 4 (the fixture catalog's
# procedures are A, B, C and E)
srv = qtest.Server(PORT, extra={
    "kiosk_silent_s": "10",
    "noshow_after_recalls": "1",
    "counter_printers": "4=tcp:127.0.0.1:%d" % prn4["port"],
}, services="A:住民票・証明書:1,2;B:届出・異動:3;C:マイナンバーカード:4;"
            "E:相談:3")
# the server prints reprints itself: the ticket's texts in every language
os.symlink(os.path.join(HERE, "..", "..", "assets", "po"),
           os.path.join(srv.dir, "assets", "po"))


def send(method, path, body=None):
    """Until the server answers (it may be down): the same request."""
    while True:
        try:
            status, o = qtest.call(PORT, method, path, body, timeout=3)
            if status in (502, 503):
                raise OSError("server busy")
            return status, o
        except (OSError, http.client.HTTPException):
            figures["retries"] += 1
            time.sleep(0.02)


def kill_server():
    """SIGKILL, and a restart half a second later: meanwhile the kiosks
    and consoles meet a server that is not there."""
    def later():
        time.sleep(0.5)
        srv.start()
    srv.kill()
    figures["kills"] += 1
    th = threading.Thread(target=later)
    th.start()
    return th


class Kiosk:
    PROCS = [("juminhyo", {"who": "self", "copies": 1}),
             ("juminhyo", {"who": "household", "copies": 2}),
             ("tennyu", {"date": "2026-11-01"}), ("mynumber_card", {}),
             ("soudan", {})]

    def __init__(self, name, prn):
        self.name, self.prn = name, prn
        self.printer_fault = ""
        self.unprinted = []

    def heartbeat(self):
        s, o = send("POST", "/api/kiosks/%s/heartbeat" % self.name,
                    {"printer": self.printer_fault or "ok"})
        assert s == 200, (s, o)

    def alert(self, kind, number=None, detail=None):
        body = {"kiosk": self.name, "kind": kind}
        if number:
            body["number"] = number
        if detail:
            body["detail"] = detail
        s, o = send("POST", "/api/help", body)
        assert s == 201, (s, o)
        return o

    def idle_check(self):
        """kiosk_watch: DLE EOT while idle, an alert when it changes."""
        p = subprocess.run([qtest.KIOSK, "print", "status", "--printer",
                            "tcp:127.0.0.1:%d" % self.prn["port"]],
                           capture_output=True, text=True, timeout=20)
        fault = "paper_out" if "paper_out" in p.stdout + p.stderr else \
            ("" if p.returncode == 0 else "offline")
        if fault and fault != self.printer_fault:
            self.alert("printer_paper" if fault == "paper_out" else
                       "printer_offline", detail=fault)
        self.printer_fault = fault

    def issue(self, want=None):
        proc, answers = rnd.choice(self.PROCS)
        if want:
            proc, answers = [p for p in self.PROCS if p[0] == want][0]
        body = {"procedure": proc, "lang": rnd.choice(["ja", "en", "vi"]),
                "answers": answers, "kiosk": self.name,
                "flags": {"card": False, "assist": False, "priority": False},
                "request_id": uuid.uuid4().hex}
        s, o = send("POST", "/api/tickets", body)
        assert s == 201, (s, o)
        p = subprocess.run([qtest.KIOSK, "print", "test", "--printer",
                            "tcp:127.0.0.1:%d" % self.prn["port"]],
                           capture_output=True, text=True, timeout=20)
        printed = p.returncode == 0
        send("POST", "/api/tickets/%d/printed" % o["id"], {"printed": printed})
        if not printed:
            self.unprinted.append(o["number"])
            self.alert("printer", o["number"], "paper_out")
        return o


class Console:
    """A staff console at one counter."""

    def __init__(self, counter, staff):
        self.counter, self.staff = counter, staff
        self.ticket = None
        self.seen = set()
        self.lose_next_answer = False

    def act(self, path, body=None):
        body = dict(body or {}, request_id=uuid.uuid4().hex, staff=self.staff)
        if self.lose_next_answer:
            # the answer goes astray: the console never reads it
            self.lose_next_answer = False
            try:
                qtest.call(PORT, "POST", path, body, timeout=3)
            except (OSError, http.client.HTTPException):
                pass
        s, o = send("POST", path, body)
        if o and o.get("replayed"):
            figures["replayed"] += 1
        return s, o

    def reload(self):
        """The page reloads: what it knew is gone; it asks the server."""
        self.ticket = None
        s, o = send("GET", "/api/counters/%d" % self.counter)
        assert s == 200, (s, o)
        if o["tickets"]:
            self.ticket = o["tickets"][0]
            self.seen.add(self.ticket["id"])

    def step(self):
        if self.ticket is None:
            s, o = self.act("/api/counters/%d/call" % self.counter)
            if s == 204:
                return False
            if s == 409 and o.get("error") == "counter_busy":
                figures["busy"] += 1
            elif s != 200:
                raise AssertionError(("call", self.counter, s, o))
            self.ticket = o["ticket"]
            self.seen.add(self.ticket["id"])
            return True
        t = self.ticket
        r = rnd.random()
        if r < 0.08 and t["state"] == "called":
            # not there: recall once, then no-show
            s, o = self.act("/api/tickets/%d/recall" % t["id"])
            assert s == 200, (s, o)
            s, o = self.act("/api/tickets/%d/no-show" % t["id"])
            assert s == 200, (s, o)
        elif r < 0.12 and t["service"] == "A":
            s, o = self.act("/api/tickets/%d/transfer" % t["id"],
                            {"service": "B", "note": "転入も"})
            assert s == 200, (s, o)
        else:
            if t["state"] == "called":
                s, o = self.act("/api/tickets/%d/start" % t["id"])
                assert s == 200, (s, o)
            s, o = self.act("/api/tickets/%d/done" % t["id"])
            assert s == 200, (s, o)
        self.ticket = None
        return True


kiosks = [Kiosk("kiosk-1", prn1), Kiosk("kiosk-2", prn2)]
consoles = [Console(1, "suzuki"), Console(2, "tanaka"), Console(3, "sato"),
            Console(4, "ito")]
issued = []
t0 = time.time()
srv.start()
try:
    # morning: heartbeats, the first residents, a volunteer's priority
    for k in kiosks:
        k.heartbeat()
        k.idle_check()
    for i in range(12):
        issued.append(kiosks[i % 2].issue())
    # the last ticket for A from kiosk-1: its holder uses a wheelchair
    mine = [t for t in issued if t["service"] == "A" and
            issued.index(t) % 2 == 0]
    if not mine:
        issued.append(kiosks[0].issue())
        mine = [issued[-1]]
    s, o = send("POST", "/api/kiosks/kiosk-1/tickets/%d/priority" %
                mine[-1]["id"], {"priority": True})
    qtest.ok(s == 200 and o["ticket"]["flags"]["priority"],
             "a volunteer marks a resident's ticket priority at kiosk-1 "
             "(long press)")
    prio_number = mine[-1]["number"]
    s, o = send("POST", "/api/kiosks/kiosk-2/priority-next",
                {"priority": True, "staff": "ito"})
    qtest.ok(s == 200, "staff mark kiosk-2's next ticket priority")
    issued.append(kiosks[1].issue())
    s, o = send("GET", "/api/tickets/%d" % issued[-1]["id"])
    qtest.ok(o["ticket"]["flags"]["priority"], "kiosk-2's next ticket (%s) "
             "is priority" % issued[-1]["number"])

    # faults a floor manager meets: a reader, a card at 1 try
    kiosks[0].alert("card_reader")
    kiosks[1].alert("card_last_try")

    steps = 0
    restarts = []
    lost_answer = reloaded = None
    for tick in range(120):
        if tick < 90 and rnd.random() < 0.45:
            issued.append(rnd.choice(kiosks).issue())
        if tick == 20:
            # kiosk-2 runs out of paper: the idle check says so first
            set_mode(prn2, "paper_out")
            kiosks[1].idle_check()
            issued.append(kiosks[1].issue())       # this one fails
            # staff reprint the unprinted number on counter 4's printer
            num = kiosks[1].unprinted[-1]
            s, o = send("GET", "/api/tickets/by-number/" + num)
            s, o = consoles[3].act("/api/tickets/%d/reprint" %
                                   o["ticket"]["id"],
                                   {"to": "counter", "counter": 4})
            qtest.ok(s == 200 and o["reprint"]["result"] == "printed",
                     "the unprinted %s is reprinted on counter 4's printer "
                     "(%s)" % (num, o))
            set_mode(prn2, "ok")                   # paper in again
            kiosks[1].idle_check()
        if tick == 35:
            consoles[0].lose_next_answer = True
            lost_answer = True
        if tick == 40:
            # counter 2's console reloads mid-call: it shows what the
            # counter holds, from the server
            c2 = consoles[1]
            if c2.ticket is None:
                issued.append(kiosks[0].issue("juminhyo"))
                c2.step()
            before = c2.ticket["number"] if c2.ticket else None
            c2.reload()
            reloaded = c2.ticket["number"] if c2.ticket else None
            qtest.ok(before is None or reloaded == before,
                     "after a reload mid-call counter 2 shows %s again" %
                     before)
        if tick == 45:
            # a second browser on counter 3 presses 呼出 while it serves
            c3 = consoles[2]
            if c3.ticket is None:
                issued.append(kiosks[1].issue("soudan"))
                c3.step()
            if c3.ticket is not None:
                other = Console(3, "sato")
                s, o = other.act("/api/counters/3/call")
                qtest.ok(s == 409 and o["ticket"]["id"] == c3.ticket["id"],
                         "calling on a busy counter names the ticket in hand "
                         "(%s) and calls nobody" % (o.get("ticket") or
                                                    {}).get("number"))
                figures["busy"] += s == 409
        if tick in (25, 60):
            restarts.append(kill_server())
        # the heartbeat every few ticks; kiosk-2 falls silent for a while
        if tick % 5 == 0:
            kiosks[0].heartbeat()
            if not 50 <= tick < 80:
                kiosks[1].heartbeat()
        if tick == 79:
            # long enough for kiosk_silent_s (10 s)
            deadline = time.time() + 20
            while time.time() < deadline:
                s, o = send("GET", "/api/alerts")
                if any(a["kind"] == "kiosk_silent" for a in o["alerts"]):
                    break
                time.sleep(0.5)
        for c in consoles:
            steps += c.step()
        time.sleep(0.05)

    # the last residents come just before closing: what waits then is
    # carried over (an appointment), every alert is taken
    for i in range(4):
        issued.append(kiosks[i % 2].issue())
    for c in consoles:
        if c.ticket is not None:
            c.act("/api/tickets/%d/done" % c.ticket["id"])
            c.ticket = None
    db = sqlite3.connect(srv.db)
    waiting = [r[0] for r in db.execute("SELECT id FROM tickets WHERE"
                                        " state = 0")]
    db.close()
    for i in waiting:
        s, o = consoles[0].act("/api/tickets/%d/carry-over" % i,
                               {"note": "予約 翌日9時"})
        assert s == 200, (s, o)
    s, o = send("GET", "/api/alerts")
    open_alerts = o["alerts"]
    for a in open_alerts:
        s, o = send("POST", "/api/alerts/%d/take" % a["id"],
                    {"staff": "floor-manager"})
        assert s == 200, (s, o)
    s, o = send("GET", "/api/stats")
    stats = o
    for th in restarts:
        th.join()
finally:
    elapsed = time.time() - t0
    srv.stop()
    for p in (prn1, prn2, prn4):
        p["proc"].terminate()
        p["proc"].wait()

db = sqlite3.connect(srv.db)
rows = db.execute("SELECT id, state FROM tickets").fetchall()
states = {}
for _, st in rows:
    states[st] = states.get(st, 0) + 1
alerts = db.execute("SELECT kind, number, detail, resolved_ms, taken_by"
                    " FROM help").fetchall()
kinds = sorted(set(a[0] for a in alerts))
called = dict(db.execute("SELECT ticket_id, count(*) FROM events WHERE"
                         " kind = 'called' GROUP BY ticket_id").fetchall())
reprints = db.execute("SELECT target, result FROM reprints").fetchall()
taken_log = db.execute("SELECT count(*) FROM events WHERE kind ="
                       " 'alert_taken' AND staff IS NOT NULL").fetchone()[0]
prio_first = db.execute(
    "SELECT t.num_service || '-' || printf('%03d', t.seq) FROM events e JOIN"
    " tickets t ON t.id = e.ticket_id WHERE e.kind = 'called' AND"
    " e.service = 'A' ORDER BY e.id LIMIT 3").fetchall()
check = db.execute("PRAGMA integrity_check").fetchone()[0]
db.close()

qtest.ok(len(rows) == len(issued), "%d tickets issued by 2 kiosks, all "
         "stored" % len(rows))
names = {0: "waiting", 1: "called", 2: "serving", 3: "done", 4: "no_show",
         5: "carried_over"}
qtest.ok(all(st in (3, 4, 5) for _, st in rows),
         "every ticket done, no-show or carried over (%s)" %
         ", ".join("%s %d" % (names[k], v) for k, v in sorted(states.items())))
stranded = [i for i, st in rows if st in (0, 1, 2)]
qtest.ok(not stranded, "nothing stranded (%d)" % len(stranded))
allseen = set().union(*(c.seen for c in consoles))
unseen = [i for i in called if i not in allseen]
qtest.ok(not unseen, "every call reached a console (%d called, %d unseen, "
         "a lost answer %s, a reload %s)" %
         (len(called), len(unseen), "sent again" if lost_answer else "-",
          "showed " + reloaded if reloaded else "with nothing held"))
qtest.ok(all(a[3] > 0 and a[4] for a in alerts),
         "every alert taken, who and when kept (%d alerts: %s)" %
         (len(alerts), ", ".join(kinds)))
qtest.ok(taken_log == len(alerts), "each take is in the event log (%d)" %
         taken_log)
want = {"card_reader", "card_last_try", "printer", "printer_paper",
        "kiosk_silent"}
qtest.ok(want <= set(kinds), "the day's alerts were specific: %s" %
         ", ".join(sorted(want & set(kinds))))
pr = [a for a in alerts if a[0] == "printer"]
qtest.ok(pr and all(a[1] for a in pr), "the printer alert names the "
         "unprinted ticket (%s)" % ", ".join(a[1] for a in pr))
qtest.ok(("counter:4", "printed") in reprints and jobs(prn4),
         "the reprint went to counter 4's printer (%d job(s) recorded)" %
         len(jobs(prn4)))
qtest.ok(prio_number in [p[0] for p in prio_first], "the priority ticket "
         "%s was among the first calls of A (%s)" %
         (prio_number, ", ".join(p[0] for p in prio_first)))
qtest.ok(figures["kills"] == 2, "the server was killed twice (SIGKILL) and "
         "the day went on")
qtest.ok(check == "ok", "database integrity_check: %s" % check)
served = sum(x["served"] for x in stats["services"])
qtest.ok(True, "figures: %d tickets (%d done, %d no-show, %d carried over), "
         "%d alerts taken, %d reprint(s), %d requests sent again, %d "
         "answered as replays, %d calls found the counter busy, %.1f s" %
         (len(rows), states.get(3, 0), states.get(4, 0), states.get(5, 0),
          len(alerts), len(reprints), figures["retries"],
          figures["replayed"], figures["busy"], elapsed))
qtest.ok(served == states.get(3, 0), "/api/stats agrees: %d served" % served)
# the evidence report shows priority: the share of priority tickets
out = os.path.join(work, "report")
p = subprocess.run([qtest.KIOSK, "report", "--config", srv.ini, "--out", out],
                   capture_output=True, text=True, timeout=60)
share = []
if p.returncode == 0 and os.path.exists(os.path.join(out, "by_day.csv")):
    import csv
    with open(os.path.join(out, "by_day.csv"), encoding="utf-8") as f:
        share = [r.get("priority_share") for r in csv.DictReader(f)]
qtest.ok(any(x and float(x) > 0 for x in share),
         "the evidence report shows the share with priority (by_day.csv: "
         "%s)" % (", ".join(x or "-" for x in share) or p.stderr.strip()))
srv.cleanup(keep=qtest.failures > 0)
if qtest.failures == 0:
    shutil.rmtree(work, ignore_errors=True)
qtest.finish()
