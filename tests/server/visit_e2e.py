"""visit_e2e.py - one number for a whole visit (docs/visits.md) through the
real server: the life event おくやみ (相談 -> 死亡届 -> 国保) as one ticket,
two counters serving its three services, walk-ins before and after it.

Checks: the ticket keeps its number through the three steps; at each new
service it waits at its place by the visit's issue time (before walk-ins
issued after it, after those issued before); the phone status names the
counters of the step; the application goes only to the step that asks for
it; staff add and skip a step; the event log holds every step."""
import os
import shutil
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qtest  # noqa: E402

PORT = int(sys.argv[1])
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# counter 1: A, B, C; counter 2: D and E
srv = qtest.Server(PORT, services="A:住民票・証明書:1;B:届出・異動:1;"
                   "C:マイナンバーカード:1;D:保険・年金・手当:2;E:相談:2")
shutil.copy(os.path.join(ROOT, "assets", "procedures.json"),
            os.path.join(srv.dir, "assets", "procedures.json"))
shutil.copy(os.path.join(ROOT, "assets", "web", "phone.html"),
            os.path.join(srv.dir, "assets", "web", "phone.html"))
srv.start()
P = PORT
ok = qtest.ok
APPLICANT = {"name": "旭 来訪子", "name_kana": "あさひ らいほうこ",
             "address": "千葉県旭市ニ1234番地", "birth": "1950-01-02",
             "sex": "2"}


def issue(proc, answers=None, applicant=None):
    body = {"procedure": proc, "lang": "ja", "answers": answers or {},
            "flags": {"card": False, "assist": False, "priority": False}}
    if applicant:
        body["applicant"] = applicant
    s, o = qtest.call(P, "POST", "/api/tickets", body)
    if s != 201:
        raise RuntimeError("issue %s: %d %s" % (proc, s, o))
    return o


def call(counter):
    s, o = qtest.call(P, "POST", "/api/counters/%d/call" % counter, {})
    return o["ticket"] if s == 200 else None


def done(t):
    s, o = qtest.call(P, "POST", "/api/tickets/%d/done" % t["id"], {})
    return s, o


def status(t):
    return qtest.call(P, "GET", "/api/status/" + t["token"])[1]


try:
    b0 = issue("shibou")                      # B-001, before the visit
    e1 = issue("soudan")                      # E-001
    v = issue("okuyami", applicant=APPLICANT)  # the visit
    b2 = issue("shibou")                      # B-002, after the visit
    d1 = issue("kokuho", {"what": "join", "people": 1})  # D-001, after
    ok(v["number"] == "E-002" and v["service"] == "E",
       "the life event is one ticket at its first step's service (%s)" %
       v["number"])
    st = status(v)
    ok([x["service"] for x in st["visit"]] == ["E", "B", "D"] and
       st["counters"] == "2", "the phone sees the route E -> B -> D and "
       "the counters of the step now (%s)" % st.get("counters"))

    s, page = qtest.call(P, "GET", "/t/" + v["token"])
    page = page.decode() if isinstance(page, bytes) else str(page)
    ok(s == 200 and '<p class="visit" id="visit">この番号のまま順に回ります: '
       '窓口2 → 窓口1 → 窓口2</p>' in page, "the phone page shows the "
       "counters in order without JavaScript")

    t = call(2)
    ok(t["number"] == "E-001", "counter 2 first calls the walk-in ahead")
    done(t)
    t = call(2)
    ok(t["number"] == "E-002", "then the visit (before D-001, issued "
       "later)")
    ok(t["application"] is None, "the advice desk (no questions) does not "
       "get the application")
    s, o = done(t)
    nt = o["ticket"] if s == 200 else {}
    ok(s == 200 and nt.get("state") == "waiting" and nt.get("service") ==
       "B" and nt.get("number") == "E-002", "done at step 1 sends it on to "
       "B, waiting, same number (%s)" % (nt.get("state"),))
    st = status(v)
    ok(st["state"] == "waiting" and st["ahead"] == 1 and
       st["counters"] == "1", "at B it has the walk-in issued before it "
       "ahead, not the one after (ahead %s)" % st["ahead"])

    # staff add a step and skip it again
    s, o = qtest.call(P, "POST", "/api/tickets/%d/route" % t["id"],
                      {"add": "inkan_toroku", "staff": "s1"})
    ok(s == 200 and [x["procedures"] for x in o["ticket"]["visit"]] ==
       ["shibou", "kokuho", "inkan_toroku"], "staff add a step at the end")
    s, o = qtest.call(P, "POST", "/api/tickets/%d/route" % t["id"],
                      {"skip": "inkan_toroku", "staff": "s1"})
    ok(s == 200 and [x["procedures"] for x in o["ticket"]["visit"]] ==
       ["shibou", "kokuho"], "staff skip it again")
    s, o = qtest.call(P, "POST", "/api/tickets/%d/route" % t["id"],
                      {"skip": "juminhyo"})
    ok(s == 404, "skipping a step it does not have: 404 (%d)" % s)
    s, o = qtest.call(P, "POST", "/api/tickets/%d/route" % t["id"],
                      {"add": "nosuch"})
    ok(s == 400 and "nosuch" in o["detail"], "adding an unknown "
       "procedure: 400 naming it")
    s, o = qtest.call(P, "POST", "/api/tickets/%d/route" % t["id"],
                      {"add": "move_in"})
    ok(s == 400, "a life event is not a step")
    s, o = qtest.call(P, "POST", "/api/tickets/%d/route" % b2["id"],
                      {"add": "kokuho"})
    ok(s in (400, 409) and "not a visit" in o["detail"],
       "a walk-in ticket has no route to change (%d)" % s)

    t = call(1)
    ok(t["number"] == "B-001", "counter 1 calls the earlier walk-in first")
    done(t)
    t = call(1)
    ok(t["number"] == "E-002", "then the visit, before B-002")
    ok(t["application"] is None, "死亡届 (no questions): no application")
    s, o = done(t)
    ok(s == 200 and o["ticket"]["service"] == "D" and
       o["ticket"]["state"] == "waiting", "on to D")
    t = call(2)
    ok(t["number"] == "E-002", "counter 2 calls the visit before D-001 "
       "(its place is the visit's issue time)")
    ok(t["application"] is not None and
       t["application"]["applicant"]["name"] == APPLICANT["name"],
       "国保 asks questions: the application follows to this counter")
    s, o = done(t)
    ok(s == 200 and o["ticket"]["state"] == "done", "the last step done "
       "ends the visit")
    st = status(v)
    ok(st["state"] == "done" and st["number"] == "E-002",
       "the phone: done, one number all through")
    t = call(1)
    ok(t["number"] == "B-002", "the walk-in issued after the visit comes "
       "next at B")
    t = call(2)
    ok(t["number"] == "D-001", "and at D")
finally:
    srv.stop()

db = sqlite3.connect(srv.db)
vid = db.execute("SELECT id FROM tickets WHERE token = ?",
                 (v["token"],)).fetchone()[0]
kinds = [r[0] for r in db.execute(
    "SELECT kind FROM events WHERE ticket_id = ? ORDER BY id", (vid,))]
ok(kinds == ["issued", "called", "next_step", "route", "route", "called",
             "next_step", "called", "done"],
   "the event log holds every step of the visit: %s" % kinds)
nexts = [r[0] for r in db.execute(
    "SELECT detail FROM events WHERE ticket_id = ? AND kind = 'next_step'"
    " ORDER BY id", (vid,))]
ok(nexts == ['{"from":"E","to":"B"}', '{"from":"B","to":"D"}'],
   "each move names its services: %s" % nexts)
app = db.execute("SELECT count(*) FROM applications WHERE ticket_id = ?",
                 (vid,)).fetchone()[0]
ok(app == 0, "the application is gone with the finished visit")
db.close()
srv.cleanup()
qtest.finish()
