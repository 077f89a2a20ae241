#!/usr/bin/python3
"""ESC/POS printer emulator on raw TCP (the "port 9100" protocol).

Records every byte of every connection to RECORD_DIR/conn-NNN.bin and
answers real-time status requests (DLE EOT n = 10 04 n, wherever they
appear in the stream, like a real printer) according to a mode:

  ok                 every reply 0x12 (healthy)
  paper_out          DLE EOT 1..4 = 1a 32 12 72 (offline, stopped by paper end)
  near_end           DLE EOT 4 = 1e (roll paper near end), otherwise healthy
  cover_open         DLE EOT 1..2 = 1a 16
  offline            DLE EOT 1 = 1a
  cutter_error       DLE EOT 1..3 = 1a 52 1a
  no_answer          never answers
  drop_mid_job       healthy, but closes the connection after DROP_AFTER bytes
  paper_out_mid_job  healthy until DROP_AFTER bytes arrived, then paper_out
  unsolicited        sends an ASB frame, a GS ( H reply and junk on connect,
                     then healthy
  stall              accepts the connection, then reads nothing (a jammed
                     printer with a full buffer)

The mode is read from MODE_FILE at each new connection (so one emulator
serves a whole test script), or fixed with --mode.

usage: printer_emulator.py --port PORT --record DIR [--mode MODE]
                           [--mode-file FILE] [--drop-after BYTES]
Prints "listening on PORT" once ready; with --port 0 the system picks a
free port and that line names it (tests/e2e/lib.sh start_printer_emulator).
Stop it with SIGTERM.
"""
import argparse
import os
import select
import signal
import socket
import sys
import time

OK = 0x12
STATUS = {
    "ok": (OK, OK, OK, OK),
    "paper_out": (0x1A, 0x32, OK, 0x72),
    "near_end": (OK, OK, OK, 0x1E),
    "cover_open": (0x1A, 0x16, OK, OK),
    "offline": (0x1A, OK, OK, OK),
    "cutter_error": (0x1A, 0x52, 0x1A, OK),
    "no_answer": None,
    "drop_mid_job": (OK, OK, OK, OK),
    "paper_out_mid_job": (OK, OK, OK, OK),
    "unsolicited": (OK, OK, OK, OK),
    "stall": None,
}
UNSOLICITED = bytes([0x14, 0x00, 0x00, 0x00,              # ASB frame
                     0x37, 0x22, 0x31, 0x32, 0x33, 0x34, 0x00,  # GS ( H reply
                     0xFF, 0x80])                         # junk


def read_mode(args):
    if args.mode_file and os.path.exists(args.mode_file):
        with open(args.mode_file) as f:
            mode = f.read().strip()
    else:
        mode = args.mode
    if mode not in STATUS:
        print("emulator: unknown mode %r, using ok" % mode, file=sys.stderr)
        mode = "ok"
    return mode


def serve(conn, mode, args, record_path):
    received = 0
    tail = b""
    conn.settimeout(30)
    if mode == "unsolicited":
        conn.sendall(UNSOLICITED)
    if mode == "stall":
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        p = select.poll()
        p.register(conn, select.POLLRDHUP | select.POLLHUP | select.POLLERR)
        deadline = time.time() + 60
        while time.time() < deadline and not p.poll(100):
            pass                                   # until the client goes
        open(record_path, "wb").close()
        return
    with open(record_path, "wb") as rec:
        while True:
            try:
                data = conn.recv(65536)
            except (socket.timeout, ConnectionResetError):
                return
            if not data:
                return
            if mode == "drop_mid_job" and received + len(data) > args.drop_after:
                keep = max(0, args.drop_after - received)
                rec.write(data[:keep])
                rec.flush()
                # Drop hard: RST, like a printer losing power or the link.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                b"\x01\x00\x00\x00\x00\x00\x00\x00")
                return
            rec.write(data)
            rec.flush()
            stream = tail + data
            replies = bytearray()
            # Replies for every DLE EOT whose last byte is in this chunk.
            for i in range(len(stream) - 2):
                if stream[i] == 0x10 and stream[i + 1] == 0x04 and \
                        1 <= stream[i + 2] <= 4 and i + 2 >= len(tail):
                    status = STATUS[mode]
                    if mode == "paper_out_mid_job" and \
                            received + (i + 3 - len(tail)) > args.drop_after:
                        status = STATUS["paper_out"]
                    if status is not None:
                        replies.append(status[stream[i + 2] - 1])
            received += len(data)
            tail = stream[-2:]
            if replies:
                try:
                    conn.sendall(bytes(replies))
                except OSError:
                    return


def main():
    ap = argparse.ArgumentParser(description="ESC/POS printer emulator")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--mode", default="ok", choices=sorted(STATUS))
    ap.add_argument("--mode-file")
    ap.add_argument("--drop-after", type=int, default=4096)
    args = ap.parse_args()
    os.makedirs(args.record, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(4)
    print("listening on %d" % srv.getsockname()[1], flush=True)
    n = 0
    while True:
        conn, _ = srv.accept()
        n += 1
        mode = read_mode(args)
        path = os.path.join(args.record, "conn-%03d.bin" % n)
        try:
            serve(conn, mode, args, path)
        finally:
            conn.close()
        print("connection %d (%s) recorded to %s" % (n, mode, path), flush=True)


if __name__ == "__main__":
    main()
