"""Charts and print QR codes, drawn by worker processes while MkDocs renders the pages.

Both are pure functions of their input (a chart's plot data, a page's address), so both go
through one on-disk cache keyed by a hash of that input and of the code that draws it: a rebuild
draws only what changed, and a build with nothing new never imports matplotlib or segno.
Cache misses are submitted to the build's workers (plansite/workers.py) as soon as the build
knows them (MkDocs' on_files), so on a machine with two cores they are drawn while the main process
renders pages; the results are collected when a page needs its QR code and after the last page
(MkDocs' on_post_build).
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .chart_draw import cache_dir, draw_chart
from .workers import Job, Workers

QR_ERROR = "m"  # 15 % of the code may be damaged (a fold or a stain on paper) and it still scans
# Drawings no build has needed for this long are removed: a quarter's charts are redrawn when its
# data changes, and the old versions would otherwise pile up in the cache for good.
KEEP_UNUSED_DAYS = 90


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


_QR_FINGERPRINT = hashlib.sha256(
    (Path(__file__).read_text(encoding="utf-8") + _version("segno")).encode("utf-8")).hexdigest()


def qr_key(url: str) -> str:
    return hashlib.sha256(f"{_QR_FINGERPRINT}qr:{url}".encode("utf-8")).hexdigest()


def draw_qr(url: str) -> bytes:
    """An inline SVG QR code of `url`, titled for screen readers (shown only in print)."""
    import segno

    svg = segno.make(url, error=QR_ERROR).svg_inline(scale=3, title=f"本页网址二维码：{url}")
    return svg.encode("utf-8")


def _draw_job(job: tuple) -> bytes:
    if job[0] == "qr":
        return draw_qr(job[1])
    return draw_chart(job[1], job[2])


@dataclass
class DrawnCharts:
    files: dict[str, bytes] = field(default_factory=dict)  # site path → SVG
    drawn: list[str] = field(default_factory=list)  # chart ids drawn this time (cache misses)
    cached: list[str] = field(default_factory=list)


class Drawing:
    """One build's charts and QR codes: cache hits at once, misses drawn in the background."""

    def __init__(self, cache: Path | None = None, workers: Workers | None = None):
        self.cache = Path(cache) if cache else cache_dir()
        # The build's workers, shared with other background work; without them, a pool of our own.
        self._own_workers = workers is None
        self.workers = Workers() if workers is None else workers
        self._charts: dict[str, dict] = {}  # chart id → spec, for those with a plot
        self._pending: dict[str, Job] = {}  # cache key → its drawing
        self._qr: dict[str, str] = {}  # url → cache key
        self._misses: set[str] = set()  # chart ids not in the cache when the build started

    def _submit(self, key: str, job: tuple) -> None:
        if key in self._pending or (self.cache / f"{key}.svg").is_file():
            return
        self._pending[key] = self.workers.submit(_draw_job, job)

    def start(self, specs: dict[str, dict], qr_urls: list[str] = ()) -> "Drawing":
        """Queue every QR code (pages wait for these) and then every chart that is not cached."""
        for url in sorted(set(qr_urls)):
            self._qr[url] = qr_key(url)
            self._submit(self._qr[url], ("qr", url))
        for chart_id in sorted(specs):
            spec = specs[chart_id]
            if spec["plot"] is not None:
                self._charts[chart_id] = spec
                if not (self.cache / f"{spec['key']}.svg").is_file():
                    self._misses.add(chart_id)
                self._submit(spec["key"], ("chart", spec["kind"], spec["plot"]))
        return self

    def _result(self, key: str) -> bytes:
        job = self._pending.pop(key, None)
        if job is None:
            return (self.cache / f"{key}.svg").read_bytes()
        return self._store(key, job.result())

    def _store(self, key: str, data: bytes) -> bytes:
        self.cache.mkdir(parents=True, exist_ok=True)
        tmp = self.cache / f".{key}.{os.getpid()}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, self.cache / f"{key}.svg")  # atomic: parallel builds never see half a file
        return data

    def qr(self, url: str) -> str:
        """The QR code of a page's address; drawn here (and cached) if start() did not queue it."""
        if url not in self._qr:
            self._qr[url] = key = qr_key(url)
            if not (self.cache / f"{key}.svg").is_file():
                return self._store(key, draw_qr(url)).decode("utf-8")
        return self._result(self._qr[url]).decode("utf-8")

    def charts(self) -> DrawnCharts:
        """Wait for every chart; SVG bytes by site path, and which were drawn or cached."""
        result = DrawnCharts()
        for chart_id, spec in self._charts.items():
            (result.drawn if chart_id in self._misses else result.cached).append(chart_id)
            result.files[spec["file"]] = self._result(spec["key"])
        self.close()
        return result

    def prune(self, keep_days: float = KEEP_UNUSED_DAYS) -> list[str]:
        """Remove cached drawings this build did not use and that are older than `keep_days`."""
        used = {f"{spec['key']}.svg" for spec in self._charts.values()} | {f"{key}.svg" for key in self._qr.values()}
        cutoff = time.time() - keep_days * 86400
        removed = []
        for path in sorted(self.cache.glob("*.svg")) if self.cache.is_dir() else []:
            if path.name not in used and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed.append(path.name)
        return removed

    def close(self) -> None:
        """Forget what is left (after a failed build) and stop the workers if they are our own."""
        if self._own_workers:
            self.workers.close()
        self._pending.clear()


def draw_charts(specs: dict[str, dict], cache: Path | None = None, workers: int | None = None) -> DrawnCharts:
    """SVG bytes for every spec that has a plot, drawing only those not in the cache."""
    pool = Workers(workers)
    try:
        return Drawing(cache, pool).start(specs).charts()
    finally:
        pool.close()
