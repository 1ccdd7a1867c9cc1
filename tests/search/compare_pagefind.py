"""Material's search (as the site ships it) against Pagefind on the same query set, by measurement
(not part of `make test`; results go into BENCHMARKS.md by hand).

    .venv/bin/python tests/search/compare_pagefind.py SITE_DIR [--pagefind 1.5.2] [--runs 3]

Pagefind (its extended build, which segments Chinese) is installed on demand into a virtual
environment of its own under the temp folder, pinned by version; it is never a project requirement.
It indexes what Material's search indexes: the pages listed in SITE_DIR's search_index.json, only
their article (without heading anchors, the cite box and the print-only address). Both engines are
served by Debian's nginx with deploy/nginx.conf (gzip_static: Pagefind's own JS/JSON files get .gz
copies as the build makes for every file; its index files are compressed by Pagefind itself); the
CSP gains 'wasm-unsafe-eval', without which Pagefind's WebAssembly does not run. Every query of
queries.yaml goes through Material's search box and through Pagefind's JS API in Chromium; ranks
are judged by the same rule (measure.Outcome). First-search bytes: what a fresh browser downloads
from focusing the search to the first results shown (Pagefind: its script, WebAssembly, metadata,
the index chunks the query needs and the first five results' fragments, as its default UI loads),
counted as nginx sends them (the .gz copy where there is one).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "search")]

import conftest  # noqa: E402
from measure import NO_RESULTS, Outcome, load_queries, page_path, run_queries, search_once, summarise  # noqa: E402

EXCLUDE = [".headerlink", ".cite-page", ".print-only"]
SHOWN = 5  # results Pagefind's default UI loads at first
SEARCH_FILES = ("/search/", "/workers/", "/lunr/", "/pagefind/")


def install_pagefind(version: str) -> Path:
    """A venv with pagefind[extended]==version (reused when present); returns its python."""
    venv = Path(tempfile.gettempdir()) / f"plansite-pagefind-{version}"
    python = venv / "bin" / "python"
    if not (venv / ".installed").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"pagefind[extended]=={version}"], check=True)
        (venv / ".installed").touch()
    return python


def indexed_pages(site: Path) -> list[str]:
    """The pages Material's search indexes (listings and reports are left out by the build)."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return list(dict.fromkeys(doc["location"].split("#")[0] for doc in docs))


def stage(site: Path, pages: list[str], folder: Path) -> None:
    for page in pages:
        target = folder / page / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / page / "index.html", target)


def build_pagefind(python: Path, staged: Path, out: Path) -> float:
    """Pagefind's CLI over the staged pages, bundle written to `out`; returns its wall time."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([str(python), "-m", "pagefind", "--site", str(staged), "--output-path", str(out),
                    "--root-selector", "article", "--exclude-selectors", ",".join(EXCLUDE), "--quiet"],
                   check=True)
    return time.perf_counter() - start


def precompress(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.suffix in {".js", ".json", ".css"}:
            with gzip.GzipFile(path.with_name(path.name + ".gz"), "wb", compresslevel=9, mtime=0) as gz:
                gz.write(path.read_bytes())


def served_bytes(url: str, base: str, root: Path) -> int:
    """Bytes nginx sends for `url` (gzip_static: the .gz copy when there is one)."""
    path = root / page_path(url.split("?")[0], base)
    if path.is_dir() or url.endswith("/"):
        path = path / "index.html"
    gz = path.with_name(path.name + ".gz")
    return (gz if gz.exists() else path).stat().st_size


def with_wasm_csp(block):
    """deploy/nginx.conf's block, with the one CSP source Pagefind's WebAssembly needs."""
    def server_block(root, port):
        return block(root, port).replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1)
    return server_block


PAGEFIND_SEARCH = """async ([q, base, shown]) => {
  if (!window.pf) {
    window.pf = await import(base + 'pagefind/pagefind.js');
    await window.pf.options({baseUrl: base});
    await window.pf.init();
  }
  const search = await window.pf.search(q);
  const data = await Promise.all(search.results.slice(0, shown).map(r => r.data()));
  return data.map(d => [new URL(d.url, location.href).href,
                        [...d.excerpt.matchAll(/<mark>(.*?)<\\/mark>/g)].map(m => m[1])]);
}"""


def pagefind_outcomes(page, base: str, queries: list[dict]) -> list[Outcome]:
    page.goto(base)
    out = []
    for query in queries:
        items = page.evaluate(PAGEFIND_SEARCH, [str(query["q"]), base, 10])
        pages = [page_path(href, base) for href, _ in items]
        marks = {page_path(href, base): words for href, words in items}
        out.append(Outcome(str(query["q"]), query["kind"], query["pages"], pages,
                           "" if pages else NO_RESULTS, marks))
    return out


def first_search_bytes(browser, base: str, root: Path, q: str, engine: str) -> int:
    """What a fresh phone browser downloads for its first search of `q`, from focus to results."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    urls: list[str] = []
    page.goto(base + "tasks/05/", wait_until="networkidle")
    before = [w.url for w in page.workers]  # Material starts its worker at page load: counted too
    page.on("request", lambda r: urls.append(r.url))
    if engine == "material":
        search_once(page, q)
        urls += before
    else:
        page.evaluate(PAGEFIND_SEARCH, [q, base, SHOWN])
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(served_bytes(u, base, root) for u in set(urls)
               if u.startswith(base) and any(part in u for part in SEARCH_FILES))


def table(rows: list[tuple]) -> str:
    lines = ["| engine | answer first | answer in first 3 | first search downloads (gz) | build time added |",
             "| --- | --- | --- | --- | --- |"]
    return "\n".join(lines + [f"| {' | '.join(map(str, r))} |" for r in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--pagefind", default="1.5.2", help="Pagefind version (PyPI pagefind[extended])")
    parser.add_argument("--runs", type=int, default=3, help="Pagefind builds timed (median)")
    args = parser.parse_args()
    site = args.site.resolve()
    python = install_pagefind(args.pagefind)
    queries = load_queries()

    work = conftest.public_folder("plansite-pagefind-")
    try:
        served, staged = work / "site", work / "staged"
        shutil.copytree(site, served, symlinks=True)
        pages = indexed_pages(site)
        stage(site, pages, staged)
        times = [build_pagefind(python, staged, served / "pagefind") for _ in range(args.runs)]
        precompress(served / "pagefind")
        for path in [served, *served.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        conftest.nginx_server_block = with_wasm_csp(conftest.nginx_server_block)

        from playwright.sync_api import sync_playwright
        with conftest.nginx(served) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=conftest.CHROMIUM, args=conftest.CHROMIUM_ARGS)
            results = {}
            for engine, run in (("material", run_queries), ("pagefind", pagefind_outcomes)):
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                outcomes = run(context.new_page(), base, queries)
                context.close()
                sizes = [first_search_bytes(browser, base, served, str(q["q"]), engine)
                         for q in (queries if engine == "pagefind" else queries[:3])]
                results[engine] = (summarise(outcomes), sizes, outcomes)
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for engine, (summary, sizes, outcomes) in results.items():
        print(f"\n## {engine}: {summary['queries']} queries, first {summary['first']:.1%}, top-3 {summary['top3']:.1%}")
        print(f"first search: median {statistics.median(sizes) / 1024:.1f} KB, max {max(sizes) / 1024:.1f} KB "
              f"(min {min(sizes) / 1024:.1f} KB)")
        for o in outcomes:
            if not o.ok_first:
                print(("·" if o.ok_top3 else "✗"), o.q, o.rank, o.pages[:3])
    mat, pf = results["material"], results["pagefind"]
    print(f"\nPagefind {args.pagefind} (extended) over {len(pages)} pages: "
          f"{', '.join(f'{t:.2f}' for t in times)} s (median {statistics.median(times):.2f} s)\n")
    print(table([
        ("Material's search tuned", f"{mat[0]['first']:.0%}", f"{mat[0]['top3']:.0%}",
         f"{statistics.median(mat[1]) / 1024:.1f} KB", "0 s (indexed on the build's second core)"),
        (f"Pagefind {args.pagefind} extended", f"{pf[0]['first']:.0%}", f"{pf[0]['top3']:.0%}",
         f"{statistics.median(pf[1]) / 1024:.1f} KB median, {max(pf[1]) / 1024:.1f} KB max",
         f"{statistics.median(times):.2f} s"),
    ]))


if __name__ == "__main__":
    main()
