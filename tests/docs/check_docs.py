#!/usr/bin/env python3
"""The reference in docs/ and the README's tour checked against the code, where
the code is the source: config keys (kiosk config doc), the API's route table
(kiosk/server/api.c), the card CLI's exit codes (kiosk/card/card_cli.c), and
every source file named in the README's tour.  TAP-style lines."""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KIOSK = os.environ.get("KIOSK", "build/kiosk")
fails = 0


def check(cond, what, detail=""):
    global fails
    if cond:
        print("ok - " + what)
    else:
        fails += 1
        print("not ok - " + what + (": " + detail if detail else ""))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


# 1. docs/config.md carries `kiosk config doc` verbatim between its markers.
doc = subprocess.run([KIOSK, "config", "doc"], capture_output=True, text=True,
                     cwd=ROOT, check=False)
check(doc.returncode == 0, "kiosk config doc runs", doc.stderr[-300:])
m = re.search(r"<!-- generated: kiosk config doc -->\n(.*?)<!-- end -->",
              read("docs/config.md"), re.S)
check(m is not None, "docs/config.md has the generated block")
if m:
    check(m.group(1).strip() == doc.stdout.strip(),
          "docs/config.md matches `kiosk config doc` (run `make docs`)")

# 2. docs/api.md lists exactly the routes of the route table.
routes = set(re.findall(r'\{\s*"(GET|POST|PUT|DELETE)",\s*"([^"]+)"',
                        read("kiosk/server/api.c")))
check(len(routes) >= 20, "the route table is read (%d routes)" % len(routes))
api = read("docs/api.md")
documented = set(re.findall(r"`(GET|POST|PUT|DELETE) (/[^`\s]*)`", api))
missing = sorted("%s %s" % r for r in routes - documented)
stale = sorted("%s %s" % r for r in documented - routes)
check(not missing, "every route is in docs/api.md", ", ".join(missing))
check(not stale, "docs/api.md names no route the server lacks", ", ".join(stale))

# 3. docs/card.md has a row for every exit code of `kiosk card`.
codes = re.findall(r"CARD_EXIT_\w+ = (\d+),", read("kiosk/card/card_cli.c"))
card = read("docs/card.md")
check(len(codes) >= 10, "card exit codes are read (%d)" % len(codes))
nodoc = [c for c in codes if not re.search(r"^\| %s \|" % c, card, re.M)]
check(not nodoc, "docs/card.md has a row per exit code", ", ".join(nodoc))

# 4. The README: a ten-minute read whose tour names every source file, and
#    whose links and paths exist.
readme = read("README.md")
check(len(readme.encode()) <= 20000, "README.md is at most 20 kB (%d bytes)"
      % len(readme.encode()))
srcs = sorted(glob.glob("kiosk/**/*.c", root_dir=ROOT, recursive=True))
untold = [s for s in srcs if os.path.basename(s) not in readme]
check(not untold, "the tour names every file of kiosk/", ", ".join(untold))
screens = [os.path.basename(s)[:-2] for s in glob.glob("screens/*.c", root_dir=ROOT)]
untold = [s for s in screens if "`%s`" % s not in readme]
check(not untold, "the tour names every screen", ", ".join(untold))
links = re.findall(r"\]\(([^)#]+)\)", readme)
gone = [l for l in links if not l.startswith("http") and
        not os.path.exists(os.path.join(ROOT, l))]
check(not gone, "every link of the README exists", ", ".join(gone))
paths = re.findall(r"`((?:kiosk|screens|include|assets|tests|mk|docs|debian|systemd)/[^`\s*]*)`", readme)
gone = [p for p in paths if not os.path.exists(os.path.join(ROOT, p))]
check(not gone, "every path the README names exists", ", ".join(gone))
for d in sorted(glob.glob("docs/*.md", root_dir=ROOT)):
    for l in re.findall(r"\]\(([^)#]+)\)", read(d)):
        if l.startswith("http") or l.startswith("mailto"):
            continue
        p = os.path.normpath(os.path.join(ROOT, "docs", l))
        check(os.path.exists(p), "%s links to %s" % (d, l))
sys.exit(1 if fails else 0)
