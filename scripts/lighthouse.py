#!/usr/bin/env python3
"""Lighthouse scores (performance, accessibility, best practices, SEO) for every page type of the site.

    make lighthouse            # or: .venv/bin/python scripts/lighthouse.py [--site DIR [--port N]] [--runs N] [--desktop]

Builds the real site into a temporary folder for http://127.0.0.1:<port>/ (so canonical links
point at the server, as they will at the published address), serves it on 127.0.0.1, and runs the
npm Lighthouse (pinned in package-lock.json; installed here with `npm ci` when missing) against
Debian's Chromium. The server sends the build's precompressed .gz files, as nginx `gzip_static`
would. Prints one line per page and every audit that did not pass; exits 1 unless performance is
at least 95 and every other score is 100. Not part of `make test`: a run takes about 15 seconds, so
three of each of the 16 page types about a quarter of an hour (--pages for fewer).

--site DIR serves an existing build instead (not rebuilt, not deleted); build it with
SITE_URL=http://127.0.0.1:N/ and pass --port N so its canonical links match the server.
--runs N measures each page N times (simulated throttling is noisy) and judges each page by its
median performance score (the lower middle one when N is even). Each line also shows the metrics
behind the score: FCP, LCP and Speed Index in seconds, TBT in milliseconds, CLS.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
REQUIRED = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Every page type of the site: one page each (the indicator and report pages: the first and the
# latest the build wrote), the content pages first, then the lists and the reference pages.
PAGES = {
    "home": "",
    "task": "tasks/05/",
    "chapter": "chapters/01/",
    "unit": "departments/quality-supervision/",
    "indicator": None,
    "report": None,
    "plan": "plan/",
    "tasks": "tasks/",
    "units": "departments/",
    "indicators": "indicators/",
    "reports": "reports/",
    "downloads": "downloads/",
    "method": "method/",
    "schema": "schema/",
    "about": "about/",
    "sitemap": "sitemap/",
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves page.html.gz for page.html when the browser accepts gzip, like nginx gzip_static."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        packed = path.with_name(path.name + ".gz")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not packed.is_file():
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(packed.stat().st_size))
        self.end_headers()
        return open(packed, "rb")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        print("正在安装 Lighthouse（npm ci，含 devDependencies）……", file=sys.stderr)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True)
        (ROOT / "node_modules" / ".installed").touch()


def build(site: Path, url: str) -> None:
    env = {**os.environ, "SITE_URL": url, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "plansite", "build", "--site", str(site)], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def run(url: str, out: Path, desktop: bool) -> dict:
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}",
               "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run"]
    if desktop:
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    return json.loads(out.read_text(encoding="utf-8"))


def metrics(report: dict) -> str:
    """FCP, LCP, Speed Index in seconds, TBT in ms, CLS: the numbers behind the performance score."""
    value = {a: report["audits"][a].get("numericValue") or 0 for a in
             ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
              "cumulative-layout-shift", "speed-index")}
    return (f"{value['first-contentful-paint'] / 1000:>5.1f} {value['largest-contentful-paint'] / 1000:>5.1f} "
            f"{value['total-blocking-time']:>5.0f} {value['cumulative-layout-shift']:>5.3f} "
            f"{value['speed-index'] / 1000:>5.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset (default: mobile)")
    parser.add_argument("--site", type=Path, help="serve this existing build instead of building one")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (default: 1)")
    parser.add_argument("--reports", type=Path, help="keep the JSON reports in this folder, replacing those of an "
                        "earlier run (make lighthouse: .cache/lighthouse, which make bench reads; default: discarded)")
    parser.add_argument("--pages", help="only these page types, comma-separated (default: every one)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs 至少为 1")
    if args.site and not (args.site / "index.html").is_file():
        parser.error(f"{args.site} 中没有 index.html：不是生成好的网站")
    ensure_lighthouse()
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)
        for old in args.reports.glob("*-[0-9]*.json"):  # an earlier run's: never mixed with this one's
            old.unlink()
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}/"
    failed = False
    with tempfile.TemporaryDirectory(prefix="plansite-lighthouse-") as tmp:
        if args.site:
            site = args.site.resolve()
        else:
            site = Path(tmp) / "site"
            build(site, base)
        pages = dict(PAGES)
        pages["indicator"] = next(p.parent.relative_to(site).as_posix() + "/"
                                  for p in sorted((site / "indicators").glob("*/index.html")))
        pages["report"] = sorted(p.parent.relative_to(site).as_posix() + "/"
                                 for p in (site / "reports").glob("*/index.html"))[-1]
        if args.pages:
            unknown = sorted(set(args.pages.split(",")) - set(pages))
            if unknown:
                parser.error(f"没有这些页面类型：{'、'.join(unknown)}（可选：{','.join(pages)}）")
            pages = {name: path for name, path in pages.items() if name in args.pages.split(",")}
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            print(f"{'page':<10} {'performance':>11} {'accessibility':>13} {'best-practices':>14} {'seo':>5}  "
                  f"{'FCP':>5} {'LCP':>5} {'TBT':>5} {'CLS':>5} {'SI':>5}  address")
            for name, path in pages.items():
                runs = []
                for i in range(args.runs):
                    report = run(base + path, (args.reports or Path(tmp)) / f"{name}-{i + 1}.json", args.desktop)
                    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
                    runs.append(scores)
                    print(f"{name:<10} {scores['performance']:>11} {scores['accessibility']:>13} "
                          f"{scores['best-practices']:>14} {scores['seo']:>5}  {metrics(report)}  /{path}")
                    for category in CATEGORIES:
                        for ref in report["categories"][category]["auditRefs"]:
                            audit = report["audits"][ref["id"]]
                            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                                print(f"{'':<10} ✗ {category}: {ref['id']} — {audit['title']}")
                # Performance varies from run to run: judge it by the median; the others by every run.
                performance = sorted(r["performance"] for r in runs)[(len(runs) - 1) // 2]
                failed |= performance < REQUIRED["performance"]
                failed |= any(r[c] < REQUIRED[c] for r in runs for c in CATEGORIES if c != "performance")
        finally:
            server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
