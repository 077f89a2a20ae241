#!/usr/bin/python3
"""ticket_band.py - is a line of one ticket printed on another?

    ticket_band.py WITHOUT.png WITH.png TICKET.png

WITHOUT and WITH are two renderings of one sample ticket (kiosk print test)
that differ by one line (the check-in's "予約 10:30"): the rows WITH has
and WITHOUT lacks, blank rows trimmed, are that line's dots.  Exit 0 when
TICKET (a printed ticket decoded back by escpos_decode) holds those rows
one under the other, dot for dot; 1 when it does not; 2 on bad input.  The
line is drawn centred in the same font at the same size whatever the rest
of the ticket says, so its rows are the same on every ticket.

The PNGs are the kiosk's own (8-bit grey, pngio.c): read here with zlib
alone, so the test needs no imaging library.
"""
import struct, sys, zlib


def read_grey(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("%s: not a PNG" % path)
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype != 0 or interlace:
                sys.exit("%s: not an 8-bit grey PNG (depth %d, type %d)" % (path, depth, ctype))
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    rows, prev = [], bytearray(w)
    for y in range(h):
        f, line = raw[y * (w + 1)], bytearray(raw[y * (w + 1) + 1:(y + 1) * (w + 1)])
        for x in range(w):
            a = line[x - 1] if x else 0
            b, c = prev[x], prev[x - 1] if x else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return rows


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: ticket_band.py WITHOUT.png WITH.png TICKET.png")
    without, with_, ticket = (read_grey(p) for p in sys.argv[1:])
    top = 0
    while top < len(without) and without[top] == with_[top]:
        top += 1
    bottom = 0
    while bottom < len(without) - top and without[-1 - bottom] == with_[-1 - bottom]:
        bottom += 1
    band = with_[top:len(with_) - bottom]
    blank = lambda r: min(r) == 255
    while band and blank(band[0]):
        band = band[1:]
    while band and blank(band[-1]):
        band = band[:-1]
    if not band:
        print("the two samples do not differ by a line")
        return 2
    for y in range(len(ticket) - len(band) + 1):
        if ticket[y:y + len(band)] == band:
            print("the line's %d rows are rows %d-%d of the ticket" % (len(band), y, y + len(band) - 1))
            return 0
    print("the line's %d rows are not on the ticket" % len(band))
    return 1


sys.exit(main())
