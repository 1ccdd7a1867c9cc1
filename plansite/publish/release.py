"""Atomic releases: DEST/releases/<stamp> holds each published tree, DEST/current is a symlink to the
live one, switched by renaming a new symlink over it (one step: a reader gets the old tree or the
new one, never a mixture). A release that fails its checks is removed before it gets a name. Each
release carries a mark (plansite/builder/target.py's RELEASE_MARK): the build never rebuilds it in place.
Every publish and rollback is recorded in DEST's release log, whose lock makes them one at a time
(plansite/publish/approval.py)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from plansite.errors import PublishError
from plansite.publish.approval import ReleaseLog, check_approver, keep_review, review_problems
from plansite.publish.check import check_release
from plansite.publish.reader_view import read_view
from plansite.builder.permissions import DIR_MODE, make_readable
from plansite.builder.target import RELEASE_MARK, RELEASE_MARK_TEXT

KEEP = 5  # releases kept on the server, the live one always among them


def releases(dest: Path) -> list[Path]:
    """Published releases, oldest first (their names are UTC time stamps)."""
    folder = dest / "releases"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def live_release(dest: Path) -> Path | None:
    current = dest / "current"
    return (dest / os.readlink(current)).resolve() if current.is_symlink() else None


def publish(site: Path, dest: Path, allow_placeholder: bool = False, approver: str = "", review: Path | None = None,
            require_approval: bool = False) -> Path:
    """Copy `site` into a new release under `dest`, check it (and its approval), make it live, record it
    in the release log, keep the last KEEP."""
    dest, approver = dest.absolute(), (approver or "").strip()
    folder = dest / "releases"
    for path in (dest, folder):
        if not path.is_dir():
            path.mkdir(parents=True)
            path.chmod(DIR_MODE)
    with ReleaseLog(dest) as log:
        previous = live_release(dest)
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder))
        try:
            shutil.copytree(site, staging, symlinks=True, dirs_exist_ok=True)
            (staging / RELEASE_MARK).write_text(RELEASE_MARK_TEXT, encoding="utf-8")
            make_readable(staging)
            problems = check_release(staging, allow_placeholder=allow_placeholder)
            try:
                fingerprint = read_view(staging).fingerprint
            except PublishError:  # no canonical address: check_release has said so
                fingerprint = ""
            problems += _approval_problems(approver, review, require_approval, fingerprint, previous)
            if problems:
                raise PublishError("\n".join([f"发布检查有 {len(problems)} 处问题，未发布任何内容（线上网站保持不变）：",
                                              *(f"  - {p}" for p in problems[:50]),
                                              *([f"  ……另有 {len(problems) - 50} 处"] if len(problems) > 50 else [])]))
            release = folder / _stamp(folder)
            staging.rename(release)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        kept, sha256 = keep_review(dest, review, release.name) if review else ("", "")
        switch(dest, release)
        log.append("发布", release.name, previous.name if previous else "", approver, kept, sha256, fingerprint)
        prune(dest)
    return release


def _approval_problems(approver: str, review: Path | None, required: bool, fingerprint: str,
                       previous: Path | None) -> list[str]:
    problems = check_approver(approver)
    why = "发布前须经审签（mkdocs.yml 设置了 extra.gov.require_approval: true）"
    if required and not approver:
        problems.append(f"{why}：没有写明批准人，请用 APPROVER=\"签发人姓名\" 写明")
    if required and review is None:
        problems.append(f"{why}：没有指明审签单，请先运行 make review DEST=…，审签后用 REVIEW=审签单文件 指明")
    if review is not None and fingerprint:
        problems += review_problems(review, fingerprint, previous.name if previous else None)
    return problems


def rollback(dest: Path, approver: str = "") -> Path:
    """Make the release before the live one live again, and record it in the release log."""
    dest, approver = dest.absolute(), (approver or "").strip()
    problems = check_approver(approver)
    if problems:
        raise PublishError(f"{problems[0]}；未做任何改动")
    if not (dest / "releases").is_dir():
        raise PublishError(f"{dest} 没有更早的版本可以回退（现有版本：无）")
    with ReleaseLog(dest) as log:
        live, known = live_release(dest), releases(dest)
        if live not in known or known.index(live) == 0:
            raise PublishError(f"{dest} 没有更早的版本可以回退（现有版本：{', '.join(p.name for p in known) or '无'}）")
        previous = known[known.index(live) - 1]
        switch(dest, previous)
        try:
            fingerprint = read_view(previous).fingerprint
        except PublishError:
            fingerprint = ""
        log.append("回退", previous.name, live.name, approver, fingerprint=fingerprint)
    return previous


def switch(dest: Path, release: Path) -> None:
    """Point DEST/current at `release` in one rename (a relative link: DEST may be moved or mounted)."""
    link = dest / f".current-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(release.relative_to(dest))
    os.replace(link, dest / "current")


def prune(dest: Path, keep: int = KEEP) -> None:
    live = live_release(dest)
    for old in releases(dest)[:-keep]:
        if old != live:
            shutil.rmtree(old)


def _stamp(folder: Path) -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name, n = stamp, 1
    while (folder / name).exists():  # two releases within a second
        n += 1
        name = f"{stamp}-{n}"
    return name
