"""The fingerprint of the code that makes a cached file: its source files and the library that writes it."""
from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path


def code_fingerprint(sources: list[Path], package: str) -> str:
    """A change to any of `sources`, or another version of `package`, gives another fingerprint
    (and so every cached file made by that code is made again)."""
    try:
        version = metadata.version(package)
    except metadata.PackageNotFoundError:
        version = "none"
    return hashlib.sha256(b"".join(path.read_bytes() for path in sources) + version.encode()).hexdigest()
