"""The fingerprint of the code that makes a cached file: its source files and the library that writes it."""
from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path


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
