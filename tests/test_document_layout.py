"""The Word reports as LibreOffice lays them out, line by line: every quarterly report of the real
data and of the second plan (tests/fixtures/mini), converted to PDF once (conftest.report_pdfs) and
read with pdftotext -bbox-layout. No line of a body paragraph, heading, title, caption, table cell
or 落款 holds one character alone (a 孤字: 日 under 2015年12月31, 率 under 覆盖, 。 on its own); every
page is numbered and holds something; a table running onto a page begins it with its header row,
and never leaves its last row alone there. The model of line breaking that table widths are chosen
by (plansite/documents/docx_lines.py) is held to LibreOffice's own breaks.
"""
from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import build_site, libreoffice_pdfs
from plansite.documents.docx_layout import CELL_PADDING_PT, TABLE_PT, cell_spacing, fit_widths, keep_rows
from plansite.documents.docx_lines import break_lines, leaves_one_alone
from test_progress_pages import Q1, Q2, mini_with

PDFTOTEXT, PDFIMAGES = "/usr/bin/pdftotext", "/usr/bin/pdfimages"
XHTML = "{http://www.w3.org/1999/xhtml}"
PAGE_NUMBER = re.compile(r"—(\d+)—")


@dataclass
class Line:
    """A line of text on a page as pdftotext reads it: where it starts and its text, spaces taken
    out (LibreOffice sets Latin a little apart from Han). Text side by side further apart than
    a character (the cells of a table row) is read as separate lines."""
    page: int
    x: float
    top: float
    text: str


@dataclass
class Report:
    name: str
    docx: Path
    pdf: Path
    pages: int
    lines: list[Line]
    page_width: float


def read_lines(pdf: Path) -> tuple[list[Line], float]:
    xml = subprocess.run([PDFTOTEXT, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines, width = [], 0.0
    for n, page in enumerate(ElementTree.fromstring(xml).iter(f"{XHTML}page"), 1):
        width = float(page.get("width"))
        for line in page.iter(f"{XHTML}line"):
            height = float(line.get("yMax")) - float(line.get("yMin"))
            pieces: list[list] = []
            for word in line.iter(f"{XHTML}word"):
                if pieces and float(word.get("xMin")) - pieces[-1][-1][1] <= 0.6 * height:
                    pieces[-1].append((word.text or "", float(word.get("xMax"))))
                else:
                    pieces.append([(word.text or "", float(word.get("xMax")), float(word.get("xMin")))])
            for piece in pieces:
                text = re.sub(r"\s+", "", "".join(part[0] for part in piece))
                if text:
                    lines.append(Line(n, piece[0][2], float(line.get("yMin")), text))
    return lines, width


@pytest.fixture(scope="module")
def reports(report_pdfs, built_site, tmp_path_factory) -> list[Report]:
    """Every report of the real site, and of the second plan with two quarters, as laid out."""
    root = tmp_path_factory.mktemp("mini-reports")
    result = build_site(mini_with(root, Q1=Q1, Q2=Q2), root / "site")
    assert result.returncode == 0, result.stderr
    mini = sorted((root / "site").glob("reports/*/*.docx"))
    assert len(mini) == 2
    pdfs = {**{built_site / "reports" / period / f"{period}.docx": pdf for period, pdf in report_pdfs.items()},
            **libreoffice_pdfs(mini, tmp_path_factory.mktemp("mini-pdf"), tmp_path_factory.mktemp("lo-profile"))}
    assert len(pdfs) >= 7
    out = []
    for docx, pdf in pdfs.items():
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        lines, width = read_lines(pdf)
        out.append(Report(f"{docx.parent.parent.parent.parent.name}/{docx.stem}", docx, pdf,
                          int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)), lines, width))
    return out


def paragraphs(doc) -> list[str]:
    """The text of every paragraph of a document, in the body and in each table cell."""
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))]


def tables(doc) -> list[list[list[str]]]:
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]


def bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- no character alone on a line ----------------------------------------------------------------


def test_no_line_of_any_report_holds_one_character_alone(reports):
    """A line of one character is only ever a paragraph or cell of that one character (a count of
    0, a — for no value); every other paragraph, wherever it breaks, leaves two or more on a line."""
    for report in reports:
        whole = Counter(bare(text) for text in paragraphs(Document(report.docx)) if len(bare(text)) == 1)
        alone = Counter(line.text for line in report.lines if len(line.text) == 1)
        left = alone - whole
        where = [(line.page, line.text) for line in report.lines if line.text in left]
        assert not left, f"{report.name}: 孤字 {where}"


def test_the_reports_tables_hold_many_cells_that_run_onto_more_lines(reports):
    """The check above has something to find: the reports' tables hold many cells that run onto a
    second line, where a character could be left alone."""
    wrapped = 0
    for report in reports:
        for table in Document(report.docx).tables:
            widths = [int(cell._tc.tcPr.tcW.get(qn("w:w"))) / 20 - CELL_PADDING_PT for cell in table.rows[0].cells]
            wrapped += sum(len(break_lines(cell.text, width, TABLE_PT)) > 1
                           for row in table.rows for cell, width in zip(row.cells, widths))
    assert wrapped >= 100


# ---- the line-breaking model, against LibreOffice's layout ------------------------------------------


def test_the_line_breaking_model_breaks_table_cells_where_libreoffice_does(reports):
    """Every line of every table cell that break_lines predicts is a line LibreOffice set, but for
    a cell whose text comes within a hair (0.3 pt) of the line's end."""
    cells = differ = 0
    for report in reports:
        set_lines = Counter(line.text for line in report.lines)
        for table in Document(report.docx).tables:
            for row in table.rows:
                for cell in row.cells:
                    width = int(cell._tc.tcPr.tcW.get(qn("w:w"))) / 20 - CELL_PADDING_PT
                    spacing = cell._tc.find(f".//{qn('w:rPr')}/{qn('w:spacing')}")
                    extra = {} if spacing is None else {"spacing_pt": int(spacing.get(qn("w:val"))) / 20}
                    predicted = break_lines(cell.text, width, TABLE_PT, **extra)
                    cells += 1
                    if any(bare(line) not in set_lines for line in predicted if line):
                        near = break_lines(cell.text, width - 0.3, TABLE_PT, **extra) != predicted or \
                            break_lines(cell.text, width + 0.3, TABLE_PT, **extra) != predicted
                        assert near, f"{report.name}: {cell.text!r} predicted {predicted}"
                        differ += 1
    assert cells > 1000 and differ <= cells // 100


def test_the_model_keeps_chinese_line_breaking_rules():
    """禁则: no line begins with a closing mark or ends with an opening one; a Latin run or a number
    is never broken; a character alone on the last line is what leaves_one_alone reports."""
    assert break_lines("截至2015年12月31日", 95, TABLE_PT) == ("截至2015年12月31", "日")
    assert leaves_one_alone("截至2015年12月31日", 95, TABLE_PT) and not leaves_one_alone("截至2015年12月31日", 90, TABLE_PT)
    # 丁 goes down with its ，; 庚 with the （ after it; 壬 with its ）
    assert break_lines("甲乙丙丁，戊己庚（辛壬）癸。", 4 * 10.25 + 1, TABLE_PT) == ("甲乙丙", "丁，戊己", "庚（辛", "壬）癸。")
    assert break_lines("计划2014-2015年行动", 30, TABLE_PT) == ("计划", "2014-2015", "年行", "动")
    assert break_lines("受理12365、12315热线", 60, TABLE_PT) == ("受理", "12365、12315", "热线")


def test_widths_are_fitted_so_that_no_cell_leaves_a_character_alone_and_the_total_is_kept():
    """Widths that would leave 率 alone under 覆盖 (and 日 under a date) move a millimetre at a
    time; the total stays; the cell a width cannot spare is set closer or wider instead."""
    rows = [["目标", "数值日期"], ["支柱产业产品企业采标覆盖率", "2015年12月31日"], ["计量标准覆盖率", "—"]]
    given = [2.0, 2.9]
    lonely = [(i, row[i]) for row in rows for i in range(2) if leaves_one_alone(row[i], given[i] * 72 / 2.54 - CELL_PADDING_PT, TABLE_PT)]
    assert lonely  # the widths given do leave characters alone
    widths = fit_widths(rows, given)
    assert round(sum(widths), 1) == round(sum(given), 1)
    for row in rows:
        for text, width in zip(row, widths):
            assert not leaves_one_alone(text, width * 72 / 2.54 - CELL_PADDING_PT, TABLE_PT) or cell_spacing(text, width) is not None


def test_a_short_table_is_kept_whole_and_a_long_one_keeps_its_header_and_last_rows_with_their_neighbours():
    short = [["状态", "任务数"]] + [[f"状态{n}", str(n)] for n in range(6)]
    assert keep_rows(short, [4.0, 3.0]) == [True] * 6 + [False]
    long = [["任务", "进展摘要"]] + [[f"任务{n}", "进展" * 40] for n in range(20)]
    assert keep_rows(long, [5.0, 5.0]) == [True] + [False] * 18 + [True, False]


# ---- pages -------------------------------------------------------------------------------------


def test_every_page_is_numbered_in_order_odd_at_the_right_even_at_the_left_and_holds_something(reports):
    for report in reports:
        assert 2 <= report.pages <= 40, report.name
        numbers = [(line.page, int(PAGE_NUMBER.fullmatch(line.text).group(1)), line.x)
                   for line in report.lines if PAGE_NUMBER.fullmatch(line.text)]
        assert [(page, number) for page, number, _ in numbers] == [(n, n) for n in range(1, report.pages + 1)], report.name
        assert all((x > report.page_width / 2) == (number % 2 == 1) for _, number, x in numbers), report.name
        images = subprocess.run([PDFIMAGES, "-list", str(report.pdf)], capture_output=True, text=True, check=True).stdout
        pictured = {int(row.split()[0]) for row in images.splitlines()[2:] if row.split()}
        for page in range(1, report.pages + 1):
            text = [line for line in report.lines if line.page == page and not PAGE_NUMBER.fullmatch(line.text)]
            assert text or page in pictured, f"{report.name}: page {page} is empty"


def test_a_table_running_onto_a_page_begins_it_with_its_header_and_never_leaves_its_last_row_alone(reports):
    """The header row repeats (w:tblHeader), no row is split (w:cantSplit), and the last two rows
    stay together (w:keepNext): a page that begins inside a table begins with the table's header
    row, followed by more than the table's last row."""
    continued = 0
    for report in reports:
        doc_tables = tables(Document(report.docx))
        headers = {"".join(bare(cell) for cell in table[0]): table for table in doc_tables}
        first_cells = [bare(row[0]) for table in doc_tables for row in table[1:] if bare(row[0])]
        for page in range(2, report.pages + 1):
            rows = _rows_on(report, page)
            if not rows or len(rows[0]) < 2 or not any(cell.startswith(rows[0][0]) for cell in first_cells + list(headers)):
                continue  # the page begins with a title, heading, paragraph or caption, not a table's row
            first = "".join(rows[0])
            assert first in headers, f"{report.name}: page {page} begins with a row of a table, not its header: {rows[0]}"
            continued += 1
            table = headers[first]
            if len(table) > 2 and len(rows) > 1:
                last = bare(table[-1][0])
                assert not (last.startswith(rows[1][0]) and (len(rows) == 2 or len(rows[2]) < 2)), \
                    f"{report.name}: page {page} holds only the last row of its table"
    assert continued >= 5  # the tables of all tasks run onto several pages


def _rows_on(report: Report, page: int) -> list[list[str]]:
    """The page's text lines from the top (page number aside), each a list of what stands side by
    side (tops within 3 pt: Latin and Han text of one row sit a little apart)."""
    rows: list[list[Line]] = []
    for line in sorted((line for line in report.lines if line.page == page and not PAGE_NUMBER.fullmatch(line.text)),
                       key=lambda line: line.top):
        if rows and line.top - rows[-1][0].top <= 3:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [[line.text for line in sorted(row, key=lambda line: line.x)] for row in rows]
