"""Everything that reaches into Material's search, in one place: its plugin's index swapped for one
made by worker processes, and two fixes to its search client. A Material release that changes what
is used here is caught: the build warns in Chinese and tests/test_search.py, tests/test_search_client.py
fail.

The index. Material's search plugin parses each page's HTML and segments its Chinese with jieba: a
third of a large build's time, on the one core MkDocs uses. Its SearchIndex is swapped for
WorkerSearchIndex, which hands each page to a worker (plansite/builder/workers.py) running Material's
own SearchIndex on a copy of what that code reads from a page (address, title, meta, HTML, table of
contents). The entries come back in page order when the plugin writes search_index.json, so the file
is the one Material would have written (tests/test_search.py compares the two builds' files, both
finished as below). The swap reaches into
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

What the first search downloads (issue 30: within 55 KB compressed). The index is packed for the
client (pack_index): entries as rows, a section's location written after its page's as "#anchor",
and one byte for each zero-width space; the worker unpacks it before Material's code reads it
(UNPACK, put in front of the worker), so the client searches the same entries. The client needs
none of lunr's language support: the Chinese is segmented at build, and of what lunr's zh
support adds (a trimmer, a stop-word filter, a stemmer that returns its word) Material keeps only
the stemmer; with lang "en" and no pipeline functions (client_config) the client indexes the same
words and loads no language scripts (two requests, 2.3 KB), and the English stemmer, then unused,
is pruned from the worker (PRUNE, 0.8 KB). All three only with a worker every fix applied to;
otherwise the index stays as Material writes it.
"""
from __future__ import annotations

import contextlib
import json
import logging
from pathlib import Path
from types import SimpleNamespace

from .index import ZWSP, configure_jieba, load_jieba, plan_words

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


# The English stemmer (Porter's), in lunr inside the worker: unused once the client config has no
# pipeline functions (client_config), replaced by one that returns its word. (start, end, replacement)
PRUNE = ('t.stemmer=(function(){var e={ational:"ate"', 'return function(I){return I.update(A)}})()',
         "t.stemmer=function(e){return e}")
# The worker's one listener, which UNPACK reaches: Material's messages, the index with the first.
LISTENS = 'addEventListener("message",'
UNPACKS = "索引解包（工作线程先还原压缩存放的索引）"
# Put in front of the worker: unpacks the index (pack_index) in the message that hands it over,
# before Material's listener reads it. Mirrors unpack_index.
UNPACK = """/* plansite: search_index.json is packed (plansite/search/material.py); unpacked here for Material's code. */
(function () {
  var listen = self.addEventListener;
  self.addEventListener = function (type, listener, options) {
    if (type === "message") {
      var material = listener;
      listener = function (event) {
        var index = event.data && event.data.data;
        if (index && index.config && index.config.packed) unpack(index);
        return material.apply(this, arguments);
      };
    }
    return listen.call(this, type, listener, options);
  };
  function unpack(index) {
    var packed = index.config.packed, page = "";
    delete index.config.packed;
    index.docs = index.docs.map(function (row) {
      var doc = {};
      packed.entry.forEach(function (key, i) {
        if (row[i] == null) return;
        doc[key] = packed.zwsp && (key === "title" || key === "text") ? row[i].split(packed.zwsp).join("\\u200b") : row[i];
      });
      if (doc.location.charAt(0) === "#") doc.location = page + doc.location;
      else page = doc.location.split("#")[0];
      return doc;
    });
  }
})();
"""


def _worker(site_dir: Path) -> Path | None:
    workers = sorted((site_dir / WORKERS).glob("search.*.min.js"))
    return workers[0] if len(workers) == 1 else None


def patch_search_worker(site_dir: Path, prune: bool = False) -> list[str]:
    """Apply PATCHES to the search worker in `site_dir`, put UNPACK in front and, with `prune`
    (the client runs no stemmer), PRUNE; returns the fixes that could not be applied (then none
    is: the worker stays Material's)."""
    path = _worker(site_dir)
    if path is None:
        log.warning("站内搜索：找不到 Material 的搜索脚本（%s/search.*.min.js），中文搜索修正未应用", WORKERS)
        return [name for name, _, _ in PATCHES] + [UNPACKS]
    code = path.read_text(encoding="utf-8")
    missing = [name for name, old, _ in PATCHES if code.count(old) != 1]
    if code.count(LISTENS) != 1:
        missing.append(UNPACKS)
    if missing:
        log.warning("站内搜索：Material 的搜索脚本已更改，以下中文搜索修正未应用：%s。请核对 plansite/search/material.py",
                    "、".join(missing))
        return missing
    for _, old, new in PATCHES:
        code = code.replace(old, new)
    start, end, replacement = PRUNE
    first, last = code.find(start), code.find(end)
    if prune and code.count(start) == 1 and code.count(end) == 1 and first < last:
        code = code[:first] + replacement + code[last + len(end):]
    elif prune:  # only a larger download: the stemmer is never run
        log.warning("站内搜索：Material 搜索脚本中的英文词干程序已更改，未能删去（首次搜索多下载约 0.8 KB）。请核对 PRUNE")
    # Same file name: Material names it by its own content, which changes with every Material release.
    path.write_text(UNPACK + code, encoding="utf-8")
    return []


INDEX = Path("search") / "search_index.json"


def finish_search(site_dir: Path) -> None:
    """The worker patched (patch_search_worker) and, if every fix applied, the index packed for it
    with the client's config (client_config, pack_index); else the index stays as Material writes it."""
    path = site_dir / INDEX
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    config = client_config(data["config"]) if data else {}
    if patch_search_worker(site_dir, prune=config.get("lang") == ["en"] and not config.get("pipeline")) or not data:
        return
    data = pack_index({**data, "config": config})
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def client_config(config: dict) -> dict:
    """Chinese segmented at build (jieba, zero-width spaces) needs none of lunr's zh support in the
    client: Material removes its trimmer and stop-word filter (not in `pipeline`), and its stemmer
    returns the word. With lang "en" and no pipeline functions the client makes the same words and
    loads no language scripts; the English stemmer Material put on the query's words only is gone
    too (it turned "quality" into "qualiti", which no unstemmed word of the index begins with)."""
    if config.get("lang") == ["zh"] and set(config.get("pipeline", [])) <= {"stemmer"}:
        return {**config, "lang": ["en"], "pipeline": []}
    return config


SEGMENTED = ("title", "text")  # the fields Material segments with zero-width spaces
ZWSP_MARKS = "^|`~"  # one byte, written for the zero-width space: the first the index does not hold


def pack_index(data: dict) -> dict:
    """search_index.json as the worker receives it (UNPACK; unpack_index gives `data` back): each
    entry a row of its values in the order of config.packed.entry (missing ones null, none at the
    end); a section's location, after an entry of its page, only "#anchor"; the zero-width spaces
    of titles and texts as config.packed.zwsp. The real plan: 8 % smaller compressed (43.2 → 39.7 KB). `data`
    itself if it holds what a row cannot say (a null value, a home page's section after another page)."""
    docs = data["docs"]
    if any(None in doc.values() or not all(isinstance(doc.get(f), str) for f in ("location", *SEGMENTED))
           for doc in docs):
        return data
    keys = list(dict.fromkeys(["location", *SEGMENTED, *(key for doc in docs for key in doc)]))
    held = "".join(doc[field] for doc in docs for field in SEGMENTED)
    mark = next((m for m in ZWSP_MARKS if m not in held), None)
    rows, page = [], ""
    for doc in docs:
        location = doc["location"]
        path, anchor = location.partition("#")[0], location[len(location.partition("#")[0]):]
        if location.startswith("#") and page:
            return data  # would be read as a section of `page`
        if anchor and path == page:
            location = anchor
        elif not location.startswith("#"):
            page = path
        row = [location if key == "location" else
               doc[key].replace(ZWSP, mark) if mark and key in SEGMENTED else doc.get(key) for key in keys]
        while row[-1] is None:
            row.pop()
        rows.append(row)
    packed = {"entry": keys, **({"zwsp": mark} if mark else {})}
    return {**data, "config": {**data["config"], "packed": packed}, "docs": rows}


def unpack_index(data: dict) -> dict:
    """The index as Material writes it, from the file the site publishes (packed or not): what UNPACK
    hands Material's worker."""
    packed = data.get("config", {}).get("packed")
    if packed is None:
        return data
    docs, page, mark = [], "", packed.get("zwsp")
    for row in data["docs"]:
        doc = {key: value.replace(mark, ZWSP) if mark and key in SEGMENTED else value
               for key, value in zip(packed["entry"], row) if value is not None}
        if doc["location"].startswith("#"):
            doc["location"] = page + doc["location"]
        else:
            page = doc["location"].split("#")[0]
        docs.append(doc)
    config = {key: value for key, value in data["config"].items() if key != "packed"}
    return {**data, "config": config, "docs": docs}


def read_index(site_dir: Path) -> dict:
    """The site's search index as Material's client reads it (unpacked)."""
    return unpack_index(json.loads((site_dir / INDEX).read_text(encoding="utf-8")))
