"""Where a build may put the site: a new or empty folder, or one an earlier build made (stamped).

The build replaces its output folder as a whole (plansite/__main__.py), so a mistyped SITE= would
otherwise delete whatever that folder held. Places that must never be replaced (/, the home
folder, the data, the docs, the repository) are refused whatever they hold; any other folder only
if it holds something and no stamp. Paths are compared resolved, symlinks followed.
"""
from __future__ import annotations

import os
import pwd
from pathlib import Path

from .errors import TargetError

STAMP = ".plansite-build"
# Written last into every site; its bytes never change, so two builds stay byte-identical.
STAMP_TEXT = (
    "此文件夹由本网站的生成程序（make site，即 python -m plansite build）生成。\n"
    "下次生成时，整个文件夹会被新生成的网站替换：请不要在这里存放其他文件。\n"
    "生成程序只替换带有本文件的文件夹（或空文件夹），请勿删除本文件。\n"
)
REPO_MARKS = (".git", "mkdocs.yml")  # a folder holding either is a repository, never replaced


def write_stamp(site: Path) -> None:
    (site / STAMP).write_text(STAMP_TEXT, encoding="utf-8")


def _refuse(site: Path, reason: str) -> TargetError:
    return TargetError(f"拒绝生成网站到 {site}：{reason}。未做任何改动。\n"
                       "请用 SITE= 指定一个新的或空的文件夹（如 SITE=site），或以前由 make site 生成的文件夹。")


def _homes() -> list[Path]:
    homes = [Path(os.path.expanduser("~"))]
    try:
        homes.append(Path(pwd.getpwuid(os.getuid()).pw_dir))
    except KeyError:  # a uid without an entry (some containers)
        pass
    return homes


def protected_places(data: Path, config: Path, root: Path) -> list[tuple[Path, str, bool]]:
    """(place, what it is, whether a site inside it is refused too), resolved."""
    places = [(data, "数据文件夹", True), (root / "data", "本项目的数据文件夹", True),
              (root / "docs", "本项目的文档文件夹", True), (config.parent / "docs", "文档文件夹", True),
              (root, "本项目的仓库", False), (config.parent, "放置 mkdocs.yml 的仓库", False)]
    places += [(home, "你的主文件夹", False) for home in _homes()]
    return [(place.resolve(), what, inside) for place, what, inside in places]


def check_place(site: Path, places: list[tuple[Path, str, bool]]) -> None:
    """Refuse / and a `site` that is, holds or (for data and docs) lies within a protected place."""
    if site == Path(site.anchor):
        raise _refuse(site, "这是根目录 /，替换它会删除整个系统的文件")
    for place, what, _ in places:
        if site == place:
            raise _refuse(site, f"这就是{what}（{place}），替换它会把其中的文件全部删除")
    held = {f"{what}（{place}）": None for place, what, _ in places if place.is_relative_to(site)}
    if held:
        raise _refuse(site, f"它包含{'、'.join(held)}，替换它会把其中的文件全部删除")
    for place, what, inside in places:
        if inside and site.is_relative_to(place):
            raise _refuse(site, f"它位于{what}（{place}）之内；网站不能生成到{what}里")
    for folder in (site, *site.parents):
        if folder.name == ".git":
            raise _refuse(site, f"它位于 git 仓库的内部文件夹 {folder} 之内")


def check_replaceable(site: Path) -> None:
    """Refuse a file, a repository, or a non-empty folder that carries no stamp of an earlier build."""
    if not site.exists():
        return
    if not site.is_dir():
        raise _refuse(site, "它是一个文件，不是文件夹")
    marks = [name for name in REPO_MARKS if (site / name).exists()]
    if marks:
        raise _refuse(site, f"它是一个仓库（含有 {'、'.join(marks)}），替换它会删除仓库和其中的文件")
    if (site / STAMP).is_file() and not (site / STAMP).is_symlink():
        return
    entries = sorted(p.name for p in site.iterdir())
    if entries:
        shown = "、".join(entries[:5]) + ("等" if len(entries) > 5 else "")
        raise _refuse(site, f"这个文件夹不是 make site 生成的（其中没有标记文件 {STAMP}），里面已有 "
                            f"{len(entries)} 项（{shown}）；生成网站会替换整个文件夹、删除它们。"
                            f"如果它确是以前版本生成的网站，请先自行删除或改名")


def check_target(site: Path, data: Path, config: Path, root: Path) -> Path:
    """The site folder resolved, refused if it is or holds a protected place (check_replaceable
    follows once MkDocs' docs_dir is known)."""
    site = Path(os.path.abspath(site)).resolve()
    check_place(site, protected_places(data, config, root))
    return site
