"""`python -m plansite build`: the whole site into a staging folder beside the target, swapped in only when
every stage succeeded, so a failed or interrupted build leaves the published site/ exactly as it was;
the target must be new, empty or an earlier build's (plansite/builder/target.py)."""
from __future__ import annotations

import calendar
import errno
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import PlanSiteError, TargetError
from ..model.load import load_plan
from . import reuse, signals
from .compress import write_precompressed
from .drawing import has_charts_to_draw, prepare_worker
from .paths import REPO_ROOT
from .permissions import make_readable
from .target import check_place, check_replaceable, check_target, write_stamp
from .timing import stage, write_timings
from .workers import start_early, stop_workers

def check(data: Path) -> int:
    """`make check`: the data folder read and validated as a build reads it."""
    plan = load_plan(data)
    print(f"数据检查通过：{data}（{len(plan.chapters)} 章，{len(plan.tasks)} 项任务，"
          f"{len(plan.departments)} 个单位，{len(plan.indicators)} 项量化目标）")
    return 0


# What a build puts in os.environ for MkDocs (the data folder for mkdocs.yml, the date for the sitemap).
BUILD_ENV = ("PLAN_DATA", "SOURCE_DATE_EPOCH")


def build(data: Path, site: Path, config: Path) -> int:
    """Build the site; os.environ is as it was afterwards. A build run in a process that builds
    again (the tests, a script) must not leave its data's date behind: the next build would keep
    it (setdefault below) and date its sitemap by another plan's data."""
    saved = {name: os.environ.get(name) for name in BUILD_ENV}
    try:
        return _build(data, site, config)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _build(data: Path, site: Path, config: Path) -> int:
    site = check_target(site, data, config, REPO_ROOT)  # before anything is read or written
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    os.environ["PLAN_DATA"] = str(data.resolve())
    try:  # site_dir for now a path nothing can be in (MkDocs' own check would refuse in English)
        cfg = load_config(str(config), site_dir=tempfile.mktemp(prefix="plansite-unset-"), strict=True)
    except (MkDocsException, SystemExit) as err:
        raise PlanSiteError(f"网站生成失败，原有网站保持不变：{err}") from None
    check_place(site, [(Path(cfg.docs_dir).resolve(), "文档文件夹", True)])  # docs_dir as configured
    check_replaceable(site)
    # Before the build reads anything: an input changed meanwhile then shows in the next fingerprint.
    with stage("reuse_check"):
        fingerprint = reuse.fingerprint(cfg, data.resolve())
        same = reuse.unchanged(site, fingerprint)
    if same:
        _reused(site, cfg.site_url)
        return 0
    with stage("load_validate"):  # read once: the hook's load_plan finds it remembered
        plan = load_plan(data.resolve())
    # Nothing refused, the data valid, charts to draw: the worker starts importing matplotlib now,
    # while MkDocs starts; the hooks take it over. (Not sooner: a refused build leaves no trace,
    # not even matplotlib's cache folder; and a rebuild drawing nothing needs no matplotlib.)
    if has_charts_to_draw(plan):
        start_early(prepare_worker)
    # Same data, same bytes: MkDocs dates the sitemap and its .gz by SOURCE_DATE_EPOCH, else by the clock.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(calendar.timegm(plan.data_date.timetuple())))
    staging = None
    try:
        with signals.held():  # a signal between making the folder and noting it would leave it behind
            staging = _make_staging(site)
        cfg["site_dir"] = str(staging)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            with stage("build_total"):
                mkdocs_build(cfg)
        finally:
            cfg.plugins.on_shutdown()
        with stage("precompress"):
            write_precompressed(staging, previous=site if site.is_dir() else None)
        write_stamp(staging)  # after MkDocs, which empties its site_dir first; too small for a .gz
        write_timings()
        make_readable(staging)  # mkdtemp made it 0700: a web server's user must read it
        with signals.held():  # a swap half done would leave no site at all
            check_replaceable(site)  # again: someone may have saved a file there meanwhile
            _swap_in(staging, site)
            print(f"网站已生成：{site}")
        _remember(site, fingerprint)
    except Abort as err:  # the data hook's report, or MkDocs' strict-mode warnings
        _discard(staging)
        raise PlanSiteError(str(err)) from None
    except (MkDocsException, SystemExit) as err:
        _discard(staging)
        raise PlanSiteError(f"网站生成失败，原有网站保持不变：{err}") from None
    except BaseException:  # TargetError, Ctrl-C, SIGTERM, anything unforeseen
        _discard(staging)
        raise
    _site_url_hint(cfg.site_url)
    return 0


def _site_url_hint(site_url: str) -> None:
    if not os.environ.get("SITE_URL"):
        print(f"提示：未设置 SITE_URL，规范网址暂用 {site_url}；正式发布前请设置，如 SITE_URL=https://… make site")


def _reused(site: Path, site_url: str) -> None:
    """Nothing the build reads has changed and the site is as the last build left it (plansite/builder/reuse.py)."""
    write_timings()
    print(f"网站已生成：{site}（数据、文档、配置和程序都与上次生成时相同，网站沿用上次生成的文件）")
    _site_url_hint(site_url)


def _remember(site: Path, fingerprint: str | None) -> None:
    try:
        reuse.remember(site, fingerprint)
    except OSError:  # an unwritable cache costs the next rebuild its shortcut, nothing more
        pass


def _make_staging(site: Path) -> Path:
    """A new, empty folder beside the site (same file system, so the swap is two renames)."""
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{site.name}-building-", dir=site.parent))
    except OSError as err:
        reason = {errno.EACCES: "权限不足或只读", errno.EPERM: "权限不足或只读", errno.EROFS: "只读的文件系统（无写入权限）",
                  errno.EEXIST: "路径中的某一级是文件，不是文件夹", errno.ENOTDIR: "路径中的某一级是文件，不是文件夹",
                  errno.ENOSPC: "磁盘空间不足"}.get(err.errno, err.strerror)
        raise TargetError(f"无法在 {site.parent} 中生成网站：{reason}（{err.filename}）。未做任何改动。\n"
                          "请用 SITE= 指定一个你有写入权限的文件夹，如 SITE=site。") from None


def _discard(staging: Path | None) -> None:
    """Stop any worker still running (an interrupted build) and remove the staging folder."""
    with signals.held():
        stop_workers()
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, site: Path) -> None:
    """Replace site/ by the staged build with two renames; the old tree is removed afterwards."""
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site.name}-old-", dir=site.parent))
        old.rmdir()
        site.rename(old)
    try:
        staging.rename(site)
    except OSError:
        if old:
            old.rename(site)  # put the previous site back
        raise
    if old:
        shutil.rmtree(old, ignore_errors=True)
