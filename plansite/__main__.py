"""Command line: `python -m plansite check|build|new-quarter|forms|import`. It only parses the arguments
and hands each command to the room that does it: check and build to plansite/builder/site.py, new-quarter,
forms and import to plansite/forms."""
from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
from pathlib import Path

from plansite.arguments import ArgumentParser
from plansite.builder import signals
from plansite.builder.paths import REPO_ROOT as ROOT
from plansite.builder.workers import stop_workers
from plansite.errors import PlanSiteError


def _date(text: str):
    from plansite.model.dates import BadDate, parse_date

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
            from plansite.builder.site import check

            return check(args.data)
        if args.command == "new-quarter":
            from plansite.forms.new_quarter import write_new_quarter

            path = write_new_quarter(args.data, args.period)
            print(f"已生成 {path}：请按文件中的“填写”注释补全，然后运行 make check")
            return 0
        if args.command == "forms":
            from plansite.forms.commands import forms_command

            return forms_command(args.data, args.period, args.out or ROOT / "forms" / args.period)
        if args.command == "import":
            from plansite.forms.commands import import_command

            return import_command(args.data, args.period, args.forms, args.compiled, args.require_all)
        from plansite.builder.site import build

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
