"""plansite/builder/reuse.py: a rebuild with nothing changed keeps the site as the last build left
it; any change to what a build reads, or to the site itself, makes the build run in full."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

MINI = ROOT / "tests" / "fixtures" / "mini"
REUSED = "沿用上次生成的文件"


def build(data: Path, site: Path, cache: Path, config: Path | None = None, **env_extra) -> str:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLANSITE_CHART_CACHE": str(cache), **env_extra}
    args = [sys.executable, "-m", "plansite", "build", "--data", str(data), "--site", str(site)]
    if config is not None:
        args += ["--config", str(config)]
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result.stdout


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def on_disk(site: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and change time: a file written again, even with the same bytes, differs."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_ctime_ns) for p in site.rglob("*")}


@pytest.fixture
def setup(tmp_path):
    """The mini plan's data and a configuration reading a copy of docs/, built once."""
    data, docs = tmp_path / "data", tmp_path / "docs"
    shutil.copytree(MINI, data)
    shutil.copytree(ROOT / "docs", docs)
    config = tmp_path / "mkdocs.yml"
    config.write_text(json.dumps({
        "INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": str(docs), "watch": [],
        "hooks": [str(ROOT / "plansite" / "hooks.py")], "theme": {"custom_dir": str(ROOT / "overrides")},
    }, ensure_ascii=False), encoding="utf-8")
    site, cache = tmp_path / "out" / "site", tmp_path / "cache"
    assert REUSED not in build(data, site, cache, config)
    return {"data": data, "docs": docs, "config": config, "site": site, "cache": cache, "tmp": tmp_path}


def test_a_rebuild_with_nothing_changed_leaves_every_file_as_it_was(setup):
    s = setup
    before = on_disk(s["site"])
    assert REUSED in build(s["data"], s["site"], s["cache"], s["config"])
    assert on_disk(s["site"]) == before
    # What it kept is what a build from scratch writes (another folder, another cache).
    fresh = s["tmp"] / "fresh" / "site"
    assert REUSED not in build(s["data"], fresh, s["tmp"] / "cache-2", s["config"])
    assert files(fresh) == files(s["site"])


def test_each_input_a_build_reads_makes_the_next_build_run_in_full(setup):
    s = setup
    changes = {
        "a data file": lambda: (s["data"] / "tasks.yaml").write_text(
            (s["data"] / "tasks.yaml").read_text(encoding="utf-8") + "# 注释\n", encoding="utf-8"),
        "a file added to the data folder": lambda: (s["data"] / "source" / "附件.txt").write_text("附件", encoding="utf-8"),
        "a hand-written page": lambda: (s["docs"] / "about.md").write_text(
            (s["docs"] / "about.md").read_text(encoding="utf-8") + "\n另有说明。\n", encoding="utf-8"),
        "the configuration": lambda: s["config"].write_text(
            s["config"].read_text(encoding="utf-8").replace('"watch": []', '"watch": [], "site_description": "x"'),
            encoding="utf-8"),
    }
    for what, change in changes.items():
        change()
        before = on_disk(s["site"])
        assert REUSED not in build(s["data"], s["site"], s["cache"], s["config"]), what
        assert on_disk(s["site"]) != before, what
        assert REUSED in build(s["data"], s["site"], s["cache"], s["config"]), f"after {what}, nothing changed"
    # An environment variable the configuration reads (mkdocs.yml: site_url: !ENV SITE_URL).
    out = build(s["data"], s["site"], s["cache"], s["config"], SITE_URL="https://plan.example.gov.cn/")
    assert REUSED not in out
    assert "https://plan.example.gov.cn/" in (s["site"] / "index.html").read_text(encoding="utf-8")
    assert REUSED in build(s["data"], s["site"], s["cache"], s["config"], SITE_URL="https://plan.example.gov.cn/")


@pytest.mark.parametrize("touch", ["edited", "deleted", "added", "touched"])
def test_a_site_changed_by_hand_is_built_again(setup, touch):
    s = setup
    built = files(s["site"])
    page = s["site"] / "about" / "index.html"
    if touch == "edited":
        page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>x</p></body>"))
    elif touch == "deleted":
        page.unlink()
    elif touch == "added":
        (s["site"] / "about" / "old.html").write_text("earlier", encoding="utf-8")
    else:  # the same bytes, written again with the old modification time: only ctime tells
        data, mtime = page.read_bytes(), page.stat().st_mtime_ns
        page.write_bytes(data)
        os.utime(page, ns=(mtime, mtime))
    assert REUSED not in build(s["data"], s["site"], s["cache"], s["config"])
    assert files(s["site"]) == built


def test_the_fingerprint_covers_the_code_and_the_installed_packages(tmp_path, monkeypatch):
    """In one process: the package's source (not its bytecode), a package installed or upgraded."""
    from mkdocs.config import load_config

    from plansite.builder.reuse import fingerprint

    monkeypatch.setenv("PLAN_DATA", str(MINI))
    cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "unset"))
    package = tmp_path / "plansite"
    shutil.copytree(ROOT / "plansite", package, ignore=shutil.ignore_patterns("__pycache__"))
    first = fingerprint(cfg, MINI, package)
    assert first is not None and fingerprint(cfg, MINI, package) == first
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert fingerprint(cfg, MINI, package) == first
    draw = package / "charts" / "draw.py"
    draw.write_text(draw.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    changed = fingerprint(cfg, MINI, package)
    assert changed != first
    installed = tmp_path / "site-packages"
    (installed / "somepackage-1.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(installed))
    assert fingerprint(cfg, MINI, package) != changed
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    assert fingerprint(cfg, MINI, package) not in (first, changed)


def test_a_configuration_that_cannot_be_written_down_is_never_reused(tmp_path):
    from mkdocs.config import load_config

    from plansite.builder.reuse import fingerprint

    config = tmp_path / "mkdocs.yml"
    plain = (f"INHERIT: {ROOT / 'mkdocs.yml'}\nhooks: [{ROOT / 'plansite' / 'hooks.py'}]\n"
             f"theme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}\ndocs_dir: {ROOT / 'docs'}\nwatch: []\n")
    config.write_text(plain, encoding="utf-8")
    assert fingerprint(load_config(str(config), site_dir=str(tmp_path / "unset")), MINI) is not None
    config.write_text(plain + "extra:\n  when: !!python/name:os.getcwd\n", encoding="utf-8")
    assert fingerprint(load_config(str(config), site_dir=str(tmp_path / "unset")), MINI) is None
