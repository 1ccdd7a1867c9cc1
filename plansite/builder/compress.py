"""Precompressed copies (page.html.gz beside page.html) for servers such as nginx `gzip_static on`,
so phones get compressed pages without the server compressing on every request."""
from __future__ import annotations

import concurrent.futures
import os
import shutil
from pathlib import Path

from zlib_ng import gzip_ng

from .workers import cores, init_worker, pool_context

COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt"}
MIN_BYTES = 1024  # below this, compression saves less than the request costs
BATCH = 200  # files per job when compressing in parallel


def write_precompressed(site: Path, previous: Path | None = None, workers: int | None = None) -> int:
    """Write a .gz beside each compressible file; reuse the previous build's .gz when the file
    is byte-identical there (compressing costs far more than comparing). Returns how many were
    compressed anew. Large sites are compressed on every core (the build has nothing else to do)."""
    paths = [str(p) for p in sorted(site.rglob("*"))
             if p.suffix in COMPRESSIBLE and p.is_file() and p.stat().st_size >= MIN_BYTES]
    jobs = [(paths[i:i + BATCH], str(site), str(previous) if previous else None) for i in range(0, len(paths), BATCH)]
    workers = workers or cores()
    if len(jobs) < 2 or workers < 2:
        return sum(map(_compress_batch, jobs))
    pool = concurrent.futures.ProcessPoolExecutor(min(workers, len(jobs)), mp_context=pool_context(),
                                                  initializer=init_worker)
    try:
        return sum(pool.map(_compress_batch, jobs))
    finally:  # interrupted: batches not started are dropped, not waited for
        pool.shutdown(wait=True, cancel_futures=True)


def _compress_batch(job: tuple[list[str], str, str | None]) -> int:
    paths, site, previous = job
    fresh = 0
    for name in paths:
        path = Path(name)
        data = path.read_bytes()
        target = path.with_name(path.name + ".gz")
        if previous is not None and _unchanged(Path(previous) / path.relative_to(site), data):
            _reuse(Path(previous) / target.relative_to(site), target)
            continue
        # mtime=0 and no file name inside: the same page always gives the same .gz bytes. zlib-ng
        # (as for the chart PNGs) at the best level: a third faster than zlib's, as small.
        target.write_bytes(gzip_ng.compress(data, 9, mtime=0))
        fresh += 1
    return fresh


def _reuse(old: Path, new: Path) -> None:
    # A hard link: a quarter of a copy's cost, and the old site is deleted after the swap anyway.
    try:
        os.link(old, new)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(old, new)


def _unchanged(old: Path, data: bytes) -> bool:
    gz = old.with_name(old.name + ".gz")
    try:
        return gz.is_file() and old.stat().st_size == len(data) and old.read_bytes() == data
    except OSError:
        return False
