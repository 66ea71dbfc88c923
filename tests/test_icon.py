"""Tests for scripts/render/icon.py: the rendered icon, and the PNG inspection the icon rule relies on."""

from __future__ import annotations

import functools
import struct
import zlib

import pytest

from scripts.render import icon as icon_module
from scripts.render.icon import PngInfo, inspect_png, render_icon

from .project import ROOT

BRAND = "#1f8f5a"
SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- helpers: an independent PNG reader/writer built on zlib ----------------------------------------


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def split_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """Split a PNG into chunks, asserting every CRC."""
    assert data[:8] == SIGNATURE
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        pos += 12 + length
    assert pos == len(data)
    return chunks


def apply_filter(ftype: int, line: bytes, prev: bytes, bpp: int) -> bytes:
    """Encode one scanline with a PNG filter (the reference definitions from the PNG spec)."""
    out = bytearray()
    for i, x in enumerate(line):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if ftype == 0:
            pred = 0
        elif ftype == 1:
            pred = a
        elif ftype == 2:
            pred = b
        elif ftype == 3:
            pred = (a + b) // 2
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        out.append((x - pred) & 0xFF)
    return bytes(out)


def make_png(
    width: int,
    height: int,
    color_type: int,
    lines: list[bytes],
    *,
    depth: int = 8,
    filters: list[int] | None = None,
    palette: bytes | None = None,
    trns: bytes | None = None,
    interlace: int = 0,
) -> bytes:
    """A PNG compressed with zlib.compress; ``lines`` are the unfiltered scanlines."""
    bpp = max(1, depth * {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type] // 8)
    filters = filters or [0] * height
    raw, prev = bytearray(), bytes(len(lines[0]))
    for line, ftype in zip(lines, filters, strict=True):
        raw += bytes([ftype]) + apply_filter(ftype, line, prev, bpp)
        prev = line
    out = SIGNATURE + chunk(
        b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, interlace)
    )
    if palette is not None:
        out += chunk(b"PLTE", palette)
    if trns is not None:
        out += chunk(b"tRNS", trns)
    return out + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b"")


def rgba_image(transparent_at: tuple[int, int] | None = None) -> tuple[int, int, list[bytes]]:
    """A 6x5 RGBA image: grey-blue background, varied pixels in a 3x2 box at (2, 1)-(4, 2)."""
    width, height = 6, 5
    lines = []
    for y in range(height):
        line = bytearray()
        for x in range(width):
            px = [10, 20, 30, 255]
            if 2 <= x <= 4 and 1 <= y <= 2:
                px = [(37 * x + 91 * y) % 256, (200 - 13 * x) % 256, (17 * y + 250) % 256, 255]
            if (x, y) == transparent_at:
                px[3] = 0
            line += bytes(px)
        lines.append(bytes(line))
    return width, height, lines


@functools.cache
def icon(color: str = BRAND) -> bytes:
    return render_icon(color)


# --- render_icon ------------------------------------------------------------------------------------


def test_render_is_deterministic() -> None:
    assert render_icon(BRAND) == render_icon(BRAND)


@pytest.mark.parametrize("color", [BRAND, "#C0392B"])
def test_rendered_icon_meets_the_icon_rule(color: str) -> None:
    info = inspect_png(icon(color))
    assert (info.width, info.height) == (230, 230)
    assert info.opaque
    assert info.corner_colors == (color.lower(),) * 4
    assert all(150 <= side <= 170 for side in info.mark_box), info.mark_box


def test_rendered_icon_is_a_valid_png() -> None:
    data = icon()
    chunks = split_chunks(data)
    kinds = [kind for kind, _ in chunks]
    assert kinds == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]  # no tRNS, tIME or tEXt
    width, height, depth, color_type, *rest = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (width, height, depth, color_type, *rest) == (230, 230, 4, 3, 0, 0, 0)
    palette = chunks[1][1]
    assert len(palette) == 16 * 3
    assert palette[:3] == bytes.fromhex(BRAND[1:]) and palette[-3:] == b"\xff\xff\xff"
    idat = chunks[2][1]
    assert idat[:2] == b"\x78\x01"
    raw = zlib.decompress(idat)  # also checks the adler32 trailer
    assert len(raw) == 230 * (1 + 115)
    rows = [raw[y * 116 : (y + 1) * 116] for y in range(230)]
    assert all(row[0] == 0 for row in rows)  # filter type None
    # corners are palette index 0 (the brand colour); the bubble's middle is index 15 (white)
    assert rows[0][1] >> 4 == rows[0][115] & 0xF == rows[229][1] >> 4 == rows[229][115] & 0xF == 0
    assert rows[60][1 + 115 // 2] >> 4 == 15
    assert len(data) < 30_000


def test_rendered_icon_is_the_committed_file() -> None:
    """The renderer's bytes are pinned: icon.png was committed by the earlier point-by-point renderer."""
    import yaml

    colour = yaml.safe_load((ROOT / "connector" / "connector.yaml").read_text("utf-8"))["brandColor"]
    assert render_icon(colour) == (ROOT / "icon.png").read_bytes()


def _edge_lines() -> set[int]:
    """Sample lines (in 1/8 pixel) within two pixels of a shape's top or bottom, or of where the
    body's corner arcs start: where a span solved for x is likeliest to be off by one."""
    s = 2 * icon_module._SUB
    _, top, _, bottom, radius = icon_module._BODY
    rows = [top, top + radius, bottom - radius, bottom]
    rows += [y for _, y in icon_module._TAIL]
    rows += [cy + d for _, cy in icon_module._DOTS for d in (-icon_module._DOT_RADIUS, icon_module._DOT_RADIUS)]
    return {y for row in rows for y in range(row * s - 2 * s + 1, row * s + 2 * s, 2)}


def test_sample_lines_agree_with_the_point_test() -> None:
    """The renderer marks a sample line by solving each shape for x; ``_in_mark`` tests one point.
    Every fifth sample line (every phase within a pixel) and every line near a shape's edge rows
    must agree sample for sample."""
    s = 2 * icon_module._SUB
    first = icon_module._BODY[0] * icon_module._SUB
    count = (icon_module._BODY[2] - icon_module._BODY[0]) * icon_module._SUB
    top, bottom = icon_module._BODY[1] * s, icon_module._TAIL[2][1] * s
    lines = sorted({y for y in range(top + 1, bottom, 10)} | {y for y in _edge_lines() if top < y < bottom})
    for y in lines:
        expected = bytes(icon_module._in_mark(2 * k + 1, y) for k in range(first, first + count))
        assert bytes(icon_module._mark_samples(y, first, count)) == expected, f"sample line y={y}"


@pytest.mark.parametrize("bad", ["green", "#12345", "1f8f5a", "#1f8f5g", "#1f8f5a0", ""])
def test_invalid_brand_color(bad: str) -> None:
    with pytest.raises(ValueError, match="brand colour") as exc:
        render_icon(bad)
    assert repr(bad) in str(exc.value)


# --- inspect_png ------------------------------------------------------------------------------------


@pytest.mark.parametrize("ftype", [0, 1, 2, 3, 4])
def test_rgba_each_filter_type(ftype: int) -> None:
    width, height, lines = rgba_image()
    info = inspect_png(make_png(width, height, 6, lines, filters=[ftype] * height))
    assert info == PngInfo(6, 5, True, ("#0a141e",) * 4, (3, 2))


def test_rgba_mixed_filters_and_transparent_pixel() -> None:
    width, height, lines = rgba_image(transparent_at=(5, 4))
    info = inspect_png(make_png(width, height, 6, lines, filters=[4, 3, 2, 1, 0]))
    assert not info.opaque
    assert info.corner_colors == ("#0a141e",) * 4  # RGB of the corners, alpha aside
    assert info.mark_box == (4, 4)  # the transparent pixel differs from the top-left corner


def test_rgb_png() -> None:
    white, red = b"\xff\xff\xff", b"\xff\x00\x00"
    lines = [white * 4, white + red + red + white, white * 3 + b"\x00\x00\xff"]
    info = inspect_png(make_png(4, 3, 2, lines, filters=[1, 4, 3]))
    assert info == PngInfo(4, 3, True, ("#ffffff", "#ffffff", "#ffffff", "#0000ff"), (3, 2))


def test_grey_and_grey_alpha_png() -> None:
    info = inspect_png(make_png(3, 2, 0, [b"\x10\x10\x10", b"\x10\x80\x10"], filters=[2, 4]))
    assert info == PngInfo(3, 2, True, ("#101010",) * 4, (1, 1))
    info = inspect_png(make_png(2, 1, 4, [b"\x10\xff\x10\x7f"]))
    assert not info.opaque
    assert info.mark_box == (1, 1)


@pytest.mark.parametrize("depth", [1, 2, 4, 8])
def test_palette_bit_depths(depth: int) -> None:
    palette = bytes.fromhex("1f8f5a ffffff")
    width, height = 9, 3  # 9 is not a multiple of any per-byte pixel count, so rows have padding
    per_byte = 8 // depth

    def pack(indices: list[int]) -> bytes:
        out = bytearray((len(indices) + per_byte - 1) // per_byte)
        for x, i in enumerate(indices):
            out[x // per_byte] |= i << (8 - depth * (x % per_byte + 1))
        return bytes(out)

    lines = [pack([0] * 9), pack([0, 0, 1, 1, 0, 1, 0, 0, 0]), pack([0] * 9)]
    info = inspect_png(make_png(width, height, 3, lines, depth=depth, palette=palette, filters=[0, 1, 2]))
    assert info == PngInfo(9, 3, True, ("#1f8f5a",) * 4, (4, 1))


def test_palette_entries_of_the_background_colour_are_background() -> None:
    """The mark is what differs in colour, not in palette index: entry 2 repeats the background."""
    palette = bytes.fromhex("1f8f5a ffffff 1f8f5a")
    lines = [b"\x00\x02\x00", b"\x02\x01\x02", b"\x00\x02\x02"]
    info = inspect_png(make_png(3, 3, 3, lines, palette=palette))
    assert info == PngInfo(3, 3, True, ("#1f8f5a",) * 4, (1, 1))


def test_palette_index_out_of_range() -> None:
    data = make_png(2, 2, 3, [b"\x00\x01", b"\x00\x03"], palette=bytes.fromhex("1f8f5a ffffff"))
    with pytest.raises(ValueError, match=r"palette index 3 out of range \(2 entries\)"):
        inspect_png(data)


@pytest.mark.parametrize(("color_type", "n"), [(0, 1), (2, 3), (4, 2), (6, 4)])
def test_mark_box_of_scattered_pixels(color_type: int, n: int) -> None:
    """Pixels differing from the corner in one sample only, scattered: the box spans the outermost."""
    import random

    rng = random.Random(color_type)
    width, height = 37, 23
    background = bytes([40] * n)
    for _ in range(20):
        grid = [[background] * width for _ in range(height)]
        spots = [(rng.randrange(1, width - 1), rng.randrange(1, height - 1)) for _ in range(rng.randint(1, 4))]
        for x, y in spots:
            pixel = bytearray(background)
            pixel[rng.randrange(n)] = 41  # the smallest difference, in any sample (alpha included)
            grid[y][x] = bytes(pixel)
        info = inspect_png(make_png(width, height, color_type, [b"".join(row) for row in grid],
                                    filters=[rng.randrange(5) for _ in range(height)]))
        xs, ys = [x for x, _ in spots], [y for _, y in spots]
        assert info.mark_box == (max(xs) - min(xs) + 1, max(ys) - min(ys) + 1), spots


def test_palette_with_trns_is_not_opaque() -> None:
    data = make_png(2, 2, 3, [b"\x00\x00", b"\x00\x01"], palette=bytes.fromhex("1f8f5affffff"), trns=b"\x00")
    info = inspect_png(data)
    assert not info.opaque
    assert info.mark_box == (1, 1)


def test_rejects_bad_signature() -> None:
    data = make_png(1, 1, 2, [b"\x00\x00\x00"])
    with pytest.raises(ValueError, match="signature"):
        inspect_png(b"GIF89a" + data[6:])


def test_rejects_bad_crc() -> None:
    data = bytearray(icon())
    data[45] ^= 0xFF  # a byte of the PLTE data
    with pytest.raises(ValueError, match="CRC"):
        inspect_png(bytes(data))


@pytest.mark.parametrize("cut", [0, 8, 20, 33, 100, 5000])
def test_rejects_truncated(cut: int) -> None:
    data = icon()
    with pytest.raises(ValueError, match=r"signature|truncated"):
        inspect_png(data[:cut])
    with pytest.raises(ValueError, match="truncated"):
        inspect_png(data[:-12])  # no IEND


def test_rejects_short_image_data() -> None:
    idat = zlib.compress(b"\x00\x00\x00\x00")  # one row of a 1x2 RGB image; two are needed
    data = SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 2, 8, 2, 0, 0, 0))
    data += chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    with pytest.raises(ValueError, match="image data"):
        inspect_png(data)


def test_rejects_unsupported_formats() -> None:
    with pytest.raises(ValueError, match="interlaced"):
        inspect_png(make_png(1, 1, 2, [b"\x00\x00\x00"], interlace=1))
    with pytest.raises(ValueError, match="bit depth 16"):
        inspect_png(make_png(1, 1, 2, [b"\x00" * 6], depth=16))
    data = SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(b"\x07\x00")) + chunk(b"IEND", b"")
    with pytest.raises(ValueError, match="filter type 7"):
        inspect_png(data)
