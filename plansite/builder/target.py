"""Where a build may put the site: a new or empty folder, or one an earlier build made (stamped).

The build replaces its output folder as a whole (plansite/builder/site.py), so a mistyped SITE= would
otherwise delete whatever that folder held. Places that must never be replaced (/, the home
folder, the data, the docs, the repository) are refused whatever they hold; any other folder only
if it holds something and no stamp. Paths are compared resolved, symlinks followed.

A release `make publish` made (DEST/releases/<time>/, DEST/current a symlink to the live one) holds
the stamp, copied from site/, but is never a build target: rebuilt in place it would skip every
publish check. It is known by its mark (written by make publish) or, copied there by hand (rsync),
by where it is: a folder in a releases/ folder beside a current symlink.
"""
from __future__ import annotations

import os
import pwd
from pathlib import Path

from ..errors import TargetError

STAMP = ".plansite-build"
# Written last into every site; its bytes never change, so two builds stay byte-identical.
STAMP_TEXT = (
    "此文件夹由本网站的生成程序（make site，即 python -m plansite build）生成。\n"
    "下次生成时，整个文件夹会被新生成的网站替换：请不要在这里存放其他文件。\n"
    "生成程序只替换带有本文件的文件夹（或空文件夹），请勿删除本文件。\n"
)
REPO_MARKS = (".git", "mkdocs.yml")  # a folder holding either is a repository, never replaced
RELEASE_MARK = ".plansite-release"  # written by make publish into each release; nginx serves nothing hidden
RELEASE_MARK_TEXT = (
    "此文件夹是 make publish 发布的一个网站版本（在发布目录的 releases/ 中，current 指向线上的版本）。\n"
    "不要修改这里的文件，也不要用 make site 生成到这里：请生成到 site/，再用 make publish 发布为新版本。\n"
)


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


def _is_destination(folder: Path) -> bool:
    """A publish destination: releases/ beside a current symlink."""
    return (folder / "current").is_symlink() and (folder / "releases").is_dir()


def check_not_release(typed: Path, site: Path) -> None:
    """Refuse a `site` (resolved) that is, or lies in, a published release, a publish destination or
    its releases/ folder; the message names the path as typed, and where it leads."""
    how = "是 " if Path(os.path.abspath(typed)) == site else f"指向 {site}，即 "
    skipped = "在这里生成会直接改写已发布的网站，跳过发布前的全部检查（页面、链接、内容安全策略，以及是否按占位网址生成）"
    reason = dest = None
    for folder in (site, *site.parents):
        if folder.parent.name == "releases" and ((folder / RELEASE_MARK).is_file() or _is_destination(folder.parent.parent)):
            dest = folder.parent.parent
            current = dest / "current"
            kind = ("" if not current.is_symlink() else "（线上正在使用的版本）" if current.resolve() == folder
                    else "（以前发布的版本，make rollback 会用到它）")
            release = f"make publish 的发布目录 {dest} 中已发布的版本 releases/{folder.name}{kind}"
            reason = f"它{how}{release if folder == site else release + '之内的文件夹'}。{skipped}"
            break
    else:
        if _is_destination(site):
            dest, reason = site, f"它{how}make publish 的发布目录（其中有 releases/ 和 current），替换它会删除所有已发布的版本"
        elif site.name == "releases" and _is_destination(site.parent):
            dest = site.parent
            reason = f"它{how}make publish 的发布目录 {dest} 中存放各个版本的文件夹，替换它会删除所有已发布的版本"
    if reason:
        raise TargetError(f"拒绝生成网站到 {typed}：{reason}。未做任何改动。\n"
                          f"请生成到 site/（make site，正式发布时设置 SITE_URL），检查无误后用 "
                          f"make publish DEST={dest} 发布为新版本。")


def check_target(site: Path, data: Path, config: Path, root: Path) -> Path:
    """The site folder resolved, refused if it is or holds a protected place or is a published
    release (check_replaceable follows once MkDocs' docs_dir is known)."""
    typed, site = site, Path(os.path.abspath(site)).resolve()
    check_not_release(typed, site)
    check_place(site, protected_places(data, config, root))
    return site
