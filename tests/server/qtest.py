"""qtest.py - helpers for the queue server's end-to-end scripts: a private
server (own port, own folder, own config), HTTP calls, TAP-style output."""
import atexit
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
KIOSK = os.environ.get("KIOSK", "build/kiosk")

# every service the fixture catalog names; counters 1..10 serve A
SERVICES = ("A:住民票・証明書:1,2,3,4,5,6,7,8,9,10;B:届出・異動:11,12;"
            "C:マイナンバーカード:13;D:保険・年金・手当:14;E:相談:15")

failures = 0
_servers = []


def _on_term(signum, frame):
    print("not ok - stopped by signal %d (time-out?)" % signum, flush=True)
    sys.exit(1)


signal.signal(signal.SIGTERM, _on_term)


@atexit.register
def _kill_servers():
    # whatever happened, no server outlives its test
    for srv in _servers:
        if srv.proc and srv.proc.poll() is None:
            srv.proc.kill()
            srv.proc.wait()


def ok(cond, what):
    global failures
    print(("ok - " if cond else "not ok - ") + what, flush=True)
    if not cond:
        failures += 1
    return cond


class Server:
    """kiosk serve on 127.0.0.1:port with its own database and assets."""

    def __init__(self, port, extra=None, services=SERVICES):
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="kiosk-srv-")
        self.db = os.path.join(self.dir, "kiosk.db")
        assets = os.path.join(self.dir, "assets")
        os.makedirs(os.path.join(assets, "web"))
        shutil.copy(os.path.join(HERE, "catalog.json"),
                    os.path.join(assets, "procedures.json"))
        self.ini = os.path.join(self.dir, "kiosk.ini")
        lines = ["[kiosk]", "assets = " + assets, "[server]",
                 "port = %d" % port, "db = " + self.db,
                 "services = " + services,
                 "status_rate_per_min = 100000"]
        for k, v in (extra or {}).items():
            lines.append("%s = %s" % (k, v))
        with open(self.ini, "w") as f:
            f.write("\n".join(lines) + "\n")
        self.proc = None
        _servers.append(self)
        self.log = open(os.path.join(self.dir, "server.log"), "ab")

    def _servings(self):
        with open(os.path.join(self.dir, "server.log"), "rb") as f:
            return f.read().count(b"info server: serving on")

    def start(self, wait=True):
        # a binary being relinked by a parallel build is briefly not
        # executable (EACCES, ETXTBSY): try again for a few seconds
        self.log.flush()
        self._served = self._servings()
        for attempt in range(100):
            try:
                self.proc = subprocess.Popen(
                    [KIOSK, "serve", "--config", self.ini],
                    stdout=self.log, stderr=self.log)
                break
            except OSError:
                if attempt == 99:
                    raise
                time.sleep(0.05)
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %d; log in %s" %
                                   (self.proc.returncode, self.dir))
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port,
                                               timeout=1)
                c.request("GET", "/api/health")
                # ours, not another test's server on the same port: it
                # has said "serving on" since this start
                if c.getresponse().status == 200 and \
                        self._servings() > self._served:
                    c.close()
                    return
            except OSError:
                pass
            time.sleep(0.005)
        raise RuntimeError("server did not come up on port %d" % self.port)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def cleanup(self, keep=False):
        self.stop()
        self.log.close()
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def call(port, method, path, body=None, token=None, conn=None, timeout=5):
    """One request; (status, parsed JSON or None).  Raises OSError when the
    server is unreachable."""
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=headers)
    r = c.getresponse()
    raw = r.read()
    if conn is None:
        c.close()
    try:
        return r.status, (json.loads(raw) if raw else None)
    except ValueError:
        return r.status, raw


def free_port():
    """A TCP port nobody listens on now (the kernel's pick)."""
    import socket
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def finish():
    sys.exit(1 if failures else 0)
