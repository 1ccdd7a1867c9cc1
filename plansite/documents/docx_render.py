"""A quarterly report's model → .docx bytes with python-docx: Chinese fonts, A4, page numbers, real tables.

Fonts are named the way Word and WPS look them up: the East Asian font of each style (w:eastAsia
in w:rFonts) is 仿宋 for body text, 宋体 in tables and 黑体 for the title and headings, with
Times New Roman for Latin letters and digits. Theme fonts are taken off the styles, since Word
prefers a theme font over a named one. Tables are Word tables whose header row repeats on every
page, whose rows never split, a short table kept whole and a long one never leaving its header or
its last row alone on a page, with column widths that leave no character alone on a line
(docx_layout.py); the page number is a PAGE field in the footer, so Word and LibreOffice fill it in.

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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

from ..wording import COMPILED
from .docx_fixed import fix_package, report_datetime
from .docx_layout import TABLE_PT, TEXT_W_CM, TITLE_PT, cell_spacing, fit_widths, keep_rows, title_lines
from .docx_lines import CONDENSE_PT

# GB/T 9704-2012 《党政机关公文格式》, as far as it applies to a progress report: fonts named as the
# standard names them (Word and WPS on an official's machine find them under these names), sizes
# in 号 (三号 16 pt, 二号 22 pt, 四号 14 pt, 五号 10.5 pt), A4 with a 156 × 225 mm text area.
BODY_FONT, TITLE_FONT, HEADING_FONT, HEADING2_FONT = "仿宋", "方正小标宋简体", "黑体", "楷体"
TABLE_FONT, PAGE_NUMBER_FONT, LATIN_FONT = "宋体", "宋体", "Times New Roman"
BODY_PT, PAGE_NUMBER_PT = 16, 14  # (TITLE_PT, TABLE_PT: docx_layout.py, which fits text to them)
BLACK = RGBColor(0, 0, 0)
PAGE_W, PAGE_H = Cm(21.0), Cm(29.7)
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
TEXT_H_CM = 29.7 - 3.7 - 3.5  # (TEXT_W_CM: docx_layout.py)
# 22 lines of 28 characters a page: the line pitch (fixed line spacing, on Word's line grid), and
# the body's characters condensed by a quarter point so that 28 fill the 156 mm line (a character
# grid would do it in Word, but LibreOffice and WPS set a 16 pt character in two of its 15.8 pt cells).
LINES, CHARS = 22, 28
LINE_PITCH_PT = TEXT_H_CM / 2.54 * 72 / LINES
CONDENSE_TWIPS = round(CONDENSE_PT * 20)  # 1/20 pt: 16 − 0.25 = 15.75 pt a character, 28 to a line
INDENT = Pt(2 * BODY_PT)  # 首行缩进二字
PAGE_NUMBER_BELOW_MM = 7  # the page number's line 7 mm below the text area
CHART_MAX_H_CM = TEXT_H_CM - 2.0  # a chart and its caption on one page
TABLE_STYLE, TABLE_STYLE_ID = "表格文字", "TableText"
TABLE_LINE_PT, TABLE_PAD_PT = 16, 3  # a table's lines, 1.5 times its 五号 type, and the space above and below a cell's text
APP_XML_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
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


def _on_grid(style, indent: bool = True) -> None:
    """Fixed line spacing on the 22-line grid, no space between paragraphs, first line indented two characters."""
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = INDENT if indent else Pt(0)


# The order Word requires of a paragraph's and a run's properties (ECMA-376 CT_PPr, CT_RPr), from
# the first that python-docx does not write in order itself.
PPR_ORDER = ("kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
             "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
             "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
RPR_ORDER = ("spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
             "eastAsianLayout specVanish oMath").split()


def _child(parent, tag: str, order: list[str], **attrs: str) -> None:
    """Add a property element in its place in `order` (with w: attributes)."""
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    parent.insert_element_before(element, *(f"w:{name}" for name in order[order.index(tag[2:]) + 1:]))


def _styles(doc) -> None:
    styles = doc.styles
    # The character grid's pitch counts from the document's default size: the body's, 三号.
    for size in styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:sz"):
        size.set(qn("w:val"), str(BODY_PT * 2))
    normal = styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_PT)  # 正文：三号仿宋
    _child(normal.element.get_or_add_rPr(), "w:lang", RPR_ORDER, val="en-US", eastAsia="zh-CN")
    _child(normal.element.get_or_add_rPr(), "w:spacing", RPR_ORDER, val=str(CONDENSE_TWIPS))
    _on_grid(normal)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = True
    # Chinese line breaking (禁则) on, and no mark hanging past a line's end, said outright: Word,
    # WPS and LibreOffice then break lines alike, where docx_lines.py expects them.
    _child(normal.element.get_or_add_pPr(), "w:kinsoku", PPR_ORDER)
    _child(normal.element.get_or_add_pPr(), "w:overflowPunct", PPR_ORDER, val="0")
    title = styles["Title"]
    _fonts(title, TITLE_FONT, TITLE_PT, bold=False)  # 标题：二号小标宋
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)  # the template's rule under the title
    _on_grid(title, indent=False)
    title.paragraph_format.line_spacing = Pt(LINE_PITCH_PT * 1.2)  # 二号 type on the grid's line is cramped
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(LINE_PITCH_PT)  # 标题下空一行
    for name, font in (("Heading 1", HEADING_FONT), ("Heading 2", HEADING2_FONT)):  # 一级 黑体，二级 楷体，均三号
        heading = styles[name]
        _fonts(heading, font, BODY_PT, bold=False)
        heading.font.italic = False
        _on_grid(heading)
        heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        heading.paragraph_format.keep_with_next = True
    caption = styles["Caption"]
    _fonts(caption, HEADING_FONT, TABLE_PT + 1.5, bold=False)  # 图表题：小四黑体，居中
    _on_grid(caption, indent=False)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER  # a table's title is kept with its table (_table)
    table_text = styles.add_style(TABLE_STYLE, 1)  # 1: a paragraph style
    table_text.style_id = TABLE_STYLE_ID
    table_text.base_style = normal
    _fonts(table_text, TABLE_FONT, TABLE_PT)  # 表格：五号宋体
    fmt = table_text.paragraph_format
    # Off the body's 22-line grid, which would give each line of 五号 text a line of 三号's height.
    _child(table_text.element.get_or_add_pPr(), "w:snapToGrid", PPR_ORDER, val="0")
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(TABLE_LINE_PT)
    fmt.space_before = fmt.space_after = Pt(TABLE_PAD_PT)
    fmt.first_line_indent, fmt.alignment = Pt(0), WD_ALIGN_PARAGRAPH.LEFT
    footer = styles["Footer"]
    _fonts(footer, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)  # 页码：四号半角宋体
    footer.paragraph_format.first_line_indent = Pt(0)


def _page(doc) -> None:
    """A4, the standard's margins and grid; page numbers "— 1 —" 7 mm below the text area, on odd
    pages at the right and on even pages at the left, one character in from the edge."""
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.footer_distance = Mm(35 - PAGE_NUMBER_BELOW_MM) - Pt(PAGE_NUMBER_PT)
    sect = section._sectPr
    for grid in sect.findall(qn("w:docGrid")):
        sect.remove(grid)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    sect.append(grid)
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if side == "right" else WD_ALIGN_PARAGRAPH.LEFT
        setattr(paragraph.paragraph_format, f"{side}_indent", Pt(PAGE_NUMBER_PT))  # 空一字
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


def _table(doc, head: list[str], rows: list[list], widths_cm: list[float], title: str | None = None) -> None:
    """A real Word table under its numbered title (表1　…, by default the section's heading); its
    header row repeats at the top of every page it runs onto. The rows are written as XML in one
    go: python-docx's cell-by-cell calls walk the whole table for each cell and took two thirds of
    a report's time."""
    doc.plansite_tables = getattr(doc, "plansite_tables", 0) + 1
    caption = doc.add_paragraph(f"表{doc.plansite_tables}　{title or getattr(doc, 'plansite_heading', '')}", style="Caption")
    # Kept with its table; a figure's caption, under its figure, is not kept with what follows it.
    caption.paragraph_format.keep_with_next = True
    widths_cm = fit_widths([head, *([str(v) for v in row] for row in rows)], widths_cm)
    table = doc.add_table(rows=0, cols=len(head))
    table._tbl.tblStyle_val = TABLE_GRID_ID  # by id, as below: a look-up by name scans every style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    texts = [head, *([str(v) for v in row] for row in rows)]
    keep = keep_rows(texts, widths_cm)
    xml = "".join(_row_xml(row, widths_cm, header=n == 0, keep=keep[n]) for n, row in enumerate(texts))
    table._tbl.extend(parse_xml(f"<w:tbl {nsdecls('w')}>{xml}</w:tbl>"))


def _row_xml(values: list[str], widths_cm: list[float], header: bool = False, keep: bool = False) -> str:
    """One table row: a row stays on one page where it fits; the header row repeats, in bold; a
    row kept with the next (docx_layout.keep_rows) has its paragraphs kept with the next. A cell
    that its width would leave a character alone in has its characters set a little closer or
    wider (docx_layout.cell_spacing)."""
    cells = []
    for value, width in zip(values, widths_cm):
        spacing = cell_spacing(value, width)
        props = ("<w:b/>" if header else "") + (f'<w:spacing w:val="{round(spacing * 20)}"/>' if spacing is not None else "")
        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{Cm(width).twips}" w:type="dxa"/></w:tcPr>'
                     f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE_ID}"/>{"<w:keepNext/>" if keep else ""}</w:pPr>'
                     f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}{_run_text(value)}</w:r></w:p></w:tc>')
    cells = "".join(cells)
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


# Widths in cm, adding up to the text width (15.6 cm); a date column holds 2015年12月31日 on one line.
TARGET_COLUMNS, TARGET_WIDTHS = ["目标", "目标值", "最新数值", "数值日期", "说明"], [3.4, 2.6, 2.2, 3.8, 3.6]


def _rows_or_none(doc, rows: list, intro: str | None, header: list[str], widths: list[float], none_text: str) -> None:
    """A table of `rows` (after `intro`, if any), or the sentence saying there are none."""
    if not rows:
        _para(doc, none_text)
        return
    if intro:
        _para(doc, intro)
    _table(doc, header, rows, widths)


def _heading(doc, n: int, text: str) -> None:
    doc.plansite_heading = text  # a table's title, unless it has its own
    doc.add_paragraph(f"{NUMERALS[n - 1]}、{text}")._p.style = "Heading1"  # Word's 标题 1, by id


def _subheading(doc, n: int, text: str) -> None:
    """二级标题：（一）…, in 楷体 (Word's 标题 2)."""
    doc.add_paragraph(f"（{NUMERALS[n - 1]}）{text}")._p.style = "Heading2"


def _chart(doc, model: dict, png: bytes) -> None:
    """The chart as wide as the text, or as wide as a page's height leaves it (with its caption)."""
    width_px, height_px = model["chart"]["png_size"]
    width = min(TEXT_W_CM, CHART_MAX_H_CM * width_px / height_px)
    holder = doc.add_paragraph()
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    holder.paragraph_format.first_line_indent = Pt(0)
    holder.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # a fixed line height would crop the picture
    holder.paragraph_format.keep_with_next = True
    picture = holder.add_run().add_picture(io.BytesIO(png), width=Cm(width))
    picture._inline.docPr.set("descr", model["chart"]["alt"])  # the text alternative, as on the page
    caption = f"图1　{model['chart']['caption']}"
    picture._inline.docPr.set("name", caption)  # what Word's selection pane lists
    doc.add_paragraph(caption, style="Caption")


def render_report_docx(model: dict, png: bytes) -> bytes:
    """The Word version of one quarterly report; same model and image, same bytes."""
    doc = Document()
    _styles(doc)
    _page(doc)
    title = doc.add_paragraph(style="Title")
    for n, line in enumerate(title_lines(model["title"])):
        if n:
            title.add_run().add_break()
        title.add_run(line)
    if model["sample_notice"]:
        _para(doc, f"【{model['sample_notice']}】", bold=True, center=True)
    _para(doc, f"本报告汇总《{model['plan_title']}》各项任务和量化目标截至{model['period_label']}末的进展情况，"
               f"{COMPILED}为{model['date_text']}，与信息公开网站同期发布的季度报告一致，发布后不再改动。")

    _heading(doc, 1, "任务状态")
    counts = "、".join(f"{label}{n}项" for label, n in model["counts"] if n)
    _para(doc, f"截至{model['period_label']}，计划的{model['total']}项任务中，{counts}。")
    _table(doc, ["状态", "任务数"], [[label, n] for label, n in model["counts"]] + [["合计", model["total"]]], [4.0, 3.0],
           "各状态的任务数")
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
                  ["任务", "责任单位", "进展摘要"], [5.2, 3.6, 6.8], "本季度没有滞后的任务。")

    _heading(doc, 4, "量化目标")
    breakdown = "、".join(f"{label}{len(rows)}项" for label, rows in model["targets"])
    _para(doc, f"截至{model['period_label']}末，{model['indicators_total']}项量化目标中，{breakdown}。逐项列出如下。"
          if model["targets"] else "计划没有量化目标。")
    for n, (label, rows) in enumerate(model["targets"], 1):
        _subheading(doc, n, f"{label}（{len(rows)}项）")
        _table(doc, TARGET_COLUMNS, rows, TARGET_WIDTHS, f"{label}的量化目标")

    _heading(doc, 5, "各项任务进展")
    _table(doc, ["任务", "责任单位", "状态", "进展摘要"], model["tasks"], [5.0, 3.4, 1.8, 5.4])

    _signature(doc, model)
    _properties(doc, model)
    out = io.BytesIO()
    doc.save(out)
    return fix_package(out.getvalue(), report_datetime(model["compiled"]))


def _signature(doc, model: dict) -> None:
    """落款: below the text, a line left blank, the issuing office (右空二字) and the date under it
    (右空四字). The office is a setting (extra.gov.report_issuer): without it, the date alone."""
    doc.add_paragraph()
    lines = ([(model["signature"], 2)] if model.get("signature") else []) + [(model["date_text"], 4)]
    for text, chars in lines:
        paragraph = doc.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.right_indent = Pt(chars * BODY_PT)


def _properties(doc, model: dict) -> None:
    """Document properties from the data, never the clock (the file is frozen like its page)."""
    when = report_datetime(model["compiled"])
    props = doc.core_properties
    props.title = model["title"]
    props.subject = model["plan_title"]
    props.author = props.last_modified_by = model.get("signature") or f"《{model['plan_title']}》信息公开网站"
    props.comments = f"{model['compiled_text']}。信息公开网站同期报告：{model['url']}"
    props.keywords = f"{model['plan_title']}，{model['period_label']}，进展情况"
    props.category = "季度进展报告"
    props.language = "zh-CN"
    props.created = props.modified = when
    props.revision = 1
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # the template's picture of an empty page
            package.rels.pop(rel_id)
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:  # the template's empty bibliography
            doc.part.rels.pop(rel_id)
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":  # the template's: "Microsoft Macintosh Word", Normal.dotm
            company = escape(model.get("signature") or "")
            part._blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{APP_XML_NS}">'
                          f"<Company>{company}</Company></Properties>").encode("utf-8")
