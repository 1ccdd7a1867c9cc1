"""The fixes to Material's search worker (plansite/search/material.py): applied whole to the installed
Material's worker, or not at all, with a warning, once Material's code has changed."""
from __future__ import annotations

import logging
from pathlib import Path

import material

from plansite.search.material import patch_search_worker, PATCHES, WORKERS

INSTALLED = Path(material.__file__).parent / "templates" / WORKERS


def _site_with_worker(tmp_path: Path, edit=lambda code: code) -> Path:
    worker = next(INSTALLED.glob("search.*.min.js"))
    target = tmp_path / WORKERS / worker.name
    target.parent.mkdir(parents=True)
    target.write_text(edit(worker.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def test_every_fix_applies_to_the_installed_materials_worker(tmp_path):
    worker = _site_with_worker(tmp_path)
    assert patch_search_worker(tmp_path) == []
    code = worker.read_text(encoding="utf-8")
    assert all(new in code and old not in code for _, old, new in PATCHES)


def test_a_changed_worker_is_left_as_it_is_and_the_build_warns(tmp_path, caplog):
    name, old, _ = PATCHES[0]
    worker = _site_with_worker(tmp_path, lambda code: code.replace(old, old.replace("o++", "o+=1")))
    before = worker.read_bytes()
    with caplog.at_level(logging.WARNING, logger="plansite.search"):
        assert patch_search_worker(tmp_path) == [name]
    assert worker.read_bytes() == before  # all or nothing: the other fixes alone would mislead
    assert any(name in r.getMessage() for r in caplog.records)


def test_a_site_without_the_worker_warns(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="plansite.search"):
        assert patch_search_worker(tmp_path) == [name for name, _, _ in PATCHES]
    assert caplog.records
