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

sys.path.insert(0, str(ROOT))
from plansite.search.material import read_index  # noqa: E402

EXCLUDE = [".headerlink", ".cite-page", ".print-only"]
SHOWN = 5  # results Pagefind's default UI loads at first
SEARCH_FILES = ("/search/", "/workers/", "/lunr/", "/pagefind")
# (label, bundle folder, page weights): Pagefind as it comes, and with the full text weighted as ours is.
VARIANTS = [("Pagefind {v} extended", "pagefind", {}),
            ("Pagefind {v} extended, full text plan/ at a fifth", "pagefind-tuned", {"plan/": 0.2})]


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
    docs = read_index(site)["docs"]  # packed for the worker: the locations as it reads them
    return list(dict.fromkeys(doc["location"].split("#")[0] for doc in docs))


def stage(site: Path, pages: list[str], folder: Path, weights: dict[str, float]) -> None:
    """The indexed pages, each page of `weights` with its article weighted so (Pagefind's
    data-pagefind-weight; our Material search gives the full text plan/ a fifth of the weight)."""
    for page in pages:
        target = folder / page / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (site / page / "index.html").read_text(encoding="utf-8")
        if page in weights:
            text = text.replace("<article ", f'<article data-pagefind-weight="{weights[page]}" ', 1)
        target.write_text(text, encoding="utf-8")


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


PAGEFIND_SEARCH = """async ([q, base, shown, bundle]) => {
  if (!window.pf) {
    window.pf = await import(base + bundle + '/pagefind.js');
    await window.pf.options({baseUrl: base});
    await window.pf.init();
  }
  const search = await window.pf.search(q);
  const data = await Promise.all(search.results.slice(0, shown).map(r => r.data()));
  return data.map(d => [new URL(d.url, location.href).href,
                        [...d.excerpt.matchAll(/<mark>(.*?)<\\/mark>/g)].map(m => m[1])]);
}"""


def pagefind_outcomes(page, base: str, queries: list[dict], bundle: str = "pagefind") -> list[Outcome]:
    page.goto(base)
    out = []
    for query in queries:
        items = page.evaluate(PAGEFIND_SEARCH, [str(query["q"]), base, 10, bundle])
        pages = [page_path(href, base) for href, _ in items]
        marks = {page_path(href, base): words for href, words in items}
        out.append(Outcome(str(query["q"]), query["kind"], query["pages"], pages,
                           "" if pages else NO_RESULTS, marks))
    return out


def first_search_bytes(browser, base: str, root: Path, q: str, engine: str) -> dict[str, int]:
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
        page.evaluate(PAGEFIND_SEARCH, [q, base, SHOWN, "pagefind"])
    page.wait_for_load_state("networkidle")
    context.close()
    return {u[len(base):]: served_bytes(u, base, root) for u in set(urls)
            if u.startswith(base) and any(part in u for part in SEARCH_FILES)}


def kb(files: dict[str, int]) -> float:
    return sum(files.values()) / 1024


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
        times = {}
        for label, bundle, weights in VARIANTS:
            shutil.rmtree(staged, ignore_errors=True)
            stage(site, pages, staged, weights)
            times[bundle] = [build_pagefind(python, staged, served / bundle) for _ in range(args.runs)]
            precompress(served / bundle)
        for path in [served, *served.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        conftest.nginx_server_block = with_wasm_csp(conftest.nginx_server_block)

        from playwright.sync_api import sync_playwright
        with conftest.nginx(served) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=conftest.CHROMIUM, args=conftest.CHROMIUM_ARGS)
            results = {}
            runs = [("material", lambda p: run_queries(p, base, queries))]
            runs += [(bundle, lambda p, b=bundle: pagefind_outcomes(p, base, queries, b)) for _, bundle, _ in VARIANTS]
            for engine, run in runs:
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                outcomes = run(context.new_page())
                context.close()
                results[engine] = (summarise(outcomes), outcomes)
            # Material's first search is the same files whatever the query; Pagefind's depends on it.
            sizes = {engine: [first_search_bytes(browser, base, served, str(q["q"]), engine)
                              for q in (queries if engine == "pagefind" else queries[:3])]
                     for engine in ("material", "pagefind")}
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for engine, (summary, outcomes) in results.items():
        print(f"\n## {engine}: {summary['queries']} queries, first {summary['first']:.1%}, top-3 {summary['top3']:.1%}")
        for o in outcomes:
            if not o.ok_first:
                print(("·" if o.ok_top3 else "✗"), o.q, o.rank, o.pages[:3])
    for engine, runs in sizes.items():
        totals = sorted(kb(files) for files in runs)
        print(f"\n{engine} first search: median {statistics.median(totals):.1f} KB, "
              f"min {totals[0]:.1f} KB, max {totals[-1]:.1f} KB; the median query's files:")
        median = min(runs, key=lambda files: abs(kb(files) - statistics.median(totals)))
        for name, size in sorted(median.items(), key=lambda item: -item[1]):
            print(f"  {size / 1024:6.1f} KB  {name}")
    for bundle, seconds in times.items():
        print(f"\n{bundle}: Pagefind {args.pagefind} (extended) over {len(pages)} pages: "
              f"{', '.join(f'{t:.2f}' for t in seconds)} s")
    material = sorted(kb(files) for files in sizes["material"])
    pagefind = sorted(kb(files) for files in sizes["pagefind"])
    rows = [("Material's search tuned (as shipped)", f"{results['material'][0]['first']:.0%}",
             f"{results['material'][0]['top3']:.0%}", f"{statistics.median(material):.1f} KB",
             "none (indexed on the build's second core)")]
    for label, bundle, _ in VARIANTS:
        summary = results[bundle][0]
        rows.append((label.format(v=args.pagefind), f"{summary['first']:.0%}", f"{summary['top3']:.0%}",
                     f"{statistics.median(pagefind):.1f} KB median, {pagefind[-1]:.1f} KB max",
                     f"{statistics.median(times[bundle]):.2f} s"))
    print("\n" + table(rows))


if __name__ == "__main__":
    main()
