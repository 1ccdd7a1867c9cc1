"""The build writes .gz copies for servers that send precompressed files (nginx gzip_static)."""
from __future__ import annotations

import gzip


def test_every_page_and_asset_has_an_identical_gz_copy(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 80
    for path in pages + sorted(built_site.rglob("*.css")) + sorted(built_site.rglob("*.js")):
        if path.stat().st_size < 1024:
            continue
        copy = path.with_name(path.name + ".gz")
        assert copy.exists(), path
        assert gzip.decompress(copy.read_bytes()) == path.read_bytes(), path
    # No timestamps or names inside: the header's mtime field (bytes 4–7) is zero.
    assert (built_site / "index.html.gz").read_bytes()[4:8] == b"\0\0\0\0"
