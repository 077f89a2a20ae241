"""report_e2e.py PORT - `kiosk report` turns the server's database into open
data (CSV) and charts (PNG) with no personal data in them."""
import csv
import os
import subprocess
import sys
import tempfile

import qtest

PORT = int(sys.argv[1])
srv = qtest.Server(PORT)
srv.start()
NAME = "報告 太郎"
procs = ["juminhyo", "juminhyo", "tennyu", "soudan", "mynumber_card"]
ids = []
for i, p in enumerate(procs * 4):
    body = {"procedure": p, "lang": "ja",
            "applicant": {"name": NAME, "address": "旭市ニ1920番地"}}
    s, o = qtest.call(PORT, "POST", "/api/tickets", body)
    assert s == 201, o
    ids.append(o["id"])
served = 0
for counter in (1, 11, 15, 13):
    for _ in range(3):
        s, o = qtest.call(PORT, "POST", "/api/counters/%d/call" % counter, {})
        if s != 200:
            break
        s, o = qtest.call(PORT, "POST", "/api/tickets/%d/done" %
                          o["ticket"]["id"], {})
        served += s == 200
srv.stop()

out = tempfile.mkdtemp(prefix="kiosk-report-")
p = subprocess.run([qtest.KIOSK, "report", "--config", srv.ini, "--out", out],
                   capture_output=True, text=True, timeout=30)
qtest.ok(p.returncode == 0, "kiosk report runs: %s%s" % (p.stdout.strip(),
                                                       p.stderr.strip()))
files = sorted(os.listdir(out))
want = ["by_hour.csv", "by_procedure.csv", "by_weekday.csv", "tickets.csv",
        "wait_by_hour.png", "wait_by_procedure.png", "wait_by_weekday.png"]
qtest.ok(files == want, "it writes %s" % " ".join(files))
rows = list(csv.DictReader(open(os.path.join(out, "tickets.csv"))))
qtest.ok(len(rows) == len(ids), "tickets.csv has one row per ticket (%d)" %
         len(rows))
qtest.ok(sum(r["state"] == "done" for r in rows) == served,
         "%d served tickets with their service times" % served)
qtest.ok(all(r["wait_min"] != "" for r in rows if r["state"] == "done"),
         "every served ticket has a wait time")
procs_csv = {r["procedure"]: r for r in
             csv.DictReader(open(os.path.join(out, "by_procedure.csv")))}
qtest.ok(procs_csv.get("juminhyo", {}).get("issued") == "8" and
         procs_csv["juminhyo"]["name"] == "住民票の写し",
         "by_procedure.csv counts juminhyo (8) with its name")
week = list(csv.DictReader(open(os.path.join(out, "by_weekday.csv"))))
qtest.ok(len(week) == 7 and sum(int(r["issued"]) for r in week) == len(ids),
         "by_weekday.csv: 7 days adding up to every ticket")
leak = [f for f in files if NAME.encode() in open(os.path.join(out, f), "rb")
        .read() or "旭市ニ".encode() in open(os.path.join(out, f), "rb").read()]
qtest.ok(not leak, "no name or address in any output (%s)" % leak)
pngs = [f for f in files if f.endswith(".png") and
        open(os.path.join(out, f), "rb").read(8) == b"\x89PNG\r\n\x1a\n"]
qtest.ok(len(pngs) == 3, "three PNG charts")
p = subprocess.run([qtest.KIOSK, "report", "--config", srv.ini, "--from",
                    "2026-02-30", "--out", out], capture_output=True,
                   text=True, timeout=30)
qtest.ok(p.returncode == 2 and "2026-02-30" in p.stderr,
         "a bad --from is refused: %s" % p.stderr.strip())
subprocess.run(["rm", "-rf", out])
srv.cleanup(keep=qtest.failures > 0)
qtest.finish()
