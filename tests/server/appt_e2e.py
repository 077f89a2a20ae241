"""appt_e2e.py PORT - appointments mixed with walk-ins (docs/visits.md)
through the real server and the real command line: staff create them
(API) and the booking system's CSV is imported (`kiosk appointments
import`, all or nothing, bad lines named), the kiosk looks codes up and
checks in early, on time and late, counters call (a due appointment before
walk-ins, an early one only when nobody else waits), the no-show sweep, the
closed-counter alert, cancel, and the refusals.

The server runs on the wall clock: slots are set around the current minute
in Asia/Tokyo with a 2-minute window (server.appointment_before/after = 2).
Within 25 minutes of midnight in Tokyo the slots would fall on another day:
the script then says so and checks nothing else."""
import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qtest  # noqa: E402

PORT = int(sys.argv[1])
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KIOSK = qtest.KIOSK
ok = qtest.ok
JST = datetime.timezone(datetime.timedelta(hours=9))

now = datetime.datetime.now(JST)
mod = now.hour * 60 + now.minute
if mod < 15 or mod > 24 * 60 - 25:
    ok(True, "skipped: %02d:%02d in Tokyo is too near midnight for slots "
       "around now" % (now.hour, now.minute))
    qtest.finish()

m0 = now.replace(second=0, microsecond=0)
TODAY = m0.strftime("%Y-%m-%d")
TOMORROW = (m0 + datetime.timedelta(days=1)).strftime("%Y-%m-%d")


def hm(minutes):
    return (m0 + datetime.timedelta(minutes=minutes)).strftime("%H:%M")


srv = qtest.Server(PORT, extra={"appointment_before": 2,
                                "appointment_after": 2})
shutil.copy(os.path.join(ROOT, "assets", "procedures.json"),
            os.path.join(srv.dir, "assets", "procedures.json"))
shutil.copy(os.path.join(ROOT, "assets", "web", "phone.html"),
            os.path.join(srv.dir, "assets", "web", "phone.html"))
srv.start()
P = PORT


def call(method, path, body=None):
    return qtest.call(P, method, path, body)


def add(body):
    return call("POST", "/api/appointments", body)


def issue(proc, appt=None, rid=None, answers=None):
    body = {"procedure": proc, "lang": "ja", "kiosk": "kiosk-1",
            "answers": answers or {}}
    if appt:
        body["appointment"] = appt
    if rid:
        body["request_id"] = rid
    return call("POST", "/api/tickets", body)


def counter_next(n):
    """Call next at counter n and finish it: the number called, or None."""
    s, o = call("POST", "/api/counters/%d/call" % n, {})
    if s == 204:
        return None
    if s != 200:
        raise RuntimeError("call: %d %s" % (s, o))
    t = o["ticket"]
    s2, _ = call("POST", "/api/tickets/%d/done" % t["id"], {})
    if s2 != 200:
        raise RuntimeError("done: %d" % s2)
    return t["number"]


def cli(*args):
    r = subprocess.run([KIOSK, "appointments"] + list(args) +
                       ["--config", srv.ini], capture_output=True, text=True,
                       timeout=30)
    return r.returncode, r.stdout, r.stderr


def listing():
    s, o = call("GET", "/api/appointments?date=" + TODAY)
    return {a["code_end"] + a["time"]: a for a in o["appointments"]} if \
        s == 200 else {}


tmp = tempfile.mkdtemp(prefix="kiosk-appt-")
try:
    # staff create: the field named in every refusal
    s, o = add({"time": hm(10), "procedure": "tennyu"})
    ok(s == 400 and "date" in o["detail"], "add without date: 400 naming "
       "date (%s)" % o)
    s, o = add({"date": TODAY, "time": "25:00", "procedure": "tennyu"})
    ok(s == 400 and "time" in o["detail"], "add at 25:00: 400 naming time")
    s, o = add({"date": TODAY, "time": hm(10), "procedure": "nosuch"})
    ok(s == 400 and o["error"] == "unknown_procedure",
       "add of an unknown procedure: 400 unknown_procedure")
    s, o = add({"date": TODAY, "time": hm(10), "procedure": "tennyu",
                "service": "A"})
    ok(s == 400 and "service" in o["detail"], "add with another service "
       "than the procedure's: 400 naming service (%s)" % o.get("detail"))
    s, o = add({"date": TODAY, "time": hm(10), "procedure": "tennyu",
                "code": "12ab5678"})
    ok(s == 400 and o["error"] == "bad_code", "a code with letters: 400 "
       "bad_code")

    s, e = add({"date": TODAY, "time": hm(10), "procedure": "tennyu",
                "code": "11110001"})
    ok(s == 201 and e["service"] == "B" and e["code"] == "11110001" and
       e["state"] == "booked", "staff add an early appointment (201, "
       "service B from the catalog)")
    s, o = add({"date": TODAY, "time": hm(10), "procedure": "tennyu",
                "code": "11110001"})
    ok(s == 200 and o["replayed"], "the same booking again: 200 replayed")
    s, o = add({"date": TODAY, "time": hm(11), "procedure": "tennyu",
                "code": "11110001"})
    ok(s == 409 and o["error"] == "appointment_code_taken",
       "the code for another slot: 409 appointment_code_taken")
    s, g = add({"date": TODAY, "time": hm(30), "procedure": "juminhyo"})
    ok(s == 201 and len(g["code"]) == 8 and g["code"].isdigit() and
       g["service"] == "A", "a code is made when none is given (8 digits)")
    s, on = add({"date": TODAY, "time": hm(0), "procedure": "tennyu",
                 "code": "11110002"})
    ok(s == 201, "staff add an appointment for this minute")

    # the booking system's CSV: bad lines named, nothing imported
    bad = os.path.join(tmp, "bad.csv")
    with open(bad, "w") as f:
        f.write("date,time,service,procedure,code\n"
                "%s,9:5,B,tennyu,22229991\n"
                "%s,%s,B,nosuch,22229992\n"
                "%s,%s,A,tennyu,22229993\n"
                "%s,%s,B,tennyu,11110001\n"
                "%s,%s,,tennyu,22229995\n" %
                (TODAY, TODAY, hm(20), TODAY, hm(20), TODAY, hm(40), TODAY,
                 hm(20)))
    before = len(listing())
    rc, out, err = cli("import", bad)
    ok(rc == 1 and "line 2: time" in err and "line 3: procedure" in err and
       "line 4: service" in err and "line 5: code" in err and
       "line 6" not in err and "nothing was imported" in err,
       "a CSV with bad lines: exit 1, each bad line named by line and "
       "field (%r)" % err[-400:])
    ok(len(listing()) == before, "nothing of it was imported")
    rc, out, err = cli("import", os.path.join(tmp, "missing.csv"))
    ok(rc == 1 and "missing.csv" in err, "a missing file: exit 1")
    good = os.path.join(tmp, "good.csv")
    with open(good, "w", encoding="utf-8") as f:
        f.write("\ufeffdate,time,service,procedure,code\r\n"
                "%s,%s,,tennyu,22220001\r\n"
                "%s,%s,B,tennyu,22220002\r\n"
                "\"%s\",\"%s\",B,tennyu,22220003\r\n"
                "%s,%s,B,tennyu,22220004\r\n"
                "%s,%s,B,tennyu,11110001\r\n" %
                (TODAY, hm(-5), TODAY, hm(-10), TODAY, hm(20), TOMORROW,
                 hm(0), TODAY, hm(10)))
    rc, out, err = cli("import", good)
    ok(rc == 0 and "imported 4 appointments (1 already there)" in out,
       "the CSV imported (BOM, CRLF, quotes, an empty service, an identical "
       "repeat): %r %r" % (out, err[-200:]))
    rc, out, err = cli("list")
    ok(rc == 0 and "..01" in out and "22220001" not in out and
       "tennyu" in out, "kiosk appointments list shows the day, codes by "
       "their last 2 digits")

    # look-ups (the kiosk's token)
    s, o = call("POST", "/api/appointments/lookup", {"code": "12"})
    ok(s == 400 and o["error"] == "bad_code", "look-up of a short code: 400 "
       "bad_code")
    s, o = call("POST", "/api/appointments/lookup", {"code": "99999999"})
    ok(s == 404 and o["error"] == "appointment_not_found",
       "look-up of an unknown code: 404")
    s, o = call("POST", "/api/appointments/lookup", {"code": "22220004"})
    ok(s == 409 and o["error"] == "appointment_other_day" and
       o["date"] == TOMORROW, "tomorrow's: 409 appointment_other_day with "
       "the date")
    s, o = call("POST", "/api/appointments/lookup", {"code": "11110001"})
    ok(s == 200 and o["arrival"] == "early" and o["time"] == hm(10) and
       o["procedure"] == "tennyu" and o["state"] == "booked",
       "look-up of the early one: 200 early (%s)" % o)
    s, o = call("POST", "/api/appointments/lookup", {"code": "22220001"})
    ok(s == 200 and o["arrival"] == "late", "look-up 5 minutes after the "
       "slot: late")

    lst = listing()
    cancel = lst.get("03" + hm(20))
    s, o = call("POST", "/api/appointments/%d/cancel" % cancel["id"],
                {"staff": "clerk1"})
    ok(s == 200 and o["state"] == "cancelled", "staff cancel by id")
    s, o = call("POST", "/api/appointments/%d/cancel" % cancel["id"], {})
    ok(s == 200 and o["replayed"], "cancel again: replayed")
    s, o = call("POST", "/api/appointments/lookup", {"code": "22220003"})
    ok(s == 409 and o["error"] == "appointment_cancelled",
       "look-up of a cancelled one: 409 appointment_cancelled")
    s, o = issue("tennyu", "22220003")
    ok(s == 409 and o["error"] == "appointment_cancelled",
       "a cancelled appointment cannot check in")
    s, o = issue("tennyu", "22220004")
    ok(s == 409 and o["error"] == "appointment_other_day",
       "tomorrow's cannot check in today")
    s, o = issue("tennyu", "99999999")
    ok(s == 404 and o["error"] == "appointment_not_found",
       "an unknown code cannot check in")

    # check-ins and calls (counters 11 and 12 serve B)
    s, w1 = issue("tennyu")
    rid = uuid.uuid4().hex
    s, e_t = issue("tennyu", "11110001", rid)
    ok(s == 201 and e_t["appointment"]["arrival"] == "early" and
       e_t["appointment"]["time"] == hm(10),
       "check-in 10 minutes early: a ticket, arrival early")
    ok(e_t["appointment"]["counter_closed"], "no counter of B has called "
       "yet: counter_closed")
    s, al = call("GET", "/api/alerts")
    ok(any(a["kind"] == "appointment_closed" and
           a["number"] == e_t["number"] for a in al["alerts"]),
       "staff have an appointment_closed alert for %s" % e_t["number"])
    s, o = issue("tennyu", "11110001", rid)
    ok(s == 200 and o["number"] == e_t["number"] and
       o["appointment"]["counter_closed"], "the kiosk's retry with its "
       "request id: the same ticket, the same answer")
    s, o = issue("tennyu", "11110001")
    ok(s == 409 and o["error"] == "appointment_checked_in" and
       o["number"] == e_t["number"], "a second check-in: 409 "
       "appointment_checked_in naming the ticket")
    s, o = issue("juminhyo", "11110002",
                 answers={"who": "self", "copies": 1})
    ok(s == 409 and o["error"] == "appointment_procedure" and
       o["procedure"] == "tennyu", "another procedure than the booked one: "
       "409 appointment_procedure")
    s, o_t = issue("tennyu", "11110002")
    ok(s == 201 and o_t["appointment"]["arrival"] == "on_time",
       "check-in at the slot: on time")
    s, w2 = issue("tennyu")
    first = counter_next(11)
    ok(first == o_t["number"], "the first call takes the due appointment "
       "before the walk-ins (%s)" % first)
    s, l_t = issue("tennyu", "22220001")
    ok(s == 201 and l_t["appointment"]["arrival"] == "late" and
       not l_t["appointment"]["counter_closed"], "check-in 5 minutes late: "
       "late; counter 11 is open now")
    order = [counter_next(12 if i % 2 else 11) for i in range(5)]
    ok(order == [w1["number"], w2["number"], l_t["number"], e_t["number"],
                 None], "then the walk-ins, the late one by its check-in "
       "time, and the early one when nobody else waits: %s" % order)

    # the no-show sweep (listing runs it) and a late check-in after it
    lst = listing()
    ns = lst.get("02" + hm(-10))
    ok(ns is not None and ns["state"] == "no_show",
       "the appointment 10 minutes past without a check-in is a no-show")
    e_row = lst.get("01" + hm(10))
    ok(e_row["state"] == "checked_in" and e_row["number"] == e_t["number"]
       and e_row["arrival"] == "early", "the list shows the check-in, its "
       "ticket and its arrival")
    s, o = issue("tennyu", "22220002")
    ok(s == 201 and o["appointment"]["arrival"] == "late",
       "a no-show arriving later still checks in, placed like a walk-in")
    s, t = call("GET", "/api/tickets/%d" % o_t["id"])
    ok(t["ticket"]["appointment"] == {"time": hm(0), "arrival": "on_time"},
       "the staff's ticket carries the slot (予約 %s)" % hm(0))
    s, st = call("GET", "/api/status/" + o["token"])
    ok(st["appointment_time"] == hm(-10), "the phone's status carries the "
       "slot")
    s, page = call("GET", "/t/" + o["token"])
    page = page.decode() if isinstance(page, bytes) else str(page)
    ok(s == 200 and '<p class="appt" id="appt">予約 %s / Appointment %s</p>'
       % (hm(-10), hm(-10)) in page, "the phone page shows 予約 %s without "
       "JavaScript" % hm(-10))
    s, st = call("GET", "/api/status/" + w1["token"])
    ok(st["appointment_time"] is None, "a walk-in's has none")
    s, page = call("GET", "/t/" + w1["token"])
    page = page.decode() if isinstance(page, bytes) else str(page)
    ok('<p class="appt" id="appt" hidden></p>' in page, "a walk-in's page "
       "shows no appointment")

    srv.stop()
    db = sqlite3.connect(srv.db)
    kinds = dict(db.execute("SELECT kind, count(*) FROM events WHERE kind"
                            " LIKE 'appointment%' GROUP BY kind").fetchall())
    ok(kinds.get("appointment_added") == 7 and
       kinds.get("appointment_checked_in") == 4 and
       # 5 and 10 minutes past with a 2-minute window: both were no-shows
       # at the first listing, and both checked in late after it
       kinds.get("appointment_no_show") == 2 and
       kinds.get("appointment_cancelled") == 1,
       "every step is in the event log (%s)" % kinds)
    text = " ".join(r[0] or "" for r in
                    db.execute("SELECT detail FROM events").fetchall())
    codes = ["11110001", "11110002", "22220001", "22220002", "22220003",
             g["code"]]
    ok(not any(c in text for c in codes), "the event log names no whole "
       "booking code")
    ok('"code_end":"02"' in text, "it names the last two digits")
    db.close()
finally:
    shutil.rmtree(tmp, ignore_errors=True)
    srv.cleanup(keep=qtest.failures > 0)
qtest.finish()
