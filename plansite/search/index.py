"""The search index's words and file: the plan's own words kept whole by jieba, segmentations
remembered for the build, and search_index.json rewritten in UTF-8."""
from __future__ import annotations

import functools
import json
import logging
from pathlib import Path

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


def load_jieba(words: tuple[str, ...]) -> None:
    try:
        import jieba
    except ImportError:
        return
    configure_jieba(words)
    jieba.initialize()
    _add_words()


def write_index_utf8(site_dir: Path) -> None:
    """Material writes search_index.json with every Chinese character escaped (\\u4e2d: six bytes
    for three): the same data in UTF-8 is 45 % smaller, and 16 % smaller gzipped (70.0 → 58.4 KB
    for the real plan), which keeps a phone's first search within 80 KB."""
    path = site_dir / "search" / "search_index.json"
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def plan_words() -> tuple[str, ...]:
    """The words configure_jieba was last given (workers are handed them with each page)."""
    return _words
