"""counter_kill.py [PORT] [KILLS] - two counters call and finish tickets as
the staff console does (every action with a request id, sent again with the
same id until it is answered; a counter that finds itself busy takes the
ticket it holds) while the server is killed with SIGKILL at random moments
and restarted, and a kiosk keeps issuing.  Afterwards nothing is stranded:
no ticket is called or in service at a counter, every ticket the server
called was seen by the counter it was called to, each ticket was called
once and finished once.  PORT 0 or none: a free port."""
import http.client
import random
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

srv = qtest.Server(PORT)
issuing = threading.Event()
issuing.set()
kiosk_done = threading.Event()          # the kiosk's last issue is answered
seen = {c: set() for c in COUNTERS}     # tickets each console was shown
finished = {c: set() for c in COUNTERS}
stats = {"retries": 0, "replayed": 0, "busy": 0, "issued": 0}
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
    while issuing.is_set():
        body = {"procedure": "juminhyo", "lang": "ja", "kiosk": "kiosk-1",
                "answers": {"who": "self", "copies": 1},
                "request_id": uuid.uuid4().hex}
        status, o = send("POST", "/api/tickets", body)
        if status == 201:
            with lock:
                stats["issued"] += 1
        time.sleep(rnd.uniform(0, 0.004))
    kiosk_done.set()


threads = [threading.Thread(target=counter, args=(c,), daemon=True)
           for c in COUNTERS] + [threading.Thread(target=kiosk, daemon=True)]
rnd = random.Random(11)
t0 = time.time()
try:
    srv.start()
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

qtest.ok(not bad, "every call and done answered 200, 204 or 409 busy (%s)" %
         bad[:3])
db = sqlite3.connect(srv.db)
rows = db.execute("SELECT id, state, counter FROM tickets").fetchall()
called = dict(db.execute("SELECT ticket_id, count(*) FROM events WHERE kind ="
                         " 'called' GROUP BY ticket_id").fetchall())
dones = dict(db.execute("SELECT ticket_id, count(*) FROM events WHERE kind ="
                        " 'done' GROUP BY ticket_id").fetchall())
qtest.ok(True, "%d SIGKILLs in %.1f s during calls from %d counters: %d "
         "tickets, %d requests sent again, %d answered as replays, %d "
         "calls found the counter busy" %
         (KILLS, elapsed, len(COUNTERS), len(rows), stats["retries"],
          stats["replayed"], stats["busy"]))
stranded = [r for r in rows if r[1] in (1, 2)]
qtest.ok(not stranded, "0 stranded tickets: none left called or in service "
         "at a counter (%d)" % len(stranded))
allseen = seen[1] | seen[2]
unseen = [i for i in called if i not in allseen]
qtest.ok(not unseen, "every ticket the server called was shown to a counter "
         "(%d called, %d unseen)" % (len(called), len(unseen)))
qtest.ok(not (seen[1] & seen[2]), "no ticket shown to both counters")
twice = [i for i, n in called.items() if n != 1]
qtest.ok(not twice, "each ticket called once, never a second ticket for "
         "one lost answer (%d called twice)" % len(twice))
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
