"""wal_e2e.py - deleted personal data leaves no byte in any file of the
database folder (the database, its -wal and -shm), within a second of the
step that deletes it: done, no-show, and a transfer note then done
(issue 12, items 1 and 3; DESIGN.md section 5).  The end-of-day purge is
tested on a fake clock in tests/unit/test_store.c."""
import os
import time

import qtest

ok = qtest.ok


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


P = free_port()
srv = qtest.Server(P, {"noshow_after_recalls": 1})
dbdir = os.path.join(srv.dir, "db")
srv.db = os.path.join(dbdir, "k.db")
with open(srv.ini, "a") as f:
    f.write("db = %s\n" % srv.db)
srv.start()


def found(needles):
    """The needles (bytes) found in any file under the db folder."""
    hits = set()
    for name in os.listdir(dbdir):
        path = os.path.join(dbdir, name)
        if not os.path.isfile(path) or name.endswith(".lock"):
            continue
        with open(path, "rb") as f:
            data = f.read()
        for n in needles:
            if n in data:
                hits.add("%s in %s" % (n.decode(), name))
    return sorted(hits)


def gone_within(needles, seconds=1.0):
    end = time.time() + seconds
    while True:
        hits = found(needles)
        if not hits or time.time() > end:
            return hits
        time.sleep(0.05)


def person(tag):
    return {"name": "消去確認%s 花子" % tag,
            "address": "千葉県旭市ニ%s番地の秘密" % tag,
            "birth": "1970-01-01", "sex": "2"}


def needles(p, *extra):
    return [p["name"].encode(), p["address"].encode()] + \
        [e.encode() for e in extra]


def issue(proc, p, **more):
    body = {"procedure": proc, "lang": "ja", "answers": {}, "applicant": p}
    body.update(more)
    s, o = qtest.call(P, "POST", "/api/tickets", body)
    ok(s == 201, "issued %s (%s)" % (o.get("number") if s == 201 else o,
                                      p["name"]))
    return o["id"]


def step(path, body=None):
    s, o = qtest.call(P, "POST", path, body if body is not None else {})
    ok(s == 200, "POST %s: %d" % (path, s))
    return o


# done
a = person("甲")
ta = issue("juminhyo", a, answers={"who": "self", "copies": 1})
ok(found(needles(a)), "control: the application is in the files before "
   "it is deleted (%s)" % ", ".join(found(needles(a))))
step("/api/counters/1/call")
step("/api/tickets/%d/done" % ta)
hits = gone_within(needles(a))
ok(not hits, "done: no byte of the application in the db folder within "
   "1 s (%s)" % ", ".join(hits))

# no-show (after the configured recall)
b = person("乙")
tb = issue("mynumber_card", dict(b, mynumber="123456789018"),
           flags={"card": True, "assist": False, "priority": False})
step("/api/counters/13/call")
step("/api/tickets/%d/recall" % tb)
step("/api/tickets/%d/no-show" % tb)
hits = gone_within(needles(b, "123456789018"))
ok(not hits, "no-show: no byte of the application or the My Number within "
   "1 s (%s)" % ", ".join(hits))

# transfer with a note, then done
c = person("丙")
note = "窓口メモ秘密丙 転入届の確認要"
tc = issue("juminhyo", c, answers={"who": "self", "copies": 1})
step("/api/counters/1/call")
step("/api/tickets/%d/transfer" % tc, {"service": "B", "note": note})
s, o = qtest.call(P, "GET", "/api/tickets/%d" % tc)
ok(s == 200 and o["ticket"]["note"] == note,
   "the transfer note is shown to the next counter")
ok(found([note.encode()]), "control: the note is in the files")
step("/api/counters/11/call")
step("/api/tickets/%d/done" % tc)
s, o = qtest.call(P, "GET", "/api/tickets/%d" % tc)
ok(s == 200 and o["ticket"]["note"] == "" and
   o["ticket"].get("application") is None,
   "after done the ticket has neither note nor application")
hits = gone_within(needles(c, note))
ok(not hits, "transfer then done: no byte of the application or the note "
   "within 1 s (%s)" % ", ".join(hits))

# a ticket still open keeps its application
d = person("丁")
td = issue("juminhyo", d, answers={"who": "self", "copies": 1})
time.sleep(0.3)
s, o = qtest.call(P, "GET", "/api/tickets/%d" % td)
ok(s == 200 and o["ticket"]["application"]["applicant"]["name"] == d["name"],
   "a waiting ticket keeps its application")

# busy readers do not keep the data in the log for long
import threading
stop = False


def poll():
    while not stop:
        qtest.call(P, "GET", "/api/queue")


readers = [threading.Thread(target=poll) for _ in range(4)]
for r in readers:
    r.start()
e = person("戊")
te = issue("juminhyo", e, answers={"who": "self", "copies": 1})
step("/api/counters/2/call", {"number": "A-004"})
step("/api/tickets/%d/done" % te)
hits = gone_within(needles(e))
stop = True
for r in readers:
    r.join()
ok(not hits, "done while four clients poll the queue: gone within 1 s "
   "(%s)" % ", ".join(hits))

srv.stop()
hits = found(needles(a) + needles(b) + needles(c, note) + needles(e))
ok(not hits, "after the server stops: nothing left (%s)" % ", ".join(hits))
srv.cleanup()
qtest.finish()
