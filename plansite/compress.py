"""Precompressed copies (page.html.gz beside page.html) for servers such as nginx `gzip_static on`,
so phones get compressed pages without the server compressing on every request."""
from __future__ import annotations

import gzip
from pathlib import Path

COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt"}
MIN_BYTES = 1024  # below this, compression saves less than the request costs


def write_precompressed(site: Path) -> int:
    count = 0
    for path in sorted(site.rglob("*")):
        if path.suffix in COMPRESSIBLE and path.is_file() and path.stat().st_size >= MIN_BYTES:
            data = path.read_bytes()
            # mtime=0 and no file name inside: the same page always gives the same .gz bytes.
            with open(path.with_name(path.name + ".gz"), "wb") as raw:
                with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
                    gz.write(data)
            count += 1
    return count
