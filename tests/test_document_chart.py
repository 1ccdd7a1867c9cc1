"""The status chart in each quarterly report's Word document: as wide as the text (156 mm, GB/T 9704),
every word of it at 五号 (10.5 pt) or more as placed there, and on the same page as its caption (图1)
when LibreOffice lays the document out. Every report of the real plan (the built site's files) and of
the second plan (tests/fixtures/mini, with sample and reported quarters)."""
from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from plansite.charts import draw as chart_draw
from plansite.charts.layout import PRINT
from plansite.charts.specs import derive_chart_specs
from plansite.documents.docx_layout import TEXT_W_CM
from plansite.documents.docx_render import render_report_docx
from plansite.documents.report import derive_report_documents
from plansite.figures.progress import derive_progress
from plansite.model.load import load_plan
from test_progress_pages import Q1, Q2, mini_with
from test_sample_notice import Q3, Q4

ROOT = Path(__file__).resolve().parent.parent
SOFFICE, PDFTOTEXT, PDFIMAGES = "/usr/bin/soffice", "/usr/bin/pdftotext", "/usr/bin/pdfimages"
FIVE = 10.5  # 五号, in points


@pytest.fixture(scope="module")
def reports(built_site, tmp_path_factory) -> dict[str, tuple[bytes, dict]]:
    """Name → (the report's .docx, its chart's spec): the built site's, and the second plan's made as
    the build makes them (the chart drawn, the document laid out around its PNG)."""
    out = {}
    plan = load_plan(ROOT / "data")
    progress = derive_progress(plan)
    specs = derive_chart_specs(plan, progress)
    for state in progress:
        out[f"data-{state.period}"] = ((built_site / "reports" / state.period / f"{state.period}.docx").read_bytes(),
                                       specs[f"report-{state.period}"])
    mini = load_plan(mini_with(tmp_path_factory.mktemp("mini"), Q1=Q1, Q2=Q2, Q3=Q3, Q4=Q4))
    progress = derive_progress(mini)
    specs = derive_chart_specs(mini, progress)
    for path, document in derive_report_documents(mini, progress, specs, "https://example.org/plan/").items():
        spec = specs[document["chart"]]
        png = chart_draw.draw_chart_files(spec["kind"], spec["plot"])[1]
        out[f"mini-{Path(path).stem}"] = (render_report_docx(document["model"], png), spec)
    assert len(out) == len(plan.periods) + len(mini.periods) >= 9
    return out


def test_every_reports_chart_fills_the_text_width_with_every_word_at_least_five_hao(reports):
    for name, (data, spec) in reports.items():
        doc = Document(io.BytesIO(data))
        assert len(doc.inline_shapes) == 1, name
        shape = doc.inline_shapes[0]
        # Named by its caption (Word's selection pane lists it), described by the chart's text alternative.
        assert shape._inline.docPr.get("name") == f"图1　{spec['caption']}" and shape._inline.docPr.get("descr") == spec["alt"]
        assert abs(shape.width.cm - TEXT_W_CM) < 0.01, f"{name}: the chart is {shape.width.cm:.2f} cm wide"
        blob = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        with Image.open(io.BytesIO(blob)) as image:
            (width, height), dpi = image.size, image.info["dpi"][0]
        assert [width, height] == spec["png_size"], name
        assert abs(shape.height.emu / shape.width.emu - height / width) < 0.001, f"{name}: the chart is distorted"
        # The PNG is the printed drawing: its smallest word, scaled as placed in the document.
        scale = shape.width.pt / (width / dpi * 72)
        smallest = min(t.get_fontsize() for t in chart_draw.FIGURE[spec["kind"]](spec["plot"], PRINT, framed=True).texts)
        assert smallest * scale >= FIVE, f"{name}: words of {smallest * scale:.1f} pt"


def test_every_reports_chart_stands_on_the_page_of_its_caption(reports, tmp_path):
    """LibreOffice's layout (as a PDF): the page holding the picture holds its caption 图1 too."""
    assert os.path.exists(SOFFICE), "需要 LibreOffice：运行 make test 会自动安装（scripts/ensure_libreoffice.sh）"
    for name, (data, _) in reports.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    result = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--norestore",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), *sorted(map(str, tmp_path.glob("*.docx")))],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    for name in reports:
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.is_file(), result.stdout + result.stderr
        pages = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
        captions = [n for n, text in enumerate(pages, 1) if re.search(r"^\s*图1", text, re.M)]
        listing = subprocess.run([PDFIMAGES, "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
        images = [int(row.split()[0]) for row in listing.splitlines()[2:] if row.split()[2] == "image"]
        assert len(captions) == 1 and len(images) == 1, (name, captions, images)
        assert images == captions, f"{name}: the chart on page {images[0]}, its caption on page {captions[0]}"


def test_a_plan_of_twenty_chapters_still_gets_its_chart_whole_on_one_page_at_text_width():
    """Rows beside their labels, a line high: a report's chart of twenty chapters, titled as this plan's
    chapters are, fits a page with its caption, so it is never shrunk below 五号."""
    from plansite.charts.layout import print_size
    from plansite.charts.specs import _status_plot
    from plansite.documents.docx_render import CHART_MAX_H_CM

    plan = load_plan(ROOT / "data")
    titles = [chapter.title for chapter in plan.chapters]
    numerals = [*"一二三四五六七八九十", *(f"十{n}" for n in "一二三四五六七八九"), "二十"]
    chapters = [(f"{numeral}、{titles[n % len(titles)]}（{n % 9 + 1}项）", {"completed": n % 9, "behind": 1})
                for n, numeral in enumerate(numerals)]
    plot = _status_plot([("全部任务（100项）", {"completed": 80, "behind": 20})] + chapters,
                        f"《{plan.meta.title}》各项任务的状态（2015年第四季度）",
                        f"数据来源：《{plan.meta.title}》；示例数据：本站2015年第四季度的进展数据为演示用途，并非官方统计")
    width, height = print_size("status_bars", plot)
    assert width * 2.54 == pytest.approx(TEXT_W_CM, abs=0.01)
    assert height * 2.54 <= CHART_MAX_H_CM
