#!/usr/bin/env python3
"""`make bench`: the issue's table in one run, with the builds' stages and how cost grows.

Measures, each build in a fresh process as staff would run it:
  - the real plan: cold build (empty chart cache), no-op rebuild, rebuild after editing one period,
    and the same pages built by plain Material (`mkdocs build` of the generated Markdown, no hooks:
    no data step, no charts, no QR codes, no search exclusions), in interleaved rounds (medians
    and ranges: single builds on a shared machine vary), in seconds of the clock and of CPU;
  - what a phone downloads on first load of each page type and on its first search, from nginx
    with deploy/nginx.conf, in Chromium (scripts/bench_pages.py; `--no-pages` skips it);
  - Lighthouse's mobile performance per page type: read from the last `make lighthouse`'s reports,
    or measured now with `--lighthouse` (three runs of every page type: many minutes);
  - synthetic plans 1×, 4×, 16×, 32× the real one: time and peak memory (`--scales`).
Results go to stdout and, with --write, into BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
import bench_pages  # noqa: E402  (scripts/: the page weights and Lighthouse)
PY = sys.executable
SCALES = (1, 4, 16, 32)
ROUNDS = 5  # single builds on a shared 2-core machine vary by ±20 %

# Run the build in a child that reports its own peak memory and its largest worker's (ru_maxrss is
# in KiB on Linux; the workers have ended by then).
_CHILD = """
import resource, sys
from plansite.__main__ import end_process, main
code = main(sys.argv[1:])
print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
end_process(code)  # as `python -m plansite` ends
"""


def run_build(data: Path, site: Path, cache: Path, env_extra: dict | None = None) -> dict:
    timings = Path(tempfile.mktemp(suffix=".json"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PLANSITE_CHART_CACHE": str(cache),
           "PLANSITE_TIMINGS": str(timings), **(env_extra or {})}
    cpu, start = _cpu_of_children(), time.perf_counter()
    proc = subprocess.run([PY, "-c", _CHILD, "build", "--data", str(data), "--site", str(site)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - start, _cpu_of_children() - cpu
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr[-3000:]}")
    rss, worker = next(map(int, line.split()[1:]) for line in proc.stderr.splitlines() if line.startswith("MAXRSS_KB"))
    stages = json.loads(timings.read_text()) if timings.exists() else {}
    timings.unlink(missing_ok=True)
    return {"wall": wall, "cpu": cpu, "rss_mb": rss / 1024, "worker_mb": worker / 1024, "stages": stages}


def _cpu_of_children() -> float:
    """User and system CPU seconds of the processes this one started and waited for, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plain_mkdocs(data: Path, work: Path) -> dict:
    """Build the same pages with plain MkDocs: generated Markdown written to disk, no hooks."""
    from plansite.charts.specs import derive_chart_specs
    from plansite.figures.progress import derive_progress
    from plansite.hooks import build_nav
    from plansite.pages.markdown import put_back_raw
    from plansite.builder.assemble import render_site, site_info
    from plansite.model.govinfo import derive_gov_footer
    from plansite.model.load import load_plan

    plan = load_plan(data)
    docs = work / "docs"
    shutil.copytree(ROOT / "docs", docs)
    files, raw = render_site(plan, site_info("https://example.org/bench/"), derive_chart_specs(plan, derive_progress(plan)))
    for path, content in files.items():
        # The same pages in full: plain MkDocs converts the HTML blocks our hook sets aside.
        content = put_back_raw(content, raw.get(path, [])) if isinstance(content, str) else content
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    config.pop("watch", None)
    # Our hook is replaced by one that only hands the theme's overrides (overrides/) the names they
    # use, as constants: no data step, no charts, no QR codes, no search exclusions.
    (work / "globals_hook.py").write_text(_GLOBALS_HOOK.format(globals=json.dumps(_theme_globals(plan), ensure_ascii=False),
                                                               footer=json.dumps(derive_gov_footer({}), ensure_ascii=False)),
                                          encoding="utf-8")
    config.update(docs_dir=str(docs), site_dir=str(work / "site"), nav=build_nav(plan), strict=False,
                  hooks=[str(work / "globals_hook.py")])
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cpu, start = _cpu_of_children(), time.perf_counter()
    subprocess.run([str(Path(PY).parent / "mkdocs"), "build", "-q", "-f", str(work / "mkdocs.yml")],
                   check=True, env=env, capture_output=True)
    return {"wall": time.perf_counter() - start, "cpu": _cpu_of_children() - cpu}


_GLOBALS_HOOK = """import json
def on_config(config):
    config.extra["gov_footer"] = json.loads({footer!r})
def on_env(env, config, files):
    env.globals.update(json.loads({globals!r}))
"""


def _theme_globals(plan) -> dict:
    """What plansite/hooks.py's on_env gives the theme's templates."""
    from plansite import urls
    from plansite.pages.govmeta import derive_site_meta

    return {"site_urls": {"sitemap": urls.page_url(urls.SITEMAP), "feed": urls.FEED, "print_css": urls.PRINT_CSS},
            "site_meta": derive_site_meta(plan, {}, "https://example.org/bench/")}


class _EnvLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's !ENV tags as their defaults (the benchmark sets no such variables)."""


def _env_default(loader, node):
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if len(values) > 1 else None
    return None


_EnvLoader.add_constructor("!ENV", _env_default)


def edit_one_period(data: Path) -> None:
    latest = sorted((data / "progress").glob("*.yaml"))[-1]
    text = latest.read_text(encoding="utf-8")
    latest.write_text(text.replace("summary: ", "summary: （已修改）", 1), encoding="utf-8")


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    mem = next((int(l.split()[1]) // 1024 // 1024 for l in Path("/proc/meminfo").read_text().splitlines()
                if l.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB RAM, Python {platform.python_version()}, {platform.system()}"


def _real_plan(tmp: Path, rounds: int) -> tuple[list[str], dict]:
    """Rounds of cold build, no-op rebuild, one-period edit and plain MkDocs, interleaved so that
    a slow spell of a shared machine hits every kind alike; reported as medians and ranges, in
    seconds of the clock and of CPU (the build and every process it started, user and system: on
    a busy machine the clock measures the other processes too, the CPU seconds much less so)."""
    runs: dict[str, list[dict]] = {"cold": [], "noop": [], "edited": []}
    plain: list[dict] = []
    for i in range(rounds):
        data, cache, site = tmp / f"data-{i}", tmp / f"cache-{i}", tmp / f"site-{i}"
        shutil.copytree(ROOT / "data", data)
        runs["cold"].append(run_build(data, site, cache))
        runs["noop"].append(run_build(data, site, cache))
        edit_one_period(data)
        runs["edited"].append(run_build(data, site, cache))
        plain.append(plain_mkdocs(data, tmp / f"plain-{i}"))
        for path in (data, cache, site, tmp / f"plain-{i}"):
            shutil.rmtree(path, ignore_errors=True)
    base, base_cpu = (statistics.median(p[k] for p in plain) for k in ("wall", "cpu"))
    lines = [f"## Real plan (31 tasks, 5 periods; median of {rounds} interleaved rounds)", "",
             "| build | median s | range s | median × plain | each round × its plain | median CPU s | CPU × plain "
             "| peak MB: main / worker |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    names = {"cold": "cold (empty chart cache)", "noop": "no-op rebuild", "edited": "after editing one period"}
    summary = {}
    for kind, name in names.items():
        walls, cpus = [r["wall"] for r in runs[kind]], [r["cpu"] for r in runs[kind]]
        ratios = [w / p["wall"] for w, p in zip(walls, plain)]
        summary[kind] = (statistics.median(walls) / base, statistics.median(cpus) / base_cpu, min(ratios), max(ratios))
        lines.append(f"| {name} | {statistics.median(walls):.2f} | {min(walls):.2f}–{max(walls):.2f} | "
                     f"{summary[kind][0]:.2f} | {min(ratios):.2f}–{max(ratios):.2f} | {statistics.median(cpus):.2f} | "
                     f"{summary[kind][1]:.2f} | "
                     f"{max(r['rss_mb'] for r in runs[kind]):.0f} / {max(r['worker_mb'] for r in runs[kind]):.0f} |")
    walls = [p["wall"] for p in plain]
    lines += [f"| plain Material (`mkdocs build` of the same pages) | {base:.2f} | {min(walls):.2f}–{max(walls):.2f} | "
              f"1.00 | | {base_cpu:.2f} | 1.00 | |",
              "", "Stages (median seconds; `reuse_check`: is the site as the last build left it, with nothing it "
              "reads changed):", "", "| stage | cold | no-op | one period edited |", "| --- | ---: | ---: | ---: |"]
    for stage in sorted({name for r in runs["cold"] + runs["noop"] for name in r["stages"]}):
        cells = [statistics.median(r["stages"].get(stage, 0.0) for r in runs[kind]) for kind in names]
        lines.append(f"| {stage} | " + " | ".join(f"{c:.2f}" for c in cells) + " |")
    summary["plain"] = (base, base_cpu)
    return lines + [""], summary


def _growth(tmp: Path, scales: list[int]) -> list[str]:
    from synth_plan import PERIODS, write_plan

    lines = ["## Growth with plan size", "",
             "Cold: empty chart cache. No-op: the same build again (nothing changed: the site is kept). "
             "Edited: after editing one period (a full build, the unchanged charts from the cache). "
             "Plain: `mkdocs build` of the same pages.", "",
             "| scale | tasks | pages | periods | cold s | no-op s | edited s | plain mkdocs s | cold CPU s "
             "| plain CPU s | cold peak MB: main / worker |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for scale in scales:
        synth, site, cache = tmp / f"synth-{scale}", tmp / f"site-{scale}", tmp / f"cache-{scale}"
        write_plan(scale, synth)
        r = run_build(synth, site, cache)
        noop = run_build(synth, site, cache)
        pages = sum(1 for _ in site.rglob("index.html"))
        edit_one_period(synth)
        edited = run_build(synth, site, cache)
        shutil.rmtree(site)
        base = plain_mkdocs(synth, tmp / f"plain-{scale}")
        shutil.rmtree(tmp / f"plain-{scale}")
        lines.append(f"| {scale}× | {31 * scale} | {pages} | {PERIODS.get(scale, 5)} | {r['wall']:.1f} | "
                     f"{noop['wall']:.1f} | {edited['wall']:.1f} | {base['wall']:.1f} | {r['cpu']:.1f} | "
                     f"{base['cpu']:.1f} | {r['rss_mb']:.0f} / {r['worker_mb']:.0f} |")
    return lines


def _summary(real: dict, pages: dict | None, lighthouse: list[str] | None) -> list[str]:
    """The issue's table: one row each, the goal beside it (— where none is set)."""
    def ratio(kind):
        wall, cpu, low, high = real[kind]
        return f"**{wall:.2f}×** (rounds {low:.2f}–{high:.2f}×; CPU seconds {cpu:.2f}×)"

    def kb(name):
        if pages is None:
            return "not measured (`--no-pages`)"
        size, requests = pages[name]
        return f"**{size / 1024:.1f} KB** ({requests} requests)"

    plain, plain_cpu = real["plain"]
    return [
        "## The table", "",
        f"Anchor: plain Material (`mkdocs build` of the same pages, no hooks) took {plain:.2f} s "
        f"({plain_cpu:.2f} CPU s) by the median. Page weights: compressed bodies received by Chromium (phone, cold "
        "cache) from nginx serving the site with deploy/nginx.conf (its .gz copies); headers are listed below.", "",
        "| row | measured | goal |", "| --- | --- | --- |",
        f"| task page first load over the wire | {kb('task')} | ≤ 68 KB |",
        f"| home page first load over the wire | {kb('home')} | ≤ 75 KB |",
        f"| first search (index + worker + scripts) | {kb('first search')} | ≤ 55 KB |",
        f"| cold build ÷ plain Material (chart cache empty) | {ratio('cold')} | ≤ 1.3× |",
        f"| no-op rebuild ÷ plain Material | {ratio('noop')} | ≤ 0.5× |",
        f"| Lighthouse mobile performance, median of 3 | {'; '.join(lighthouse) if lighthouse else 'not run'} | 100 |",
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the results into BENCHMARKS.md")
    parser.add_argument("--scales", default=",".join(map(str, SCALES)), help="synthetic plan sizes ('' for none)")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="interleaved rounds of the real plan's builds")
    parser.add_argument("--no-pages", action="store_true", help="skip the page weights (nginx and Chromium)")
    parser.add_argument("--lighthouse", action="store_true",
                        help="run make lighthouse's measurement now (3 runs of every page type) instead of reading "
                             f"its last reports ({bench_pages.LIGHTHOUSE_REPORTS.relative_to(ROOT)})")
    args = parser.parse_args()
    lines = _Report()
    lines += [f"Machine: {machine()}", ""]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        section, real = _real_plan(tmp, args.rounds)
        lines += section
        pages = None
        if not args.no_pages:
            section, pages = bench_pages.page_weights(lambda site, cache: run_build(ROOT / "data", site, cache))
            lines += section
        if args.lighthouse:
            bench_pages.run_lighthouse()
        section, lighthouse = bench_pages.lighthouse_scores()
        lines += section
        scales = [int(s) for s in args.scales.split(",") if s.strip()]
        if scales:
            lines += _growth(tmp, scales)
    summary = _summary(real, pages, lighthouse)
    for line in summary:
        print(line)
    report = "\n".join([*lines[:2], *summary, *lines[2:]])
    if args.write:
        _write_benchmarks(report)
    return 0


class _Report(list):
    """The report's lines, printed as they come so a long run shows progress."""

    def append(self, line: str) -> None:
        print(line, flush=True)
        super().append(line)

    def __iadd__(self, more):
        for line in more:
            self.append(line)
        return self


def _write_benchmarks(report: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    block = f"{start}\n{report}\n{end}"
    text = text[: text.index(start)] + block + text[text.index(end) + len(end):] if start in text else text + block + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
