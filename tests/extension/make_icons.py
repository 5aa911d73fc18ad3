"""Draw the extension's PNG icons (a rounded amber square with a pale core) with the standard library only."""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

SIZES = (16, 32, 48, 128)
AMBER = (0xB2, 0x5E, 0x00)
CORE = (0xFF, 0xF4, 0xD6)
RING = (0x3A, 0x1E, 0x00)


def _coverage(x: float, y: float, size: int) -> tuple[float, float, float]:
    """How much of the pixel centred at (x, y) lies in the square, the ring and the core (4x4 supersampling)."""
    square = ring = core = 0.0
    radius = size * 0.22
    c = size / 2
    for sy in range(4):
        for sx in range(4):
            px, py = x + (sx + 0.5) / 4, y + (sy + 0.5) / 4
            dx = max(radius - px, 0, px - (size - radius))
            dy = max(radius - py, 0, py - (size - radius))
            if dx * dx + dy * dy <= radius * radius:
                square += 1
            d2 = (px - c) ** 2 + (py - c) ** 2
            if d2 <= (size * 0.30) ** 2:
                ring += 1
            if d2 <= (size * 0.21) ** 2:
                core += 1
    return square / 16, ring / 16, core / 16


def icon_png(size: int) -> bytes:
    """One RGBA PNG of ``size`` × ``size`` pixels."""
    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            square, ring, core = _coverage(x, y, size)
            colour = AMBER
            for layer, weight in ((RING, ring), (CORE, core)):
                colour = tuple(round(a + (b - a) * weight) for a, b in zip(colour, layer, strict=True))
            rows.extend((*colour, round(255 * square)))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
            + chunk(b"IEND", b""))


def main(out_dir: Path) -> None:
    """Write icon-<size>.png for every size into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        (out_dir / f"icon-{size}.png").write_bytes(icon_png(size))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "extension" / "icons")
