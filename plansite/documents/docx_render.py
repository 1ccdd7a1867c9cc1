"""A quarterly report's model → .docx bytes with python-docx: Chinese fonts, A4, page numbers, real tables.

Fonts are named the way Word and WPS look them up: the East Asian font of each style (w:eastAsia
in w:rFonts) is 仿宋 for body text, 宋体 in tables and 黑体 for the title and headings, with
Times New Roman for Latin letters and digits. Theme fonts are taken off the styles, since Word
prefers a theme font over a named one. Tables are Word tables whose header row repeats on every
page; the page number is a PAGE field in the footer, so Word and LibreOffice fill it in.

Every use of python-docx's private API is in this module (a table's, paragraph's, run's and picture's
XML element: `_tbl`, `_p`, `_r`, `_inline`), where its public API has no call for a style by id, a
field, rows written in one go or a picture's description; tests/test_documents.py opens the files in
python-docx and LibreOffice, so an upgrade that breaks them fails there.
"""
from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from .docx_fixed import fix_package, report_datetime

BODY_FONT, TABLE_FONT, HEADING_FONT, LATIN_FONT = "仿宋", "宋体", "黑体", "Times New Roman"
BLACK = RGBColor(0, 0, 0)
# A4 with the margins of the national standard for official documents (GB/T 9704).
PAGE_W, PAGE_H = Cm(21.0), Cm(29.7)
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
TEXT_W_CM = 21.0 - 2.8 - 2.6
CHART_MAX_H_CM = 13.0  # a tall chart is scaled down to leave room for its caption on the page
TABLE_STYLE, TABLE_STYLE_ID = "表格文字", "TableText"
TABLE_GRID_ID = "TableGrid"  # the template's "Table Grid": a line round every cell
NUMERALS = "一二三四五六七八九十"


def _fonts(style, east_asia: str, size_pt: float, bold: bool | None = None) -> None:
    """Name the style's fonts for Latin and East Asian text; drop the theme fonts that would win."""
    style.font.name = LATIN_FONT
    style.font.size = Pt(size_pt)
    style.font.color.rgb = BLACK
    if bold is not None:
        style.font.bold = bold
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), LATIN_FONT)


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal, BODY_FONT, 14)  # 四号
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.line_spacing = 1.25
    normal.paragraph_format.space_after = Pt(6)
    title = styles["Title"]
    _fonts(title, HEADING_FONT, 18)  # 小二
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)  # the template's rule under the title
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    for name, size in (("Heading 1", 16), ("Heading 2", 14)):  # 三号, 四号
        heading = styles[name]
        _fonts(heading, HEADING_FONT, size, bold=False)
        heading.font.italic = False
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(6)
    caption = styles["Caption"]
    _fonts(caption, TABLE_FONT, 10.5, bold=False)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table_text = styles.add_style(TABLE_STYLE, 1)  # 1: a paragraph style
    table_text.style_id = TABLE_STYLE_ID
    table_text.base_style = normal
    _fonts(table_text, TABLE_FONT, 10.5)  # 五号
    table_text.paragraph_format.line_spacing = 1.0
    table_text.paragraph_format.space_after = Pt(0)
    footer = styles["Footer"]
    _fonts(footer, TABLE_FONT, 10.5)


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (begin, instruction, separator, last shown value, end) in one paragraph."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _table(doc, head: list[str], rows: list[list], widths_cm: list[float]) -> None:
    """A real Word table; its header row repeats at the top of every page it runs onto. The rows
    are written as XML in one go: python-docx's cell-by-cell calls walk the whole table for each
    cell and took two thirds of a report's time."""
    table = doc.add_table(rows=0, cols=len(head))
    table._tbl.tblStyle_val = TABLE_GRID_ID  # by id, as below: a look-up by name scans every style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    twips = [Cm(width).twips for width in widths_cm]
    xml = _row_xml(head, twips, header=True) + "".join(_row_xml([str(v) for v in row], twips) for row in rows)
    table._tbl.extend(parse_xml(f"<w:tbl {nsdecls('w')}>{xml}</w:tbl>"))


def _row_xml(values: list[str], twips: list[int], header: bool = False) -> str:
    """One table row: a row stays on one page where it fits; the header row repeats, in bold."""
    bold = "<w:rPr><w:b/></w:rPr>" if header else ""
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE_ID}"/></w:pPr><w:r>{bold}{_run_text(value)}</w:r></w:p></w:tc>'
        for value, width in zip(values, twips))
    return f"<w:tr><w:trPr><w:cantSplit/>{'<w:tblHeader/>' if header else ''}</w:trPr>{cells}</w:tr>"


def _run_text(text: str) -> str:
    """A run's text as python-docx writes it: a line break for a newline, a tab for a tab."""
    parts = re.split(r"(\r\n|[\n\r\t])", text)
    return "".join("<w:tab/>" if part == "\t" else "<w:br/>" if part in ("\n", "\r", "\r\n")
                   else f'<w:t xml:space="preserve">{escape(part)}</w:t>' if part else "" for part in parts)


def _para(doc, text: str, bold: bool = False, center: bool = False):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


TARGET_COLUMNS, TARGET_WIDTHS = ["目标", "目标值", "最新数值", "数值日期"], [5.6, 4.4, 2.6, 3.0]


def _rows_or_none(doc, rows: list, intro: str | None, header: list[str], widths: list[float], none_text: str) -> None:
    """A table of `rows` (after `intro`, if any), or the sentence saying there are none."""
    if not rows:
        _para(doc, none_text)
        return
    if intro:
        _para(doc, intro)
    _table(doc, header, rows, widths)


def _heading(doc, n: int, text: str) -> None:
    doc.add_paragraph(f"{NUMERALS[n - 1]}、{text}")._p.style = "Heading1"  # Word's 标题 1, by id


def _chart(doc, model: dict, png: bytes) -> None:
    width_px, height_px = model["chart"]["png_size"]
    width = min(TEXT_W_CM, CHART_MAX_H_CM * width_px / height_px)
    doc.add_paragraph().alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture = doc.paragraphs[-1].add_run().add_picture(io.BytesIO(png), width=Cm(width))
    picture._inline.docPr.set("descr", model["chart"]["alt"])  # the text alternative, as on the page
    picture._inline.docPr.set("name", f"{model['period']} status chart")
    doc.add_paragraph(f"图1　{model['chart']['caption']}", style="Caption")


def render_report_docx(model: dict, png: bytes) -> bytes:
    """The Word version of one quarterly report; same model and image, same bytes."""
    doc = Document()
    _styles(doc)
    _page(doc)
    doc.add_paragraph(model["title"], style="Title")
    _para(doc, f"（数据汇总于{model['compiled_text']}）", center=True)
    if model["sample_notice"]:
        _para(doc, f"【{model['sample_notice']}】", bold=True, center=True)
    _para(doc, f"本报告是《{model['plan_title']}》{model['period_label']}（{model['period']}）进展情况的 Word 版，"
               f"与网页版内容一致，发布后不再改动。网页版：{model['url']}")

    _heading(doc, 1, "任务状态")
    counts = "、".join(f"{label}{n}项" for label, n in model["counts"] if n)
    _para(doc, f"截至{model['period_label']}，计划的{model['total']}项任务中，{counts}。")
    _table(doc, ["状态", "任务数"], [[label, n] for label, n in model["counts"]] + [["合计", model["total"]]], [4.0, 3.0])
    if model["plan_end_text"]:
        unfinished = model["unfinished"]
        _para(doc, f"计划期已于{model['plan_end_text']}结束。" + (
            f"以下{len(unfinished)}项任务截至本季度没有报告完成，即未按期完成（常态推进的工作没有终点，不计在内）："
            + "；".join(unfinished) + "。" if unfinished else "除常态推进的工作外，各项任务均已报告完成。"))
    _chart(doc, model, png)

    _heading(doc, 2, "与上一季度相比")
    if model["first"]:
        _para(doc, "这是第一份季度报告，没有可比较的上一季度。")
    if model["newly_completed"]:
        _para(doc, "本季度新完成：" + "；".join(model["newly_completed"]) + "。")
    if model["newly_behind"]:
        _para(doc, "本季度新出现滞后：" + "；".join(model["newly_behind"]) + "。")
    _rows_or_none(doc, model["status_changes"], None, ["任务", "上季度", "本季度"], [10.0, 2.8, 2.8],
                  "本季度没有任务状态发生变化。")

    _heading(doc, 3, "滞后的任务")
    _rows_or_none(doc, model["behind"], f"本季度共有{len(model['behind'])}项任务滞后：",
                  ["编号", "任务", "责任单位", "进展摘要"], [1.2, 5.0, 3.4, 6.0], "本季度没有滞后的任务。")

    _heading(doc, 4, "已达标的量化目标")
    assessments = "、".join(f"{label}{n}项" for label, n in model["assessments"])
    _para(doc, f"{model['indicators_total']}项量化目标中，{assessments}。")
    _rows_or_none(doc, model["achieved"], None, TARGET_COLUMNS, TARGET_WIDTHS, "尚无已达标的量化目标。")

    _heading(doc, 5, "未达标的量化目标")
    _rows_or_none(doc, model["missed"], f"期限已到（或计划期已结束）而没有达到目标的{len(model['missed'])}项：",
                  TARGET_COLUMNS, TARGET_WIDTHS, "没有到期而未达标的量化目标。")

    _heading(doc, 6, "逾期未报数或未判定的量化目标")
    _rows_or_none(doc, model["overdue"], f"期限已到（或计划期已结束）而没有报送数值、或报送单位没有对照目标作出判定的"
                                         f"{len(model['overdue'])}项，不能算作达标：",
                  ["目标", "目标值", "评估", "情况"], [4.4, 3.6, 2.4, 5.2], "没有逾期未报数或未判定的量化目标。")

    _heading(doc, 7, "各项任务进展")
    _table(doc, ["编号", "任务", "责任单位", "状态", "进展摘要"], model["tasks"], [1.2, 4.4, 3.0, 1.6, 5.4])

    _properties(doc, model)
    out = io.BytesIO()
    doc.save(out)
    return fix_package(out.getvalue(), report_datetime(model["compiled"]))


def _properties(doc, model: dict) -> None:
    """Document properties from the data, never the clock (the file is frozen like its page)."""
    when = report_datetime(model["compiled"])
    props = doc.core_properties
    props.title = model["title"]
    props.subject = model["plan_title"]
    props.author = props.last_modified_by = f"《{model['plan_title']}》信息公开网站"
    props.comments = f"根据{model['period_label']}进展数据生成，与网页版一致：{model['url']}"
    props.keywords = model["period"]
    props.category = "季度进展报告"
    props.language = "zh-CN"
    props.created = props.modified = when
    props.revision = 1
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # the template's picture of an empty page
            package.rels.pop(rel_id)
