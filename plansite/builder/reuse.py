"""A rebuild with nothing changed keeps the site it would rebuild: same inputs, same bytes.

A build is a pure function of what it reads (tests/test_site_integrity.py: two builds of the same
data are byte-identical, in other folders and processes), so when nothing it reads has changed
since the build that wrote the site, and the site is still exactly as that build left it, the
build has nothing to do. What it reads, hashed into one fingerprint:
- the data folder, every file (and its path within the folder);
- MkDocs' configuration as MkDocs reads it (INHERIT followed, !ENV resolved: SITE_URL, PLAN_DATA),
  its docs_dir and every theme folder outside the installed packages (overrides/), every file;
- this package's source, and every other module loaded from outside the Python installation and
  its installed packages (the hook, a local plugin or Markdown extension);
- the installed packages, by name and version (MkDocs, Material, jieba, matplotlib …), and Python's
  version; the environment variables that change output (SOURCE_DATE_EPOCH, the locale, TZ).
"As that build left it": each file and folder of the site with its size, inode, modification and
change times (ctime: a hand edit, a chmod, even `touch` restoring an old mtime all change it), and
nothing added or removed. Anything outside this (a configuration holding values that cannot be
written down, such as a !!python tag) means no reuse: the build runs in full, as before.

The record lives in the cache (`sites/`, one file per site folder), written after a successful
build has swapped its site in; a failed build leaves the record and the site as they were.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
from pathlib import Path

from .cache import cache_dir
from .paths import PACKAGE

FORMAT = 1  # a change to what the fingerprint covers makes every older record useless
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "TZ", "LANG", "LC_ALL", "LC_CTYPE", "LC_COLLATE", "LC_TIME")
SKIPPED_DIRS = {"__pycache__"}


def _installed_places() -> list[Path]:
    """Python's own library and the installed packages' folders: covered by the versions."""
    paths = sysconfig.get_paths()
    places = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib") if key in paths}
    places |= {p for p in sys.path if p and ("site-packages" in p or "dist-packages" in p)}
    return [Path(p).resolve() for p in places if p and Path(p).is_dir()]


def _tree(digest, root: Path, label: str) -> None:
    """Every file under `root` (followed through symlinks), its path and bytes, in a fixed order."""
    root = root.resolve()
    if root.is_file():
        digest.update(f"{label}\0file\0".encode())
        digest.update(root.read_bytes())
        return
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = Path(folder, name)
            digest.update(f"{label}\0{path.relative_to(root).as_posix()}\0".encode())
            digest.update(path.read_bytes())


def _installed_versions() -> list[str]:
    """Every installed distribution's metadata folder name (name and version), on the import path."""
    names = set()
    for entry in sys.path:
        try:
            names.update(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(names)


def _local_modules(installed: list[Path]) -> list[Path]:
    """Files of the loaded modules that come from neither Python nor an installed package."""
    files = set()
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if not name:
            continue
        path = Path(name).resolve()
        if path.is_file() and not any(path.is_relative_to(place) for place in installed):
            files.add(path)
    return sorted(files)


def fingerprint(cfg, data: Path, package: Path = PACKAGE) -> str | None:
    """What a build with MkDocs configuration `cfg` (loaded) of `data` reads, as one hash; None if
    the configuration holds something that cannot be written down (no reuse then)."""
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    digest = hashlib.sha256(f"plansite-build-{FORMAT}\0{sys.version}\0".encode())
    try:  # read again as MkDocs just read it; a !relative or !!python value cannot be written down
        with open(cfg.config_file_path, "rb") as f:
            config = yaml_load(f, get_yaml_loader())
        digest.update(json.dumps(config, sort_keys=True, ensure_ascii=False).encode())
    except Exception:  # noqa: BLE001 (whatever it was, the build runs in full and MkDocs reports it)
        return None
    digest.update(json.dumps({name: os.environ.get(name) for name in ENVIRONMENT}).encode())
    digest.update("\0".join(_installed_versions()).encode())
    installed = _installed_places()
    _tree(digest, data, "data")
    _tree(digest, Path(cfg.docs_dir), "docs")
    for theme_dir in cfg.theme.dirs:
        if not any(Path(theme_dir).resolve().is_relative_to(place) for place in installed):
            _tree(digest, Path(theme_dir), f"theme:{theme_dir}")
    _tree(digest, package, "package")
    for path in _local_modules(installed):
        _tree(digest, path, f"module:{path}")
    return digest.hexdigest()


def site_state(site: Path) -> list[list]:
    """Every entry of `site` as it is on disk: path, kind, size, inode, modification and change times."""
    state = []
    for folder, dirs, files in os.walk(site):
        dirs.sort()
        for name in [*dirs, *sorted(files)]:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            kind = "link" if os.path.islink(path) else "dir" if name in dirs else "file"
            state.append([os.path.relpath(path, site), kind, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns])
    return state


def _record(site: Path) -> Path:
    return cache_dir() / "sites" / f"{hashlib.sha256(str(site).encode()).hexdigest()[:32]}.json"


def unchanged(site: Path, fingerprint_now: str | None) -> bool:
    """Whether `site` is the output of a build with this fingerprint, untouched since."""
    if fingerprint_now is None or not site.is_dir():
        return False
    try:
        record = json.loads(_record(site).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (record.get("site") == str(site) and record.get("fingerprint") == fingerprint_now
            and record.get("state") == site_state(site))


def remember(site: Path, fingerprint_built: str | None) -> None:
    """Record that `site` (just swapped in) is the output of a build with this fingerprint."""
    path = _record(site)
    if fingerprint_built is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"site": str(site), "fingerprint": fingerprint_built, "state": site_state(site)}),
                   encoding="utf-8")
    os.replace(tmp, path)
