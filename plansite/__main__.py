"""Command line: `python -m plansite check|build|new-quarter|forms|import`.

build writes the whole site into a temporary folder beside the target and swaps it in only when
every stage succeeded, so a failed or interrupted build leaves the published site/ exactly as it
was; the target must be new, empty or an earlier build's (plansite/target.py).
"""
from __future__ import annotations

import argparse
import atexit
import calendar
import errno
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from plansite import signals
from plansite.arguments import ArgumentParser
from plansite.compress import write_precompressed
from plansite.drawing import has_charts_to_draw, prepare_worker
from plansite.errors import PlanSiteError, TargetError
from plansite.publish.permissions import make_readable
from plansite.target import check_place, check_replaceable, check_target, write_stamp
from plansite.timing import stage, write_timings
from plansite.validate import load_plan
from plansite.workers import start_early, stop_workers

ROOT = Path(__file__).resolve().parent.parent


def check(data: Path) -> int:
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
    site = check_target(site, data, config, ROOT)  # before anything is read or written
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
    with stage("load_validate"):  # read once: the hook's load_plan finds it remembered
        plan = load_plan(data.resolve())
    # Nothing refused, the data valid, charts to draw: the worker starts importing matplotlib now,
    # while MkDocs starts; the hooks take it over. (Not sooner: a refused build leaves no trace,
    # not even matplotlib's cache folder; and a rebuild drawing nothing needs no matplotlib.)
    if has_charts_to_draw(plan):
        start_early(prepare_worker)
    # Same data, same bytes: MkDocs dates the sitemap and its .gz by SOURCE_DATE_EPOCH, else by the clock.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(calendar.timegm(plan.data_date.timetuple())))
    staging = _make_staging(site)
    cfg["site_dir"] = str(staging)
    try:
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
    except Abort as err:  # the data hook's report, or MkDocs' strict-mode warnings
        _discard(staging)
        raise PlanSiteError(str(err)) from None
    except (MkDocsException, SystemExit) as err:
        _discard(staging)
        raise PlanSiteError(f"网站生成失败，原有网站保持不变：{err}") from None
    except BaseException:  # TargetError, Ctrl-C, SIGTERM, anything unforeseen
        _discard(staging)
        raise
    if not os.environ.get("SITE_URL"):
        print(f"提示：未设置 SITE_URL，规范网址暂用 {cfg.site_url}；正式发布前请设置，如 SITE_URL=https://… make site")
    return 0


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


def _discard(staging: Path) -> None:
    """Stop any worker still running (an interrupted build) and remove the staging folder."""
    with signals.held():
        stop_workers()
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


def _date(text: str):
    from plansite.dates import BadDate, parse_date

    try:
        return parse_date(text)
    except BadDate as err:
        raise argparse.ArgumentTypeError(f"日期{err}") from None


def _require_folder(data: Path) -> None:
    if data.exists() and not data.is_dir():
        raise PlanSiteError(f"--data 应当是数据文件夹（含 plan.yaml 等文件），但 {data} 是一个文件。"
                            "请指向它所在的文件夹，如 DATA=data")


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="python -m plansite", description="检查数据、生成网站")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    p_check = sub.add_parser("check", help="只检查数据")
    p_check.add_argument("--data", type=Path, default=ROOT / "data", metavar="数据文件夹", help="默认 data")
    p_build = sub.add_parser("build", help="检查数据并生成网站")
    p_build.add_argument("--data", type=Path, default=ROOT / "data", metavar="数据文件夹", help="默认 data")
    p_build.add_argument("--site", type=Path, default=ROOT / "site", metavar="输出文件夹", help="默认 site")
    p_build.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", metavar="配置文件", help="默认 mkdocs.yml")
    p_new = sub.add_parser("new-quarter", help="从最新一期生成下一季度的进展文件")
    p_new.add_argument("--data", type=Path, default=ROOT / "data", metavar="数据文件夹", help="默认 data")
    p_new.add_argument("--period", required=True, metavar="报告期", help="如 2016-Q1")
    p_forms = sub.add_parser("forms", help="生成各单位的季度报表和催报名单")
    p_forms.add_argument("--data", type=Path, default=ROOT / "data", metavar="数据文件夹", help="默认 data")
    p_forms.add_argument("--period", required=True, metavar="报告期", help="如 2016-Q1")
    p_forms.add_argument("--out", type=Path, metavar="文件夹", help="输出文件夹，默认 forms/报告期/")
    p_import = sub.add_parser("import", help="检查交回的报表并写入进展文件")
    p_import.add_argument("--data", type=Path, default=ROOT / "data", metavar="数据文件夹", help="默认 data")
    p_import.add_argument("--period", required=True, metavar="报告期", help="如 2016-Q1")
    p_import.add_argument("--forms", type=Path, required=True, metavar="文件夹", help="交回的报表所在的文件夹")
    p_import.add_argument("--require-all", action="store_true", help="有单位未交回报表时报错，不写入")
    p_import.add_argument("--compiled", type=_date, metavar="日期", help="汇总日期，如 2016-04-15，默认今天")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        _require_folder(args.data)
        if args.command == "check":
            return check(args.data)
        if args.command == "new-quarter":
            from plansite.quarter import write_new_quarter

            path = write_new_quarter(args.data, args.period)
            print(f"已生成 {path}：请按文件中的“填写”注释补全，然后运行 make check")
            return 0
        if args.command == "forms":
            from plansite.forms.cli import forms_command

            return forms_command(args.data, args.period, args.out or ROOT / "forms" / args.period)
        if args.command == "import":
            from plansite.forms.cli import import_command

            return import_command(args.data, args.period, args.forms, args.compiled, args.require_all)
        with signals.interruptible():  # SIGTERM (CI's timeout) cleans up as Ctrl-C does
            return build(args.data, args.site, args.config)
    except KeyboardInterrupt as err:
        name = getattr(err, "signal_name", "Ctrl-C")
        print(f"已中断（{name}）：生成已停止，临时文件夹已删除，工作进程已结束。", file=sys.stderr)
        return getattr(err, "exit_status", 130)
    except PlanSiteError as err:  # DataError included: its message is the full report
        print(str(err), file=sys.stderr)
        return 1


def end_process(code: int) -> None:
    """Exit as soon as the command is done. A build leaves a few hundred MB of Python objects
    (jieba's dictionary, MkDocs' pages, the charts); freeing them one by one at exit took 0.8 s, a
    tenth of a cold build. Output is flushed and the exit handlers run (logging's, multiprocessing's);
    only that freeing is skipped, and the system takes the memory back at once."""
    stop_workers()  # one still running has nothing left to do (a build that failed early)
    sys.stdout.flush()
    sys.stderr.flush()
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":
    end_process(main())
