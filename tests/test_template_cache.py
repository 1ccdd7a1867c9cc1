"""plansite/builder/cache.py template_cache: a build compiles MkDocs', Material's and the site's templates once;
the next build loads them compiled and writes the same pages."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

MINI = ROOT / "tests" / "fixtures" / "mini"


def build(site: Path, cache: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLANSITE_CHART_CACHE": str(cache)}
    result = subprocess.run([sys.executable, "-m", "plansite", "build", "--data", str(MINI), "--site", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


def pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def test_templates_are_compiled_once_and_the_pages_come_out_the_same(tmp_path):
    cache = tmp_path / "cache"
    build(tmp_path / "first", cache)
    compiled = {p.name: p.stat().st_mtime_ns for p in (cache / "templates").iterdir()}
    # Material's base and partials, MkDocs' sitemap, the site's overrides and its page templates.
    assert len(compiled) >= 40
    build(tmp_path / "second", cache)
    assert {p.name: p.stat().st_mtime_ns for p in (cache / "templates").iterdir()} == compiled  # none again
    assert pages(tmp_path / "second") == pages(tmp_path / "first")
