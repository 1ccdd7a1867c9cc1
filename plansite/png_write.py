"""An RGB or RGBA pixel array → PNG bytes, written the fast way a print-resolution chart allows.

A chart's PNG is 1620 px wide and mostly flat colour. Pillow's encoder (what matplotlib's savefig
uses) tries five filters on every row and took 60 % of a chart's drawing time. Here every row uses
the one filter that suits flat colour ("Up": a row minus the row above, mostly zeros), computed in
one numpy step, and zlib-ng compresses it at level 2: four times zlib's fastest level, and smaller
files than Pillow's (zlib-ng finds flat colour's long runs at its fast levels).
Agg's RGBA buffer is written as it is: dropping its (opaque) alpha first costs more than
compressing it, 8 ms against 3 ms a chart, for files 2 % smaller.
The file carries its resolution (pHYs), so Word and WPS place it at its printed size, and no
date or software name, so the same chart gives the same bytes.
"""
from __future__ import annotations

import struct
import zlib

import numpy as np
from zlib_ng import zlib_ng

SIGNATURE = b"\x89PNG\r\n\x1a\n"
FILTER_UP = 2
ZLIB_LEVEL = 2
METRES_PER_INCH = 0.0254


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


COLOUR_TYPE = {3: 2, 4: 6}  # channels → PNG colour type: truecolour, truecolour with alpha


def write_png(pixels: np.ndarray, dpi: float) -> bytes:
    """PNG bytes of an (height, width, 3 or 4) uint8 array (RGB or RGBA), marked as printed at `dpi`."""
    height, width, channels = pixels.shape
    if channels not in COLOUR_TYPE or pixels.dtype != np.uint8:
        raise ValueError(f"需要 8 位 RGB 或 RGBA 像素，得到 {pixels.dtype} × {channels} 通道")
    rows = np.empty((height, 1 + width * channels), dtype=np.uint8)
    rows[:, 0] = FILTER_UP
    flat = pixels.reshape(height, width * channels)
    rows[0, 1:] = flat[0]  # the first row has nothing above it: Up leaves it as it is
    np.subtract(flat[1:], flat[:-1], out=rows[1:, 1:])  # uint8: differences wrap modulo 256, as PNG wants
    per_metre = round(dpi / METRES_PER_INCH)
    return b"".join((
        SIGNATURE,
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, COLOUR_TYPE[channels], 0, 0, 0)),  # 8-bit, no interlace
        _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        _chunk(b"IDAT", zlib_ng.compress(rows, ZLIB_LEVEL)),
        _chunk(b"IEND", b""),
    ))
