"""The fixes to Material's search worker (plansite/search/material.py): applied whole to the installed
Material's worker, or not at all, with a warning, once Material's code has changed; and the script put
in front of it, which unpacks the index the site publishes into the entries Material's code reads."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import material

from plansite.search.material import (LISTENS, PATCHES, PRUNE, UNPACK, UNPACKS, WORKERS, patch_search_worker,
                                      read_index)

INSTALLED = Path(material.__file__).parent / "templates" / WORKERS


def _site_with_worker(tmp_path: Path, edit=lambda code: code) -> Path:
    worker = next(INSTALLED.glob("search.*.min.js"))
    target = tmp_path / WORKERS / worker.name
    target.parent.mkdir(parents=True)
    target.write_text(edit(worker.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def test_every_fix_applies_to_the_installed_materials_worker(tmp_path):
    worker = _site_with_worker(tmp_path)
    assert patch_search_worker(tmp_path, prune=True) == []
    code = worker.read_text(encoding="utf-8")
    assert all(new in code and old not in code for _, old, new in PATCHES)
    assert code.startswith(UNPACK)  # before Material's code adds its listener
    start, end, replacement = PRUNE  # the English stemmer, unused by the site's client, is gone
    assert start not in code and end not in code and replacement in code


def test_the_stemmer_stays_unless_the_client_runs_none(tmp_path):
    worker = _site_with_worker(tmp_path)
    assert patch_search_worker(tmp_path) == []
    assert PRUNE[0] in worker.read_text(encoding="utf-8")


def test_a_worker_listening_otherwise_is_left_as_it_is(tmp_path, caplog):
    """UNPACK reaches Material's one message listener: a worker that listens otherwise (onmessage,
    two listeners) would get the packed index, so it is left alone and the index is not packed."""
    worker = _site_with_worker(tmp_path, lambda code: code.replace(LISTENS, LISTENS + "0,") + LISTENS + "()=>0)")
    before = worker.read_bytes()
    with caplog.at_level(logging.WARNING, logger="plansite.search"):
        assert patch_search_worker(tmp_path, prune=True) == [UNPACKS]
    assert worker.read_bytes() == before


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
        assert patch_search_worker(tmp_path) == [name for name, _, _ in PATCHES] + [UNPACKS]
    assert caplog.records


# A worker of UNPACK and a listener that sends back what it was handed, as Material's would read it.
ECHO = """async ([unpack, message]) => {
  const code = unpack + 'addEventListener("message", event => postMessage(event.data));';
  const worker = new Worker(URL.createObjectURL(new Blob([code], {type: "text/javascript"})));
  const answer = new Promise(resolve => worker.onmessage = event => resolve(event.data));
  worker.postMessage(message);
  return await answer;
}"""


def test_the_worker_unpacks_the_sites_index_into_materials_entries(browser, built_site):
    """The published index is packed (rows, sections' locations after their page's, one byte for
    each zero-width space); what Material's code in the worker receives is the index as Material
    wrote it, every location whole: what read_index gives, which the site's link check resolves."""
    packed = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "packed" in packed["config"]  # the site's index is packed…
    worker = next((built_site / WORKERS).glob("search.*.min.js")).read_text(encoding="utf-8")
    assert worker.startswith(UNPACK)  # …and its worker unpacks it
    page = browser.new_page()
    try:
        message = {"type": 0, "data": {"config": packed["config"], "docs": packed["docs"], "options": {"suggest": False}}}
        received = page.evaluate(ECHO, [UNPACK, message])
    finally:
        page.close()
    expected = read_index(built_site)
    assert received["data"]["config"] == expected["config"] and "packed" not in received["data"]["config"]
    assert received["data"]["docs"] == expected["docs"]
    assert any("#" in doc["location"] and not doc["location"].startswith("#") for doc in expected["docs"])
    assert any("\u200b" in doc["title"] + doc["text"] for doc in expected["docs"])
    other = {"type": 2, "data": "质量"}  # a query passes untouched
    page = browser.new_page()
    try:
        assert page.evaluate(ECHO, [UNPACK, other]) == other
    finally:
        page.close()
