"""Command line: `python -m plansite.publish publish --site site --dest DIR`, `rollback --dest DIR`, and
`check --site site` (the release checks alone, e.g. before copying to a remote host)."""
from __future__ import annotations

import sys
from pathlib import Path

from plansite.arguments import ArgumentParser
from plansite.errors import PlanSiteError
from plansite.publish.check import check_release
from plansite.publish.release import publish, rollback


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="python -m plansite.publish", description="发布网站、回退到上一版本")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    p_pub = sub.add_parser("publish", help="复制、检查并切换到新版本")
    p_pub.add_argument("--site", type=Path, required=True, metavar="网站文件夹", help="make site 生成的网站，如 site")
    p_pub.add_argument("--dest", type=Path, required=True, metavar="发布目录", help="如 /srv/www/plan")
    p_pub.add_argument("--allow-placeholder", action="store_true", help="允许发布按占位网址生成的网站（仅供测试）")
    p_check = sub.add_parser("check", help="只检查生成好的网站能否发布")
    p_check.add_argument("--site", type=Path, required=True, metavar="网站文件夹", help="make site 生成的网站，如 site")
    p_check.add_argument("--allow-placeholder", action="store_true", help="允许按占位网址生成的网站（仅供测试）")
    p_back = sub.add_parser("rollback", help="回退到上一个版本")
    p_back.add_argument("--dest", type=Path, required=True, metavar="发布目录", help="如 /srv/www/plan")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            problems = check_release(args.site, allow_placeholder=args.allow_placeholder)
            for problem in problems:
                print(f"  - {problem}", file=sys.stderr)
            print(f"发布检查有 {len(problems)} 处问题" if problems else f"发布检查通过：{args.site}",
                  file=sys.stderr if problems else sys.stdout)
            return 1 if problems else 0
        if args.command == "publish":
            release = publish(args.site, args.dest, allow_placeholder=args.allow_placeholder)
            print(f"已发布：{args.dest}/current -> releases/{release.name}")
        else:
            release = rollback(args.dest)
            print(f"已回退：{args.dest}/current -> releases/{release.name}")
        return 0
    except PlanSiteError as err:
        print(str(err), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
