#!/usr/bin/python3
"""An emulated My Number card (個人番号カード) for the vpcd reader driver.

Only what the kiosk uses: the 券面事項入力補助AP with EF 0001 (個人番号),
EF 0002 (基本4情報) and the 4-digit PIN EF 0011 with its retry counter, as
described in shared/spec/mynumber-card.md.  It talks to vpcd (pcscd's
virtual reader) through the vsmartcard-vpicc Python package.

Run with Debian's /usr/bin/python3 (the package lives outside sys.path
there, and its CryptoUtils imports modules bookworm does not have; neither
matters for this card, see the spec §10).

    mynumber_card.py --port 35963 [--state FILE] [--kind mynumber|other]
                     [--pull-after N] [--log FILE]
    mynumber_card.py --port 35963 --absent [--timeout S]

--state FILE  JSON holder data and PIN state; tries are written back, so a
              blocked PIN stays blocked across emulator restarts.
--pull-after N  on the Nth command APDU, drop the connection without
              answering: the card is pulled out mid-command.
--log FILE    one line per command: "INS P1P2 Lc" (never the data), so tests
              can count the VERIFYs a kiosk sent.
--absent      no card: connect, wait until vpcd asks for the ATR (it does
              so only in pcscd's presence poll) and hang up.  That poll
              then finds the reader empty; see "Removal" below.
--timeout S   how long --absent waits for the poll (default 20).

One process is one insertion: the card connects once and exits when the
connection ends (pulled, pcscd stopped, or killed by tests/card/ctl.sh).
It never reconnects on its own: ctl.sh puts a card back in after a pcscd
restart, so that every connection starts from a command the test gave and
is waited for.

Removal: pcscd notices cards by polling the driver (every 0.4 s) and acts
on changes only.  When the card goes away inside a command (a pull), vpcd
drops the connection there, not in the poll; if the next card connects
before the next poll, pcscd sees "present" twice, never announces the new
card, and clients keep the "empty" state the failed command left.  ctl.sh
therefore runs --absent after every removal: once it returns, pcscd's poll
has seen the empty reader, and the next card is a change it acts on.

Exit status: 0 the connection ended, 1 vpcd not reachable, 2 usage,
3 (--absent) vpcd did not poll in time.
"""

import argparse
import json
import os
import socket
import struct
import sys
import types

VICC_PATH = "/usr/lib/python3/site-packages/virtualsmartcard"
if VICC_PATH not in sys.path:
    sys.path.insert(0, VICC_PATH)
# CryptoUtils falls back to Python 2's "sha" when PyCrypto is missing; this
# card needs no crypto, so an empty stand-in is enough to import the package.
sys.modules.setdefault("sha", types.ModuleType("sha"))

from virtualsmartcard.VirtualSmartcard import (  # noqa: E402
    SmartcardOS, VPCD_CTRL_ATR, VPCD_CTRL_OFF, VPCD_CTRL_ON, VPCD_CTRL_RESET)

AID_TEXT = bytes.fromhex("D3921000310001010408")
AID_JPKI = bytes.fromhex("D392F000260100000001")
ATR_MYNUMBER = bytes.fromhex("3BE000FF8131FE4514")
ATR_OTHER = bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")

DEFAULT_HOLDER = {
    "kind": "mynumber",
    "pin": "1234",
    "tries": 3,
    "name": "旭\u3000太郎",
    "address": "千葉県旭市二の１９２０番地",
    "birth": "19800401",
    "sex": "1",
    "mynumber": "123456789018",
}


def tlv(tag, value):
    """BER-TLV with a 2-byte tag and a short or long-form length."""
    n = len(value)
    if n < 0x80:
        head = bytes([n])
    elif n < 0x100:
        head = bytes([0x81, n])
    else:
        head = bytes([0x82, n >> 8, n & 0xFF])
    return tag.to_bytes(2, "big") + head + value


def basic4_record(h):
    """EF 0002: FF 20 { DF21 offsets, DF22 name, DF23 address, DF24, DF25 }."""
    fields = [h["name"].encode(), h["address"].encode(),
              h["birth"].encode(), h["sex"].encode()]
    body_wo_table = [tlv(0xDF22 + i, f) for i, f in enumerate(fields)]
    body_len = 11 + sum(len(b) for b in body_wo_table)
    outer_head = len(tlv(0xFF20, bytes(body_len))) - body_len
    offsets, at = [], outer_head + 11
    for b in body_wo_table:
        offsets.append(at)
        at += len(b)
    table = b"".join(o.to_bytes(2, "big") for o in offsets)
    rec = tlv(0xFF20, tlv(0xDF21, table) + b"".join(body_wo_table))
    return rec + b"\xff" * 32          # physical filler after the record


def mynumber_record(h):
    return b"\xff\x10\x0c" + h["mynumber"].encode() + b"\xff\xff"


class MyNumberOS(SmartcardOS):
    """The card's command interpreter (short APDUs, logical channel 0)."""

    def __init__(self, holder, save, log):
        self.h = holder
        self.save = save
        self.log = log
        self.files = {0x0001: mynumber_record(holder),
                      0x0002: basic4_record(holder)}
        self.reset()

    # SmartcardOS interface
    def getATR(self):
        return ATR_MYNUMBER if self.h["kind"] == "mynumber" else ATR_OTHER

    def powerUp(self):
        self.reset()

    def powerDown(self):
        self.reset()

    def reset(self):
        self.ap = None
        self.ef = None
        self.verified = False

    def execute(self, msg):
        try:
            return self._execute(bytes(msg))
        except Exception as e:          # a test card must never hang pcscd
            print("emulator: %r" % e, file=sys.stderr)
            return b"\x6f\x00"

    def _execute(self, c):
        if len(c) < 4:
            return b"\x67\x00"
        cla, ins, p1, p2 = c[0], c[1], c[2], c[3]
        lc, data, le = 0, b"", None
        if len(c) == 5:
            le = c[4] or 256
        elif len(c) > 5:
            lc = c[4]
            data = c[5:5 + lc]
            if len(c) == 6 + lc:
                le = c[5 + lc] or 256
            elif len(c) != 5 + lc:
                return b"\x67\x00"
        if self.log:
            self.log.write("%02X %02X%02X %s\n" % (ins, p1, p2,
                                                  lc if lc else "-"))
            self.log.flush()
        if cla in (1, 2, 3):
            return b"\x68\x81"
        if cla != 0:
            return b"\x6e\x00"
        if ins == 0xA4:
            return self.select(p1, p2, data)
        if ins == 0x20:
            return self.verify(p1, p2, data)
        if ins == 0xB0:
            return self.read_binary(p1, p2, le)
        return b"\x6d\x00"

    def select(self, p1, p2, data):
        if p1 == 0x04:
            self.ef, self.verified = None, False
            if self.h["kind"] == "mynumber" and data == AID_TEXT:
                self.ap = "text"
                return b"\x90\x00"
            if self.h["kind"] == "mynumber" and data == AID_JPKI:
                self.ap = "jpki"
                return b"\x90\x00"
            self.ap = None
            return b"\x6a\x82"
        if p1 == 0x02 and len(data) == 2:
            fid = int.from_bytes(data, "big")
            if self.ap == "text" and fid in (0x0001, 0x0002, 0x0011):
                self.ef = fid
                return b"\x90\x00"
            return b"\x6a\x82"
        return b"\x6a\x86"

    def verify(self, p1, p2, data):
        if p1 != 0 or p2 != 0x80:
            return b"\x6a\x86"
        if self.ef != 0x0011:
            return b"\x69\x86"
        tries = self.h["tries"]
        if not data:
            return bytes([0x63, 0xC0 | tries])
        if tries == 0:
            return b"\x69\x84"
        if data == self.h["pin"].encode():
            self.set_tries(3)
            self.verified = True
            return b"\x90\x00"
        self.set_tries(tries - 1)
        return bytes([0x63, 0xC0 | self.h["tries"]])

    def read_binary(self, p1, p2, le):
        if p1 & 0x80:
            return b"\x6a\x81"
        if self.ef not in self.files:
            return b"\x69\x86"
        if not self.verified:
            return b"\x69\x82"
        off = p1 << 8 | p2
        f = self.files[self.ef]
        if off >= len(f):
            return b"\x6b\x00"
        return f[off:off + (le or 256)] + b"\x90\x00"

    def set_tries(self, n):
        self.h["tries"] = n
        self.save(self.h)


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        try:
            # vpcd sends length and body in two writes without TCP_NODELAY:
            # without a quick ACK every APDU waits for the delayed-ACK timer.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        except OSError:
            pass
        part = sock.recv(n - len(buf))
        if not part:
            return None
        buf += part
    return buf


def serve(sock, card, pull_after):
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    count = 0
    while True:
        head = recv_exact(sock, 2)
        if head is None:
            return "vpcd closed the connection"
        size = struct.unpack("!H", head)[0]
        msg = recv_exact(sock, size) if size else b""
        if msg is None:
            return "vpcd closed the connection"
        if size == 1:
            code = msg[0]
            if code in (VPCD_CTRL_OFF,):
                card.powerDown()
            elif code in (VPCD_CTRL_ON, VPCD_CTRL_RESET):
                card.reset()
            elif code == VPCD_CTRL_ATR:
                atr = card.getATR()
                sock.sendall(struct.pack("!H", len(atr)) + atr)
            continue
        count += 1
        if pull_after and count >= pull_after:
            return "pulled at command %d" % count
        answer = card.execute(msg)
        sock.sendall(struct.pack("!H", len(answer)) + answer)


def confirm_absent(host, port, timeout):
    """Be the empty reader in one of pcscd's presence polls (see the doc)."""
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as e:
        print("emulator: cannot reach vpcd at %s:%d: %s" % (host, port, e),
              file=sys.stderr)
        return 1
    sock.settimeout(timeout)
    try:
        head = recv_exact(sock, 3)
    except OSError as e:        # socket.timeout included
        print("emulator: vpcd did not poll within %g s: %s" % (timeout, e),
              file=sys.stderr)
        return 3
    finally:
        sock.close()
    if head != struct.pack("!HB", 1, VPCD_CTRL_ATR):
        print("emulator: vpcd sent %r, not the ATR request" % head,
              file=sys.stderr)
        return 3
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--state")
    ap.add_argument("--kind", choices=["mynumber", "other"])
    ap.add_argument("--tries", type=int)
    ap.add_argument("--pull-after", type=int, default=0)
    ap.add_argument("--log")
    ap.add_argument("--absent", action="store_true")
    ap.add_argument("--timeout", type=float, default=20.0)
    a = ap.parse_args()
    if a.absent:
        return confirm_absent(a.host, a.port, a.timeout)

    holder = dict(DEFAULT_HOLDER)
    if a.state and os.path.exists(a.state):
        with open(a.state, encoding="utf-8") as f:
            holder.update(json.load(f))
    if a.kind:
        holder["kind"] = a.kind
    if a.tries is not None:
        holder["tries"] = a.tries

    def save(h):
        if not a.state:
            return
        tmp = a.state + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(h, f, ensure_ascii=False)
        os.replace(tmp, a.state)

    save(holder)
    log = open(a.log, "a", encoding="ascii") if a.log else None
    card = MyNumberOS(holder, save, log)
    try:
        sock = socket.create_connection((a.host, a.port), timeout=5)
    except OSError as e:
        print("emulator: cannot reach vpcd at %s:%d: %s" % (a.host, a.port, e),
              file=sys.stderr)
        return 1
    sock.settimeout(None)
    print("emulator: card inserted (vpcd %s:%d, %s)" % (a.host, a.port,
          holder["kind"]), file=sys.stderr, flush=True)
    try:
        why = serve(sock, card, a.pull_after)
    except OSError as e:            # reset by a pcscd going away
        why = "connection lost: %s" % e
    sock.close()
    print("emulator: card out (%s)" % why, file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
