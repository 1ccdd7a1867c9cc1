"""Everything that reaches into Material's search, in one place: its plugin's index swapped for one
made by worker processes, and two fixes to its search client. A Material release that changes what
is used here is caught: the build warns in Chinese and tests/test_search.py, tests/test_search_client.py
fail.

The index. Material's search plugin parses each page's HTML and segments its Chinese with jieba: a
third of a large build's time, on the one core MkDocs uses. Its SearchIndex is swapped for
WorkerSearchIndex, which hands each page to a worker (plansite/builder/workers.py) running Material's
own SearchIndex on a copy of what that code reads from a page (address, title, meta, HTML, table of
contents). The entries come back in page order when the plugin writes search_index.json, so the file
is the one Material would have written (tests/test_search.py compares the two). The swap reaches into
Material (its plugin's name and `search_index`, the methods the plugin calls): if a Material release
renames them, Material indexes every page itself, as it would without us. The build then logs a
warning in Chinese, outside MkDocs' own loggers, so that strict mode does not fail a build whose site
is right, only slower.

The client. Measured on tests/search/queries.yaml (BENCHMARKS.md), Material's worker misranks Chinese queries:
- it splits a Han query into words it finds in the index, but never tries the query as a whole, so
  加油站 became 加 (and listed every page with 加强) although 加油站 is a word of the index, and it
  drops a last character that is a word of its own (率 of 专利实施率);
- its words are alternatives (any one matches), so 质量竞争力指数 listed every page with 质量 in
  its title first.
Fixed: the whole query counts as a word; pages holding every word of the query come first, followed
by pages holding only some. Each fix replaces one exact piece of Material's minified code. When a
Material release changes that code, the fix is not applied and the build warns (the search-quality
test fails too), so an upgrade can never switch it off unseen.
"""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from types import SimpleNamespace

from .index import configure_jieba, load_jieba, plan_words

SEARCH_PLUGIN = "material/search"
log = logging.getLogger("plansite.search")  # not under "mkdocs": a warning, not a strict-mode failure
NOT_SWAPPED = ("搜索索引未能交给工作进程生成（{}），由 Material 在主进程中逐页生成：网站内容不受影响，只是生成较慢。"
               "升级 mkdocs-material 后请按 plansite/search/material.py 核对其搜索插件。")
PAGE_META = ("title", "tags", "search")  # what Material's SearchIndex reads from page.meta
# Workers with more jobs than this waiting are busy (drawing charts after a change): pages are
# indexed in this process, as Material would, until they have caught up.
BUSY = 4
# A worker loads jieba's dictionary (about a second) before its first page: not worth it for the
# last few pages of a build, which would then wait for it at the end.
HAND_OVER_MIN = 80
# Pages still waiting for a worker when the index is written: up to this many, wait for the
# workers; beyond (or if this process has jieba's dictionary loaded anyway), this process helps.
HELP_ABOVE = 200


def index_in_workers(config, workers, files, stage=contextlib.nullcontext) -> None:
    """Have the search plugin's index made by `workers` (the build's pool, plansite/builder/workers.py)
    for this build of `files` (after the plugin's on_config, which makes a fresh index, and before
    the first page); `stage(name)` times the collection for the benchmark."""
    plugin = config.plugins.get(SEARCH_PLUGIN)
    index = getattr(plugin, "search_index", None)
    if plugin is None:
        log.warning(NOT_SWAPPED.format(f"没有找到搜索插件 {SEARCH_PLUGIN}"))
    elif index is None:
        log.warning(NOT_SWAPPED.format(f"搜索插件 {SEARCH_PLUGIN} 没有 search_index 属性"))
    elif not isinstance(index, WorkerSearchIndex):
        plugin.search_index = WorkerSearchIndex(index, workers, files, stage)


class WorkerSearchIndex:
    """Stands in for Material's SearchIndex: the same entries, made by worker processes once they
    have nothing else to do (before that, by this process)."""

    def __init__(self, index, workers, files, stage=contextlib.nullcontext):
        self._index = index
        self._workers = workers
        self._files = files  # MkDocs' Files: their pages are counted once all are added
        self._left: int | None = None  # pages MkDocs has yet to render
        self._handed_over = False
        self._indexed_here = False
        self._stage = stage
        self._pages: list = []  # per page in build order: a worker's job, or its entries (a list)
        self._hand_over()  # if nothing is being drawn, the workers load jieba's dictionary before the first page

    def add_entry_from_context(self, page) -> None:
        if self._left is None:
            self._left = len(self._files.documentation_pages())
        self._left -= 1
        if (page.meta.get("search") or {}).get("exclude"):
            return  # Material's own test, made here so excluded pages are never sent
        config = dict(self._index.config)
        if not self._hand_over():
            self._indexed_here = True
            self._pages.append(index_page(config, page, plan_words()))
            return
        copy = SimpleNamespace(url=page.url, title=page.title, content=page.content, toc=page.toc,
                               meta={key: page.meta[key] for key in PAGE_META if key in page.meta})
        self._pages.append(self._workers.submit(index_page, config, copy, plan_words()))

    def _hand_over(self) -> bool:
        """Whether the workers index this page and every later one. They take over as soon as they
        are free, unless so few pages are left that the dictionary they load first would keep the
        build waiting at the end."""
        if not self._handed_over and self._workers.backlog() <= BUSY:
            few_left = self._left is not None and self._left + 1 < HAND_OVER_MIN
            if not few_left:
                self._workers.submit(load_jieba, plan_words())
                self._handed_over = True
        return self._handed_over

    def generate_search_index(self, prev) -> str:
        if self._left is None and self._files.documentation_pages():
            log.warning(NOT_SWAPPED.format("搜索插件没有把页面交给 add_entry_from_context"))
        pages, self._pages = self._pages, []
        jobs = [page for page in pages if not isinstance(page, list)]
        with self._stage("search_collect"):  # (also the benchmark's sign that the swapped index wrote the file)
            if self._indexed_here or sum(job.pending() for job in jobs) > HELP_ABOVE:
                for job in reversed(jobs):  # workers take pages from the front, this process from the back
                    if not job.run_here():
                        break
            for page in pages:
                self._index.entries += page if isinstance(page, list) else page.wait()
        return self._index.generate_search_index(prev)

    def __getattr__(self, name):  # entries and config, as Material's own index has them
        return getattr(self._index, name)


def index_page(config: dict, page, words: tuple[str, ...]) -> list[dict]:
    """One page's search entries, by Material's own code (in a worker, or in the build's process)."""
    from material.plugins.search.plugin import SearchIndex

    configure_jieba(words)  # already done in forked workers; a spawned one (mkdocs serve) starts afresh
    index = SearchIndex(**config)
    index.add_entry_from_context(page)
    return index.entries


WORKERS = "assets/javascripts/workers"
# (what it fixes, Material 9.8's code, the fixed code)
PATCHES = [
    ("整词：查询本身作为一个词", "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
     "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)"),
    ("末字：查询最后一个字也可以是一个词（专利实施率的“率”）", "n[a]&&a<t.length-1&&(i[s++]=a)",
     "n[a]&&a<t.length&&(i[s++]=a)"),
    # Material adds the trailing * (any word beginning so) only to terms without a + of their own.
    ("查询中的每个词都标为必需", '[...fe(s,this.index.invertedIndex)].join("* ")',
     '[...fe(s,this.index.invertedIndex)].map(w=>"+"+w+"*").join(" ")'),
    # Pages holding every word first (their scores raised far above any other, keeping their
    # order), then the rest.
    ("含全部词的页面在前，其余随后", "n=this.index.search(e).reduce(",
     "n=((a,o)=>{let k=new Set(a.map(x=>x.ref));for(let x of a)x.score*=1e6;"
     "return a.concat(o.filter(x=>!k.has(x.ref)))})"
     '(this.index.search(e),this.index.search(e.replace(/(^|\\s)\\+/g,"$1"))).reduce('),
]


def patch_search_worker(site_dir: Path) -> list[str]:
    """Apply PATCHES to the search worker in `site_dir`; returns what could not be applied."""
    workers = sorted((site_dir / WORKERS).glob("search.*.min.js"))
    if len(workers) != 1:
        missing = [name for name, _, _ in PATCHES]
        log.warning("站内搜索：找不到 Material 的搜索脚本（%s/search.*.min.js），中文搜索修正未应用", WORKERS)
        return missing
    path = workers[0]
    code = path.read_text(encoding="utf-8")
    missing = []
    for name, old, new in PATCHES:
        if code.count(old) != 1:
            missing.append(name)
            continue
        code = code.replace(old, new)
    if missing:
        log.warning("站内搜索：Material 的搜索脚本已更改，以下中文搜索修正未应用：%s。请核对 plansite/search/material.py",
                    "、".join(missing))
        return missing
    # Same file name: Material names it by its own content, which changes with every Material release.
    path.write_text(code, encoding="utf-8")
    return []
