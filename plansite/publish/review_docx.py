"""The 审签单 as a Word file for the approving official, with the site's Word styles (Chinese fonts, A4,
page numbers: plansite/documents/docx_render.py), and as a text file beside it for the web team.
Same review, same bytes: dated by the data, never by the clock. A file already there with other
content (perhaps signed) is never overwritten."""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt

from plansite.documents.docx_fixed import fix_package, report_datetime
from plansite.documents.docx_render import TABLE_STYLE, _page, _para, _styles
from plansite.errors import PublishError
from plansite.publish.review import NUMERALS, SIGN_OFF, Review, body, common_items, header_lines, review_text

NOTE = ("本单由网站发布程序比较拟发布网站与线上版本中读者看到的内容（页面文字、图表数据和下载文件）自动生成，"
        "与页面样式无关。发布时程序核对数据指纹：只有与本单一致的网站才能按本单发布。")


def render_review_docx(review: Review) -> bytes:
    doc = Document()
    _styles(doc)
    _page(doc)
    doc.add_paragraph(review.title, style="Title")
    for line in header_lines(review):
        _para(doc, line)
    _para(doc, review.summary, bold=True)
    parts = body(review)
    for heading, sections in parts:
        doc.add_paragraph(heading, style="Heading 1")
        if heading.endswith("页面变化"):
            _pages(doc, review)
            continue
        for subheading, items in sections:
            if subheading:
                doc.add_paragraph(subheading, style="Heading 2")
            for n, item in enumerate(items, 1):
                _para(doc, f"{n}. {item}")
    doc.add_paragraph(f"{NUMERALS[len(parts)]}、审签", style="Heading 1").paragraph_format.keep_with_next = True
    _sign_off(doc)
    _para(doc, NOTE)
    _properties(doc, review)
    out = io.BytesIO()
    doc.save(out)
    return fix_package(out.getvalue(), _when(review))


def _pages(doc, review: Review) -> None:
    """Changes seen on many pages once, pages added and removed, then each changed page with its own
    changed text in smaller type."""
    if review.common_changes:
        _para(doc, "多个页面共有的改动（各页面不再重复列出）：").paragraph_format.keep_with_next = True
        for item in common_items(review):
            _small(doc, item)
    n = 0
    for kind, pages in (("新增页面", review.pages_added), ("删去页面", review.pages_removed)):
        for page in pages:
            n += 1
            _para(doc, f"{n}. {kind}：{page}")
    for title, address, excerpts in review.pages_changed:
        n += 1
        _para(doc, f"{n}. 文字有改动：{title}（{address}）").paragraph_format.keep_with_next = True
        for excerpt in excerpts:
            _small(doc, excerpt)


def _small(doc, text: str) -> None:
    line = doc.add_paragraph(text, style=TABLE_STYLE)
    line.paragraph_format.left_indent = Cm(0.74)
    line.paragraph_format.space_after = Pt(2)


def _sign_off(doc) -> None:
    """拟稿 / 审核 / 签发, each with room for a signature and a date, left blank for them."""
    table = doc.add_table(rows=1 + len(SIGN_OFF), cols=3)
    table.style = doc.styles["Table Grid"]
    for column, width in zip(table.columns, (3.0, 7.6, 5.0)):
        for cell in column.cells:
            cell.width = Cm(width)
    for cell, text in zip(table.rows[0].cells, ("环节", "签名", "日期")):
        cell.text = text
    for row, step in zip(table.rows[1:], SIGN_OFF):
        row.height = Cm(1.6)
        row.cells[0].text = step
        row.cells[2].text = "　　年　　月　　日"
    for row in table.rows[:-1]:  # the table stays on one page, with its heading
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True


def _when(review: Review):
    return report_datetime(review.data_date) if review.data_date else report_datetime("2000-01-01")


def _properties(doc, review: Review) -> None:
    props = doc.core_properties
    props.title = review.title
    props.subject = review.plan_title
    props.author = props.last_modified_by = f"《{review.plan_title}》信息公开网站"
    props.category = "网站发布审签单"
    props.identifier = review.fingerprint
    props.language = "zh-CN"
    props.created = props.modified = _when(review)
    props.revision = 1


def write_review(review: Review, path: Path) -> tuple[Path, Path]:
    """Write the .docx at `path` and the .txt beside it; a file there already with other content is
    kept and the command stops (it may have been signed or annotated)."""
    files = {path.with_suffix(".docx"): render_review_docx(review),
             path.with_suffix(".txt"): review_text(review).encode("utf-8")}
    kept = [p for p, data in files.items() if p.exists() and p.read_bytes() != data]
    if kept:
        raise PublishError("\n".join([f"审签单没有写入：{'、'.join(str(p) for p in kept)} 已经存在，内容与这次生成的不同"
                                      "（可能已经签注过）。请先把它移走或改名，再运行 make review。"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    for target, data in files.items():
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
    return path.with_suffix(".docx"), path.with_suffix(".txt")
