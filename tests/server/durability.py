"""durability.py PORT [KILLS] - issue tickets from several clients while the
server is killed with SIGKILL at random moments and restarted.  Afterwards,
per service and day, numbers are 1..N with no gap and no duplicate, and
every ticket a client saw acknowledged is in the database as it was told."""
import random
import sqlite3
import sys
import threading
import time

import qtest

PORT = int(sys.argv[1])
KILLS = int(sys.argv[2]) if len(sys.argv) > 2 else 200
CLIENTS = 4
PROCS = ["juminhyo", "tennyu", "mynumber_card", "soudan"]
BODY = {"juminhyo": {"answers": {"who": "self", "copies": 1},
                     "applicant": {"name": "耐久 試験", "birth": "1990-01-01"}},
        "tennyu": {"answers": {"date": "2026-11-01"}},
        "mynumber_card": {}, "soudan": {}}

srv = qtest.Server(PORT)
acked = []                 # (id, number, token)
acked_lock = threading.Lock()
stop = threading.Event()
errors = {"refused": 0, "other": 0}


def client(n):
    rnd = random.Random(n)
    while not stop.is_set():
        proc = rnd.choice(PROCS)
        body = dict(BODY[proc], procedure=proc, lang="ja",
                    kiosk="kiosk-%d" % n)
        try:
            status, o = qtest.call(PORT, "POST", "/api/tickets", body,
                                   timeout=3)
        except OSError:
            errors["refused"] += 1
            time.sleep(0.002)
            continue
        if status == 201:
            with acked_lock:
                acked.append((o["id"], o["number"], o["token"]))
        else:
            errors["other"] += 1


threads = [threading.Thread(target=client, args=(i,), daemon=True)
           for i in range(CLIENTS)]
rnd = random.Random(42)
t0 = time.time()
try:
    srv.start()
    for t in threads:
        t.start()
    for k in range(KILLS):
        time.sleep(rnd.uniform(0, 0.04))
        srv.kill()
        srv.start()
finally:
    stop.set()
    for t in threads:
        if t.is_alive():
            t.join()
    elapsed = time.time() - t0
    srv.stop()

qtest.ok(True, "%d SIGKILLs in %.1f s while %d clients issued %d tickets "
         "(%d refused connections while down)" %
         (KILLS, elapsed, CLIENTS, len(acked), errors["refused"]))
qtest.ok(errors["other"] == 0, "no answer other than 201 (%d)" %
         errors["other"])
qtest.ok(len(acked) >= KILLS, "issuing went on between kills: more "
         "tickets acknowledged (%d) than kills" % len(acked))

db = sqlite3.connect(srv.db)
rows = db.execute("SELECT id, day, num_service, seq, token FROM tickets"
                  " ORDER BY day, num_service, seq").fetchall()
by = {}
for (i, day, letter, seq, token) in rows:
    by.setdefault((day, letter), []).append(seq)
gapless = all(seqs == list(range(1, len(seqs) + 1)) for seqs in by.values())
qtest.ok(gapless, "numbers are 1..N per service and day, no gap, no "
         "duplicate (%s)" % ", ".join("%s %s: %d" % (d, l, len(s))
                                      for (d, l), s in sorted(by.items())))
byid = {i: ("%s-%03d" % (letter, seq), token)
        for (i, day, letter, seq, token) in rows}
missing = [a for a in acked if byid.get(a[0]) != (a[1], a[2])]
qtest.ok(not missing, "every acknowledged ticket is stored with its number "
         "and token (%d acknowledged, %d stored, %d missing)" %
         (len(acked), len(rows), len(missing)))
ids = [a[0] for a in acked]
qtest.ok(len(ids) == len(set(ids)), "no ticket acknowledged twice")
check = db.execute("PRAGMA integrity_check").fetchone()[0]
qtest.ok(check == "ok", "database integrity_check: %s" % check)
events = db.execute("SELECT count(*) FROM events WHERE kind = 'issued'"
                    ).fetchone()[0]
qtest.ok(events == len(rows), "one 'issued' event per ticket (%d, %d)" %
         (events, len(rows)))
db.close()
srv.cleanup(keep=qtest.failures > 0)
qtest.finish()
