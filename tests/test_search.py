"""The search index made by worker processes (plansite/search/material.py) is the one Material makes itself.

Pages go to the workers when they are free, are indexed in the build's own process while the
workers are busy drawing, and the entries are put back in page order either way.
"""
from __future__ import annotations

import gzip
import json
import logging
import re
import threading
import time
from types import SimpleNamespace

import pytest
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.toc import AnchorLink, TableOfContents

from conftest import ROOT, build_site
from plansite.search import material as search
import jieba
from plansite.search import index as index_module
from plansite.search.index import Vocabulary, add_inner_words, configure_jieba, drop_idle_zwsp, write_index_utf8
from plansite.search.material import (BUSY, WorkerSearchIndex, client_config, index_in_workers, pack_index, read_index,
                                      unpack_index)
from plansite.builder.workers import pool_context, Workers

CONFIG = {"lang": ["zh"], "separator": r"[\s\u200b\-]", "pipeline": [], "fields": {}}


def _pages(count: int) -> list[SimpleNamespace]:
    pages = []
    for n in range(count):
        first, second = AnchorLink(f"第{n}项任务", f"t{n}", 1), AnchorLink("责任单位", f"u{n}", 2)
        first.children.append(second)
        content = (f'<h1 id="t{n}">第{n}项任务</h1><p>建设诚信计量示范单位{n}家以上。</p>'
                   f'<h2 id="u{n}">责任单位</h2><p>市质监局牵头，会同市发展改革局。</p>')
        meta = {"search": {"exclude": True}} if n == 3 else {"tags": ["任务"]} if n % 2 else {}
        pages.append(SimpleNamespace(url=f"tasks/{n}/", title=f"任务{n}", content=content,
                                     toc=TableOfContents([first]), meta=meta))
    return pages


def _material(pages) -> str:
    index = SearchIndex(**CONFIG)
    for page in pages:
        index.add_entry_from_context(page)
    return index.generate_search_index(None)


def _files(count: int):
    return SimpleNamespace(documentation_pages=lambda: [None] * count)


def _index(workers: Workers, pages) -> WorkerSearchIndex:
    """The pages as the search plugin hands them over during a build."""
    index = WorkerSearchIndex(SearchIndex(**CONFIG), workers, _files(len(pages)))
    for page in pages:
        index.add_entry_from_context(page)
    return index


def test_pages_given_to_free_workers_give_materials_index():
    pages = _pages(search.HAND_OVER_MIN + 5)
    workers = Workers(1)
    try:
        index = _index(workers, pages)
        assert all(not isinstance(p, list) for p in index._pages)  # every page went to the worker
        assert index.generate_search_index(None) == _material(pages)
    finally:
        workers.close()


def test_spawned_workers_as_in_mkdocs_serve_give_materials_index():
    """`mkdocs serve` rebuilds while its server threads run, so workers are spawned, not forked:
    they start from nothing (no jieba set up, no modules loaded) and must give the same index."""
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)
    server.start()
    try:
        assert pool_context().get_start_method() == "spawn"
        pages = _pages(search.HAND_OVER_MIN + 5)
        workers = Workers(1)
        try:
            index = _index(workers, pages)
            assert index.generate_search_index(None) == _material(pages)
        finally:
            workers.close()
    finally:
        stop.set()
        server.join()


def test_words_of_an_earlier_build_in_the_process_do_not_stay_in_jiebas_dictionary():
    """A process that builds twice (mkdocs serve after the data changed; tests) had the first plan's
    words still in jieba's dictionary in the second build: pages indexed here segmented by them, pages
    indexed by a spawned worker (a fresh dictionary) not. Each build's dictionary is jieba's own and
    its plan's words, whatever was built before (a failure of the test above, in a full run)."""
    earlier = index_module._words
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # as in mkdocs serve: workers are spawned
    try:
        configure_jieba(("市质监局", "市发展改革局"))  # the first plan's words, used
        assert "市质监局" in cut("市质监局牵头")
        configure_jieba(("示范单位",))  # the next build's plan: none of them
        assert "市质监局" not in cut("市质监局牵头") and "示范单位" in cut("诚信计量示范单位")
        configure_jieba(())
        assert cut("市质监局牵头，诚信计量示范单位") == fresh_segmentation("市质监局牵头，诚信计量示范单位")
        server.start()
        assert pool_context().get_start_method() == "spawn"
        configure_jieba(("市发展改革局",))
        pages = _pages(search.HAND_OVER_MIN + 5)
        workers = Workers(1)
        try:
            assert _index(workers, pages).generate_search_index(None) == _material(pages)
        finally:
            workers.close()
    finally:
        stop.set()
        if server.is_alive():
            server.join()
        configure_jieba(earlier)


def cut(text: str) -> list[str]:
    """Segmented as Material's search plugin has jieba do it (jieba.cut, set up by configure_jieba)."""
    return list(jieba.cut(text))


def fresh_segmentation(text: str) -> list[str]:
    """jieba's segmentation with its own dictionary only, in a new process."""
    import subprocess
    import sys

    code = "import json, sys, jieba; jieba.setLogLevel(30); print(json.dumps(jieba.lcut(sys.argv[1])))"
    return json.loads(subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True, check=True).stdout)


def test_pages_indexed_here_while_the_workers_draw_give_materials_index():
    pages = _pages(search.HAND_OVER_MIN + 40)
    workers = Workers(1)
    try:
        for _ in range(BUSY + 4):  # the charts of a changed plan, still to be drawn
            workers.submit(time.sleep, 0.2)
        index = _index(workers, pages)
        assert isinstance(index._pages[0], list)  # the first page was indexed here
        assert index.generate_search_index(None) == _material(pages)
    finally:
        workers.close()


def test_a_small_site_is_indexed_here_when_the_workers_are_busy():
    pages = _pages(search.HAND_OVER_MIN - 1)  # too few pages to be worth loading jieba in a worker
    workers = Workers(1)
    try:
        for _ in range(BUSY + 1):  # busy when the index is made; free again during the pages
            workers.submit(time.sleep, 0.2)
        index = _index(workers, pages)
        assert all(isinstance(p, list) for p in index._pages)
        assert index.generate_search_index(None) == _material(pages)
    finally:
        workers.close()


@pytest.mark.parametrize("cache", ["empty", "full"])
def test_the_built_sites_index_is_the_one_material_writes_itself(tmp_path, monkeypatch, caplog, cache, chart_cache):
    """A build whose charts are all drawn (pages go to the workers at once) and one after a change
    to every chart (pages indexed here until the workers have drawn them) both write the index
    that Material writes when it indexes every page itself."""
    from plansite.builder.site import build

    # Material's own build draws into the session's cache, so the "full" case finds every chart.
    monkeypatch.setenv("PLANSITE_CHART_CACHE", str(chart_cache))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    for name in ("SOURCE_DATE_EPOCH", "PLAN_DATA"):  # the build sets them from its own data (and then unsets them)
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(search, "SEARCH_PLUGIN", "no-such-plugin")  # Material indexes every page itself
    with caplog.at_level(logging.WARNING, logger="plansite.search"):
        assert build(ROOT / "data", tmp_path / "material", ROOT / "mkdocs.yml") == 0
    assert [r.getMessage() for r in caplog.records if r.name == "plansite.search"] == \
        [search.NOT_SWAPPED.format("没有找到搜索插件 no-such-plugin")]  # and says so
    monkeypatch.undo()
    monkeypatch.setenv("PLANSITE_CHART_CACHE", str(tmp_path / "empty" if cache == "empty" else chart_cache))
    monkeypatch.setenv("PLANSITE_TIMINGS", str(tmp_path / "timings.json"))
    result = build_site(ROOT / "data", tmp_path / "workers")
    assert result.returncode == 0, result.stderr
    # The real build used the swapped index: its pages came through it, and it wrote the file.
    assert "搜索索引未能交给工作进程" not in result.stderr
    assert "search_collect" in json.loads((tmp_path / "timings.json").read_text(encoding="utf-8"))
    made = json.loads((tmp_path / "workers" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert len(made["docs"]) > 100
    assert (tmp_path / "workers" / "search" / "search_index.json").read_bytes() == \
        (tmp_path / "material" / "search" / "search_index.json").read_bytes()
    written = (tmp_path / "workers" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert written == json.dumps(json.loads(written), ensure_ascii=False, separators=(",", ":"))  # UTF-8


def test_the_index_is_rewritten_in_utf8_with_the_same_data(tmp_path):
    """Material escapes every Chinese character (six bytes for three); the site's file is UTF-8."""
    data = {"config": {"lang": ["zh"], "separator": "[\\s\u200b]"},
            "docs": [{"location": "tasks/16/", "title": "首席\u200b质量官", "text": "<p>12365、\"热线\"</p>"}]}
    escaped = json.dumps(data, separators=(",", ":"))  # as Material writes it
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(escaped, encoding="utf-8")
    write_index_utf8(tmp_path)
    raw = (tmp_path / "search" / "search_index.json").read_bytes()
    assert json.loads(raw) == data
    assert rb"\u" not in raw and "首席\u200b质量官".encode() in raw and len(raw) < len(escaped)


def _index_file(docs: list[dict]) -> dict:
    return {"config": {"lang": ["zh"], "separator": "[\\s\\u200b\\-、，。]", "fields": {"title": {"boost": 1000.0}}},
            "docs": docs}


def test_each_entry_gets_the_words_inside_the_plans_longer_words():
    """名牌 is inside 名牌产品 (and never a word of its own), 知名 and 品牌 inside 知名品牌; 名牌 is also what
    readers write for 知名品牌 (plan.yaml search_aliases). Each entry gets those it does not hold, in
    a field Material's client indexes (config.fields) but never shows."""
    import jieba

    unit = "市食品药品监管局"
    vocabulary = Vocabulary(whole=(unit, "知名品牌"), units=frozenset({unit}), aliases=(("知名品牌", ("名牌",)),),
                            source_text=f"创建省名牌产品。组织申报“全国知名品牌示范区”。{unit}牵头。")
    data = _index_file([
        {"location": "a/", "title": "省\u200b名牌产品", "text": "<p>省\u200b名牌产品</p>"},
        {"location": "b/", "title": "知名品牌\u200b示范区", "text": "<p>品牌</p>"},
        {"location": "c/", "title": unit, "text": ""},
        {"location": "d/", "title": "知名", "text": ""},
    ])
    add_inner_words(data, vocabulary)
    words = {doc["location"]: doc.get("words", "").split() for doc in data["docs"]}
    assert words["a/"] == ["名牌", "产品"]
    # Not 品牌 (the entry holds it) nor 知名: a word of the index already, it finds 知名品牌 as its beginning.
    assert words["b/"] == ["名品", "名牌", "示范"]
    assert words["c/"] == [] and len(list(jieba.cut_for_search(unit))) > 1  # a unit's name has no parts added
    assert words["d/"] == []
    assert data["config"]["fields"]["words"] == {"boost": 1.0}
    again = json.loads(json.dumps(data))
    add_inner_words(again, vocabulary)
    assert again == data  # made afresh from title and text, whatever the file held


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "plansite.search" and r.levelno == logging.WARNING]


@pytest.mark.parametrize("plugins, reason", [
    ({}, "没有找到搜索插件 material/search"),
    ({"material/search": SimpleNamespace(index=SearchIndex(**CONFIG))}, "搜索插件 material/search 没有 search_index 属性"),
])
def test_the_build_warns_when_materials_search_plugin_changed(caplog, plugins, reason):
    """If a Material release renames the plugin or its index, the build says so (in Chinese) and
    Material indexes every page itself: a slower build, the same site."""
    workers = Workers(1)
    try:
        with caplog.at_level(logging.WARNING, logger="plansite.search"):
            index_in_workers(SimpleNamespace(plugins=plugins), workers, _files(3))
        assert _warnings(caplog) == [search.NOT_SWAPPED.format(reason)]
        assert "升级 mkdocs-material 后" in _warnings(caplog)[0]
    finally:
        workers.close()


def test_the_swap_is_silent_when_material_has_what_it_needs(caplog):
    plugin = SimpleNamespace(search_index=SearchIndex(**CONFIG))
    workers = Workers(1)
    try:
        with caplog.at_level(logging.WARNING, logger="plansite.search"):
            index_in_workers(SimpleNamespace(plugins={"material/search": plugin}), workers, _files(3))
        assert isinstance(plugin.search_index, WorkerSearchIndex)
        assert _warnings(caplog) == []
    finally:
        workers.close()


def test_the_build_warns_when_no_page_came_through_the_swapped_index(caplog):
    """A renamed add_entry_from_context would reach Material's own index past ours (through
    __getattr__): the index is still right, but the build must say the swap did nothing."""
    workers = Workers(1)
    try:
        index = WorkerSearchIndex(SearchIndex(**CONFIG), workers, _files(3))
        with caplog.at_level(logging.WARNING, logger="plansite.search"):
            index.generate_search_index(None)
        assert _warnings(caplog) == [search.NOT_SWAPPED.format("搜索插件没有把页面交给 add_entry_from_context")]
    finally:
        workers.close()


def _words_as_the_client_splits(text: str, separator: str) -> list[str]:
    """Material's client: the text between tags (extract), split at the separator (split)."""
    return [word for part in re.split(r"<[^>]*>", text) for word in re.split(separator, part) if word]


def test_zero_width_spaces_that_part_nothing_are_dropped():
    """Material puts a zero-width space on both sides of every run of Chinese: next to punctuation,
    a space, a tag or an end it parts nothing. Without those the client splits every text into the
    same words and shows the same characters; the others stay (2015年 is two words)."""
    page = SimpleNamespace(url="tasks/1/", title="任务", toc=TableOfContents([]), meta={},
                           content="<p>（一）进一步强化我市标准化工作基础。到2015年，建成12365、12315热线。</p>"
                                   "<ul><li>市质监局 牵头</li></ul><p>“首负责任制”</p>")
    index = SearchIndex(**{**CONFIG, "separator": r"[\s\u200b\-、，。；：！？（）《》“”‘’〔〕()]"})
    index.add_entry_from_context(page)
    data = json.loads(index.generate_search_index(None))
    before = json.loads(json.dumps(data))
    drop_idle_zwsp(data)
    separator = data["config"]["separator"]
    for old, new in zip(before["docs"], data["docs"]):
        for field in ("title", "text"):
            assert _words_as_the_client_splits(new[field], separator) == _words_as_the_client_splits(old[field], separator)
            assert new[field].replace("\u200b", "") == old[field].replace("\u200b", "")
    text = data["docs"][0]["text"]
    assert text.count("\u200b") < before["docs"][0]["text"].count("\u200b")
    assert "2015\u200b年" in text and "\u200b\u200b" not in text and "<p>\u200b" not in text and "\u200b，" not in text
    again = json.loads(json.dumps(data))
    drop_idle_zwsp(again)
    assert again == data


def test_none_is_dropped_when_the_zero_width_space_is_no_separator():
    data = {"config": {"separator": r"[\s\-]"}, "docs": [{"location": "a/", "title": "质量\u200b。", "text": ""}]}
    drop_idle_zwsp(data)
    assert data["docs"][0]["title"] == "质量\u200b。"  # here it is part of the word 质量\u200b


def test_the_client_needs_no_language_support_for_chinese_segmented_at_build():
    assert client_config({"lang": ["zh"], "pipeline": ["stemmer"], "separator": "x"}) == \
        {"lang": ["en"], "pipeline": [], "separator": "x"}
    for kept in ({"lang": ["zh"], "pipeline": ["stopWordFilter"]}, {"lang": ["zh", "en"], "pipeline": []},
                 {"lang": ["de"], "pipeline": []}):
        assert client_config(kept) == kept  # lunr's support does something there


def _entries(*locations: str, **extra) -> dict:
    return {"config": {"lang": ["en"], "separator": "[\\s\\u200b]"},
            "docs": [{"location": loc, "title": f"标题\u200b{n}", "text": f"<p>正文\u200b{n}</p>", **extra.get(loc, {})}
                     for n, loc in enumerate(locations)]}


def test_the_packed_index_unpacks_to_the_same_entries():
    data = _entries("", "#latest", "plan/", "plan/#notice", "tasks/01/", "tasks/01/#status", "about/#x", "about/",
                    **{"plan/": {"boost": 0.2}, "tasks/01/": {"words": "名牌 产品"}, "about/": {"tags": ["本站"]}})
    packed = pack_index(data)
    assert unpack_index(packed) == data
    rows = packed["docs"]
    assert [row[0] for row in rows] == ["", "#latest", "plan/", "#notice", "tasks/01/", "#status", "about/#x", "about/"]
    assert packed["config"]["packed"] == {"entry": ["location", "title", "text", "boost", "words", "tags"], "zwsp": "^"}
    assert rows[2] == ["plan/", "标题^2", "<p>正文^2</p>", 0.2] and rows[4][3:] == [None, "名牌 产品"]
    assert unpack_index(data) == data  # a file Material wrote is read as it is


def test_the_mark_for_the_zero_width_space_is_one_the_index_does_not_hold():
    data = _entries("a/", "b/")
    data["docs"][0]["text"] = "<p>x^y|z</p>"
    packed = pack_index(data)
    assert packed["config"]["packed"]["zwsp"] == "`"
    assert unpack_index(packed) == data
    data["docs"][1]["title"] = "^|`~"
    packed = pack_index(data)
    assert "zwsp" not in packed["config"]["packed"] and unpack_index(packed) == data


def test_what_a_row_cannot_say_stays_unpacked():
    after_another_page = _entries("plan/", "#latest")  # a home page's section would be read as plan/'s
    assert pack_index(after_another_page) == after_another_page
    with_null = _entries("a/", **{"a/": {"boost": None}})
    assert pack_index(with_null) == with_null


def test_the_built_sites_index_is_packed_for_the_worker(built_site):
    """What the site publishes packs what its worker reads (read_index) again byte for byte, and is
    smaller compressed (the real plan: 43.2 → 39.7 KB; test_search_keep.py counts the first search)."""
    raw = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    published = json.loads(raw)
    entries = read_index(built_site)
    assert published["config"]["packed"] and published["config"]["lang"] == ["en"]
    assert json.dumps(pack_index(entries), ensure_ascii=False, separators=(",", ":")) == raw
    unpacked = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    assert len(gzip.compress(raw.encode(), 9)) < 0.95 * len(gzip.compress(unpacked.encode(), 9))
