"""Compiled Jinja templates kept between builds: MkDocs', Material's and the site's own, about 60,
are compiled once per machine (and again only when a template changes), not in every build."""
from __future__ import annotations

import jinja2

from .chart_draw import cache_dir


def template_cache() -> jinja2.FileSystemBytecodeCache:
    """Beside the cached drawings (so an empty cache is cold for templates too). Jinja keys each
    entry by the template's source and the Python version, and writes it atomically."""
    folder = cache_dir() / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))
