"""Command line: `python -m plansite.publish publish --site site --dest DIR`, `rollback --dest DIR`,
`review --site site --dest DIR` (the 审签单), `log --dest DIR` (the release log), and `check --site site`
(the release checks alone, e.g. before copying to a remote host)."""
from __future__ import annotations

import sys
from pathlib import Path

from plansite.arguments import ArgumentParser
from plansite.builder.paths import REPO_ROOT
from plansite.errors import PlanSiteError
from plansite.publish.approval import LOG_NAME, approval_required, log_lines
from plansite.publish.check import check_release
from plansite.publish.release import live_release, publish, rollback

REVIEWS = REPO_ROOT / "审签单"  # where make review writes, unless told (git-ignored)


def _parser() -> ArgumentParser:
    parser = ArgumentParser(prog="python -m plansite.publish", description="发布网站、回退到上一版本、生成审签单")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    site = dict(type=Path, required=True, metavar="网站文件夹", help="make site 生成的网站，如 site")
    dest = dict(type=Path, required=True, metavar="发布目录", help="如 /srv/www/plan")
    approver = dict(default="", metavar="姓名", help="批准发布的人（签发人），记入发布记录")
    p_pub = sub.add_parser("publish", help="复制、检查并切换到新版本")
    p_pub.add_argument("--site", **site)
    p_pub.add_argument("--dest", **dest)
    p_pub.add_argument("--approver", **approver)
    p_pub.add_argument("--review", type=Path, metavar="审签单", help="make review 生成并已审签的审签单（.docx）")
    p_pub.add_argument("--config", type=Path, default=REPO_ROOT / "mkdocs.yml", metavar="配置文件",
                       help="读取 extra.gov.require_approval 的网站设置，默认 mkdocs.yml")
    p_pub.add_argument("--allow-placeholder", action="store_true", help="允许发布按占位网址生成的网站（仅供测试）")
    p_check = sub.add_parser("check", help="只检查生成好的网站能否发布")
    p_check.add_argument("--site", **site)
    p_check.add_argument("--allow-placeholder", action="store_true", help="允许按占位网址生成的网站（仅供测试）")
    p_back = sub.add_parser("rollback", help="回退到上一个版本")
    p_back.add_argument("--dest", **dest)
    p_back.add_argument("--approver", **approver)
    p_review = sub.add_parser("review", help="对照线上版本列出读者将看到的变化，生成审签单")
    p_review.add_argument("--site", **site)
    p_review.add_argument("--dest", **dest)
    p_review.add_argument("--out", type=Path, metavar="审签单文件",
                          help="审签单（.docx，旁边另存同名 .txt），默认 审签单/审签单-数据指纹前12位.docx")
    p_log = sub.add_parser("log", help="列出发布记录")
    p_log.add_argument("--dest", **dest)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            problems = check_release(args.site, allow_placeholder=args.allow_placeholder)
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            print(f"发布检查有 {len(problems)} 处问题" if problems else f"发布检查通过：{args.site}",
                  file=sys.stderr if problems else sys.stdout)
            return 1 if problems else 0
        if args.command == "review":
            return _review(args.site, args.dest, args.out)
        if args.command == "log":
            lines = log_lines(args.dest.absolute())
            print("\n".join(lines) if lines else f"{args.dest} 还没有发布记录（{LOG_NAME}）")
            return 0
        if args.command == "publish":
            required = approval_required(args.config)
            release = publish(args.site, args.dest, allow_placeholder=args.allow_placeholder, approver=args.approver,
                              review=args.review, require_approval=required)
            print(f"已发布：{args.dest}/current -> releases/{release.name}（已记入 {args.dest}/{LOG_NAME}）")
        else:
            release = rollback(args.dest, approver=args.approver)
            print(f"已回退：{args.dest}/current -> releases/{release.name}（已记入 {args.dest}/{LOG_NAME}）")
        return 0
    except PlanSiteError as err:
        print(str(err), file=sys.stderr)
        return 1


def _review(site: Path, dest: Path, out: Path | None) -> int:
    # Here, not at the top: the data model's schemas and python-docx take 0.35 s to import, which
    # publish, rollback and log, run far more often, have no use for.
    from plansite.publish.review import make_review, review_text
    from plansite.publish.review_docx import write_review

    review = make_review(site, live_release(dest.absolute()))
    docx, text = write_review(review, out or REVIEWS / f"审签单-{review.fingerprint[:12]}.docx")
    print(review_text(review), end="")
    print(f"\n审签单已写入：{docx}（供审签）、{text}（文本版）\n"
          f"审签后发布：make publish DEST={dest} SITE={site} APPROVER=\"签发人姓名\" REVIEW={docx}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
