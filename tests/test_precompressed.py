"""The build writes .gz copies for servers that send precompressed files (nginx gzip_static)."""
from __future__ import annotations

import gzip

import pytest


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


@pytest.mark.parametrize("workers", [1, 2])  # one file per batch: two workers share the files
def test_a_rebuild_reuses_unchanged_gz_and_recompresses_changed_files(tmp_path, monkeypatch, workers):
    from plansite.builder import compress
    from plansite.builder.compress import write_precompressed

    monkeypatch.setattr(compress, "BATCH", 1)

    old, new = tmp_path / "old", tmp_path / "new"
    for site, changed in ((old, "旧"), (new, "新")):
        site.mkdir()
        (site / "same.html").write_text("同" * 2000, encoding="utf-8")
        (site / "changed.html").write_text(changed * 2000, encoding="utf-8")
    assert write_precompressed(old, workers=workers) == 2
    assert write_precompressed(new, previous=old, workers=workers) == 1  # only the changed page is compressed again
    for name in ("same.html", "changed.html"):
        assert gzip.decompress((new / (name + ".gz")).read_bytes()) == (new / name).read_bytes()
