"""What officials take away: each quarterly report as a Word document, and every chart as a PNG.

The documents of the real site are opened by python-docx (structure) and converted to PDF by
Debian's LibreOffice, headless, all in one call (their text, read with pdftotext); their content is
compared with the report pages of the same build. A mini plan shows a report's document frozen
when a later period is added, and a warm rebuild making nothing.
"""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.table import Table
from PIL import Image, ImageStat

from conftest import ROOT
from plansite.builder.cache import CACHE_ENV, chart_key
from plansite.charts import draw as chart_draw
from plansite.charts.specs import derive_chart_specs
from plansite.documents import docx_render
from plansite.figures.progress import derive_progress
from plansite.wording import period_label, report_notice
from plansite.wording import ASSESSMENT_DISPLAY, assessment_label, cn_date, file_size, task_heading
from plansite.model.load import load_plan
from test_progress_pages import Q1, Q2, mini_with, page, rows, section, text

PDFTOTEXT = "/usr/bin/pdftotext"
ASSESSMENT_LABELS = [label for label, _ in ASSESSMENT_DISPLAY.values()]  # the one order
GLYPH_MISSING = r"Glyph \d+ .* missing from font"


@pytest.fixture(scope="module")
def real():
    plan = load_plan(ROOT / "data")
    progress = derive_progress(plan)
    return plan, progress, derive_chart_specs(plan, progress)


def docx_path(site: Path, period: str) -> Path:
    return site / "reports" / period / f"{period}.docx"


def body_tables(doc) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]


def table_after(doc, heading_text: str):
    """The first table after the Heading 1 whose text ends with `heading_text` (None if a
    paragraph says there is none before the next heading)."""
    body = doc.element.body
    seen = False
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            style = child.pPr.pStyle.val if child.pPr is not None and child.pPr.pStyle is not None else ""
            words = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if style == "Heading1":
                if seen:
                    return None
                seen = words.endswith(heading_text)
        elif child.tag == qn("w:tbl") and seen:
            return [[cell.text for cell in row.cells] for row in Table(child, doc).rows]
    return None


# ---- every report has its document, and the page offers it ------------------------------------


def test_every_report_has_its_word_document_linked_from_its_page(built_site, real):
    plan, progress, _ = real
    assert len(progress) >= 2
    for state in progress:
        path = docx_path(built_site, state.period)
        assert path.is_file(), path
        assert zipfile.is_zipfile(path)
        html = page(built_site, f"reports/{state.period}")
        title = f"《{plan.meta.title}》{period_label(state.period)}进展情况"
        assert f'href="{state.period}.docx" download="{title}.docx"' in html


# ---- structure, as Word and WPS read it ---------------------------------------------------------


def east_asia_font(style) -> str | None:
    rfonts = style.element.rPr.rFonts if style.element.rPr is not None else None
    assert rfonts is not None, style.name
    # A theme font would win over the named one in Word.
    assert rfonts.get(qn("w:eastAsiaTheme")) is None and rfonts.get(qn("w:asciiTheme")) is None, style.name
    return rfonts.get(qn("w:eastAsia"))


def test_a_document_has_word_headings_real_tables_its_chart_chinese_fonts_a4_and_page_numbers(built_site, real):
    plan, progress, specs = real
    for state in progress:
        doc = Document(docx_path(built_site, state.period))
        paragraphs = doc.paragraphs
        assert paragraphs[0].style.name == "Title"
        # Broken by meaning (GB/T 9704: 标题回行 keeps words whole): the plan's name before its years, then the period.
        assert paragraphs[0].text.replace("\n", "") == f"《{plan.meta.title}》{period_label(state.period)}进展情况"
        assert paragraphs[0].text.split("\n") == ["《阳江市建设质量强市", "2014-2015年行动计划》", f"{period_label(state.period)}进展情况"]
        headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
        assert headings == ["一、任务状态", "二、与上一季度相比", "三、滞后的任务", "四、量化目标", "五、各项任务进展"]
        # 量化目标: a 二级标题 （一）, （二）… for each verdict, in the site's one order, with its count.
        groups = [p.text for p in paragraphs if p.style.name == "Heading 2"]
        labels = [label for label in ASSESSMENT_LABELS
                  if any(assessment_label(state.indicators[i.id].assessed.code) == label for i in plan.indicators)]
        assert [re.sub(r"（\d+项）$", "", g.split("）", 1)[1]) for g in groups] == labels
        assert [g.split("）", 1)[0] + "）" for g in groups] == [f"（{'一二三四五六七八九'[n]}）" for n in range(len(groups))]
        # The report page's sample notice (the sample quarters it shows), in brackets.
        notice = [p.text for p in paragraphs if p.text.startswith("【示例数据：")]
        assert notice == ([f"【{report_notice(plan, state)}】"] if state.sample else []), notice

        # Real tables; every one repeats its header row on each page it runs onto.
        assert len(doc.tables) >= 2
        for table in doc.tables:
            tr_pr = table.rows[0]._tr.trPr
            assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        everything = doc.tables[-1]
        assert [c.text for c in everything.rows[0].cells] == ["任务", "责任单位", "状态", "进展摘要"]
        assert [r.cells[0].text for r in everything.rows[1:]] == [task_heading(t) for t in plan.tasks]
        # Each table under its numbered title, 表1, 表2 …, as the chart is 图1.
        titles = [p.text for p in paragraphs if p.style.name == "Caption" and p.text.startswith("表")]
        assert titles == [f"表{n}　{title}" for n, title in enumerate(table_titles(doc), 1)] and len(titles) == len(doc.tables)

        # The status chart, as the PNG published beside its SVG, with the chart's text alternative.
        chart = specs[f"report-{state.period}"]
        assert len(doc.inline_shapes) == 1
        image = doc.part.related_parts[doc.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed]
        assert image.blob == (built_site / chart["png"]).read_bytes()
        assert doc.inline_shapes[0]._inline.docPr.get("descr") == chart["alt"]

        # Fonts and sizes as GB/T 9704-2012 names them, named for East Asian text: 三号仿宋 body,
        # 二号小标宋 title, 三号黑体 and 楷体 headings, 四号宋体 page numbers; 宋体 tables.
        styles = doc.styles
        assert (east_asia_font(styles["Normal"]), styles["Normal"].font.size.pt) == ("仿宋", 16)
        assert (east_asia_font(styles["Title"]), styles["Title"].font.size.pt) == ("方正小标宋简体", 22)
        assert (east_asia_font(styles["Heading 1"]), styles["Heading 1"].font.size.pt) == ("黑体", 16)
        assert (east_asia_font(styles["Heading 2"]), styles["Heading 2"].font.size.pt) == ("楷体", 16)
        assert (east_asia_font(styles["Footer"]), styles["Footer"].font.size.pt) == ("宋体", 14)
        assert east_asia_font(styles["表格文字"]) == "宋体"
        assert everything.rows[1].cells[1].paragraphs[0].style.name == "表格文字"
        # Body: first line indented two characters, justified, 22 lines of 28 characters.
        body = styles["Normal"].paragraph_format
        assert body.first_line_indent.pt == 32 and body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert body.line_spacing_rule == WD_LINE_SPACING.EXACTLY and round(22 * body.line_spacing.pt / 72 * 25.4) == 225
        condensed = int(styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
        assert int(156 / 25.4 * 72 // (16 + condensed)) == 28
        for heading in ("Heading 1", "Heading 2"):
            assert styles[heading].paragraph_format.first_line_indent.pt == 32 and not styles[heading].font.bold

        section_ = doc.sections[0]
        assert (round(section_.page_width.cm, 1), round(section_.page_height.cm, 1)) == (21.0, 29.7)
        assert [round(getattr(section_, f"{side}_margin").mm) for side in ("top", "bottom", "left", "right")] == [37, 35, 28, 26]
        # Page numbers "— 1 —", odd pages at the right and even pages at the left, one character in,
        # their line 7 mm below the text area.
        assert doc.settings.odd_and_even_pages_header_footer
        for footer, side in ((section_.footer, "right"), (section_.even_page_footer, "left")):
            number = footer.paragraphs[0]
            assert number.text.replace("1", "#") == "— # —" and number.alignment == getattr(WD_ALIGN_PARAGRAPH, side.upper())
            assert getattr(number.paragraph_format, f"{side}_indent").pt == 14
            assert [i.text.strip() for i in footer._element.iter(qn("w:instrText"))] == ["PAGE"]
        assert round(section_.footer_distance.mm + 14 / 72 * 25.4) == 35 - 7
        # 落款: the date of the data at the end, right-aligned (the office only when it is set: none here).
        last = [p for p in paragraphs if p.text.strip()][-1]
        assert last.text == cn_date(state.compiled) and last.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def table_titled(doc, title: str):
    """The rows of the table under the title 表N　`title`, or None."""
    body = list(doc.element.body.iterchildren())
    for n, element in enumerate(body):
        if element.tag == qn("w:p") and re.fullmatch(rf"表\d+\u3000{re.escape(title)}", "".join(x.text or "" for x in element.iter(qn("w:t")))):
            table = Table(body[n + 1], doc)
            return [[cell.text for cell in row.cells] for row in table.rows]
    return None


def table_titles(doc) -> list[str]:
    """What each table's title should say: its own for the first, else the heading it stands under."""
    titles, heading = [], None
    body = doc.element.body
    for element in body.iterchildren():
        if element.tag == qn("w:p"):
            style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is not None and style.get(qn("w:val")) == "Heading1":
                heading = "".join(t.text or "" for t in element.iter(qn("w:t"))).split("、", 1)[1]
        elif element.tag == qn("w:tbl"):
            title = "".join(x.text or "" for x in element.getprevious().iter(qn("w:t"))).split("\u3000", 1)[-1]
            titles.append("各状态的任务数" if not titles else title if title.endswith("的量化目标") else heading)
    return titles


def test_a_table_keeps_markup_characters_line_breaks_and_tabs_as_written():
    """Tables are written as XML in one go (docx_render._table): text is escaped, a newline is a
    line break and a tab a tab, as python-docx's own calls would write them."""
    doc = Document()
    docx_render._styles(doc)
    docx_render._table(doc, ["甲", "乙"], [["a<b>&c \"引号\"", "一行\n二行\t列"], [7, ""]], [3.0, 5.5])
    table = doc.tables[0]
    assert table.style.name == "Table Grid"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["甲", "乙"], ["a<b>&c \"引号\"", "一行\n二行\t列"], ["7", ""]]
    breaks = table.rows[1].cells[1]._tc
    assert (len(breaks.xpath(".//w:br")), len(breaks.xpath(".//w:tab"))) == (1, 1)  # not a raw newline in w:t
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert not table.rows[1].cells[0].paragraphs[0].runs[0].bold
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert [(round(cell.width.cm, 2)) for cell in table.rows[2].cells] == [3.0, 5.5]
    assert [(round(column.width.cm, 2)) for column in table.columns] == [3.0, 5.5]


def test_document_properties_come_from_the_data_not_the_clock(built_site, real):
    plan, progress, _ = real
    for state in progress:
        path = docx_path(built_site, state.period)
        props = Document(path).core_properties
        assert props.title == f"《{plan.meta.title}》{period_label(state.period)}进展情况"
        assert props.created.date() == props.modified.date() == state.compiled
        assert props.author != "python-docx" and "python-docx" not in props.comments
        with zipfile.ZipFile(path) as package:
            assert {info.date_time[:3] for info in package.infolist()} == {state.compiled.timetuple()[:3]}
            assert "docProps/thumbnail.jpeg" not in package.namelist()


# ---- the same content as the report page ------------------------------------------------------


def page_counts(html: str) -> dict[str, int]:
    """Status → count from the report page's 任务状态 table."""
    found = {}
    for row in rows(section(html, "status", "changes")):
        if len(row) == 2 and row[1].isdigit():
            found[row[0]] = int(row[1])
    return found


def page_tasks(html: str) -> list[tuple[str, str]]:
    """(task heading, status) of every task on the report page."""
    return [(r[0], r[1]) for r in rows(section(html, "tasks")) if len(r) == 3 and r[0] != "任务"]


def test_a_document_says_what_its_report_page_says(built_site, real):
    plan, progress, _ = real
    for state in progress:
        html = page(built_site, f"reports/{state.period}")
        doc = Document(docx_path(built_site, state.period))
        counts = table_after(doc, "任务状态")
        assert {label: int(n) for label, n in counts[1:] if label != "合计"} == page_counts(html)
        assert dict(counts[1:])["合计"] == str(len(plan.tasks))

        tasks = page_tasks(html)
        assert len(tasks) == len(plan.tasks)
        everything = doc.tables[-1]
        assert [(r.cells[0].text, r.cells[2].text) for r in everything.rows[1:]] == tasks

        behind = table_after(doc, "滞后的任务")
        page_behind = [heading for heading, status in tasks if status == "滞后"]
        assert ([r[0] for r in behind[1:]] if behind else []) == page_behind

        # Every target of the page's list is named in the document, under its own verdict (a table
        # titled 已达标的量化目标, 未达标的量化目标, 逾期未报数的量化目标 … in the one order).
        page_targets = [(r[0], r[3]) for r in rows(section(html, "targets", "tasks")) if len(r) == 5 and r[0] != "目标"]
        assert len(page_targets) == len(plan.indicators)
        in_document = [(f"{row[0]}（{row[1]}）", label) for label in ASSESSMENT_LABELS
                       for row in (table_titled(doc, f"{label}的量化目标") or [[]])[1:]]
        assert sorted(in_document) == sorted(page_targets)

        changes = table_after(doc, "与上一季度相比")
        page_changes = [r for r in rows(section(html, "changes", "targets")) if len(r) == 3 and r[0] != "任务"]
        assert (changes[1:] if changes else []) == page_changes
    # The data has a quarter with tasks behind, one with targets achieved and one with targets missed: all compared above.
    assert any(s.tasks[t.id].status == "behind" for s in progress for t in plan.tasks)
    assert any(s.indicators[i.id].assessed.code == "achieved" for s in progress for i in plan.indicators)
    assert any(s.indicators[i.id].assessed.code == "missed" for s in progress for i in plan.indicators)
    assert {"overdue_no_value", "overdue_unjudged"} <= {s.indicators[i.id].assessed.code for s in progress for i in plan.indicators}


# ---- opened by a real office suite ------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(report_pdfs, real) -> dict[str, str]:
    """Every report converted by LibreOffice (conftest.report_pdfs); period → the PDF's text."""
    _, progress, _ = real
    return {state.period: subprocess.run([PDFTOTEXT, "-layout", str(report_pdfs[state.period]), "-"], capture_output=True,
                                         text=True, check=True).stdout for state in progress}


def test_libreoffice_opens_every_report_with_its_title_every_task_and_the_counts(pdfs, built_site, real):
    plan, progress, _ = real
    for state in progress:
        layout = pdfs[state.period]
        flat = re.sub(r"\s+", "", layout)  # LibreOffice spaces Latin from Han and wraps long lines
        assert re.sub(r"\s+", "", f"《{plan.meta.title}》{period_label(state.period)}进展情况") in flat
        # The table of all tasks: each task's heading (its number in the plan's own form) starts a row.
        starts = re.sub(r"\s+", "", "".join(re.findall(r"^\s{0,8}(\S.*)$", layout, re.M)))
        assert all(re.sub(r"\s+", "", task_heading(t))[:6] in starts for t in plan.tasks)
        counts = page_counts(page(built_site, f"reports/{state.period}"))
        assert "、".join(f"{label}{n}项" for label, n in counts.items() if n) in flat
        assert f"计划的{len(plan.tasks)}项任务中" in flat
        # Every date of the document's tables stands on one line (2015年12月31日 never runs onto two).
        lines = {re.sub(r"\s+", "", line) for line in layout.splitlines()}
        dates = set(re.findall(r"\d{4}年\d{1,2}月\d{1,2}日", flat))
        assert dates and all(any(date in line for line in lines) for date in dates), state.period
        # Page numbers from the footer's PAGE field, on every page.
        assert "—1—" in flat and "—2—" in flat


# ---- charts as images -------------------------------------------------------------------------


def test_every_chart_has_a_print_png_beside_its_svg_that_is_not_blank(built_site, real):
    _, _, specs = real
    images = [s for s in specs.values() if s["file"]]
    assert len(images) >= 60
    for spec in images:
        path = built_site / spec["png"]
        assert path.with_suffix(".svg") == built_site / spec["file"]
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert list(image.size) == spec["png_size"]
            assert image.width >= 1600
            # Drawn for print: marked with its resolution, at which it is as wide as an A4 page's text (156 mm).
            assert image.info["dpi"] == pytest.approx((chart_draw.PNG_DPI, chart_draw.PNG_DPI), abs=0.01)
            assert image.width / chart_draw.PNG_DPI * 25.4 == pytest.approx(156, abs=0.2)
            # Not blank: white paper with bars, lines and text drawn on it.
            assert ImageStat.Stat(image.convert("L")).stddev[0] > 20, spec["id"]
            assert image.convert("RGB").getpixel((0, 0)) == (255, 255, 255)  # white, not transparent
            # Opaque throughout: a document shows it over its own page colour.
            assert "A" not in image.getbands() or image.getchannel("A").getextrema() == (255, 255), spec["id"]


def test_the_png_draws_its_chinese_text_with_the_font_installed(real):
    _, progress, specs = real
    chosen = [specs[f"report-{progress[-1].period}"], next(s for s in specs.values() if s["kind"] == "indicator" and s["plot"])]
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=GLYPH_MISSING)
        for spec in chosen:
            svg, png = chart_draw.draw_chart_files(spec["kind"], spec["plot"])
            assert png.startswith(b"\x89PNG")
    # and the drawing has teeth: a character no font has is an error in the PNG as well
    plot = {**specs["home-status"]["plot"]}
    plot["rows"] = [{"label": "表情\U0001F600", "counts": [["completed", 1]]}]
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=GLYPH_MISSING)
        with pytest.raises(UserWarning, match=GLYPH_MISSING):
            chart_draw.draw_chart_files("status_bars", plot)


def test_each_chart_figure_links_its_png_svg_and_csv_and_the_csv_holds_its_table(built_site, real):
    import csv

    _, _, specs = real
    home = page(built_site, "")
    for spec in (specs["home-status"], specs["home-history"]):
        figure = re.search(rf'<figure class="chart" id="chart-{spec["id"]}">.*?</figure>', home, re.S).group(0)
        downloads = re.search(r'<p class="chart-downloads">(.*?)</p>', figure, re.S).group(1)
        assert text(downloads).replace(" ", "").startswith(f"下载图片：PNG（{spec['png_size'][0]}×{spec['png_size'][1]}像素，带标题和数据来源")
        assert re.findall(r'href="([^"]+)"', downloads) == [f"charts/{spec['id']}.{ext}" for ext in ("png", "svg", "csv")]
    for spec in specs.values():
        if spec["csv"]:
            table = list(csv.reader(io.StringIO((built_site / spec["csv"]).read_text(encoding="utf-8-sig"))))
            assert table == [spec["table"]["head"], *spec["table"]["rows"]]


def test_the_downloads_page_lists_the_word_reports_and_chart_images_with_their_sizes(built_site, real):
    _, progress, specs = real
    html = page(built_site, "downloads")
    assert "plansite-size" not in html
    reports = {r[0]: r for r in rows(section(html, "reports-docx", "chart-images"))}
    for state in progress:
        row = reports[f"{state.period}.docx"]
        assert row[2] == file_size(docx_path(built_site, state.period).read_bytes())
    # The charts' tables, one for each kind of page they are on (long-table: laid out after start-up).
    images = "".join(re.findall(r'<div class="long-table">(.*?)</div>', section(html, "chart-images"), re.S))
    # Each chart by name, its files in one cell: what each file is (the link), and its size.
    listed = re.findall(r'<a href="\.\./([^"]+)" download>([^<]+)</a>（([^）]+)）', images)
    expected = []
    for spec in specs.values():
        for path, kind in ((spec["png"], "PNG"), (spec["file"], "SVG"), (spec["csv"], "CSV")):
            if path:
                expected.append((path, kind, file_size((built_site / path).read_bytes())))
    assert listed == expected
    names = [row[0] for row in rows(images) if row != ["图表", "下载"]]
    assert names == [spec["name"] for spec in specs.values() if spec["file"] or spec["csv"]]
    # A heading for each table: the kind of page its charts are on (the specs' groups, in their order).
    headings = re.findall(r'<h3 id="([^"]+)">([^<]+)', section(html, "chart-images"))
    groups = [(s["group"]["anchor"], s["group"]["heading"]) for s in specs.values() if s["file"] or s["csv"]]
    assert headings == list(dict.fromkeys(groups)) and len(headings) == 4, headings


# ---- frozen, and made once --------------------------------------------------------------------


def run_build(data: Path, site: Path, cache: Path, script: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", CACHE_ENV: str(cache)}
    env.pop("SITE_URL", None)
    command = [sys.executable, "-c", script, str(data), str(site)] if script else [
        sys.executable, "-m", "plansite", "build", "--data", str(data), "--site", str(site)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_a_reports_document_never_changes_when_a_period_is_added(tmp_path):
    data = mini_with(tmp_path, Q1=Q1)
    site = tmp_path / "site"
    assert run_build(data, site, tmp_path / "cache-1").returncode == 0
    before = docx_path(site, "2020-Q1").read_bytes()
    png_before = (site / "charts" / "report-2020-Q1.png").read_bytes()
    (data / "progress" / "2020-Q2.yaml").write_text(Q2, encoding="utf-8")
    # A fresh cache: the document is made again, not copied, and still comes out the same.
    result = run_build(data, site, tmp_path / "cache-2")
    assert result.returncode == 0, result.stderr
    assert docx_path(site, "2020-Q2").is_file()
    assert (site / "charts" / "report-2020-Q1.png").read_bytes() == png_before
    assert docx_path(site, "2020-Q1").read_bytes() == before


BUILD_SCRIPT = """
import sys
from plansite.__main__ import main
code = main(["build", "--data", sys.argv[1], "--site", sys.argv[2]])
print("IMPORTED", sorted(m for m in ("matplotlib", "docx") if m in sys.modules), code)
"""


def test_a_rebuild_of_an_unchanged_site_draws_and_makes_nothing(tmp_path):
    data = mini_with(tmp_path, Q1=Q1, Q2=Q2)
    cache = tmp_path / "cache"
    first = run_build(data, tmp_path / "site", cache, BUILD_SCRIPT)
    assert first.returncode == 0, first.stderr
    made = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    plan = load_plan(data)
    images = [s for s in derive_chart_specs(plan, derive_progress(plan)).values() if s["plot"]]
    # (Charts with the same plot share a drawing: home-status is the latest report's chart.)
    assert {name for name in made if name.endswith(".png")} == {f"{chart_key(s)}.png" for s in images}
    assert sum(name.endswith(".docx") for name in made) == 2
    again = run_build(data, tmp_path / "site", cache, BUILD_SCRIPT)
    assert "IMPORTED [] 0" in again.stdout, again.stdout + again.stderr
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == made
    assert docx_path(tmp_path / "site", "2020-Q2").is_file()


def test_the_issuing_office_signs_each_report_when_it_is_set(tmp_path):
    """落款: with extra.gov.report_issuer set (a made-up office, tests/fixtures/gov/mkdocs.yml), each
    report ends with the office, right-aligned two characters in, and the date under it four in;
    the document's properties name the office. Without it (the real site) nothing is invented."""
    from test_gov_footer import GOV, GOV_CONFIG

    data = mini_with(tmp_path, Q1=Q1, Q2=Q2)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "https://plan.example.gov.cn/"}
    result = subprocess.run([sys.executable, "-m", "plansite", "build", "--data", str(data), "--site", str(tmp_path / "site"),
                             "--config", str(GOV_CONFIG)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    plan = load_plan(data)
    for period in plan.periods:
        doc = Document(tmp_path / "site" / "reports" / period.period / f"{period.period}.docx")
        office, date = [p for p in doc.paragraphs if p.text.strip()][-2:]
        assert (office.text, date.text) == (GOV["report_issuer"], cn_date(period.compiled))
        assert [round(p.paragraph_format.right_indent.pt) for p in (office, date)] == [32, 64]
        assert office.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert doc.core_properties.author == GOV["report_issuer"]
