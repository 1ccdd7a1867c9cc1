"""The words on every chart: each printed image (PNG) names its subject, period and source, each SVG
carries the same as its own title and description, and every word drawn fits: inside the image,
clear of every other word, a bar's count inside its bar, and never wider than the layout measured it.

Measured in matplotlib with the real font, on every chart of the real plan and of the second plan
(tests/fixtures/mini), with and without quarterly progress, in both media (the page's SVG, the PNG).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from plansite.charts import draw as chart_draw
from plansite.charts import layout
from plansite.charts.specs import derive_chart_specs
from plansite.figures.progress import derive_progress
from plansite.figures.sources import indicator_sources
from plansite.model.load import load_plan
from plansite.wording import chapter_heading, data_source, period_label, period_span, sample_notice
from test_house_style import CHECKS as HOUSE_STYLE
from test_progress_pages import Q1, Q2, mini_with
from test_sample_notice import Q3, Q4

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    """(name, plan, progress, specs) for the real plan and the second plan, with their progress and
    without any (before the first quarter); the second plan's quarters are sample and reported."""
    mini = load_plan(mini_with(tmp_path_factory.mktemp("mini"), Q1=Q1, Q2=Q2, Q3=Q3, Q4=Q4))
    out = []
    for name, plan in (("data", load_plan(ROOT / "data")), ("mini", mini)):
        for progress in (derive_progress(plan), []):
            out.append((f"{name}{'' if progress else ' (no progress)'}", plan, progress, derive_chart_specs(plan, progress)))
    assert len(out[0][3]) >= 70 and any(s.sample for s in mini.periods) and any(not s.sample for s in mini.periods)
    return out


def drawn(spec: dict) -> list[tuple[str, object]]:
    """The chart's two figures: the page's (SCREEN) and the printed one (PRINT, framed)."""
    return [("svg", chart_draw.FIGURE[spec["kind"]](spec["plot"])),
            ("png", chart_draw.FIGURE[spec["kind"]](spec["plot"], layout.PRINT, framed=True))]


def extents(fig):
    """Each text of the figure with its extent, in points from the bottom left."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from matplotlib.transforms import Affine2D

    fig.set_dpi(10 * layout.PT_PER_IN)  # measured to a tenth of a point (Agg places text on whole pixels)
    renderer = FigureCanvasAgg(fig).get_renderer()
    points = Affine2D().scale(0.1)
    return [(t, t.get_window_extent(renderer).transformed(points)) for t in fig.texts], renderer, points


def test_every_word_fits_its_chart_and_no_two_words_overlap(plans):
    for name, _, _, specs in plans:
        for spec in specs.values():
            if spec["plot"] is None:
                continue
            for medium, fig in drawn(spec):
                where = f"{name} {spec['id']} ({medium})"
                texts, renderer, points = extents(fig)
                frame = fig.bbox.transformed(points)
                bars = [a.get_window_extent(renderer).transformed(points) for a in fig.artists
                        if type(a).__name__ == "Rectangle"]
                assert texts, where
                for text, box in texts:
                    words = text.get_text()
                    # Inside the image, by half a point at least.
                    assert box.x0 >= 0.5 and box.y0 >= 0.5 and box.x1 <= frame.x1 - 0.5 and box.y1 <= frame.y1 - 0.5, \
                        f"{where}: “{words}” runs out of the image: {box.bounds} in {frame.bounds}"
                    # Never wider than the layout measured it (the layout wraps and spaces by that measure).
                    assert box.width <= layout.text_width(words, text.get_fontsize()) + 0.2, \
                        f"{where}: “{words}” is {box.width:.1f} pt wide, measured {layout.text_width(words, text.get_fontsize()):.1f}"
                    if text.get_bbox_patch() is not None:  # a count, on its bar
                        assert any(b.x0 - 0.01 <= box.x0 and box.x1 <= b.x1 + 0.01 and b.y0 - 0.01 <= box.y0
                                   and box.y1 <= b.y1 + 0.01 for b in bars), f"{where}: “{words}” is not inside its bar"
                for n, (text, box) in enumerate(texts):
                    for other, other_box in texts[n + 1:]:
                        overlap = min(box.x1, other_box.x1) - max(box.x0, other_box.x0), \
                            min(box.y1, other_box.y1) - max(box.y0, other_box.y0)
                        assert min(overlap) <= 0, f"{where}: “{text.get_text()}” and “{other.get_text()}” overlap"


def lines_of(fig, size: float, **style) -> list[str]:
    """The texts drawn at `size` (and `style`: weight, colour), top to bottom."""
    texts, *_ = extents(fig)
    chosen = [(t, box) for t, box in texts if t.get_fontsize() == size
              and all(getattr(t, f"get_{key}")() == value for key, value in style.items())]
    return [t.get_text() for t, _ in sorted(chosen, key=lambda tb: -tb[1].y1)]


def test_every_png_names_its_subject_and_period_and_its_source_and_the_svg_carries_them(plans):
    for name, plan, progress, specs in plans:
        latest = progress[-1] if progress else None
        period = period_label(latest.period) if latest else "尚未发布季度进展"
        subjects = {"home-status": f"《{plan.meta.title}》", "home-history": f"《{plan.meta.title}》"}
        subjects |= {f"chapter-{c.id:02d}": chapter_heading(c) for c in plan.chapters}
        subjects |= {f"department-{d.id}": d.name for d in plan.departments}
        subjects |= {f"indicator-{i.id}": i.name for i in plan.indicators}
        subjects |= {f"report-{s.period}": f"《{plan.meta.title}》" for s in progress}
        periods = {"home-status": [latest], "home-history": progress, **{f"report-{s.period}": [s] for s in progress}}
        periods |= {f"chapter-{c.id:02d}": progress for c in plan.chapters}
        periods |= {f"department-{d.id}": [latest] for d in plan.departments}
        for spec in specs.values():
            plot = spec["plot"]
            if plot is None:
                continue
            where = f"{name} {spec['id']}"
            title, source = plot["title"], plot["source"]
            assert title.startswith(subjects[spec["id"]]), where
            # The period of its data, as the site names quarters: those it shows (an indicator: those that
            # reported it, else the quarter its verdict is as of), or that there are none yet.
            baselines = False
            if spec["id"].startswith("indicator-"):
                indicator = next(i for i in plan.indicators if f"indicator-{i.id}" == spec["id"])
                shown, from_file = indicator_sources(plan, progress, indicator)
                baselines = from_file and plan.baselines_sample
                reported = [s.period for s in progress if indicator.id in s.new_values]
                when = period_span(reported) if reported else f"数据截至{period}" if progress else period
            else:
                shown = [s for s in periods[spec["id"]] if s]
                when = period_span(s.period for s in shown) if shown else period
            assert title.endswith(f"（{when}）"), where
            # 数据来源: the plan, then the quarters: sample ones as the sample notice says it, else as reported.
            assert source == data_source(plan.meta.title, shown, baselines), where
            assert source.startswith(f"数据来源：《{plan.meta.title}》"), where
            # The site's own words in the house style (README, 文字规范), as on the pages (names stand as the plan writes them).
            own = f"{title.removeprefix(subjects[spec['id']])}\n{source.replace(plan.meta.title, '')}"
            assert [label for label, pattern in HOUSE_STYLE.items() if pattern.search(own)] == [], where
            notice = sample_notice(shown, baselines)
            assert ("示例数据" in source) == bool(notice), where
            assert (notice in source) if notice else (not shown or source.endswith("为各单位报送的数据")), where
            # Drawn on the PNG: the title in bold above, the source line in grey below; neither on the page's SVG.
            svg, png = (fig for _, fig in drawn(spec))
            m = layout.PRINT
            assert "".join(lines_of(png, m.font, fontweight="bold")).startswith(title), where
            assert "".join(lines_of(png, m.small, color=layout.INK_LIGHT)).endswith(source), where
            assert not any(t.get_text() in (title, source) or "数据来源" in t.get_text() for t in svg.texts), where


def test_the_svg_file_names_its_subject_and_source_inside(plans):
    """The SVG (the page's image, and a download) holds the title and source as its <title> and <desc>:
    a reader who saves it has them; browsers show the title when it is opened alone."""
    _, _, _, specs = plans[0]
    for spec in (specs["home-status"], specs["chapter-11"], specs["indicator-service-user-satisfaction"]):
        svg = chart_draw.draw_chart_files(spec["kind"], spec["plot"])[0]
        root = ET.fromstring(svg)
        assert root.find(f"{SVG}title").text == spec["plot"]["title"]
        assert root.find(f"{SVG}desc").text == spec["plot"]["source"]
        assert list(root)[:2] == [root.find(f"{SVG}title"), root.find(f"{SVG}desc")]  # first: the SVG's own name
    # Data text is escaped, never read as markup.
    plot = {**specs["home-status"]["plot"], "title": "<b>甲&乙</b>", "source": "数据来源：“<script>”"}
    root = ET.fromstring(chart_draw.draw_chart_files("status_bars", plot)[0])
    assert (root.find(f"{SVG}title").text, root.find(f"{SVG}desc").text) == ("<b>甲&乙</b>", "数据来源：“<script>”")


def test_long_words_wrap_within_the_chart():
    """A chapter title, a unit's name, a verdict or a reporter's reasons too long for a line wraps: between
    characters, never inside a bracketed phrase, a title 《…》 or a number that fits a line."""
    assert layout.wrap("《阳江市建设质量强市2014-2015年行动计划》各项任务的状态（2015年第四季度）", 430, 12) == \
        ["《阳江市建设质量强市2014-2015年行动计划》各项任务的状态", "（2015年第四季度）"]
    assert all(layout.text_width(line, 10) <= 100 for line in layout.wrap("很长的名称" * 20, 100, 10))
    long = "十二、" + "加强质量基础设施和质量安全监管体系建设" * 3
    plot = {"rows": [{"label": long, "counts": [["completed", 1], ["behind", 30]]}], "statuses": [["completed", "已完成"]],
            "title": "标题" * 40, "source": "数据来源：" + "来源" * 60}
    plot["size"] = [layout.SCREEN.width_in, layout.status_height(plot, layout.SCREEN)]
    for medium, fig in drawn({"kind": "status_bars", "plot": plot}):
        texts, _, points = extents(fig)
        assert all(box.x1 <= fig.bbox.transformed(points).x1 for _, box in texts), medium
        assert "".join(t.get_text() for t, _ in texts if t.get_fontsize() == (layout.SCREEN if medium == "svg" else layout.PRINT).font
                       and t.get_fontweight() != "bold") == long


def test_a_long_verdict_and_subtitle_wrap_within_an_indicator_chart(plans):
    """The headline that was cut off (…暂无法判) and a reporter's long reasons wrap: every line inside
    the image, the words whole when the lines are read in order."""
    _, _, _, specs = plans[0]
    plot = dict(specs["indicator-service-user-satisfaction"]["plot"])
    plot["verdict"] = "2015年第四季度评估：暂无数据（报送单位说明暂无法判定，全省平均水平尚未公布）"
    plot["subtitle"] = "相对目标：达到全省平均水平，由报送单位判定。报送单位的说明：" + "同期全省平均水平尚未公布，暂无法比较；" * 6
    plot["size"] = [layout.SCREEN.width_in, layout.indicator_height(plot, layout.SCREEN)]
    for medium, fig in drawn({"kind": "indicator", "plot": plot}):
        m = layout.SCREEN if medium == "svg" else layout.PRINT
        texts, _, points = extents(fig)
        frame = fig.bbox.transformed(points)
        assert all(0 < box.x0 and box.x1 < frame.x1 and 0 < box.y0 and box.y1 < frame.y1 for _, box in texts), medium
        assert "".join(lines_of(fig, m.font, fontweight="bold")).endswith(plot["verdict"]), medium
        assert "".join(lines_of(fig, m.small, color=layout.INK)).startswith(plot["subtitle"]), medium
        assert len(lines_of(fig, m.font, fontweight="bold")) >= 2, medium
