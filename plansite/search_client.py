"""Two fixes to Material's search client (its web worker), applied to the built site's copy.

Measured on tests/search/queries.yaml (BENCHMARKS.md), Material's worker misranks Chinese queries:
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

import logging
from pathlib import Path

log = logging.getLogger("plansite.search")  # not MkDocs' own: strict mode must not stop a correct site

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
        log.warning("站内搜索：Material 的搜索脚本已更改，以下中文搜索修正未应用：%s。请核对 plansite/search_client.py",
                    "、".join(missing))
        return missing
    # Same file name: Material names it by its own content, which changes with every Material release.
    path.write_text(code, encoding="utf-8")
    return []
