"""counter_kill.py [PORT] [KILLS] - two counters call and finish tickets as
the staff console does (every action with a request id, sent again with the
same id until it is answered; a counter that finds itself busy takes the
ticket it holds) while the server is killed with SIGKILL at random moments
and restarted, and a kiosk keeps issuing: walk-ins, visits with a route of
two services (the life event move_in: B, then D), and check-ins of
appointments booked for this minute (due: called before walk-ins).
Afterwards nothing is stranded: no ticket is called or in service at a
counter, every ticket the server called was seen by the counter it was
called to, each ticket was called once per step of its route and finished
once; no answered ticket is lost, and every appointment checked in has
exactly one ticket.  PORT 0 or none: a free port."""
import datetime
import http.client
import os
import random
import shutil
import sqlite3
import sys
import threading
import time
import uuid

import qtest

PORT = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "0" else \
    qtest.free_port()
KILLS = int(sys.argv[2]) if len(sys.argv) > 2 else 200
COUNTERS = (1, 2)

# both counters serve every service: a visit's steps and appointments go
# through the same two consoles
srv = qtest.Server(PORT, services="A:a:1,2;B:b:1,2;C:c:1,2;D:d:1,2;E:e:1,2")
shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                         "..", "assets", "procedures.json"),
            os.path.join(srv.dir, "assets", "procedures.json"))
# booked for the minute the run starts in Tokyo; none in the last minutes
# before midnight there (the check-ins would fall on the next day)
_jst = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9)))
APPTS = ["5%09d" % i for i in range(1, 61)] \
    if _jst.hour * 60 + _jst.minute < 24 * 60 - 3 else []
answered = {}                           # ticket id -> number (kiosk)
checked_in = {}                         # code -> ticket id
issuing = threading.Event()
issuing.set()
kiosk_done = threading.Event()          # the kiosk's last issue is answered
seen = {c: set() for c in COUNTERS}     # tickets each console was shown
finished = {c: set() for c in COUNTERS}
stats = {"retries": 0, "replayed": 0, "busy": 0, "issued": 0, "visits": 0,
         "appointments": 0}
lock = threading.Lock()
bad = []


def send(method, path, body):
    """Until the server answers: the same body (and request id) each time."""
    while True:
        try:
            return qtest.call(PORT, method, path, body, timeout=3)
        except (OSError, http.client.HTTPException):
            with lock:
                stats["retries"] += 1
            time.sleep(0.005)


def counter(n):
    while True:
        last = kiosk_done.is_set()      # no issue can land after this call
        status, o = send("POST", "/api/counters/%d/call" % n,
                         {"request_id": uuid.uuid4().hex})
        if status == 204:
            if last:
                return                  # the queue is empty for good
            time.sleep(0.01)
            continue
        if status == 409 and o.get("error") == "counter_busy":
            with lock:
                stats["busy"] += 1
        elif status != 200:
            bad.append(("call", n, status, o))
            return
        if o.get("replayed"):
            with lock:
                stats["replayed"] += 1
        t = o["ticket"]
        seen[n].add(t["id"])
        status, o = send("POST", "/api/tickets/%d/done" % t["id"],
                         {"request_id": uuid.uuid4().hex})
        if status != 200:
            bad.append(("done", n, status, o))
            return
        finished[n].add(t["id"])


def kiosk():
    rnd = random.Random(7)
    codes = list(APPTS)
    k = 0
    while issuing.is_set():
        k += 1
        body = {"procedure": "juminhyo", "lang": "ja", "kiosk": "kiosk-1",
                "answers": {"who": "self", "copies": 1},
                "request_id": uuid.uuid4().hex}
        code = None
        if k % 5 == 0:
            body["procedure"] = "move_in"
            body["answers"] = {}
        elif k % 3 == 0 and codes:
            code = codes.pop(0)
            body["procedure"] = "tennyu"
            body["answers"] = {}
            body["appointment"] = code
        status, o = send("POST", "/api/tickets", body)
        if status in (200, 201):
            with lock:
                stats["issued"] += 1
                answered[o["id"]] = o["number"]
                if code:
                    stats["appointments"] += 1
                    if o.get("appointment", {}).get("arrival") != "on_time":
                        bad.append(("arrival", code, o.get("appointment")))
                    checked_in[code] = o["id"]
                elif body["procedure"] == "move_in":
                    stats["visits"] += 1
        else:
            bad.append(("issue", body["procedure"], status, o))
        time.sleep(rnd.uniform(0, 0.004))
    kiosk_done.set()


threads = [threading.Thread(target=counter, args=(c,), daemon=True)
           for c in COUNTERS] + [threading.Thread(target=kiosk, daemon=True)]
rnd = random.Random(11)
t0 = time.time()
try:
    srv.start()
    # appointments for this minute in Tokyo: due at once
    now = datetime.datetime.now(datetime.timezone(datetime.timedelta(
        hours=9)))
    for c in APPTS:
        st_, o_ = qtest.call(PORT, "POST", "/api/appointments",
                             {"date": now.strftime("%Y-%m-%d"),
                              "time": now.strftime("%H:%M"),
                              "procedure": "tennyu", "code": c})
        if st_ != 201:
            bad.append(("book", c, st_, o_))
    for t in threads:
        t.start()
    for k in range(KILLS):
        time.sleep(rnd.uniform(0, 0.03))
        srv.kill()
        srv.start()
    issuing.clear()
    for t in threads:
        t.join(timeout=60)
finally:
    issuing.clear()
    kiosk_done.set()
    elapsed = time.time() - t0
    srv.stop()

qtest.ok(not bad, "every issue answered, every check-in on time, every "
         "call and done answered 200, 204 or 409 busy (%s)" % bad[:3])
db = sqlite3.connect(srv.db)
rows = db.execute("SELECT id, state, counter FROM tickets").fetchall()
called = dict(db.execute("SELECT ticket_id, count(*) FROM events WHERE kind ="
                         " 'called' GROUP BY ticket_id").fetchall())
dones = dict(db.execute("SELECT ticket_id, count(*) FROM events WHERE kind ="
                        " 'done' GROUP BY ticket_id").fetchall())
steps = dict(db.execute("SELECT ticket_id, count(*) FROM events WHERE kind ="
                        " 'next_step' GROUP BY ticket_id").fetchall())
qtest.ok(True, "%d SIGKILLs in %.1f s during calls from %d counters: %d "
         "tickets (%d visits with a route, %d appointment check-ins), %d "
         "requests sent again, %d answered as replays, %d calls found the "
         "counter busy" %
         (KILLS, elapsed, len(COUNTERS), len(rows), stats["visits"],
          stats["appointments"], stats["retries"], stats["replayed"],
          stats["busy"]))
stranded = [r for r in rows if r[1] in (1, 2)]
qtest.ok(not stranded, "0 stranded tickets: none left called or in service "
         "at a counter (%d)" % len(stranded))
allseen = seen[1] | seen[2]
unseen = [i for i in called if i not in allseen]
qtest.ok(not unseen, "every ticket the server called was shown to a counter "
         "(%d called, %d unseen)" % (len(called), len(unseen)))
both = [i for i in seen[1] & seen[2] if i not in steps]
qtest.ok(not both, "no ticket of one step shown to both counters (%d)" %
         len(both))
twice = [i for i, n in called.items() if n != 1 + steps.get(i, 0)]
qtest.ok(not twice, "each ticket called once per step of its route, never "
         "a second call for one lost answer (%d wrong)" % len(twice))
qtest.ok(stats["visits"] > 0 and len(steps) >= stats["visits"],
         "every visit went on to its second service (%d of %d)" %
         (len(steps), stats["visits"]))
ids = {r[0] for r in rows}
lost = [i for i in answered if i not in ids]
qtest.ok(not lost, "0 lost: every ticket the kiosk was answered is in the "
         "database (%d answered)" % len(answered))
appt = db.execute("SELECT code, state, ticket_id FROM appointments").fetchall()
tick_appt = dict(db.execute("SELECT id, appt_ms FROM tickets WHERE appt_ms"
                            " IS NOT NULL").fetchall())
bound = [r for r in appt if r[1] == 1]
qtest.ok((stats["appointments"] > 0 or not APPTS) and
         len(bound) == len(checked_in) ==
         len(tick_appt) and all(checked_in.get(r[0]) == r[2] for r in bound),
         "0 duplicates: every appointment checked in has exactly one ticket, "
         "the one the kiosk was answered (%d)" % len(bound))
qtest.ok(all(r[1] == 3 for r in rows),
         "every ticket done at the end (%d of %d)" %
         (sum(1 for r in rows if r[1] == 3), len(rows)))
qtest.ok(all(dones.get(r[0]) == 1 for r in rows), "one 'done' per ticket")
qtest.ok(len(rows) >= KILLS, "calls went on between kills (%d tickets for %d "
         "kills)" % (len(rows), KILLS))
check = db.execute("PRAGMA integrity_check").fetchone()[0]
qtest.ok(check == "ok", "database integrity_check: %s" % check)
db.close()
srv.cleanup(keep=qtest.failures > 0)
qtest.finish()
