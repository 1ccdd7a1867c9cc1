"""plansite/charts/render.py: strings measured and shaped once per process give the files matplotlib's own
savefig and Agg canvas give."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from plansite.charts import draw as chart_draw
from plansite.charts import render as chart_render
from plansite.charts import specs as charts
from plansite.figures.progress import derive_progress
from plansite.model.load import load_plan

ROOT = Path(__file__).resolve().parent.parent


def same_words_in_two_sizes():
    """A box around text is drawn to its measured size: a measurement reused for the wrong size shows."""
    from matplotlib.figure import Figure

    chart_draw.prepare_drawing()
    fig = Figure(figsize=(3.6, 1.5))
    box = dict(boxstyle="square,pad=0.1", facecolor="#005a8c", edgecolor="none")
    fig.text(0.05, 0.95, "期限 2015年", va="top", fontsize=9, bbox=box)
    fig.text(0.05, 0.5, "期限 2015年", va="top", fontsize=16, fontweight="bold", bbox=box)
    return fig


@pytest.fixture(scope="module")
def figures():
    """(name, a function making a fresh figure): both kinds of chart, with the strings they share
    (legend labels, counts, tick years), and the same words in two sizes."""
    plan = load_plan(ROOT / "data")
    specs = charts.derive_chart_specs(plan, derive_progress(plan))
    chosen = [specs[i] for i in ("home-status", "chapter-01", "department-water")] + \
        [s for s in specs.values() if s["kind"] == "indicator" and s["plot"]][:2]
    made = [(s["id"], lambda s=s: chart_draw.FIGURE[s["kind"]](s["plot"])) for s in chosen]
    return made + [("same words in two sizes", same_words_in_two_sizes)]


def our_files(make) -> tuple[bytes, np.ndarray]:
    """The SVG, then the PNG's pixels, from one figure, by the calls chart_draw.draw_chart_files makes."""
    fig = make()
    svg = chart_draw._svg(fig)
    png = chart_draw._png(fig)
    return svg, np.asarray(Image.open(io.BytesIO(png)))


def matplotlibs_own_files(make) -> tuple[bytes, np.ndarray]:
    """The same through savefig (transparent: savefig.transparent is set) and FigureCanvasAgg."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    fig = make()
    FigureCanvasSVG(fig)
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(chart_draw.PNG_DPI)
    fig.patch.set_facecolor("white")
    canvas.draw()
    return out.getvalue(), np.asarray(canvas.buffer_rgba()).copy()


def test_strings_measured_and_shaped_once_give_matplotlibs_own_svg_and_pixels(figures):
    for _, make in figures:
        our_files(make)
    measured, shaped = len(chart_render._MEASURED), len(chart_render._SHAPED)
    for name, make in figures:  # every string now comes from what was measured and shaped before
        svg, pixels = our_files(make)
        own_svg, own_pixels = matplotlibs_own_files(make)
        assert svg == own_svg, name
        assert pixels.shape == own_pixels.shape and (pixels == own_pixels).all(), name
    assert len(chart_render._MEASURED) == measured > 0 and len(chart_render._SHAPED) == shaped > 0


def every_chart():
    """(name, a function making a fresh figure) for every chart of the real plan and the mini plan."""
    made = []
    for data in (ROOT / "data", ROOT / "tests" / "fixtures" / "mini"):
        plan = load_plan(data)
        for spec in charts.derive_chart_specs(plan, derive_progress(plan)).values():
            if spec["plot"] is not None:
                made.append((f"{data.name}: {spec['id']}", lambda s=spec: chart_draw.FIGURE[s["kind"]](s["plot"])))
    return made


def test_every_charts_png_has_the_pixels_of_matplotlibs_own_canvas():
    """Every chart, drawn in one process as a worker draws them (glyphs and strings of earlier
    charts reused, hatched bars and legend swatches): the pixels FigureCanvasAgg gives."""
    differ = []
    for name, make in every_chart():
        _, pixels = our_files(make)
        _, own_pixels = matplotlibs_own_files(make)
        if pixels.shape != own_pixels.shape or not (pixels == own_pixels).all():
            differ.append(name)
    assert len(chart_render._GLYPHS) > 100
    assert differ == []


def test_a_string_is_shaped_once_for_each_font_size_and_weight(figures):
    """The key holds what changes the layout: the same words in bold or larger are shaped anew."""
    for _, make in figures:
        our_files(make)
    keys = [(s, prop.get_size_in_points(), prop.get_weight()) for _, s, prop, *_ in chart_render._SHAPED]
    assert len(keys) == len(set(keys))
    assert ("1", 10.0, "bold") in keys and ("已完成", 9.0, "normal") in keys


def _draw_home_chart_in_child() -> tuple[tuple[int, int], bytes]:
    plan = load_plan(ROOT / "data")
    spec = charts.derive_chart_specs(plan, derive_progress(plan))["home-status"]
    at_start = len(chart_render._SHAPED), len(chart_render._GLYPHS)
    return at_start, chart_render.render_png(chart_draw.FIGURE[spec["kind"]](spec["plot"]), chart_draw.PNG_DPI)


def test_a_forked_worker_shapes_with_its_own_fonts(figures):
    """A worker forked after this process drew charts must not reuse this process's fonts: they read
    their file through a descriptor both processes share (matplotlib clears its own font cache in a
    forked child). Reusing them failed with 'invalid face handle'."""
    import multiprocessing

    for _, make in figures:
        our_files(make)
    assert chart_render._SHAPED and chart_render._GLYPHS
    with multiprocessing.get_context("fork").Pool(1) as pool:
        (shaped_at_start, glyphs_at_start), png = pool.apply(_draw_home_chart_in_child)
    assert shaped_at_start == glyphs_at_start == 0
    assert png == _draw_home_chart_in_child()[1]
