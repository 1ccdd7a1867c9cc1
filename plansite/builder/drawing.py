"""Charts (SVG and PNG), print QR codes and Word reports, made by worker processes while MkDocs
renders the pages.

All are pure functions of their input (a chart's plot data, a page's address, a report's model
and chart), so all go through one on-disk cache keyed by a hash of that input and of the code that
draws it: a rebuild draws only what changed, and a build with nothing new never imports matplotlib, segno or python-docx.
Cache misses are submitted to the build's workers (plansite/builder/workers.py) as soon as the build
knows them (MkDocs' on_files), so on a machine with two cores they are drawn while the main process
renders pages, and stored in the cache by the process that makes them; the results are read when
a page needs its QR code or the sizes of the files (the 数据下载 page, rendered last) and after the
last page (MkDocs' on_post_build), this process then drawing what is still queued, from the back.
A report's Word version embeds its chart's PNG, so those charts are queued first and the documents
follow once they are drawn.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..charts.draw import draw_chart_files, prepare_drawing
from ..pages.qr import draw_qr
from .cache import cache_dir, chart_key, document_key, qr_key
from .workers import Job, Workers

# This process helps the workers with the charts only when at least this many wait (_decide_on_charts).
HELP_WITH_CHARTS = 16
# Drawings no build has needed for this long are removed: a quarter's charts are redrawn when its
# data changes, and the old versions would otherwise pile up in the cache for good.
KEEP_UNUSED_DAYS = 90


def is_cached(cache: Path, key: str, suffixes: tuple) -> bool:
    """Whether every file of a drawing (a chart's SVG and PNG, a QR code, a document) is in `cache`."""
    return all((cache / f"{key}{suffix}").is_file() for suffix in suffixes)


def has_charts_to_draw(plan) -> bool:
    """Whether building `plan` draws charts (some are not in the cache): cheap, a hundredth of a second."""
    from ..charts.specs import derive_chart_specs
    from ..figures.progress import derive_progress

    cache = cache_dir()
    return any(spec["plot"] is not None and not is_cached(cache, chart_key(spec), CHART)
               for spec in derive_chart_specs(plan, derive_progress(plan)).values())


def prepare_worker() -> None:
    """A worker's imports before its first job (plansite.builder.workers.start_early)."""
    import segno  # noqa: F401

    prepare_drawing()


def _draw_job(job: tuple) -> bytes | tuple[bytes, bytes]:
    if job[0] == "qr":
        return draw_qr(job[1])
    if job[0] == "docx":
        from ..documents.docx_render import render_report_docx

        return render_report_docx(job[1], job[2])
    return draw_chart_files(job[1], job[2])


def _make(job: tuple, cache: Path, key: str, suffixes: tuple) -> None:
    """Draw `job` and store its files in the cache, in whichever process runs it: only the job's
    end crosses back to the build. (A chart's PNG sent back through the pool's pipe waited, about
    6 ms a chart, for the build's main thread, busy with MkDocs, to read it: the worker sat idle.)"""
    data = _draw_job(job)
    for suffix, content in zip(suffixes, data if isinstance(data, tuple) else (data,)):
        store(cache, key, suffix, content)


def store(cache: Path, key: str, suffix: str, data: bytes) -> bytes:
    """Write one file of a drawing into the cache, atomically: parallel builds never see half a file."""
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / f".{key}{suffix}.{os.getpid()}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, cache / f"{key}{suffix}")
    return data


CHART = (".svg", ".png")  # a chart: SVG for the page, PNG for documents
QR = (".svg",)
DOCX = (".docx",)


@dataclass
class DrawnCharts:
    files: dict[str, bytes] = field(default_factory=dict)  # site path → SVG, PNG or .docx
    drawn: list[str] = field(default_factory=list)  # chart ids drawn this time (cache misses)
    cached: list[str] = field(default_factory=list)
    made: list[str] = field(default_factory=list)  # documents made this time (cache misses)


class Drawing:
    """One build's charts, QR codes and documents: cache hits at once, misses made in the background."""

    def __init__(self, cache: Path | None = None, workers: Workers | None = None):
        self.cache = Path(cache) if cache else cache_dir()
        # The build's workers, shared with other background work; without them, a pool of our own.
        self._own_workers = workers is None
        self.workers = Workers() if workers is None else workers
        self._charts: dict[str, dict] = {}  # chart id → spec, for those with a plot
        self._keys: dict[str, str] = {}  # chart id → its cache key
        self._documents: dict[str, dict] = {}  # site path → {model, chart, key}
        self._pending: dict[str, tuple[Job, tuple]] = {}  # cache key → its drawing, and its files
        self._qr: dict[str, str] = {}  # url → cache key
        self._misses: set[str] = set()  # chart ids not in the cache when the build started
        self._leave_charts = False  # charts still waiting are drawn by the workers only (_decide_on_charts)
        self._done: DrawnCharts | None = None

    def _submit(self, key: str, job: tuple, suffixes: tuple) -> None:
        if key in self._pending or is_cached(self.cache, key, suffixes):
            return
        self._pending[key] = (self.workers.submit(_make, job, self.cache, key, suffixes), suffixes)

    def start(self, specs: dict[str, dict], qr_urls: list[str] = (), documents: dict[str, dict] | None = None) -> "Drawing":
        """Queue every QR code (pages wait for these) and then every chart that is not cached;
        `documents` (plansite/documents) are made once their chart is drawn."""
        for url in sorted(set(qr_urls)):
            self._qr[url] = qr_key(url)
            self._submit(self._qr[url], ("qr", url), QR)
        # The documents' charts first: their PNGs are ready soonest, so the documents can follow.
        first = {document["chart"] for document in (documents or {}).values()}
        for chart_id in sorted(specs, key=lambda c: (c not in first, c)):
            spec = specs[chart_id]
            if spec["plot"] is not None:
                self._charts[chart_id] = spec
                self._keys[chart_id] = key = chart_key(spec)
                if not is_cached(self.cache, key, CHART):
                    self._misses.add(chart_id)
                self._submit(key, ("chart", spec["kind"], spec["plot"]), CHART)
        self._documents = {path: {**document, "key": document_key(document["model"], self._keys[document["chart"]])}
                           for path, document in (documents or {}).items()}
        return self

    def _result(self, key: str, suffixes: tuple) -> tuple[bytes, ...]:
        """A drawing's files, from the cache once whoever makes it has stored them there."""
        pending = self._pending.pop(key, None)
        if pending is not None:
            job, suffixes = pending
            job.wait() if suffixes == CHART and self._leave_charts else job.result()
        return tuple((self.cache / f"{key}{suffix}").read_bytes() for suffix in suffixes)

    def _run_from_the_back(self) -> None:
        """Make queued drawings here, last first, until one a worker has taken: the workers work
        from the front of the queue, so the two meet in the middle. (Waiting for results in queue
        order instead, this process would always find the next job already handed to a worker.)
        Charts only if enough are left to pay for importing matplotlib here (_leave_charts)."""
        for job, suffixes in reversed(list(self._pending.values())):
            if suffixes == CHART and self._leave_charts:
                continue
            if not job.run_here():
                break

    def _decide_on_charts(self) -> None:
        """Whether this process leaves the charts still waiting to the workers: the first chart drawn
        here imports matplotlib (0.35 CPU-s, as long as fifteen charts take to draw), so for fewer
        than HELP_WITH_CHARTS it waits for the workers instead (a cold build of the real plan, whose
        worker has most of them drawn by the time the pages are done). A large plan's hundreds
        of charts are still shared."""
        waiting = sum(job.pending() for job, suffixes in self._pending.values() if suffixes == CHART)
        self._leave_charts = "matplotlib" not in sys.modules and waiting < HELP_WITH_CHARTS

    def qr(self, url: str) -> str:
        """The QR code of a page's address; drawn here (and cached) if start() did not queue it."""
        if url not in self._qr:
            self._qr[url] = key = qr_key(url)
            if not is_cached(self.cache, key, QR):
                return store(self.cache, key, ".svg", draw_qr(url)).decode("utf-8")
        return self._result(self._qr[url], QR)[0].decode("utf-8")

    def charts(self) -> DrawnCharts:
        """Wait for every chart, then every document; their bytes by site path, and which were
        drawn or made this time. (Asked again, the same answer: pages listing sizes ask first.)"""
        if self._done is not None:
            return self._done
        result = DrawnCharts()
        drawn = {}  # chart id → (SVG, PNG)
        self._decide_on_charts()
        # Documents need their chart's PNG; those charts were queued first, and the documents
        # join the end of the queue now.
        for path, document in self._documents.items():
            if not is_cached(self.cache, document["key"], DOCX):
                result.made.append(path)
                drawn.setdefault(document["chart"], self._result(self._keys[document["chart"]], CHART))
                self._submit(document["key"], ("docx", document["model"], drawn[document["chart"]][1]), DOCX)
        self._run_from_the_back()
        for chart_id, spec in self._charts.items():
            (result.drawn if chart_id in self._misses else result.cached).append(chart_id)
            if chart_id not in drawn:
                drawn[chart_id] = self._result(self._keys[chart_id], CHART)
            result.files[spec["file"]], result.files[spec["png"]] = drawn[chart_id]
        for path, document in self._documents.items():
            result.files[path] = self._result(document["key"], DOCX)[0]
        if not self._pending:  # QR codes of pages still to come stay queued
            self.close()
        self._done = result
        return result

    def prune(self, keep_days: float = KEEP_UNUSED_DAYS) -> list[str]:
        """Remove cached drawings this build did not use and that are older than `keep_days`."""
        used = {f"{key}{suffix}" for key in self._keys.values() for suffix in CHART}
        used |= {f"{key}.svg" for key in self._qr.values()}
        used |= {f"{document['key']}.docx" for document in self._documents.values()}
        cutoff = time.time() - keep_days * 86400
        removed = []
        cached = sorted(p for p in self.cache.iterdir() if p.suffix in (".svg", ".png", ".docx")) if self.cache.is_dir() else []
        for path in cached:
            if path.name not in used and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed.append(path.name)
        return removed

    def close(self) -> None:
        """Forget what is left (after a failed build) and stop the workers if they are our own."""
        if self._own_workers:
            self.workers.close()
        self._pending.clear()


def draw_charts(specs: dict[str, dict], cache: Path | None = None, workers: int | None = None,
                documents: dict[str, dict] | None = None) -> DrawnCharts:
    """SVG and PNG bytes for every spec that has a plot (and the documents' bytes), drawing only
    those not in the cache."""
    pool = Workers(workers)
    try:
        return Drawing(cache, pool).start(specs, documents=documents).charts()
    finally:
        pool.close()
