"""Precompressed copies (page.html.gz beside page.html) for servers such as nginx `gzip_static on`,
so phones get compressed pages without the server compressing on every request."""
from __future__ import annotations

import gzip
import shutil
from pathlib import Path

COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt"}
MIN_BYTES = 1024  # below this, compression saves less than the request costs


def write_precompressed(site: Path, previous: Path | None = None) -> int:
    """Write a .gz beside each compressible file; reuse the previous build's .gz when the file
    is byte-identical there (compressing costs far more than comparing). Returns how many were
    compressed anew."""
    fresh = 0
    for path in sorted(site.rglob("*")):
        if path.suffix not in COMPRESSIBLE or not path.is_file() or path.stat().st_size < MIN_BYTES:
            continue
        data = path.read_bytes()
        target = path.with_name(path.name + ".gz")
        if previous is not None and _unchanged(previous / path.relative_to(site), data):
            shutil.copyfile(previous / target.relative_to(site), target)
            continue
        # mtime=0 and no file name inside: the same page always gives the same .gz bytes.
        with open(target, "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
                gz.write(data)
        fresh += 1
    return fresh


def _unchanged(old: Path, data: bytes) -> bool:
    gz = old.with_name(old.name + ".gz")
    try:
        return gz.is_file() and old.stat().st_size == len(data) and old.read_bytes() == data
    except OSError:
        return False
