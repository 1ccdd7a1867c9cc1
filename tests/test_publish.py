"""Publishing: the built tree is readable by any user whatever the umask, and `make publish` makes
atomic, checked releases (DEST/releases/<stamp>, DEST/current switched in one step, five kept) that
`make rollback` steps back through. A release failing its checks publishes nothing, and a published
release is never a build target (`make site SITE=<DEST>/current` would skip every publish check)."""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, nginx
from plansite.builder.permissions import make_readable


def modes(tree: Path) -> dict[str, set[str]]:
    """Paths of the tree grouped by their permission bits (symlinks left out)."""
    found: dict[str, set[str]] = {}
    for path in [tree, *tree.rglob("*")]:
        if not path.is_symlink():
            found.setdefault(oct(stat.S_IMODE(path.stat().st_mode)), set()).add(path.relative_to(tree).as_posix())
    return found


def test_make_readable_opens_a_private_tree(tmp_path):
    tree = tmp_path / "t"
    (tree / "a" / "b").mkdir(parents=True)
    (tree / "a" / "b" / "page.html").write_text("x")
    (tree / "top.csv").write_text("x")
    for path in [tree / "a" / "b" / "page.html", tree / "top.csv"]:
        path.chmod(0o600)
    for path in [tree / "a" / "b", tree / "a", tree]:
        path.chmod(0o700)
    make_readable(tree)
    assert modes(tree) == {"0o755": {".", "a", "a/b"}, "0o644": {"top.csv", "a/b/page.html"}}


def test_a_build_under_umask_077_is_readable_by_anyone(mini_site_strict_umask):
    found = modes(mini_site_strict_umask)
    assert set(found) == {"0o755", "0o644"}, {mode: sorted(paths)[:5] for mode, paths in found.items()}
    assert "." in found["0o755"] and "index.html" in found["0o644"]


def test_nginx_serves_a_build_made_under_umask_077(mini_site_strict_umask):
    """Run as root (as CI does), nginx's workers drop to an unprivileged user, as on a server."""
    with nginx(mini_site_strict_umask) as url:
        for path in ("", "tasks/01/", "downloads/tasks.csv", "assets/images/favicon.png"):
            with urllib.request.urlopen(url + path) as response:
                assert response.status == 200, path


# ---- make publish / make rollback -------------------------------------------------------------


def run_publish(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plansite.publish", *args], cwd=ROOT, capture_output=True, text=True)


def live(dest: Path) -> str:
    return os.readlink(dest / "current")


def release_names(dest: Path) -> list[str]:
    return sorted(p.name for p in (dest / "releases").iterdir())


def test_publish_makes_a_checked_release_and_switches_current(mini_site_strict_umask, tmp_path):
    dest = tmp_path / "srv" / "plan"
    result = subprocess.run(["make", "publish", f"SITE={mini_site_strict_umask}", f"DEST={dest}"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    (name,) = release_names(dest)
    assert re.fullmatch(r"\d{8}T\d{6}Z", name)
    assert (dest / "current").is_symlink() and live(dest) == f"releases/{name}"
    assert (dest / "current" / "index.html").read_bytes() == (mini_site_strict_umask / "index.html").read_bytes()
    assert set(modes(dest / "releases" / name)) == {"0o755", "0o644"}
    assert sorted(p.name for p in dest.iterdir()) == [".release-log.jsonl", "current", "releases"], "a temporary link was left behind"


def test_publish_keeps_the_last_five_releases(mini_site_strict_umask, tmp_path):
    dest = tmp_path / "plan"
    published = []
    for _ in range(7):
        result = run_publish("publish", "--site", str(mini_site_strict_umask), "--dest", str(dest))
        assert result.returncode == 0, result.stderr
        published.append(live(dest).split("/")[1])
    assert len(set(published)) == 7, "each release gets its own folder"
    assert release_names(dest) == sorted(published)[-5:]
    assert live(dest) == f"releases/{published[-1]}"


def test_rollback_goes_back_one_release_at_a_time(mini_site_strict_umask, tmp_path):
    dest = tmp_path / "plan"
    for _ in range(3):
        assert run_publish("publish", "--site", str(mini_site_strict_umask), "--dest", str(dest)).returncode == 0
    first, second, third = release_names(dest)
    result = subprocess.run(["make", "rollback", f"DEST={dest}"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert live(dest) == f"releases/{second}"
    assert run_publish("rollback", "--dest", str(dest)).returncode == 0
    assert live(dest) == f"releases/{first}"
    result = run_publish("rollback", "--dest", str(dest))
    assert result.returncode == 1 and "没有更早的版本" in result.stderr and "Traceback" not in result.stderr
    assert live(dest) == f"releases/{first}"
    assert release_names(dest) == [first, second, third]


def test_a_broken_site_publishes_nothing(mini_site_strict_umask, tmp_path):
    dest = tmp_path / "plan"
    assert run_publish("publish", "--site", str(mini_site_strict_umask), "--dest", str(dest)).returncode == 0
    before, names = live(dest), release_names(dest)

    broken = tmp_path / "broken"
    shutil.copytree(mini_site_strict_umask, broken)
    shutil.rmtree(broken / "tasks" / "02")  # a page of the sitemap, linked from other pages
    about = broken / "about" / "index.html"
    about.write_text(about.read_text(encoding="utf-8").replace("</article>", '<a href="../nowhere/">x</a></article>', 1),
                     encoding="utf-8")
    home = broken / "index.html"  # an inline script the server's Content-Security-Policy would block
    home.write_text(home.read_text(encoding="utf-8").replace("</body>", "<script>alert(1)</script></body>"), encoding="utf-8")

    check = run_publish("check", "--site", str(broken))
    assert check.returncode == 1 and "tasks/02/ 不存在" in check.stderr and "处问题" in check.stderr, check.stderr
    assert run_publish("check", "--site", str(mini_site_strict_umask)).returncode == 0
    result = run_publish("publish", "--site", str(broken), "--dest", str(dest))
    assert result.returncode == 1
    assert "未发布任何内容" in result.stderr and "Traceback" not in result.stderr
    assert "sitemap.xml 列出的页面 http://127.0.0.1/tasks/02/ 不存在" in result.stderr
    assert "about/index.html: ../nowhere/" in result.stderr
    assert "index.html：内联脚本的哈希" in result.stderr
    assert live(dest) == before and release_names(dest) == names
    assert sorted(p.name for p in (dest / "releases").iterdir()) == names, "the rejected copy was left behind"


def test_a_site_built_for_the_placeholder_address_is_refused(built_site, tmp_path):
    dest = tmp_path / "plan"
    result = run_publish("publish", "--site", str(built_site), "--dest", str(dest))
    assert result.returncode == 1
    assert "占位网址 https://example.org/" in result.stderr and "SITE_URL" in result.stderr
    assert not (dest / "current").exists() and release_names(dest) == []


def test_nginx_serves_the_live_release_through_current(mini_site_strict_umask, public_tmp, tmp_path):
    """DEST/current as nginx's root, as deploy/nginx.conf says: after a publish and a rollback
    nginx serves the live release, without a reload."""
    dest = Path(tempfile.mkdtemp(dir=public_tmp)) / "plan"  # nginx's workers must be able to reach it
    dest.parent.chmod(0o755)
    second = tmp_path / "second"
    shutil.copytree(mini_site_strict_umask, second)
    home = second / "index.html"
    home.write_text(home.read_text(encoding="utf-8") + "<!-- second release -->\n", encoding="utf-8")
    with nginx(dest / "current", prefix="/") as url:
        def home_page() -> str:
            with urllib.request.urlopen(url) as response:  # no Accept-Encoding: the page, not its .gz
                return response.read().decode("utf-8")

        assert run_publish("publish", "--site", str(mini_site_strict_umask), "--dest", str(dest)).returncode == 0
        assert "second release" not in home_page()
        assert run_publish("publish", "--site", str(second), "--dest", str(dest)).returncode == 0
        assert "second release" in home_page()
        assert run_publish("rollback", "--dest", str(dest)).returncode == 0
        assert "second release" not in home_page()


# ---- a published release is never a build target ----------------------------------------------

MINI = ROOT / "tests" / "fixtures" / "mini"


def build_into(target: Path | str) -> subprocess.CompletedProcess:
    """`make site DATA=tests/fixtures/mini SITE=<target>` (the build itself, as make runs it)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1/"}
    return subprocess.run([sys.executable, "-m", "plansite", "build", "--data", str(MINI), "--site", str(target)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def tree(root: Path) -> dict[str, str]:
    """Every path under `root` with its link target, or its size and modification time."""
    found = {}
    for path in [root, *sorted(root.rglob("*"))]:
        info = path.lstat()
        found[path.relative_to(root).as_posix()] = (
            "link:" + os.readlink(path) if path.is_symlink() else f"{stat.S_IFMT(info.st_mode)}:{info.st_size}:{info.st_mtime_ns}")
    return found


def assert_not_built(result: subprocess.CompletedProcess, typed: str, *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "网站已生成" not in result.stdout, result.stdout + result.stderr
    assert f"拒绝生成网站到 {typed}：" in result.stderr and "未做任何改动" in result.stderr, result.stderr
    assert "请生成到 site/" in result.stderr and "make publish DEST=" in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


RELEASE_TARGETS = {
    # case: (target from (dest, older release name, live release name), words the message must hold)
    "current": (lambda d, old, new: d / "current", ["线上正在使用的版本", "跳过发布前的全部检查", "占位网址"]),
    "current, as a relative path": (lambda d, old, new: os.path.relpath(d / "current", ROOT), ["线上正在使用的版本"]),
    "the live release": (lambda d, old, new: d / "releases" / new, ["线上正在使用的版本"]),
    "an older release": (lambda d, old, new: d / "releases" / old, ["以前发布的版本", "make rollback"]),
    "a folder in the live release": (lambda d, old, new: d / "current" / "tasks", ["之内的文件夹"]),
    "a new folder in a release": (lambda d, old, new: d / "releases" / old / "new", ["之内的文件夹"]),
    "the destination": (lambda d, old, new: d, ["发布目录", "删除所有已发布的版本"]),
    "its releases folder": (lambda d, old, new: d / "releases", ["存放各个版本的文件夹"]),
}


@pytest.mark.parametrize("case", RELEASE_TARGETS)
def test_a_published_release_is_never_a_build_target(mini_site_strict_umask, tmp_path, case):
    """`make site SITE=<DEST>/current` would rebuild the live release in place (it holds the build's
    stamp), skipping every publish check: refused, the path named as typed, nothing touched."""
    dest = tmp_path / "plan"
    for _ in range(2):
        assert run_publish("publish", "--site", str(mini_site_strict_umask), "--dest", str(dest)).returncode == 0
    old, new = release_names(dest)
    target_of, words = RELEASE_TARGETS[case]
    target = target_of(dest, old, new)
    before = tree(tmp_path)
    result = build_into(target)
    assert_not_built(result, str(target), *words)
    assert tree(tmp_path) == before
    assert live(dest) == f"releases/{new}"


def test_a_link_to_current_is_followed_and_refused(mini_site_strict_umask, tmp_path):
    dest = tmp_path / "plan"
    assert run_publish("publish", "--site", str(mini_site_strict_umask), "--dest", str(dest)).returncode == 0
    link = tmp_path / "www"
    link.symlink_to(dest / "current", target_is_directory=True)
    before = tree(tmp_path)
    result = build_into(link)
    assert_not_built(result, str(link), f"指向 {(dest / 'current').resolve()}", "线上正在使用的版本")
    assert tree(tmp_path) == before


def test_a_release_copied_by_hand_is_known_by_where_it_is(mini_site_strict_umask, tmp_path):
    """The remote-host recipe (rsync into releases/<time>/, ln -sfn … current) leaves no mark."""
    dest = tmp_path / "plan"
    shutil.copytree(mini_site_strict_umask, dest / "releases" / "20240102T030405Z", symlinks=True)
    (dest / "current").symlink_to("releases/20240102T030405Z")
    before = tree(tmp_path)
    assert_not_built(build_into(dest / "current"), str(dest / "current"), "线上正在使用的版本")
    assert tree(tmp_path) == before


def test_a_release_is_known_by_its_mark_without_current(mini_site_strict_umask, tmp_path):
    """make publish marks each release: one is refused even where no current link points at it
    (a server whose root names the release folder itself)."""
    from plansite.builder.target import RELEASE_MARK

    dest = tmp_path / "plan"
    assert run_publish("publish", "--site", str(mini_site_strict_umask), "--dest", str(dest)).returncode == 0
    (release,) = (dest / "releases").iterdir()
    assert (release / RELEASE_MARK).is_file() and "make publish" in (release / RELEASE_MARK).read_text(encoding="utf-8")
    (dest / "current").unlink()
    before = tree(tmp_path)
    assert_not_built(build_into(release), str(release), f"已发布的版本 releases/{release.name}。")
    assert tree(tmp_path) == before


@pytest.mark.parametrize("target", ["current", "current/", "releases/{live}"])
def test_make_clean_leaves_a_release_and_current_alone(mini_site_strict_umask, tmp_path, target):
    """make clean removes a folder holding the build's stamp; a release holds it too, and
    `rm -rf DEST/current` would take the site off line."""
    dest = tmp_path / "plan"
    assert run_publish("publish", "--site", str(mini_site_strict_umask), "--dest", str(dest)).returncode == 0
    site = str(dest / target.format(live=live(dest).split("/")[1]))
    before = tree(dest)
    result = subprocess.run(["make", "-s", "-f", str(ROOT / "Makefile"), "clean", f"SITE={site}"],
                            cwd=tmp_path, capture_output=True, text=True)  # its own rm of .cache: here
    assert result.returncode == 0 and "未删除" in result.stdout and site in result.stdout, result.stdout + result.stderr
    assert tree(dest) == before
