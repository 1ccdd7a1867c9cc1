"""The search index, built by the build's worker processes while MkDocs renders the pages.

Material's search plugin parses each page's HTML and segments its Chinese with jieba: a third of a
large build's time, on the one core MkDocs uses. Its SearchIndex is swapped for WorkerSearchIndex,
which hands each page to a worker (plansite/workers.py) running Material's own SearchIndex on a
copy of what that code reads from a page (address, title, meta, HTML, table of contents). The
entries come back in page order when the plugin writes search_index.json, so the file is the one
Material would have written (tests/test_search.py compares the two). It is then rewritten in UTF-8
(write_index_utf8): the same data, a sixth less for a phone to download.

The swap reaches into Material (its plugin's name and `search_index`, the methods the plugin
calls): if a Material release renames them, Material indexes every page itself, as it would
without us. The build then logs a warning in Chinese. It is logged outside MkDocs' own loggers, so
that strict mode does not fail a build whose site is right, only slower; tests/test_search.py fails.
"""
from __future__ import annotations

import functools
import json
import logging
from pathlib import Path
from types import SimpleNamespace

from .timing import stage
from .workers import Job, Workers

SEARCH_PLUGIN = "material/search"
log = logging.getLogger("plansite.search")  # not under "mkdocs": a warning, not a strict-mode failure
NOT_SWAPPED = ("搜索索引未能交给工作进程生成（{}），由 Material 在主进程中逐页生成：网站内容不受影响，只是生成较慢。"
               "升级 mkdocs-material 后请按 plansite/search.py 核对其搜索插件。")
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


_words: tuple[str, ...] = ()  # the plan's own words for jieba's dictionary (derive_search_words)
_added: tuple[str, ...] = ()  # those added in this process: adding loads the dictionary (a second), so not before it is used


def derive_search_words(plan) -> tuple[str, ...]:
    """Words the search keeps whole: unit names as the plan writes them, their full names and the
    aliases people write (departments.yaml), and the plan's terms listed in plan.yaml `search_terms`.
    Task titles and indicator names are not among them: readers type parts of them (采标覆盖率),
    which a single long word would no longer match."""
    words = {t for t in plan.meta.search_terms}
    for dept in plan.departments:
        words.update([dept.name, *([dept.full_name] if dept.full_name else []), *dept.aliases])
    return tuple(sorted(words))


def configure_jieba(words: tuple[str, ...] | None = None) -> None:
    """jieba (loaded by the search plugin) logs its dictionary loading at DEBUG on every build, and
    segments every run of Han characters on every page anew: the same runs (unit names, statuses,
    titles) recur on thousands of pages, so its segmentation is remembered for the build. `words`
    (the plan's own) are added to its dictionary, so that 首席质量官 stays one word."""
    global _words
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
    if words is not None:
        _words = words
    if not hasattr(jieba.cut, "cache_info"):
        original = jieba.cut

        @functools.lru_cache(maxsize=1 << 16)
        def segment(text, *args, **kwargs):
            return tuple(original(text, *args, **kwargs))

        @functools.wraps(original)
        def cut(text, *args, **kwargs):
            _add_words()  # here, not earlier: a build that segments nothing never loads the dictionary
            return iter(segment(text, *args, **kwargs))

        cut.cache_info = segment.cache_info
        cut.cache_clear = segment.cache_clear
        jieba.cut = cut


def _add_words() -> None:
    """Put the plan's words into jieba's dictionary, once per process and set of words."""
    global _added
    if _added == _words:
        return
    import jieba

    for word in _words:
        jieba.add_word(word)  # jieba suggests a frequency that keeps the word whole
    _added = _words
    jieba.cut.cache_clear()  # segmentations remembered with the old dictionary


def index_in_workers(config, workers: Workers, files) -> None:
    """Have the search plugin's index made by `workers` for this build of `files` (after the
    plugin's on_config, which makes a fresh index, and before the first page)."""
    plugin = config.plugins.get(SEARCH_PLUGIN)
    index = getattr(plugin, "search_index", None)
    if plugin is None:
        log.warning(NOT_SWAPPED.format(f"没有找到搜索插件 {SEARCH_PLUGIN}"))
    elif index is None:
        log.warning(NOT_SWAPPED.format(f"搜索插件 {SEARCH_PLUGIN} 没有 search_index 属性"))
    elif not isinstance(index, WorkerSearchIndex):
        plugin.search_index = WorkerSearchIndex(index, workers, files)


def load_jieba(words: tuple[str, ...]) -> None:
    try:
        import jieba
    except ImportError:
        return
    configure_jieba(words)
    jieba.initialize()
    _add_words()


class WorkerSearchIndex:
    """Stands in for Material's SearchIndex: the same entries, made by worker processes once they
    have nothing else to do (before that, by this process)."""

    def __init__(self, index, workers: Workers, files):
        self._index = index
        self._workers = workers
        self._files = files  # MkDocs' Files: their pages are counted once all are added
        self._left: int | None = None  # pages MkDocs has yet to render
        self._handed_over = False
        self._indexed_here = False
        self._pages: list[Job | list[dict]] = []  # per page in build order: a worker's job, or its entries
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
            self._pages.append(index_page(config, page, _words))
            return
        copy = SimpleNamespace(url=page.url, title=page.title, content=page.content, toc=page.toc,
                               meta={key: page.meta[key] for key in PAGE_META if key in page.meta})
        self._pages.append(self._workers.submit(index_page, config, copy, _words))

    def _hand_over(self) -> bool:
        """Whether the workers index this page and every later one. They take over as soon as they
        are free, unless so few pages are left that the dictionary they load first would keep the
        build waiting at the end."""
        if not self._handed_over and self._workers.backlog() <= BUSY:
            few_left = self._left is not None and self._left + 1 < HAND_OVER_MIN
            if not few_left:
                self._workers.submit(load_jieba, _words)
                self._handed_over = True
        return self._handed_over

    def generate_search_index(self, prev) -> str:
        if self._left is None and self._files.documentation_pages():
            log.warning(NOT_SWAPPED.format("搜索插件没有把页面交给 add_entry_from_context"))
        pages, self._pages = self._pages, []
        jobs = [page for page in pages if isinstance(page, Job)]
        with stage("search_collect"):  # (also the benchmark's sign that the swapped index wrote the file)
            if self._indexed_here or sum(job.pending() for job in jobs) > HELP_ABOVE:
                for job in reversed(jobs):  # workers take pages from the front, this process from the back
                    if not job.run_here():
                        break
            for page in pages:
                self._index.entries += page if isinstance(page, list) else page.wait()
        return self._index.generate_search_index(prev)

    def __getattr__(self, name):  # entries and config, as Material's own index has them
        return getattr(self._index, name)


def write_index_utf8(site_dir: Path) -> None:
    """Material writes search_index.json with every Chinese character escaped (\\u4e2d: six bytes
    for three): the same data in UTF-8 is 45 % smaller, and 16 % smaller gzipped (70.0 → 58.4 KB
    for the real plan), which keeps a phone's first search within 80 KB."""
    path = site_dir / "search" / "search_index.json"
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def index_page(config: dict, page, words: tuple[str, ...]) -> list[dict]:
    """One page's search entries, by Material's own code (in a worker, or in the build's process)."""
    from material.plugins.search.plugin import SearchIndex

    configure_jieba(words)  # already done in forked workers; a spawned one (mkdocs serve) starts afresh
    index = SearchIndex(**config)
    index.add_entry_from_context(page)
    return index.entries
