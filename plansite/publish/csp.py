"""The Content-Security-Policy of deploy/nginx.conf against a built tree: every inline script, style
element and style attribute of every page must be allowed by a hash in the policy.

The policy is a fixed line of the server configuration (no include to keep in step with `root`, no
reload when a release changes): the site's inline scripts are the same text on every page and for
every SITE_URL, so their hashes change only when Material or the templates change. Then this check
fails (in the tests and in make publish) and `python -m plansite.publish.csp site` prints the
hashes to put into deploy/nginx.conf."""
from __future__ import annotations

import base64
import hashlib
import html.parser
import re
import sys
from pathlib import Path

from plansite.builder.paths import REPO_ROOT

NGINX_CONF = REPO_ROOT / "deploy" / "nginx.conf"
SCRIPT_TYPES = {None, "", "text/javascript", "application/javascript", "module"}


class _Inline(html.parser.HTMLParser):
    """Inline scripts, style elements, style attributes and event-handler attributes of one page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)  # script and style text is hashed as written
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attrs: list[str] = []
        self.handlers: list[str] = []
        self._open: tuple[str, list[str]] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "script" and "src" not in found and found.get("type") in SCRIPT_TYPES:
            self._open = ("script", [])
        elif tag == "style":
            self._open = ("style", [])
        for name, value in attrs:
            if name == "style" and value is not None:
                self.style_attrs.append(value)
            elif name.startswith("on"):
                self.handlers.append(f"{tag} {name}")

    def handle_data(self, data):
        if self._open:
            self._open[1].append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            (self.scripts if tag == "script" else self.styles).append("".join(self._open[1]))
            self._open = None


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def required_sources(tree: Path) -> dict[str, dict[str, str]]:
    """{"script-src"|"style-src": {hash source: first page needing it}} over every HTML file;
    event-handler attributes are returned under "handlers" (no policy allows them)."""
    need: dict[str, dict[str, str]] = {"script-src": {}, "style-src": {}, "handlers": {}}
    for path in sorted(tree.rglob("*.html")):
        page = _Inline(path.read_text(encoding="utf-8"))
        rel = path.relative_to(tree).as_posix()
        for text in page.scripts:
            need["script-src"].setdefault(sha256_source(text), rel)
        for text in page.styles + page.style_attrs:
            need["style-src"].setdefault(sha256_source(text), rel)
        for handler in page.handlers:
            need["handlers"].setdefault(handler, rel)
    return need


def page_policy(conf: Path = NGINX_CONF) -> dict[str, set[str]]:
    """The pages' policy in the server configuration: the value of `set $csp "…";`."""
    match = re.search(r'^\s*set \$csp "([^"]+)";', conf.read_text(encoding="utf-8"), re.M)
    if not match:
        raise ValueError(f"{conf}: no `set $csp \"…\";` line")
    policy: dict[str, set[str]] = {}
    for directive in match.group(1).split(";"):
        words = directive.split()
        if words:
            policy[words[0]] = set(words[1:])
    return policy


def csp_problems(tree: Path, conf: Path = NGINX_CONF) -> list[str]:
    """What a browser would block on the pages of `tree` under the policy of `conf`, in Chinese."""
    policy, need = page_policy(conf), required_sources(tree)
    problems = []
    for directive in ("script-src", "style-src"):
        allowed = policy.get(directive, policy.get("default-src", set()))
        for source, page in need[directive].items():
            if source not in allowed:
                problems.append(f"{page}：内联{'脚本' if directive == 'script-src' else '样式'}的哈希 {source} "
                                f"不在 {conf.name} 的 Content-Security-Policy（{directive}）中")
    for handler, page in need["handlers"].items():
        problems.append(f"{page}：事件属性 {handler} 会被 Content-Security-Policy 拦截")
    return problems


def main(argv: list[str]) -> int:
    """Print the hash sources a built tree needs, for deploy/nginx.conf's `set $csp` line."""
    tree = Path(argv[0] if argv else "site")
    need = required_sources(tree)
    for directive in ("script-src", "style-src"):
        print(directive, " ".join(sorted(need[directive])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
