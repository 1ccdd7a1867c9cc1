#!/usr/bin/env python3
"""Lighthouse scores (performance, accessibility, best practices, SEO) for the home, task, unit and indicator pages.

    make lighthouse            # or: .venv/bin/python scripts/lighthouse.py [--site DIR] [--desktop]

Builds the real site into a temporary folder for http://127.0.0.1:<port>/ (so canonical links
point at the server, as they will at the published address), serves it on 127.0.0.1, and runs the
npm Lighthouse (pinned in package-lock.json; installed here with `npm ci` when missing) against
Debian's Chromium. The server sends the build's precompressed .gz files, as nginx `gzip_static`
would. Prints one line per page and every audit that did not pass; exits 1 unless performance is
at least 95 and every other score is 100. Not part of `make test`: four runs take about a minute.
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
PAGES = {
    "home": "",
    "task": "tasks/05/",
    "unit": "departments/quality-supervision/",
    "indicator": None,  # the first indicator page the build wrote
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset (default: mobile)")
    args = parser.parse_args()
    ensure_lighthouse()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    failed = False
    with tempfile.TemporaryDirectory(prefix="plansite-lighthouse-") as tmp:
        site = Path(tmp) / "site"
        build(site, base)
        pages = dict(PAGES)
        pages["indicator"] = next(p.parent.relative_to(site).as_posix() + "/"
                                  for p in sorted((site / "indicators").glob("*/index.html")))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            print(f"{'page':<10} {'performance':>11} {'accessibility':>13} {'best-practices':>14} {'seo':>5}  address")
            for name, path in pages.items():
                report = run(base + path, Path(tmp) / f"{name}.json", args.desktop)
                scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
                print(f"{name:<10} {scores['performance']:>11} {scores['accessibility']:>13} "
                      f"{scores['best-practices']:>14} {scores['seo']:>5}  /{path}")
                for category in CATEGORIES:
                    for ref in report["categories"][category]["auditRefs"]:
                        audit = report["audits"][ref["id"]]
                        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                            print(f"{'':<10} ✗ {category}: {ref['id']} — {audit['title']}")
                failed |= any(scores[c] < REQUIRED[c] for c in CATEGORIES)
        finally:
            server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
