"""The site served as published: Debian's nginx with deploy/nginx.conf's server block as written
(only listen, server_name and root replaced), at the root of a host and under a path prefix.

Precompressed copies, the site's 404 page with status 404, types and charsets of the downloads, no
directory listings, cache lifetimes, security headers, and every page type loading in Chromium
without a Content-Security-Policy violation or a console error."""
from __future__ import annotations

import gzip
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import NGINX_CONF, ROOT, nginx, nginx_server_block
from plansite.publish.csp import csp_problems, page_policy
from test_accessibility import PAGE_TYPES


def fetch(url: str, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the body as sent (not decompressed)."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture(scope="module")
def at_root(built_site):
    """The real site at the root of a host (its links assume its prefix; files and headers do not)."""
    with nginx(built_site, prefix="/") as url:
        yield url


@pytest.fixture(scope="module", params=["prefix", "root"])
def served(request, built_site, site_url, at_root) -> tuple[str, Path]:
    return (site_url if request.param == "prefix" else at_root), built_site


# ---- the configuration as a file ---------------------------------------------------------------


def test_only_listen_server_name_and_root_are_edited(tmp_path):
    text = NGINX_CONF.read_text(encoding="utf-8")
    assert text.count("server {") == 1
    edit_lines = [line.split()[0] for line in text.splitlines() if "# EDIT" in line]
    assert edit_lines == ["listen", "listen", "server_name", "root"]
    ours = nginx_server_block(tmp_path, 8080).splitlines()
    changed = [(a, b) for a, b in zip(text.splitlines(), ours) if a != b]
    assert len(ours) == len(text.splitlines()) and [a.split()[0] for a, _ in changed] == ["listen", "listen", "server_name", "root"]
    assert [b.split()[1] for a, b in changed][:2] == ["127.0.0.1:8080;", "[::1]:8080;"]


def test_the_site_answers_over_ipv6_as_over_ipv4(mini_site_strict_umask):
    """Government sites must answer over IPv6: the server block listens on [::] as on 0.0.0.0."""
    with nginx(mini_site_strict_umask) as url:
        port = urllib.parse.urlsplit(url).port
        pages = {}
        for host in ("127.0.0.1", "[::1]"):
            with urllib.request.urlopen(f"http://{host}:{port}/") as response:
                pages[host] = (response.status, response.headers["Content-Security-Policy"], response.read())
        assert pages["[::1]"] == pages["127.0.0.1"] and pages["[::1]"][0] == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://[::1]:{port}/no-such-page/")
        assert missing.value.code == 404 and "找不到这个页面" in missing.value.read().decode("utf-8")


def test_the_policy_allows_every_inline_script_and_style_of_the_sites(built_site, mini_site_strict_umask):
    assert csp_problems(built_site) == []
    assert csp_problems(mini_site_strict_umask) == []


def test_the_check_finds_an_inline_script_the_policy_does_not_allow(mini_site_strict_umask, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(mini_site_strict_umask, site)
    page = site / "about" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", '<script>alert(1)</script><p style="color:red" onclick="x()"></p></body>'),
                    encoding="utf-8")
    problems = csp_problems(site)
    assert len(problems) == 3 and all(p.startswith("about/index.html：") for p in problems), problems


def test_the_policy_allows_nothing_from_another_origin():
    policy = page_policy()
    sources = {source for values in policy.values() for source in values}
    assert {s for s in sources if not s.startswith("'")} <= {"data:"}, "a host or scheme in the policy"
    assert policy["default-src"] == {"'self'"} and policy["object-src"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'self'"} and policy["base-uri"] == {"'self'"}
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]


# ---- what nginx answers ------------------------------------------------------------------------


def test_precompressed_copies_go_to_clients_that_accept_gzip(served):
    url, site = served
    for path, file in [("", "index.html"), ("tasks/05/", "tasks/05/index.html"), ("downloads/tasks.csv", "downloads/tasks.csv"),
                       ("search/search_index.json", "search/search_index.json")]:
        status, headers, body = fetch(url + path, gzip_ok=True)
        assert status == 200 and headers.get("Content-Encoding") == "gzip", path
        assert body == (site / (file + ".gz")).read_bytes(), path
        assert "Accept-Encoding" in headers.get("Vary", "")
        status, headers, body = fetch(url + path)
        assert status == 200 and "Content-Encoding" not in headers and body == (site / file).read_bytes(), path
        assert gzip.decompress((site / (file + ".gz")).read_bytes()) == body


def test_a_missing_page_gets_the_sites_404_page_with_status_404(served):
    url, site = served
    for path in ("no-such-page/", "tasks/99/", "tasks/05/missing.html", "downloads/nothing.csv"):
        status, headers, body = fetch(url + path)
        assert status == 404, path
        assert body == (site / "404.html").read_bytes(), path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert "Content-Security-Policy" in headers


def test_the_404_page_says_so_in_chinese_and_leads_on_from_any_depth(browser, site_url):
    """At a missing address deep under the site, the page's heading is Chinese and its links to
    the home page and the 网站地图 work (the 404 page is served at every depth)."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        response = page.goto(site_url + "tasks/05/no/such/page.html")
        assert response.status == 404
        assert page.locator("article h1").inner_text() == "找不到这个页面（404）"
        links = {a.inner_text(): a.evaluate("a => a.href") for a in page.locator("article a").all()}
        assert set(links) == {"首页", "网站地图"}
        for name, href in links.items():
            assert fetch(href)[0] == 200, (name, href)
        assert links["首页"] == site_url and links["网站地图"] == site_url + "sitemap/"
    finally:
        context.close()


def test_downloads_have_their_types_with_charset(served):
    url, _ = served
    expected = {
        "": "text/html; charset=utf-8",
        "downloads/tasks.csv": "text/csv; charset=utf-8",
        "downloads/plan.json": "application/json; charset=utf-8",
        "downloads/datapackage.json": "application/json; charset=utf-8",
        "feed.xml": "application/atom+xml; charset=utf-8",
        "sitemap.xml": "application/xml; charset=utf-8",
        "charts/home-status.svg": "image/svg+xml; charset=utf-8",
        "stylesheets/extra.css": "text/css; charset=utf-8",
        "javascripts/a11y.js": "application/javascript; charset=utf-8",
        "assets/images/favicon.png": "image/png",
    }
    for gzip_ok in (False, True):
        found = {path: fetch(url + path, gzip_ok)[1].get("Content-Type") for path in expected}
        assert found == expected


def test_no_directory_listings(served):
    url, site = served
    for folder in ("assets/", "assets/javascripts/", "charts/", "downloads/"):
        assert not (site / folder / "index.html").exists() or folder == "downloads/"
        status, _, body = fetch(url + folder)
        if folder == "downloads/":
            assert status == 200  # a page of the site
            continue
        assert status == 404 and body == (site / "404.html").read_bytes(), folder
    status, _, _ = fetch(url + ".hidden")
    assert status == 404


def test_security_headers_and_cache_lifetimes(served):
    url, site = served
    bundle = next((site / "assets" / "javascripts").glob("bundle.*.min.js")).relative_to(site).as_posix()
    status, headers, _ = fetch(url + bundle)
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # The search worker, which the build patches under Material's name (plansite/search/material.py).
    worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js")).relative_to(site).as_posix()
    for path in ("", "tasks/05/", "downloads/tasks.csv", "feed.xml", worker):
        status, headers, _ = fetch(url + path)
        assert status == 200 and headers["Cache-Control"] == "public, max-age=600", path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "SAMEORIGIN"
        assert "Server" not in headers or headers["Server"] == "nginx", "the version number is shown"
    status, headers, _ = fetch(url + "tasks/05")  # the folder's address without its slash
    assert status == 200  # via a redirect that urllib follows: relative, so any host and port work


# ---- in the browser ----------------------------------------------------------------------------

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
"""


def load_clean(browser, url: str, action=None) -> tuple[list[str], list[str]]:
    """CSP violations and console errors while `url` loads (and `action` runs) in a fresh page."""
    return loads_clean(browser, [url], action)[url]


def loads_clean(browser, urls: list[str], action=None) -> dict[str, tuple[list[str], list[str]]]:
    """load_clean of each of `urls` in turn, in one tab: each is judged once it and what it asks
    for have loaded, so nothing of one is counted for the next. (A fresh browser context each costs
    Chromium a renderer and a first load of Material's script: conftest.module_tab.)"""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.add_init_script(WATCH)
    errors: list[str] = []
    missing: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.on("pageerror", lambda err: errors.append(str(err)))
    seen = {}
    try:
        for url in urls:
            errors.clear()
            missing.clear()
            page.goto(url)
            page.wait_for_load_state("load")
            if action:
                action(page)
            # A chart opened on its own asks the host for a favicon after it has loaded: wait for that
            # too, then judge what was seen (the handlers may still append to the lists).
            page.wait_for_load_state("networkidle")
            violations = page.evaluate("window.__violations")
            seen_errors, seen_missing = list(errors), list(missing)
            # The browser logs a 404 answer itself: expected for the 404 page, and for the favicon a
            # chart opened on its own asks the host for. Any other missing file is an error.
            if all(u == url or u.endswith("/favicon.ico") for u in seen_missing):
                seen_errors = [e for e in seen_errors if "status of 404" not in e]
            seen_errors += [f"404 {u}" for u in seen_missing if u != url and not u.endswith("/favicon.ico")]
            seen[url] = violations, seen_errors
        return seen
    finally:
        context.close()


def test_every_page_type_loads_without_csp_violation_or_console_error(browser, site_url, built_site):
    indicator = sorted((built_site / "indicators").glob("*/index.html"))[0].parent.relative_to(built_site).as_posix() + "/"
    seen = loads_clean(browser, [site_url + path for path in [*PAGE_TYPES, indicator, "charts/home-status.svg"]])
    report = {url[len(site_url):]: violations + errors for url, (violations, errors) in seen.items() if violations or errors}
    assert report == {}


def test_search_and_the_palette_toggle_run_under_the_policy(browser, site_url):
    def search_and_toggle(page):
        box = page.get_by_placeholder("搜索")
        box.click()
        box.press_sequentially("专利")
        box.press("End")
        expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
        page.keyboard.press("Escape")
        page.locator("label[for=__palette_1]").first.click()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")

    violations, errors = load_clean(browser, site_url, search_and_toggle)
    assert (violations, errors) == ([], [])


def test_the_watch_catches_a_violation(browser, mini_site_strict_umask, public_tmp):
    """The listener itself can fail: a page with an inline script the policy does not allow."""
    site = public_tmp / "mini-injected"
    shutil.copytree(mini_site_strict_umask, site)
    page = site / "about" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<script>document.title='x'</script></body>"),
                    encoding="utf-8")
    (site / "about" / "index.html.gz").unlink()
    with nginx(site) as url:
        violations, errors = load_clean(browser, url + "about/")
        assert len(violations) == 1 and violations[0].startswith("script-src-elem inline")
        assert any("Content Security Policy" in e for e in errors)
        assert load_clean(browser, url) == ([], [])  # the mini site at the root of a host is clean
        assert load_clean(browser, url + "no-such-page/") == ([], [])


# ---- README's HTTPS variant --------------------------------------------------------------------


def https_blocks(cert: Path, key: Path, root: Path, port: int, plain_port: int) -> str:
    """README's HTTPS server blocks as an administrator would put them together: its lines for the
    top of the block, then deploy/nginx.conf's own lines after listen, server_name and root."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```nginx\n(.*?)```", readme, re.S).group(1)
    block = "\n".join(line[5:] if line.startswith("     ") else line for line in block.splitlines())
    conf = nginx_server_block(root, port).splitlines()
    body = conf[conf.index(next(line for line in conf if line.strip().startswith("root "))) + 1:]
    body = "\n".join(body[:len(body) - 1 - body[::-1].index("}")])  # without the block's closing brace
    block = block.replace("    # … the rest of deploy/nginx.conf as it is …", body)
    block = (block.replace("/etc/ssl/plan/fullchain.pem", str(cert)).replace("/etc/ssl/plan/privkey.pem", str(key))
             .replace("root /srv/www/plan/current;", f"root {root};").replace("plan.example.gov.cn", "127.0.0.1"))
    block = re.sub(r"listen (\[::\]:)?443 ssl;", lambda m: f"listen {'[::1]' if m.group(1) else '127.0.0.1'}:{port} ssl;", block)
    return re.sub(r"listen (\[::\]:)?80;", lambda m: f"listen {'[::1]' if m.group(1) else '127.0.0.1'}:{plain_port};", block)


def test_the_https_variant_in_readme_runs_and_sends_hsts(mini_site_strict_umask):
    """README's HTTPS lines with deploy/nginx.conf pass `nginx -t` and serve the site over TLS, on
    IPv4 and IPv6, with Strict-Transport-Security on pages and on the 404 page; plain HTTP redirects."""
    import ssl
    import subprocess

    from conftest import NGINX, free_port, public_folder

    work = public_folder("plansite-https-")
    try:
        cert, key = work / "cert.pem", work / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                        "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
        port, plain = free_port(), free_port()
        conf = work / "nginx.conf"
        conf.write_text("worker_processes 1;\nevents { worker_connections 64; }\nhttp {\n    access_log off;\n"
                        + "".join(f"    {kind}_temp_path {work / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
                        + https_blocks(cert, key, mini_site_strict_umask, port, plain) + "\n}\n", encoding="utf-8")
        base = [NGINX, "-p", str(work), "-e", str(work / "error.log"), "-c", str(conf)]
        tested = subprocess.run(base + ["-t", "-g", f"pid {work / 'nginx.pid'};"], capture_output=True, text=True)
        assert tested.returncode == 0, tested.stderr
        server = subprocess.Popen(base + ["-g", f"daemon off; pid {work / 'nginx.pid'};"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            context = ssl.create_default_context(cafile=str(cert))
            context.check_hostname = False  # the throw-away certificate names 127.0.0.1 only
            for host in ("127.0.0.1", "[::1]"):
                for attempt in range(100):
                    try:
                        response = urllib.request.urlopen(f"https://{host}:{port}/", context=context)
                        break
                    except urllib.error.URLError:
                        time.sleep(0.05)
                assert response.status == 200 and response.headers["Strict-Transport-Security"] == "max-age=31536000"
                assert "default-src 'self'" in response.headers["Content-Security-Policy"]
                with pytest.raises(urllib.error.HTTPError) as missing:
                    urllib.request.urlopen(f"https://{host}:{port}/no-such-page/", context=context)
                assert missing.value.code == 404 and missing.value.headers["Strict-Transport-Security"]
            opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                                      {"redirect_request": lambda *args: None}))
            with pytest.raises(urllib.error.HTTPError) as moved:
                opener.open(f"http://127.0.0.1:{plain}/tasks/01/")
            # $host is the host name without the port: the redirect goes to the standard HTTPS port.
            assert (moved.value.code, moved.value.headers["Location"]) == (301, "https://127.0.0.1/tasks/01/")
        finally:
            server.terminate()
            server.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)
