#!/usr/bin/env python3
"""Regenerates src/render/outlines.bin, the map's boundaries, from Natural Earth.

Natural Earth (https://www.naturalearthdata.com/) is in the public domain. Inputs, as
shipped in Natural Earth's downloads (version 5.x), 1:10 million scale:

  ne_10m_admin_0_countries*.shp              countries (polygons), the whole world
  ne_10m_admin_1_states_provinces_lines.shp  state/province boundaries (lines)

Usage: tools/map_outlines.py COUNTRIES.shp STATES_LINES.shp > src/render/outlines.bin

What is kept, and why it stays small (about 210 KB, compiled into the binary):
- countries everywhere, simplified (Douglas–Peucker) to 0.01° (about 1 km, under a
  pixel on a map of a German Land) inside Europe's frame and 0.1° elsewhere (enough
  for a map of a country or a continent), rings that simplify to fewer than 4 points
  dropped;
- state and province boundaries only where they meet Germany's frame (the Länder, and
  the lines of neighbouring regions reaching into it), simplified to 0.01°: all of
  Europe's would triple the file.
A map drawn for points elsewhere shows country outlines only.

Format (little-endian, integers as LEB128 varints, signed ones zigzag-encoded):
  b"PPOUTLN1", then per shape: kind byte (0 country ring, 1 state line),
  point count, then the points as (lon, lat) in millidegrees, the first absolute and
  each following one as the difference to the one before; the file ends after the
  last shape.
"""

import struct
import sys

EUROPE = (-25.0, 34.0, 45.0, 72.0)  # lon0, lat0, lon1, lat1
GERMANY = (5.5, 47.0, 15.5, 55.2)
FINE = 0.01
COARSE = 0.1


def read_shapes(path):
    """Yields each record's parts as lists of (lon, lat) (polygons and polylines)."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 100
    while pos + 8 <= len(data):
        _, length = struct.unpack(">ii", data[pos : pos + 8])
        rec = data[pos + 8 : pos + 8 + 2 * length]
        pos += 8 + 2 * length
        (shape_type,) = struct.unpack("<i", rec[:4])
        if shape_type not in (3, 5):
            continue
        num_parts, num_points = struct.unpack("<ii", rec[36:44])
        parts = list(struct.unpack("<%di" % num_parts, rec[44 : 44 + 4 * num_parts]))
        at = 44 + 4 * num_parts
        pts = [struct.unpack("<dd", rec[at + 16 * i : at + 16 * i + 16]) for i in range(num_points)]
        parts.append(num_points)
        yield [pts[parts[i] : parts[i + 1]] for i in range(num_parts)]


def simplify(pts, tol):
    """Douglas–Peucker, iterative; keeps the first and last point."""
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = pts[a], pts[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            if norm == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dy * (px - ax) - dx * (py - ay)) / norm
            if d > best:
                best, at = d, i
        if at >= 0 and best > tol:
            keep[at] = True
            stack.append((a, at))
            stack.append((at, b))
    return [p for p, k in zip(pts, keep) if k]


def meets(part, frame):
    xs = [p[0] for p in part]
    ys = [p[1] for p in part]
    return max(xs) >= frame[0] and min(xs) <= frame[2] and max(ys) >= frame[1] and min(ys) <= frame[3]


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n):
    return (n << 1) ^ (n >> 63)


def encode(kind, pts):
    milli = []
    for lon, lat in pts:
        q = (round(lon * 1000), round(lat * 1000))
        if not milli or milli[-1] != q:
            milli.append(q)
    out = bytearray([kind]) + varint(len(milli))
    px = py = 0
    for x, y in milli:
        out += varint(zigzag(x - px)) + varint(zigzag(y - py))
        px, py = x, y
    return bytes(out)


def main():
    countries, states = sys.argv[1], sys.argv[2]
    out = bytearray(b"PPOUTLN1")
    for parts in read_shapes(countries):
        for ring in parts:
            fine = meets(ring, EUROPE)
            simple = simplify(ring, FINE if fine else COARSE)
            if len(simple) >= 4:
                out += encode(0, simple)
    for parts in read_shapes(states):
        for line in parts:
            if not meets(line, GERMANY):
                continue
            simple = simplify(line, FINE)
            if len(simple) >= 2:
                out += encode(1, simple)
    sys.stdout.buffer.write(bytes(out))


if __name__ == "__main__":
    main()
