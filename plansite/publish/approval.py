"""Who approved what: the release log in DEST, the 审签单 a publish is approved on, and the setting
`extra.gov.require_approval` of mkdocs.yml that makes both obligatory.

The log, DEST/.release-log.jsonl, is one JSON line per publish and rollback, appended and synced to
disk before the command reports success; it lies outside the served tree (DEST/current) and is hidden
besides (deploy/nginx.conf serves nothing hidden). The 审签单 each publish was approved on is kept
beside it, in DEST/.审签单/<release>.docx, so its recorded sha256 can be checked at any time. The log
file is also the lock: one publish or rollback at a time per DEST."""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import shutil
import unicodedata
from pathlib import Path

from plansite.errors import PublishError

LOG_NAME = ".release-log.jsonl"
KEPT_REVIEWS = ".审签单"
MAX_APPROVER = 50
# The record's fields, in order: what staff read (the keys are written in Chinese).
FIELDS = ("时间", "操作", "版本", "此前线上版本", "批准人", "审签单", "审签单sha256", "数据指纹")


class ReleaseLog:
    """`with ReleaseLog(dest) as log:` holds DEST's lock (or stops at once if another publish or rollback
    holds it) and appends records with log.append(…)."""

    def __init__(self, dest: Path):
        self.path = dest / LOG_NAME
        self.file = None

    def __enter__(self) -> "ReleaseLog":
        self.file = open(self.path, "a", encoding="utf-8")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            self.file.close()
            if err.errno in (errno.EAGAIN, errno.EACCES):
                raise PublishError(f"{self.path.parent} 正在进行另一次发布或回退，请等它结束后再试；这次没有做任何改动（线上网站保持不变）") from None
            raise
        return self

    def __exit__(self, *exc) -> None:
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()

    def append(self, action: str, release: str, previous: str, approver: str = "", review: str = "",
               review_sha256: str = "", fingerprint: str = "") -> dict:
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        record = dict(zip(FIELDS, (now, action, release, previous, approver, review, review_sha256, fingerprint)))
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")  # one line, one write
        self.file.flush()
        os.fsync(self.file.fileno())
        return record


def read_log(dest: Path) -> list[dict]:
    path = dest / LOG_NAME
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def log_lines(dest: Path) -> list[str]:
    """The log as staff read it: one line per publish or rollback, oldest first."""
    lines = []
    for record in read_log(dest):
        extra = [f"此前线上 {record.get('此前线上版本') or '无'}", f"批准人 {record.get('批准人') or '（未填写）'}"]
        if record.get("审签单sha256"):
            extra.append(f"审签单 {record.get('审签单')}（sha256 {record['审签单sha256']}）")
        extra.append(f"数据指纹 {record.get('数据指纹') or '（无）'}")
        lines.append(f"{record.get('时间')}  {record.get('操作')} {record.get('版本')}：" + "，".join(extra))
    return lines


def check_approver(approver: str | None) -> list[str]:
    """Problems with an approver's name as typed (never filled in for anyone)."""
    if not approver:
        return []
    if len(approver) > MAX_APPROVER:
        return [f"批准人“{approver[:MAX_APPROVER]}……”太长（{len(approver)} 个字符，最多 {MAX_APPROVER} 个）"]
    for position, char in enumerate(approver, 1):
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            return [f"批准人的第 {position} 个字符是看不见的 U+{ord(char):04X}，请删除"]
    return []


def read_review(path: Path) -> tuple[str, str]:
    """(fingerprint, live release) written in a 审签单 (.docx or the .txt beside it)."""
    # The review's module (and the data model under it: 0.2 s to import) only when a 审签单 is read:
    # publish without approval, rollback and log have no use for it.
    from plansite.publish.review import FINGERPRINT_LINE, LIVE_LINE

    if not path.is_file():
        raise PublishError(f"找不到审签单 {path}：请先运行 make review，审签后用 REVIEW= 指明这个文件")
    if path.suffix.lower() == ".docx":
        from docx import Document

        try:
            doc = Document(str(path))
        except Exception:  # a damaged or renamed file: python-docx raises several kinds
            raise PublishError(f"审签单 {path} 不是可以读取的 Word 文件") from None
        text = "\n".join([p.text for p in doc.paragraphs]
                         + [cell.text for table in doc.tables for row in table.rows for cell in row.cells])
    else:
        text = path.read_text(encoding="utf-8", errors="replace")
    fingerprint, live = FINGERPRINT_LINE.search(text), LIVE_LINE.search(text)
    if not fingerprint or not live:
        raise PublishError(f"{path} 中没有数据指纹和对照的线上版本：它不是 make review 生成的审签单")
    return fingerprint.group(1), live.group(1)


def review_problems(path: Path, fingerprint: str, live: str | None) -> list[str]:
    """Why the 审签单 at `path` does not approve this build replacing `live` (empty: it does)."""
    from plansite.publish.review import FIRST_RELEASE

    try:
        approved, against = read_review(path)
    except PublishError as err:
        return [str(err)]
    problems = []
    if approved != fingerprint:
        problems.append(f"审签单 {path} 不是为这次要发布的网站编制的（审签单的数据指纹 {approved[:12]}…，"
                        f"要发布的网站 {fingerprint[:12]}…）：审签后网站又重新生成、内容有变化，或者指错了文件；"
                        "请对这次要发布的网站重新运行 make review 并重新审签")
    if against != (live or FIRST_RELEASE):
        problems.append(f"审签单是对照线上版本 {against} 编制的，现在的线上版本是 {live or '无'}："
                        "其中列出的变化已不准确，请重新运行 make review 并重新审签")
    return problems


def keep_review(dest: Path, review: Path, release: str) -> tuple[str, str]:
    """A copy of the approved 审签单 in DEST/.审签单/; (its path in DEST, its sha256)."""
    folder = dest / KEPT_REVIEWS
    folder.mkdir(exist_ok=True)
    target = folder / f"{release}{review.suffix.lower()}"
    shutil.copyfile(review, target)
    return target.relative_to(dest).as_posix(), hashlib.sha256(target.read_bytes()).hexdigest()


def approval_required(config: Path) -> bool:
    """mkdocs.yml's extra.gov.require_approval (false when not set), checked like the build checks it."""
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    import yaml

    from plansite.model.govinfo import ConfigError, validate_gov

    if not config.is_file():
        raise PublishError(f"找不到网站设置文件 {config}")
    try:
        with open(config, "rb") as file:
            settings = yaml_load(file, get_yaml_loader(yaml.SafeLoader))
    except (ConfigurationError, yaml.YAMLError):
        raise PublishError(f"{config} 不是有效的网站设置文件（YAML 格式有误），无法读取 extra.gov.require_approval") from None
    extra = settings.get("extra") if isinstance(settings, dict) else None
    try:
        gov = validate_gov((extra or {}).get("gov") if isinstance(extra, dict) else None, config)
    except ConfigError as err:
        raise PublishError(str(err).replace("网站未生成（原有网站保持不变）", "未发布任何内容（线上网站保持不变）")) from None
    return bool(gov.get("require_approval"))

