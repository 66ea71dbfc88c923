"""The connector icon: render it as a deterministic PNG, and inspect any PNG the icon rule is given.

``render_icon`` draws a white speech bubble with three brand-coloured dots on a solid brand-colour
background: 230x230 pixels, a 4-bit palette PNG whose 16 entries ramp from the brand colour to white
(the anti-aliasing levels), fully opaque. The zlib stream is written by hand with stored deflate
blocks, so the bytes are identical on every run and machine, whatever zlib build is installed.

``inspect_png`` reads a non-interlaced PNG (colour types 0, 2, 4, 6 at bit depth 8; colour type 3
at bit depth 1, 2, 4 or 8) and reports what the icon rule checks: size, opacity, corner colours
and the size of the mark drawn on the background.
"""

from __future__ import annotations

import math
import re
import struct
import sys
import zlib
from functools import cache
from typing import NamedTuple

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ICON_SIZE = 230
_SUB = 4  # supersampling: _SUB x _SUB samples per pixel
_LEVELS = 16  # palette entries, the 4-bit ramp from the brand colour (0) to white (15)
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")

# The mark in pixel coordinates; its bounding box is (35, 35)-(195, 195), 160x160, centred.
_BODY = (35, 35, 195, 165, 30)  # rounded rectangle: left, top, right, bottom, corner radius
_TAIL = ((68, 150), (112, 150), (45, 195))  # triangle below the body, tip at the bottom left
_DOTS = ((80, 100), (115, 100), (150, 100))  # dot centres
_DOT_RADIUS = 12


# --- rendering --------------------------------------------------------------------------------------


def _parse_color(value: str) -> tuple[int, int, int]:
    if not isinstance(value, str) or not _HEX_COLOR.fullmatch(value):
        raise ValueError(f"brand colour must be '#rrggbb' (6 hex digits), got {value!r}")
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def _in_mark(x: int, y: int) -> bool:
    """Whether a sample point lies on the white part of the mark: the definition of the shape.

    Coordinates are in units of 1/(2*_SUB) pixel, so every test is exact integer arithmetic. The
    renderer computes the same set a sample line at a time (``_mark_samples``); the tests check the
    two agree sample for sample.
    """
    s = 2 * _SUB
    for cx, cy in _DOTS:
        if (x - cx * s) ** 2 + (y - cy * s) ** 2 <= (_DOT_RADIUS * s) ** 2:
            return False
    left, top, right, bottom, radius = (v * s for v in _BODY)
    if left <= x <= right and top <= y <= bottom:
        nx = min(max(x, left + radius), right - radius)
        ny = min(max(y, top + radius), bottom - radius)
        if (x - nx) ** 2 + (y - ny) ** 2 <= radius**2:
            return True
    (ax, ay), (bx, by), (cx, cy) = ((px * s, py * s) for px, py in _TAIL)
    d1 = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
    d2 = (cx - bx) * (y - by) - (cy - by) * (x - bx)
    d3 = (ax - cx) * (y - cy) - (ay - cy) * (x - cx)
    return (d1 >= 0 and d2 >= 0 and d3 >= 0) or (d1 <= 0 and d2 <= 0 and d3 <= 0)


# The renderer works on sample rows rather than on points: on one horizontal line of samples, each
# shape of the mark covers one interval of x (all three are convex), whose ends follow from the same
# integer inequalities as ``_in_mark``. The mark on that line is (body or tail) minus the dots, so the
# samples are marked by setting and clearing slices of a bytearray, and the pixels' counts are sums
# of those bytes. Same integers, same samples, same levels as testing every sample with ``_in_mark``
# (tests/test_icon.py compares the two), without a Python call per sample: about 8 ms instead of 0.4 s a render.


def _ceil_div(n: int, d: int) -> int:
    return -(-n // d)


def _half_line(a: int, b: int) -> tuple[float, float]:
    """The integers x with a*x + b >= 0, as (lowest, highest); infinite ends as +-inf, none as (inf, -inf)."""
    if a > 0:
        return _ceil_div(-b, a), math.inf
    if a < 0:
        return -math.inf, b // -a
    return (-math.inf, math.inf) if b >= 0 else (math.inf, -math.inf)


def _edges() -> list[tuple[int, int, int]]:
    """The tail's edge functions d1, d2, d3 of ``_in_mark`` as d = a*x + e*y + f."""
    s = 2 * _SUB
    corners = [(px * s, py * s) for px, py in _TAIL]
    return [(-(by - ay), bx - ax, (by - ay) * ax - (bx - ax) * ay)
            for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1], strict=True)]


_TAIL_EDGES = _edges()
_TAIL_ROWS = (min(y for _, y in _TAIL) * 2 * _SUB, max(y for _, y in _TAIL) * 2 * _SUB)


def _tail_span(y: int) -> tuple[float, float]:
    """The x of the tail triangle on sample line ``y``: every edge function >= 0, or every one <= 0."""
    if not _TAIL_ROWS[0] <= y <= _TAIL_ROWS[1]:  # a closed triangle lies within its corners' rows
        return math.inf, -math.inf
    for sign in (1, -1):
        lo, hi = -math.inf, math.inf
        for a, e, f in _TAIL_EDGES:
            low, high = _half_line(sign * a, sign * (e * y + f))
            lo, hi = max(lo, low), min(hi, high)
        if lo <= hi:
            # A triangle has area, so one orientation holds or none (d1 + d2 + d3 is twice the signed area).
            return lo, hi
    return math.inf, -math.inf


def _body_span(y: int) -> tuple[float, float]:
    """The x of the rounded rectangle on sample line ``y`` (the ``_in_mark`` test solved for x)."""
    left, top, right, bottom, radius = (v * 2 * _SUB for v in _BODY)
    if not top <= y <= bottom:
        return math.inf, -math.inf
    dy = y - min(max(y, top + radius), bottom - radius)
    if dy * dy > radius * radius:
        return math.inf, -math.inf
    w = math.isqrt(radius * radius - dy * dy)  # |x - nx| <= w, nx the nearest x on the straight part
    return left + radius - w, right - radius + w


def _dot_spans(y: int) -> list[tuple[int, int]]:
    s = 2 * _SUB
    spans = []
    for cx, cy in _DOTS:
        dy, r = y - cy * s, _DOT_RADIUS * s
        if dy * dy <= r * r:
            w = math.isqrt(r * r - dy * dy)
            spans.append((cx * s - w, cx * s + w))
    return spans


def _sample_range(lo: float, hi: float, first: int, count: int) -> tuple[int, int]:
    """The samples x = 2k + 1 with lo <= x <= hi, as positions [start, stop) among the ``count``
    samples from sample column ``first``."""
    start = 0 if lo == -math.inf else _ceil_div(int(lo) - 1, 2) - first
    stop = count if hi == math.inf else (int(hi) - 1) // 2 + 1 - first
    start = max(0, min(start, count))
    return start, max(start, min(stop, count))


def _spans(y: int) -> tuple:
    """What sample line ``y`` of the mark depends on: the x spans of the body, the tail and the dots."""
    return _body_span(y), _tail_span(y), tuple(_dot_spans(y))


def _mark_samples(y: int, first: int, count: int, spans: tuple | None = None) -> bytearray:
    """One byte per sample on line ``y`` (``count`` samples from sample column ``first``): 1 on the mark.
    ``spans``: ``_spans(y)``, when the caller has them."""
    body, tail, dots = _spans(y) if spans is None else spans
    line = bytearray(count)
    for lo, hi in (body, tail):
        if lo <= hi:
            start, stop = _sample_range(lo, hi, first, count)
            line[start:stop] = b"\x01" * (stop - start)
    for lo, hi in dots:
        start, stop = _sample_range(lo, hi, first, count)
        line[start:stop] = bytes(stop - start)
    return line


# Palette index of a pixel from the number of its _SUB x _SUB samples on the mark: round half up.
# A 256-entry table for bytes.translate (counts above _SUB * _SUB never occur).
_LEVEL_OF_COUNT = bytes((min(n, _SUB * _SUB) * (_LEVELS - 1) * 2 + _SUB * _SUB) // (2 * _SUB * _SUB)
                        for n in range(256))
_HIGH_NIBBLE = bytes((v << 4) & 0xFF for v in range(256))


def _coverage_row(py: int, box_left: int, box_right: int, rows: dict | None = None) -> bytes:
    """Palette indices of pixel row ``py`` from ``box_left`` to ``box_right`` (exclusive). ``rows``:
    the rows already made, by the spans of their sample lines. Most rows repeat one another (the
    body's straight sides, rows without dots or tail): a row whose sample lines have the same spans
    as an earlier one is that row, and only the spans are worked out (half of a render's time)."""
    s, width = 2 * _SUB, box_right - box_left
    count = width * _SUB
    lines = [py * s + 2 * j + 1 for j in range(_SUB)]
    key = tuple(_spans(y) for y in lines)
    if rows is not None and key in rows:
        return rows[key]
    total = 0
    for y, spans in zip(lines, key, strict=True):  # this pixel row's sample lines, summed byte-wise as one big integer
        total += int.from_bytes(_mark_samples(y, box_left * _SUB, count, spans), "big")
    # Each byte now holds 0.._SUB; adding shifted copies sums _SUB neighbours into every byte (at most
    # _SUB * _SUB, so no byte carries into the next), and every _SUB-th byte is one pixel's total.
    shift = 8
    while shift < 8 * _SUB:  # 8, 16: sums of 2, then of 4 neighbours (_SUB is a power of two)
        total += total >> shift
        shift *= 2
    counts = total.to_bytes(count, "big")[_SUB - 1 :: _SUB]
    row = counts.translate(_LEVEL_OF_COUNT)
    if rows is not None:
        rows[key] = row
    return row


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _zlib_stored(data: bytes) -> bytes:
    """A zlib stream holding ``data`` in stored (uncompressed) deflate blocks."""
    out = bytearray(b"\x78\x01")
    blocks = [data[i : i + 0xFFFF] for i in range(0, len(data), 0xFFFF)] or [b""]
    for n, block in enumerate(blocks):
        final = 1 if n == len(blocks) - 1 else 0
        out += struct.pack("<BHH", final, len(block), len(block) ^ 0xFFFF) + block
    out += struct.pack(">I", zlib.adler32(data))
    return bytes(out)


@cache  # pure; one render per colour per process
def render_icon(brand_color: str) -> bytes:
    """The connector icon as PNG bytes: a white speech bubble with dots on ``brand_color``."""
    r, g, b = _parse_color(brand_color)
    palette = b"".join(
        bytes(c + ((255 - c) * k * 2 + _LEVELS - 1) // (2 * (_LEVELS - 1)) for c in (r, g, b))
        for k in range(_LEVELS)
    )
    box_left, box_top, box_right, box_bottom = _BODY[0], _BODY[1], _BODY[2], _TAIL[2][1]
    blank = bytes(ICON_SIZE // 2)
    raw = bytearray()
    rows: dict = {}
    for py in range(ICON_SIZE):
        raw.append(0)  # filter type None
        if not box_top <= py < box_bottom:
            raw += blank
            continue
        levels = bytes(box_left) + _coverage_row(py, box_left, box_right, rows) + bytes(ICON_SIZE - box_right)
        # Two pixels a byte, the first in the high nibble (levels are 0..15, so the OR is an add).
        high = int.from_bytes(levels[0::2].translate(_HIGH_NIBBLE), "big")
        raw += (high | int.from_bytes(levels[1::2], "big")).to_bytes(ICON_SIZE // 2, "big")
    ihdr = struct.pack(">IIBBBBB", ICON_SIZE, ICON_SIZE, 4, 3, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"PLTE", palette)
        + _chunk(b"IDAT", _zlib_stored(bytes(raw)))
        + _chunk(b"IEND", b"")
    )


# --- inspection -------------------------------------------------------------------------------------


# An immutable record as a NamedTuple, not a frozen dataclass: the same fields, defaults, equality,
# hash and repr, without the ~1 ms @dataclass spends at every start-up compiling its methods.
class PngInfo(NamedTuple):
    width: int
    height: int
    opaque: bool
    corner_colors: tuple[str, str, str, str]  # "#rrggbb": top-left, top-right, bottom-left, bottom-right
    mark_box: tuple[int, int]  # width, height of the pixels differing from the top-left corner


_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # samples per pixel by colour type
_DEPTHS = {0: (8,), 2: (8,), 3: (1, 2, 4, 8), 4: (8,), 6: (8,)}


def _read_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG: bad signature")
    chunks = []
    pos = len(PNG_SIGNATURE)
    while True:
        if pos + 8 > len(data):
            raise ValueError("truncated PNG: missing IEND chunk")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 8 + length + 4
        if end > len(data):
            raise ValueError(f"truncated PNG: chunk {kind!r} runs past the end of the data")
        body = data[pos + 8 : end - 4]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            raise ValueError(f"bad CRC in PNG chunk {kind!r}")
        chunks.append((kind, body))
        pos = end
        if kind == b"IEND":
            return chunks


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(raw: bytes, height: int, stride: int, bpp: int) -> list[bytes]:
    rows = []
    prev = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:
            line = bytearray((v + u) & 0xFF for v, u in zip(line, prev, strict=True))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            for i in range(stride):
                left, upleft = (line[i - bpp], prev[i - bpp]) if i >= bpp else (0, 0)
                line[i] = (line[i] + _paeth(left, prev[i], upleft)) & 0xFF
        elif ftype != 0:
            raise ValueError(f"bad PNG filter type {ftype} in row {y}")
        prev = bytes(line)
        rows.append(prev)
    return rows


def _records(row: bytes, width: int, color_type: int, depth: int, same_colour: bytes) -> bytes:
    """One row as fixed-size pixel records that are equal exactly when the pixels' colour (and
    alpha) are: the samples as stored for 8-bit types; for palette images one byte per pixel, the
    first palette index of the pixel's colour (``same_colour``, a translate table)."""
    if color_type != 3:
        return row[: width * _CHANNELS[color_type]]
    per_byte = 8 // depth
    indices = bytearray(len(row) * per_byte)
    for k in range(per_byte):  # the k-th pixel of every byte, extracted for all bytes at once
        indices[k::per_byte] = row.translate(_unpack_table(depth, k))
    return bytes(indices[:width]).translate(same_colour)


@cache
def _unpack_table(depth: int, k: int) -> bytes:
    """A translate table from a byte to its k-th ``depth``-bit pixel (the first in the high bits)."""
    shift = 8 - depth * (k + 1)
    return bytes((v >> shift) & ((1 << depth) - 1) for v in range(256))


def _colour(record: bytes, color_type: int, palette: list[bytes]) -> bytes:
    """RGB bytes (plus the alpha byte, for types with alpha) of one pixel record."""
    if color_type == 3:
        return palette[record[0]]
    if color_type == 0:
        return record * 3
    if color_type == 4:
        return record[:1] * 3 + record[1:]
    return record


def inspect_png(data: bytes) -> PngInfo:
    """Decode a PNG and report its size, opacity, corner colours and mark size.

    Raises ValueError for anything that is not a valid PNG of a supported kind.
    """
    chunks = _read_chunks(bytes(data))
    if chunks[0][0] != b"IHDR" or len(chunks[0][1]) != 13:
        raise ValueError("bad PNG: the first chunk must be a 13-byte IHDR")
    width, height, depth, color_type, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", chunks[0][1]
    )
    if width == 0 or height == 0:
        raise ValueError(f"bad PNG: empty image {width}x{height}")
    if depth not in _DEPTHS.get(color_type, ()):
        raise ValueError(f"unsupported PNG: colour type {color_type} at bit depth {depth}")
    if compression != 0 or filtering != 0:
        raise ValueError(f"bad PNG: compression method {compression}, filter method {filtering}")
    if interlace != 0:
        raise ValueError("unsupported PNG: interlaced images are not supported")
    kinds = {kind for kind, _ in chunks}
    unknown = sorted(k for k in kinds if k[:1].isupper() and k not in {b"IHDR", b"PLTE", b"IDAT", b"IEND"})
    if unknown:
        raise ValueError(f"unsupported PNG: unknown critical chunk {unknown[0]!r}")
    if b"IDAT" not in kinds:
        raise ValueError("bad PNG: no IDAT chunk")
    palette_data = b"".join(body for kind, body in chunks if kind == b"PLTE")
    palette = [palette_data[i : i + 3] for i in range(0, len(palette_data) - 2, 3)]
    if color_type == 3 and not palette:
        raise ValueError("bad PNG: palette image without a PLTE chunk")

    try:
        raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    except zlib.error as exc:
        raise ValueError(f"bad PNG: image data does not decompress ({exc})") from exc
    bits = depth * _CHANNELS[color_type]
    stride = (width * bits + 7) // 8
    if len(raw) != height * (stride + 1):
        raise ValueError(f"bad PNG: {len(raw)} bytes of image data, expected {height * (stride + 1)}")
    n = _CHANNELS[color_type] if color_type != 3 else 1  # bytes per pixel record
    first_of_colour: dict[bytes, int] = {}
    for index, colour in enumerate(palette[:256]):
        first_of_colour.setdefault(colour, index)
    same_colour = bytes(first_of_colour[palette[i]] if i < len(palette) else i for i in range(256))
    rows = [_records(row, width, color_type, depth, same_colour)
            for row in _unfilter(raw, height, stride, max(1, bits // 8))]
    if color_type == 3:
        highest = max(max(row) for row in rows)
        if highest >= len(palette):
            raise ValueError(f"PNG palette index {highest} out of range ({len(palette)} entries)")

    opaque = b"tRNS" not in kinds
    if color_type in (4, 6):  # the alpha sample is the last of each record
        opaque = opaque and all(row[n - 1 :: n] == b"\xff" * width for row in rows)
    # The mark: the pixels whose record differs from the top-left one. XOR of a row with a row of
    # the background leaves zero bytes where they agree, so the first and last differing byte (and
    # with them the pixels) come from the bit lengths of the XOR and of its lowest set bit.
    background = rows[0][:n]
    plain = int.from_bytes(background * width, "big")
    row_bits = 8 * n * width
    xs_low, xs_high, ys = width, -1, []
    for y, row in enumerate(rows):
        diff = int.from_bytes(row, "big") ^ plain
        if diff:
            ys.append(y)
            xs_low = min(xs_low, (row_bits - diff.bit_length()) // (8 * n))
            xs_high = max(xs_high, (row_bits - (diff & -diff).bit_length()) // (8 * n))
    mark_box = (xs_high - xs_low + 1, ys[-1] - ys[0] + 1) if ys else (0, 0)
    corners = (rows[0][:n], rows[0][-n:], rows[-1][:n], rows[-1][-n:])
    return PngInfo(
        width=width,
        height=height,
        opaque=opaque,
        corner_colors=tuple("#" + _colour(p, color_type, palette)[:3].hex() for p in corners),
        mark_box=mark_box,
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m scripts.render.icon BRAND_COLOR OUT.png``: write the icon and print what the rule sees."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m scripts.render.icon '#rrggbb' OUT.png", file=sys.stderr)
        return 2
    png = render_icon(args[0])
    with open(args[1], "wb") as f:
        f.write(png)
    print(f"{args[1]}: {len(png)} bytes, {inspect_png(png)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
