"""`make review`: the 审签单, what readers will see change when a built site replaces the live release.

Compared are what readers see (plansite/publish/reader_view.py), not bytes: the data changes first
(review_data.py, from the two sites' plan.json), then the pages added, removed and changed (with the
changed text), the footer and the download files. Nothing changed is said in one line; a first
release (no live one) is summed up. The 审签单 names the live release it was made against and the
fingerprint of the site it was made for: make publish checks both (plansite/publish/approval.py)."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from plansite.errors import PublishError
from plansite.publish.reader_view import PageText, ReaderView, read_view
from plansite.wording import cn_date, period_span

FIRST_RELEASE = "无（首次发布）"
EXCERPTS = 3  # changed lines shown per page; the rest are counted
# A change seen on this many pages or more (and on a tenth of the changed pages) is listed once.
COMMON = 3
CONTEXT, WIDTH = 10, 40  # characters before a change, and at most shown of each line


@dataclass
class Review:
    plan_title: str
    site_address: str
    data_date: str  # ISO date the data is as of (the latest quarter's compilation, else the plan's issue)
    live: str  # the live release's name, or FIRST_RELEASE
    live_fingerprint: str
    fingerprint: str
    summary: str
    data: dict[str, list[str]] = field(default_factory=dict)
    pages_added: list[str] = field(default_factory=list)
    pages_removed: list[str] = field(default_factory=list)
    pages_changed: list[tuple[str, str, list[str]]] = field(default_factory=list)  # title, address, excerpts
    common_changes: list[tuple[str, int]] = field(default_factory=list)  # a change on many pages, how many
    other: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"《{self.plan_title}》网站发布审签单"


def _cn_date(iso: str) -> str:
    try:
        return cn_date(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def _address(address: str) -> str:
    return address or "首页"


def _page_name(page: PageText) -> str:
    return f"{page.title}（{_address(page.address)}）"


def _clip(text: str, start: int) -> str:
    piece = text[start:start + WIDTH]
    return ("…" if start else "") + piece + ("…" if start + WIDTH < len(text) else "")


def _pair(old: str, new: str) -> str:
    """A changed line, from a little before its first difference: 原：… 现：…"""
    same = 0
    while same < min(len(old), len(new)) and old[same] == new[same]:
        same += 1
    start = max(0, same - CONTEXT)
    return f"原：{_clip(old, start)}　现：{_clip(new, start)}"


def text_changes(old: tuple[str, ...], new: tuple[str, ...]) -> list[str]:
    """The changed lines of a page, as 原/现 pairs, 删去 and 新增 lines."""
    found = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        pairs = list(zip(old[i1:i2], new[j1:j2]))
        for a, b in pairs:  # lines in the same place: one changed line if alike, else one out and one in
            alike = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5
            found += [_pair(a, b)] if alike else [f"删去：{_clip(a, 0)}", f"新增：{_clip(b, 0)}"]
        found += [f"删去：{_clip(line, 0)}" for line in old[i1 + len(pairs):i2]]
        found += [f"新增：{_clip(line, 0)}" for line in new[j1 + len(pairs):j2]]
    return found


def _sections(view: ReaderView) -> str:
    """The pages of a site counted by section: 首页 1 个、章节与任务 4 个……"""
    counts: dict[str, int] = {"首页": 0}
    for address in view.pages:
        head = address.split("/")[0]
        index = view.pages.get(f"{head}/") if head and "/" in address else None
        name = "首页" if not address else index.title if index else view.pages[address].title
        counts[name] = counts.get(name, 0) + 1
    return "、".join(f"{name} {n} 个" for name, n in counts.items() if n)


def _first_release(new: ReaderView) -> list[str]:
    lines = [f"页面 {len(new.pages)} 个：{_sections(new)}"]
    plan = new.plan or {}
    if plan:
        meta = plan.get("plan", {})
        lines.append(f"计划《{meta.get('title', '')}》：章节 {len(meta.get('chapters', []))} 个，任务 "
                     f"{len(plan.get('tasks', []))} 项，量化目标 {len(plan.get('indicators', []))} 个，"
                     f"责任单位 {len(plan.get('departments', []))} 个")
        periods = plan.get("periods", [])
        samples = [p["period"] for p in periods if p.get("sample")]
        note = "（均为示例数据）" if len(samples) == len(periods) else f"（其中{period_span(samples)}为示例数据）" if samples else ""
        lines.append(f"季度进展 {len(periods)} 期：{period_span(p['period'] for p in periods)}{note}" if periods else "尚无季度进展")
    downloads = [f for f in new.files if f.startswith("downloads/")]
    lines.append(f"数据下载文件 {len(downloads)} 个，图表数据表 {len(new.files) - len(downloads)} 个")
    return lines


def _files(old: ReaderView, new: ReaderView) -> list[str]:
    changed = lambda names: [n for n in names if old.files.get(n) != new.files.get(n)]  # noqa: E731
    lines = []
    downloads = changed(sorted({f for f in [*old.files, *new.files] if f.startswith("downloads/")}))
    if downloads:
        lines.append("数据下载文件随之更新：" + "、".join(
            n.removeprefix("downloads/") + ("（新增）" if n not in old.files else "（删去）" if n not in new.files else "")
            for n in downloads))
    charts = changed(sorted({f for f in [*old.files, *new.files] if f.startswith("charts/")}))
    if charts:
        lines.append(f"图表的数据表随之更新：{len(charts)} 个")
    return lines


def _data_date(view: ReaderView) -> str:
    plan = view.plan or {}
    periods = plan.get("periods") or []
    return periods[-1].get("compiled", "") if periods else plan.get("plan", {}).get("issued", "")


def compare(new: ReaderView, old: ReaderView | None, live_name: str | None) -> Review:
    """The 审签单 of `new` replacing `old` (None: nothing is live yet)."""
    review = Review(plan_title=((new.plan or {}).get("plan") or {}).get("title") or new.pages.get("", PageText("", "", ())).title,
                    site_address=new.site_address, data_date=_data_date(new), live=live_name or FIRST_RELEASE,
                    live_fingerprint=old.fingerprint if old else "", fingerprint=new.fingerprint, summary="")
    if old is None:
        review.summary = "首次发布：发布目录中还没有线上版本，以下内容全部为新增。"
        review.other = _first_release(new)
        return review
    if old.fingerprint == new.fingerprint:
        review.summary = f"与线上版本 {live_name} 相比，读者看到的内容没有变化。"
        return review
    from plansite.publish.review_data import data_changes  # the data model: only a review compares data

    try:
        review.data = data_changes(old.plan, new.plan).filled if old.plan and new.plan else None
    except (KeyError, TypeError, ValueError, AttributeError):  # a plan.json of another version of the site
        review.data = None
    if review.data is None:
        review.data = {"说明": ["线上版本或拟发布网站的数据文件 downloads/plan.json 缺失或格式不同，数据变化无法逐项列出，"
                              "请看下面的页面变化"]}
    review.pages_added = [_page_name(new.pages[a]) for a in sorted(set(new.pages) - set(old.pages))]
    review.pages_removed = [_page_name(old.pages[a]) for a in sorted(set(old.pages) - set(new.pages))]
    changed: dict[str, list[str]] = {}
    for address in sorted(set(old.pages) & set(new.pages)):
        before, after = old.pages[address], new.pages[address]
        if before != after:
            changed[address] = ([f"标题　原：{before.title}　现：{after.title}"] if before.title != after.title else [])
            changed[address] += text_changes(before.lines, after.lines)
    seen = Counter(change for changes in changed.values() for change in dict.fromkeys(changes))
    common = max(COMMON, len(changed) // 10)
    review.common_changes = [(change, n) for change, n in seen.items() if n >= common]
    for address, changes in changed.items():
        own = [change for change in changes if seen[change] < common]
        shown = own[:EXCERPTS] + ([f"……另有 {len(own) - EXCERPTS} 处改动"] if len(own) > EXCERPTS else [])
        review.pages_changed.append((new.pages[address].title, _address(address), shown or ["只有上面所列多个页面共有的改动"]))
    if old.footer != new.footer:
        review.other.append("每个页面底部的网站信息有改动：" + "；".join(text_changes(old.footer, new.footer)))
    review.other += _files(old, new)
    counts = [f"{name} {len(items)} 项" for name, items in review.data.items() if name != "说明"]
    review.summary = (f"与线上版本 {live_name} 相比：" + (f"数据变化 {'、'.join(counts)}；" if counts else "")
                      + f"页面新增 {len(review.pages_added)} 个、删去 {len(review.pages_removed)} 个、"
                        f"文字有改动 {len(review.pages_changed)} 个。")
    return review


def make_review(site: Path, live: Path | None) -> Review:
    """The 审签单 of publishing `site` in place of the `live` release (None: nothing is live yet)."""
    if not (site / "index.html").is_file():
        raise PublishError(f"{site} 不是生成好的网站（没有 index.html）：请先运行 make site")
    old = read_view(live) if live is not None and (live / "index.html").is_file() else None
    return compare(read_view(site), old, live.name if old else None)


# ---- as text (the terminal, the .txt beside the .docx) -----------------------------------------

SIGN_OFF = ("拟稿", "审核", "签发")
NUMERALS = "一二三四五六七八九十"


def header_lines(review: Review) -> list[str]:
    """The lines make publish reads back: the fingerprint and the live release the review was made against."""
    return [f"网站地址：{review.site_address}",
            f"拟发布网站的数据截至：{_cn_date(review.data_date)}",
            f"对照的线上版本：{review.live}",
            *([f"线上版本的数据指纹：{review.live_fingerprint}"] if review.live_fingerprint else []),
            f"拟发布网站的数据指纹：{review.fingerprint}"]


Part = tuple[str, list[tuple[str, list[str]]]]  # heading, [(subheading or "", items)]


def common_items(review: Review) -> list[str]:
    return [f"{change}（{n} 个页面）" for change, n in review.common_changes]


def page_items(review: Review) -> list[str]:
    return ([f"新增页面：{p}" for p in review.pages_added] + [f"删去页面：{p}" for p in review.pages_removed]
            + [f"{title}（{address}）：" + "；".join(excerpts) for title, address, excerpts in review.pages_changed])


def body(review: Review) -> list[Part]:
    """The 审签单 after its summary: numbered headings (一、二、……), each with its (（一）…) sections."""
    if review.live == FIRST_RELEASE:
        parts = [("首次发布的内容", [("", review.other)])]
    else:
        data = [(f"（{NUMERALS[n]}）{name}", items) for n, (name, items) in enumerate(review.data.items())]
        parts = [(heading, sections) for heading, sections in (
            ("数据变化", data), ("页面变化", [("", page_items(review))] if page_items(review) else []),
            ("其他变化", [("", review.other)] if review.other else [])) if sections]
    return [(f"{NUMERALS[n]}、{heading}", sections) for n, (heading, sections) in enumerate(parts)]


def review_text(review: Review) -> str:
    lines = [review.title, "", *header_lines(review), "", review.summary]
    for heading, sections in body(review):
        lines += ["", heading]
        if heading.endswith("页面变化") and review.common_changes:
            lines += ["多个页面共有的改动（各页面不再重复列出）：", *(f"  · {item}" for item in common_items(review))]
        for subheading, items in sections:
            lines += ([subheading] if subheading else []) + [f"  {n}. {item}" for n, item in enumerate(items, 1)]
    lines += ["", f"{NUMERALS[len(body(review))]}、审签", *(f"  {step}：签名＿＿＿＿＿＿　日期＿＿＿＿年＿＿月＿＿日"
                                                         for step in SIGN_OFF)]
    return "\n".join(lines) + "\n"


FINGERPRINT_LINE = re.compile(r"拟发布网站的数据指纹：([0-9a-f]{64})")
LIVE_LINE = re.compile(r"对照的线上版本：(\S+)")
