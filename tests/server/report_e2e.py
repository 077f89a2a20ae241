"""report_e2e.py PORT - `kiosk report` turns the server's database into open
data (CSV + CSVW) and charts (SVG, PNG, PDF) with no personal data in them."""
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
# a second config that publishes cells of 1 ticket, to check the counts
ini1 = srv.ini + ".min1"
with open(ini1, "w") as f:
    f.write(open(srv.ini).read() + "[evidence]\nmin_cell = 1\n")
p = subprocess.run([qtest.KIOSK, "report", "--config", ini1, "--out", out],
                   capture_output=True, text=True, timeout=60)
qtest.ok(p.returncode == 0, "kiosk report runs: %s%s" % (p.stdout.strip(),
                                                       p.stderr.strip()))
files = sorted(os.listdir(out))
csvs = ["accuracy.csv", "by_channel.csv", "by_day.csv", "by_hour.csv",
        "by_procedure.csv", "by_weekday.csv", "staffing.csv"]
qtest.ok(all(c in files and c + "-metadata.json" in files for c in csvs),
         "it writes %s, each with its CSVW metadata" % " ".join(csvs))
qtest.ok("tickets.csv" not in files,
         "no per-ticket file (a re-identification risk)")
charts = ["wait_by_hour", "wait_by_weekday", "wait_by_procedure",
          "accuracy_by_hour"]
qtest.ok(all(c + ext in files for c in charts
             for ext in (".svg", ".png", ".pdf")),
         "charts as SVG, PNG and PDF: %s" % " ".join(charts))
procs_csv = {r["procedure_ja"]: r for r in
             csv.DictReader(open(os.path.join(out, "by_procedure.csv"),
                                 encoding="utf-8"))}
qtest.ok(procs_csv.get("住民票の写し", {}).get("tickets") == "8",
         "by_procedure.csv counts 住民票の写し (8), named not by id: %s" %
         sorted(procs_csv))
week = list(csv.DictReader(open(os.path.join(out, "by_weekday.csv"))))
qtest.ok(sum(int(r["tickets"]) for r in week) == len(ids),
         "by_weekday.csv adds up to every ticket (%d)" % len(ids))
day = list(csv.DictReader(open(os.path.join(out, "by_day.csv"))))
qtest.ok(sum(int(r["served"]) for r in day) == served,
         "by_day.csv: %d served" % served)
leak = [f for f in files if NAME.encode() in open(os.path.join(out, f), "rb")
        .read() or "旭市ニ".encode() in open(os.path.join(out, f), "rb").read()]
qtest.ok(not leak, "no name or address in any output (%s)" % leak)
pngs = [f for f in files if f.endswith(".png") and
        open(os.path.join(out, f), "rb").read(8) == b"\x89PNG\r\n\x1a\n"]
pdfs = [f for f in files if f.endswith(".pdf") and
        open(os.path.join(out, f), "rb").read(5) == b"%PDF-"]
qtest.ok(len(pngs) >= 4 and len(pdfs) == len(pngs),
         "%d PNG and %d PDF charts" % (len(pngs), len(pdfs)))
# with the default minimum (10 tickets) the 8 住民票 are not published
out10 = tempfile.mkdtemp(prefix="kiosk-report-")
p = subprocess.run([qtest.KIOSK, "report", "--config", srv.ini, "--out",
                    out10], capture_output=True, text=True, timeout=60)
procs10 = {r["procedure_ja"]: r for r in
           csv.DictReader(open(os.path.join(out10, "by_procedure.csv"),
                               encoding="utf-8"))}
r10 = procs10.get("住民票の写し", {})
qtest.ok(p.returncode == 0 and r10.get("suppressed") == "true" and
         r10.get("tickets") == "" and r10.get("wait_median_min") == "",
         "under evidence.min_cell the cell is published without figures")
subprocess.run(["rm", "-rf", out10])
p = subprocess.run([qtest.KIOSK, "report", "--config", srv.ini, "--from",
                    "2026-02-30", "--out", out], capture_output=True,
                   text=True, timeout=30)
qtest.ok(p.returncode == 2 and "2026-02-30" in p.stderr,
         "a bad --from is refused: %s" % p.stderr.strip())
subprocess.run(["rm", "-rf", out])
srv.cleanup(keep=qtest.failures > 0)
qtest.finish()
