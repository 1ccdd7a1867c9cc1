#!/usr/bin/env python3
"""`make bench`: how long builds take on this machine, stage by stage, and how cost grows.

Measures, each in a fresh process as staff would run it:
  - the real plan: cold build (empty chart cache), no-op rebuild, rebuild after editing one period,
    in interleaved rounds (medians and ranges: single builds on a shared machine vary);
  - the same generated Markdown built by plain `mkdocs build` (no data step, no charts), so our own
    overhead is a ratio;
  - synthetic plans 1×, 4×, 16×, 32× the real one: time and peak memory.
Results go to stdout and, with --write, into BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
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
    start = time.perf_counter()
    proc = subprocess.run([PY, "-c", _CHILD, "build", "--data", str(data), "--site", str(site)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr[-3000:]}")
    rss, worker = next(map(int, line.split()[1:]) for line in proc.stderr.splitlines() if line.startswith("MAXRSS_KB"))
    stages = json.loads(timings.read_text()) if timings.exists() else {}
    timings.unlink(missing_ok=True)
    return {"wall": wall, "rss_mb": rss / 1024, "worker_mb": worker / 1024, "stages": stages}


def plain_mkdocs(data: Path, work: Path) -> float:
    """Build the same pages with plain MkDocs: generated Markdown written to disk, no hooks."""
    from plansite.charts.specs import derive_chart_specs
    from plansite.figures.progress import derive_progress
    from plansite.hooks import build_nav
    from plansite.pages.markdown import put_back_raw
    from plansite.builder.assemble import render_site, site_info
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
    config.pop("hooks", None)
    config.pop("watch", None)
    config.update(docs_dir=str(docs), site_dir=str(work / "site"), nav=build_nav(plan), strict=False)
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run([str(Path(PY).parent / "mkdocs"), "build", "-q", "-f", str(work / "mkdocs.yml")],
                   check=True, env=env, capture_output=True)
    return time.perf_counter() - start


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


def _real_plan(tmp: Path, rounds: int) -> list[str]:
    """Rounds of cold build, no-op rebuild, one-period edit and plain MkDocs, interleaved so that
    a slow spell of a shared machine hits every kind alike; reported as medians and ranges."""
    runs: dict[str, list[dict]] = {"cold": [], "noop": [], "edited": []}
    plain: list[float] = []
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
    base = statistics.median(plain)
    lines = [f"## Real plan (31 tasks, 5 periods; median of {rounds} interleaved rounds)", "",
             "| build | median s | range s | median × plain mkdocs | each round × its plain | peak MB: main / worker |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    names = {"cold": "cold (empty chart cache)", "noop": "no-op rebuild", "edited": "after editing one period"}
    for kind, name in names.items():
        walls = [r["wall"] for r in runs[kind]]
        ratios = [w / p for w, p in zip(walls, plain)]
        lines.append(f"| {name} | {statistics.median(walls):.2f} | {min(walls):.2f}–{max(walls):.2f} | "
                     f"{statistics.median(walls) / base:.2f} | {min(ratios):.2f}–{max(ratios):.2f} | "
                     f"{max(r['rss_mb'] for r in runs[kind]):.0f} / {max(r['worker_mb'] for r in runs[kind]):.0f} |")
    lines += [f"| plain `mkdocs build` of the same Markdown | {base:.2f} | {min(plain):.2f}–{max(plain):.2f} | 1.00 | | |",
              "", "Stages (median seconds):", "", "| stage | cold | no-op | one period edited |", "| --- | ---: | ---: | ---: |"]
    for stage in sorted({name for r in runs["cold"] + runs["noop"] for name in r["stages"]}):
        cells = [statistics.median(r["stages"].get(stage, 0.0) for r in runs[kind]) for kind in names]
        lines.append(f"| {stage} | " + " | ".join(f"{c:.2f}" for c in cells) + " |")
    return lines + [""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the results into BENCHMARKS.md")
    parser.add_argument("--scales", default=",".join(map(str, SCALES)))
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="interleaved rounds of the real plan's builds")
    args = parser.parse_args()
    lines = _Report()
    lines += [f"Machine: {machine()}", ""]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        lines += _real_plan(tmp, args.rounds)
        lines += ["## Growth with plan size", "",
                  "Cold: empty chart cache. Warm: the same build again. Plain: `mkdocs build` of the same pages.", "",
                  "| scale | tasks | pages | periods | cold s | warm s | plain mkdocs s | cold peak MB: main / worker |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        from synth_plan import PERIODS, write_plan

        for scale in map(int, args.scales.split(",")):
            synth = tmp / f"synth-{scale}"
            write_plan(scale, synth)
            r = run_build(synth, tmp / f"site-{scale}", tmp / f"cache-{scale}")
            warm = run_build(synth, tmp / f"site-{scale}", tmp / f"cache-{scale}")
            pages = sum(1 for _ in (tmp / f"site-{scale}").rglob("index.html"))
            shutil.rmtree(tmp / f"site-{scale}")
            base = plain_mkdocs(synth, tmp / f"plain-{scale}")
            shutil.rmtree(tmp / f"plain-{scale}")
            lines.append(f"| {scale}× | {31 * scale} | {pages} | {PERIODS.get(scale, 5)} | {r['wall']:.1f} | "
                         f"{warm['wall']:.1f} | {base:.1f} | {r['rss_mb']:.0f} / {r['worker_mb']:.0f} |")
    report = "\n".join(lines)
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
    sys.path.insert(0, str(ROOT / "scripts"))
    sys.exit(main())
