"""concurrency.py PORT [TICKETS] - ten staff clients call-next at once on
one service (counters 1..10 all serve A) until it is empty, each finishing
its ticket before the next call (a counter serves one at a time): every
ticket is called exactly once, and the log agrees."""
import http.client
import sqlite3
import sys
import threading

import qtest

PORT = int(sys.argv[1])
TICKETS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
STAFF = 10

srv = qtest.Server(PORT)
srv.start()

# issue from 4 connections
issued = []
lock = threading.Lock()


def issuer(n):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    for _ in range(n):
        status, o = qtest.call(PORT, "POST", "/api/tickets",
                               {"procedure": "juminhyo", "lang": "ja"},
                               conn=c)
        assert status == 201, (status, o)
        with lock:
            issued.append(o["id"])
    c.close()


ths = [threading.Thread(target=issuer, args=(TICKETS // 4 + (i < TICKETS % 4),))
       for i in range(4)]
for t in ths:
    t.start()
for t in ths:
    t.join()
qtest.ok(len(issued) == TICKETS, "%d tickets issued for service A" % TICKETS)

called = {n: [] for n in range(1, STAFF + 1)}
bad = []
barrier = threading.Barrier(STAFF)


def staff(counter):
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    barrier.wait()
    while True:
        status, o = qtest.call(PORT, "POST", "/api/counters/%d/call" % counter,
                               {}, conn=c)
        if status == 204:
            break
        if status != 200:
            bad.append((counter, status, o))
            break
        called[counter].append(o["ticket"]["id"])
        # a counter serves one ticket at a time: finish it first
        status, o = qtest.call(PORT, "POST", "/api/tickets/%d/done" %
                               o["ticket"]["id"], {}, conn=c)
        if status != 200:
            bad.append((counter, status, o))
            break
    c.close()


ths = [threading.Thread(target=staff, args=(n,)) for n in called]
for t in ths:
    t.start()
for t in ths:
    t.join()
qtest.ok(not bad, "every call answered 200 or 204 (%s)" % bad[:3])
allcalls = [i for ids in called.values() for i in ids]
qtest.ok(len(allcalls) == len(set(allcalls)), "no ticket called twice "
         "(%d calls, %d distinct)" % (len(allcalls), len(set(allcalls))))
qtest.ok(sorted(allcalls) == sorted(issued), "every ticket called once "
         "(%d of %d)" % (len(set(allcalls)), len(issued)))
qtest.ok(sum(1 for ids in called.values() if ids) == STAFF,
         "all %d counters took part (%s)" %
         (STAFF, " ".join(str(len(v)) for v in called.values())))
srv.stop()
db = sqlite3.connect(srv.db)
n = db.execute("SELECT count(*) FROM (SELECT ticket_id FROM events WHERE "
               "kind = 'called' GROUP BY ticket_id HAVING count(*) = 1)"
               ).fetchone()[0]
qtest.ok(n == TICKETS, "the log has exactly one 'called' per ticket (%d)" % n)
st = db.execute("SELECT count(*) FROM tickets WHERE state = 3").fetchone()[0]
qtest.ok(st == TICKETS, "every ticket called and done (%d)" % st)
db.close()
srv.cleanup(keep=qtest.failures > 0)
qtest.finish()
