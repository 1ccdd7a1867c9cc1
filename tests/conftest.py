"""Shared fixtures: the real site built once, served on 127.0.0.1 by Debian's nginx with the server
block of deploy/nginx.conf, and Debian's Chromium."""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
NGINX = "/usr/sbin/nginx"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
# Without these, Chromium phones home at start-up; this machine's closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update",
]


@pytest.fixture(scope="session", autouse=True)
def chart_cache(tmp_path_factory) -> Path:
    """Every build in the test session (they inherit os.environ) shares one fresh chart cache
    instead of the checkout's .cache/charts; tests about the cache set their own. Under
    pytest-xdist the workers share it too (pytest's run folder, above each worker's own), so a
    chart is drawn once per run, not once per worker; the cache writes each file atomically."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        cache = tmp_path_factory.getbasetemp().parent / "chart-cache"
        cache.mkdir(exist_ok=True)
    else:
        cache = tmp_path_factory.mktemp("chart-cache")
    os.environ["PLANSITE_CHART_CACHE"] = str(cache)
    return cache


@pytest.fixture(autouse=True)
def session_environment():
    """Every test starts from the session's os.environ, whatever the tests before it in this process
    (an xdist worker runs whichever files it is given, in an order that varies from run to run) set:
    the builds a test starts inherit it, and a variable left behind (a plan's SOURCE_DATE_EPOCH)
    would change what they write. monkeypatch.delenv of an unset variable, say, records nothing to undo."""
    saved = dict(os.environ)
    yield
    if dict(os.environ) != saved:
        os.environ.clear()
        os.environ.update(saved)


# plansite/pages/nobreak.py keeps each number with its unit, date and ordinal of a page on one line
# in a <span class="nw">; a test reading text or links in the HTML itself reads it without them.
NO_BREAK = re.compile(r'<span class="nw">(.*?)</span>', re.S)


def without_nw(html: str) -> str:
    return NO_BREAK.sub(r"\1", html)


def build_site(data: Path, site: Path) -> subprocess.CompletedProcess:
    """Run the real build command, as `make site DATA=… SITE=…` does."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "plansite", "build", "--data", str(data), "--site", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )


def public_folder(prefix: str) -> Path:
    """A temporary folder every user may enter: pytest's own (/tmp/pytest-of-root) is 0700, and
    nginx's workers, when the tests run as root, run as an unprivileged user as they do on a server."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


@pytest.fixture(scope="session")
def public_tmp() -> Path:
    folder = public_folder("plansite-tests-")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def built_site(public_tmp) -> Path:
    (public_tmp / "real").mkdir()
    (public_tmp / "real").chmod(0o755)
    site = public_tmp / "real" / "site"
    result = build_site(ROOT / "data", site)
    assert result.returncode == 0, result.stderr
    return site


SOFFICE = "/usr/bin/soffice"


def libreoffice_pdfs(documents: list[Path], out: Path, profile: Path) -> dict[Path, Path]:
    """Each document converted to PDF by Debian's LibreOffice, headless, all in one call (it is slow
    to start); document → its PDF in `out`. `profile` is a fresh folder for LibreOffice's settings."""
    assert os.path.exists(SOFFICE), "需要 LibreOffice：运行 make test 会自动安装（scripts/ensure_libreoffice.sh）"
    result = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                             "--convert-to", "pdf", "--outdir", str(out), *map(str, documents)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    pdfs = {document: out / f"{document.stem}.pdf" for document in documents}
    assert all(pdf.is_file() for pdf in pdfs.values()), result.stdout + result.stderr
    return pdfs


@pytest.fixture(scope="session")
def report_pdfs(built_site, tmp_path_factory) -> dict[str, Path]:
    """The real site's quarterly reports (.docx) as LibreOffice lays them out: period → PDF."""
    documents = sorted(built_site.glob("reports/*/*.docx"))
    pdfs = libreoffice_pdfs(documents, tmp_path_factory.mktemp("report-pdf"), tmp_path_factory.mktemp("lo-profile"))
    return {document.stem: pdf for document, pdf in pdfs.items()}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


class serve:
    """Serve a built site on 127.0.0.1 (a free port) for as long as the `with` block lasts."""

    def __init__(self, site: Path):
        handler = functools.partial(_QuietHandler, directory=str(site))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def mini_site_strict_umask(public_tmp) -> Path:
    """The mini plan built as a careful administrator would (umask 077) for the root of a host
    (SITE_URL=http://127.0.0.1/): what a web server's unprivileged user must still be able to read."""
    folder = public_tmp / "mini-077"
    folder.mkdir()
    folder.chmod(0o755)
    site = folder / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1/"}
    result = subprocess.run(
        [sys.executable, "-m", "plansite", "build", "--data", str(ROOT / "tests" / "fixtures" / "mini"), "--site", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, preexec_fn=lambda: os.umask(0o077))
    assert result.returncode == 0, result.stderr
    return site


def site_prefix(site: Path) -> str:
    """The path of the address a site was built for (SITE_URL), from its home page's canonical link."""
    match = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    return urlsplit(match.group(1)).path if match else "/"


def nginx_server_block(root: Path, port: int) -> str:
    """deploy/nginx.conf's server block as written, but for listen (IPv4 and IPv6: 127.0.0.1 and
    [::1] on `port`), server_name and root."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    for name, pattern, value in (("listen", r"\d[^;\s]*", f"127.0.0.1:{port}"), ("listen", r"\[::\]:[^;\s]*", f"[::1]:{port}"),
                                 ("server_name", r"[^;]*", "127.0.0.1"), ("root", r"[^;]*", str(root))):
        text, count = re.subn(rf"^(\s*){name} {pattern};", lambda m: f"{m.group(1)}{name} {value};", text, flags=re.M)
        assert count == 1, f"deploy/nginx.conf: expected one `{name} {pattern}` line, found {count}"
    return text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class nginx:
    """Serve a built site with Debian's nginx and deploy/nginx.conf for as long as the `with` block
    lasts, at the root of the host or under `prefix` (the path of its SITE_URL, by default)."""

    def __init__(self, site: Path, prefix: str | None = None):
        self.site, self.prefix = site, prefix if prefix is not None else site_prefix(site)

    def __enter__(self) -> str:
        assert os.path.exists(NGINX), "需要 Debian 的 nginx：运行 make test 会自动安装"
        self.work = public_folder("plansite-nginx-")
        root = self.site
        if self.prefix != "/":  # the site appears under its prefix inside the web root
            root = self.work / "www"
            link = root / self.prefix.strip("/")
            link.parent.mkdir(parents=True)
            for folder in [root, *link.parents]:
                if folder.is_relative_to(root):
                    folder.chmod(0o755)
            link.symlink_to(self.site)
        for attempt in range(5):  # another process may take the free port first
            self.port = free_port()
            conf = self.work / "nginx.conf"
            conf.write_text("worker_processes 1;\nevents { worker_connections 64; }\nhttp {\n"
                            "    access_log off;\n"
                            + "".join(f"    {kind}_temp_path {self.work / kind};\n"
                                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
                            + nginx_server_block(root, self.port) + "}\n", encoding="utf-8")
            self.process = subprocess.Popen(
                [NGINX, "-p", str(self.work), "-e", str(self.work / "error.log"), "-c", str(conf),
                 "-g", f"daemon off; pid {self.work / 'nginx.pid'};"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if self._ready():
                return f"http://127.0.0.1:{self.port}{self.prefix}"
            self.process.wait()
        raise AssertionError("nginx did not start:\n" + (self.work / "error.log").read_text())

    def _ready(self) -> bool:
        while self.process.poll() is None:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return True
            time.sleep(0.05)
        return False

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.work, ignore_errors=True)

    @property
    def errors(self) -> str:
        return (self.work / "error.log").read_text()


@pytest.fixture(scope="session")
def site_url(built_site):
    """The real site in nginx, under the path of its address, as it will be published."""
    with nginx(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "需要 Debian 的 Chromium：运行 make test 会自动安装"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def recording_page(context):
    """A new page of `context` that records every request it makes, to prove nothing leaves 127.0.0.1."""
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    return page


@pytest.fixture
def page(browser, site_url):
    """A fresh page in a browser context of its own."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield recording_page(context)
    context.close()


# In a fresh browser context Chromium starts a renderer and loads Material's script and styles anew:
# a task page cost 0.94 CPU-s so, 0.31 in a tab already open. Modules whose tests only look at pages
# of the site (nothing they do outlives a test but what `reused_page` undoes: it clears the storage
# of the address the tab is at) share one tab.
@pytest.fixture(scope="module")
def module_tab(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield recording_page(context)
    context.close()


@pytest.fixture
def reused_page(module_tab):
    """The module's one tab, as `page` gives a fresh one: screen media, nothing stored, no request yet."""
    module_tab.emulate_media(media="null")
    if module_tab.url.startswith("http"):
        module_tab.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    module_tab.requests.clear()
    return module_tab
