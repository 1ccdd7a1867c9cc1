"""The build's cache, one root for all of it: charts (SVG and PNG), print QR codes and Word reports,
each keyed by a hash of its input and of the code that makes it, and the compiled Jinja templates
(MkDocs', Material's and the site's own, about 60, compiled once per machine, not in every build)."""
from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

import jinja2

from .paths import PACKAGE, REPO_ROOT

CACHE_ENV = "PLANSITE_CHART_CACHE"
DEFAULT_CACHE = REPO_ROOT / ".cache" / "charts"


def cache_dir() -> Path:
    """The cache's root: PLANSITE_CHART_CACHE, else .cache/charts in this checkout."""
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def template_cache() -> jinja2.FileSystemBytecodeCache:
    """Beside the cached drawings (so an empty cache is cold for templates too). Jinja keys each
    entry by the template's source and the Python version, and writes it atomically."""
    folder = cache_dir() / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def code_fingerprint(sources: list[Path], *packages: str) -> str:
    """A change to any of `sources`, or another version of any of `packages`, gives another
    fingerprint (and so every cached file made by that code is made again)."""
    versions = []
    for package in packages:
        try:
            versions.append(metadata.version(package))
        except metadata.PackageNotFoundError:
            versions.append("none")
    return hashlib.sha256(b"".join(path.read_bytes() for path in sources) + " ".join(versions).encode()).hexdigest()


# The code that makes each kind of cached file. A chart: its layout and drawing, and the PNG writer
# and its compressor (a change there must redraw too).
_CHARTS = code_fingerprint([PACKAGE / "charts" / name for name in ("layout.py", "draw.py", "render.py", "png.py")],
                           "matplotlib", "zlib-ng")
_QR = code_fingerprint([PACKAGE / "pages" / "qr.py"], "segno")
_DOCUMENTS = code_fingerprint(sorted((PACKAGE / "documents").glob("*.py")), "python-docx")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chart_key(spec: dict) -> str:
    """A chart's cache key: what it plots (its spec's kind and plot data) and the drawing code."""
    return _digest(_CHARTS + _json({"kind": spec["kind"], "plot": spec["plot"]}))


def qr_key(url: str) -> str:
    return _digest(f"{_QR}qr:{url}")


def document_key(model: dict, chart_key: str) -> str:
    """A Word report's cache key: its model, the chart it embeds and the code that lays it out."""
    return _digest(f"{_DOCUMENTS}docx:{chart_key}:{_json(model)}")
