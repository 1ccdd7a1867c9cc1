"""The search index's words and file: the plan's own words kept whole by jieba, segmentations
remembered for the build, and search_index.json finished: the words inside the plan's longer words
added to each entry, and the file rewritten in UTF-8."""
from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

_words: tuple[str, ...] = ()  # the plan's own words for jieba's dictionary (derive_search_words)
_added: tuple[str, ...] = ()  # those added in this process: adding loads the dictionary (a second), so not before it is used
_undo: list[tuple[str, int | None]] = []  # jieba's dictionary entries _added changed, and what they were (None: absent)
_total: int | None = None  # jieba's total frequency before _added


def derive_search_words(plan) -> tuple[str, ...]:
    """Words the search keeps whole: unit names as the plan writes them, their full names and the
    aliases people write (departments.yaml), and the plan's terms listed in plan.yaml `search_terms`.
    Task titles and indicator names are not among them: readers type parts of them (采标覆盖率),
    which a single long word would no longer match."""
    words = {t for t in plan.meta.search_terms} | {a.word for a in plan.meta.search_aliases} | _unit_names(plan)
    return tuple(sorted(words))


def _unit_names(plan) -> set[str]:
    return {name for dept in plan.departments for name in (dept.name, dept.full_name, *dept.aliases) if name}


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
    """Put the plan's words into jieba's dictionary, once per process and set of words. Words an
    earlier build in this process added (mkdocs serve after the data changed) are taken out first:
    the dictionary is always jieba's own and this plan's words, as in a new process (a spawned worker)."""
    global _added, _total
    if _added == _words:
        return
    import jieba

    tokenizer = jieba.dt
    tokenizer.check_initialized()
    if _total is not None:  # jieba.add_word only adds: its entries are put back as they were
        for key, before in reversed(_undo):
            if before is None:
                del tokenizer.FREQ[key]
            else:
                tokenizer.FREQ[key] = before
        tokenizer.total = _total
    _undo.clear()
    _total = tokenizer.total
    for word in _words:
        # add_word sets the word's frequency and a 0 for each new prefix of it (its DAG's lookups)
        _undo.extend((word[:end], tokenizer.FREQ.get(word[:end])) for end in range(1, len(word) + 1))
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


def write_index_utf8(site_dir: Path, vocabulary: "Vocabulary | None" = None) -> None:
    """Material writes search_index.json with every Chinese character escaped (\\u4e2d: six bytes
    for three): the same data in UTF-8 is 45 % smaller, and 16 % smaller gzipped (70.0 → 58.4 KB
    for the real plan). The zero-width spaces that separate nothing are dropped (drop_idle_zwsp).
    With a `vocabulary`, each entry gets the words inside its longer words first (add_inner_words)."""
    path = site_dir / "search" / "search_index.json"
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        if vocabulary is not None:
            add_inner_words(data, vocabulary)
        drop_idle_zwsp(data)
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


ZWSP = "\u200b"
# Python's \s matches these, the \s of the client's JavaScript does not: not taken for separators here.
NOT_SEPARATORS_IN_JS = frozenset("\x1c\x1d\x1e\x1f\x85")


def drop_idle_zwsp(data: dict) -> None:
    """Material puts a zero-width space on both sides of every run of Chinese (jieba's words inside
    it are parted by them too): almost 30 % of the index's bytes are these three-byte characters. Those
    next to another separator (punctuation, a space, another zero-width space), next to a tag or at
    either end part nothing from anything: Material's client splits the text into the same words
    without them (at its separator and between tags), and they are invisible. Dropped from titles
    and texts (the real plan: 33,300 → 19,500), the others kept. Only when the zero-width space is
    one of the index's separators (mkdocs.yml: it must be)."""
    separator = re.compile(data.get("config", {}).get("separator", "(?!)"))
    if not separator.fullmatch(ZWSP):
        return

    def parts(char: str) -> bool:  # a separator (or a tag's edge) the client splits at anyway
        return char in "<>" or (char not in NOT_SEPARATORS_IN_JS and separator.fullmatch(char) is not None)

    def tidy(text: str) -> str:
        if ZWSP not in text:
            return text
        kept: list[str] = []
        for i, char in enumerate(text):
            if char == ZWSP and (not kept or i + 1 == len(text) or parts(kept[-1]) or parts(text[i + 1])):
                continue
            kept.append(char)
        return "".join(kept)

    for entry in data.get("docs", []):
        for field in ("title", "text"):
            if isinstance(entry.get(field), str):
                entry[field] = tidy(entry[field])


@dataclass(frozen=True)
class Vocabulary:
    """What the inner words of the index come from (handed to the process that finishes the index)."""
    whole: tuple[str, ...]  # the words jieba keeps whole (derive_search_words)
    units: frozenset[str]  # unit names: found by their names and aliases, not by their parts
    aliases: tuple[tuple[str, tuple[str, ...]], ...]  # a word of the plan, what readers type for it
    source_text: str  # the plan: the words of its text have their inner words indexed


def derive_vocabulary(plan) -> Vocabulary:
    return Vocabulary(derive_search_words(plan), frozenset(_unit_names(plan)),
                      tuple((a.word, tuple(a.aliases)) for a in plan.meta.search_aliases), plan.source_text)


WORDS_FIELD = "words"  # the entries' extra field: indexed by Material's search client, never shown
TAG = re.compile(r"<[^>]*>")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
INNER_MIN = 3  # a word of two characters holds no word worth adding


def add_inner_words(data: dict, vocabulary: Vocabulary) -> None:
    """A reader types a word that jieba kept inside a longer one: 名牌 of 名牌产品, 分类 of 分级分类. Material's
    search client matches a query word only at the beginning of an index word, and only if the query
    word itself is an index word somewhere. So each entry gets a field of the words inside the plan's
    words it holds (jieba's search mode, the segmentation search engines index), and the readers' own
    words for them (plan.yaml search_aliases: 名牌 for 知名品牌), less those the entry holds already.
    The client indexes every field the index's config lists, and shows only title and text. Unit
    names are left whole: they are found by their names and aliases (departments.yaml)."""
    configure_jieba(vocabulary.whole)
    _add_words()
    inner = _inner_words(vocabulary)
    separator = re.compile(data["config"]["separator"])
    tokens_of = [dict.fromkeys(t for t in separator.split(TAG.sub(" ", entry["title"] + " " + entry["text"])) if t)
                 for entry in data["docs"]]
    known = {t for tokens in tokens_of for t in tokens}
    for entry, tokens in zip(data["docs"], tokens_of):
        entry.pop(WORDS_FIELD, None)
        # A word's beginning that is a word of the index already is found as it is (名牌 → 名牌产品).
        words = dict.fromkeys(w for t in tokens for w in inner(t)
                              if w not in tokens and not (t.startswith(w) and w in known))
        if words:
            entry[WORDS_FIELD] = " ".join(words)
    data["config"].setdefault("fields", {})[WORDS_FIELD] = {"boost": 1.0}  # as much as a word of the text


@functools.lru_cache(maxsize=4)
def _inner_words(vocabulary: Vocabulary):
    """token → the words inside it (and the readers' words for it or them), for the plan's words."""
    import jieba

    aliases = dict(vocabulary.aliases)
    own = {w for w in jieba.cut(vocabulary.source_text)
           if len(w) >= INNER_MIN and HAN.fullmatch(w) and w not in vocabulary.units}

    @functools.lru_cache(maxsize=None)
    def inner(token: str) -> tuple[str, ...]:
        parts = [w for w in jieba.cut_for_search(token) if w != token] if token in own else []
        return tuple(dict.fromkeys([*parts, *(a for w in (token, *parts) for a in aliases.get(w, ()))]))

    return inner


def finish_index(site_dir: Path, vocabulary: Vocabulary, workers) -> None:
    """write_index_utf8 with the inner words, where jieba's dictionary is loaded: in this process if
    it indexed pages itself, else in a worker (this process never loads it otherwise: half a second
    and 60 MB)."""
    try:
        import jieba
    except ImportError:
        write_index_utf8(site_dir)
        return
    if jieba.dt.initialized:
        write_index_utf8(site_dir, vocabulary)
    else:
        workers.submit(write_index_utf8, site_dir, vocabulary).wait()


def plan_words() -> tuple[str, ...]:
    """The words configure_jieba was last given (workers are handed them with each page)."""
    return _words
