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


@pytest.mark.parametrize("hatch", ["||", "//", "xx", "--", "\\\\", "+", "/-"])
def test_hatched_rectangles_have_the_pixels_of_agg_s_own_hatching(hatch):
    """Rectangles hatched with lines, drawn as lines (plansite/charts/render.py), against Agg's own
    tile: at 450 dpi, across the tile's seams (x and y at 450 px), with an odd, an even and no edge,
    over a face and over another hatched rectangle, and a shape that is not a rectangle."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Affine2D

    chart_draw.prepare_drawing()
    drawn = []

    def picture(renderer_class):
        # 450 dpi, whatever the charts' own: the cases are placed on a 450 px tile's seams.
        renderer = renderer_class(1000, 1000, 450)
        if renderer_class is chart_render._AggRenderer:
            lines = renderer._draw_hatch_lines
            renderer._draw_hatch_lines = lambda *args: (drawn.append(args), lines(*args))
        for (x, y, w, h), width, edge in [((30.3, 40.7, 500, 120), 0.8, "white"), ((400.2, 380.6, 120.5, 150), 0.6, "#555555"),
                                          ((600, 430, 300.25, 41.5), 0.0, "none"), ((405.5, 300.1, 90, 90), 0.8, "white"),
                                          ((100.4, 600.3, 200, 77.7), 0.2, (0.1, 0.1, 0.1, 0.5)),
                                          ((100.6, 750.2, 200, 77.7), 1.0, (0.9, 0.1, 0.1, 0.7))]:
            gc = renderer.new_gc()
            gc.set_hatch(hatch)
            gc.set_hatch_color((1, 1, 1, 0.5))
            gc.set_hatch_linewidth(0.7)
            gc.set_linewidth(width)
            gc.set_foreground((0, 0, 0, 0) if edge == "none" else edge)
            renderer.draw_path(gc, MplPath.unit_rectangle(), Affine2D().scale(w, h).translate(x, y), (0.0, 0.35, 0.55, 1.0))
            gc.restore()
        gc = renderer.new_gc()
        gc.set_hatch(hatch)
        renderer.draw_path(gc, MplPath.unit_regular_polygon(5), Affine2D().scale(80).translate(800, 800), (0.6, 0.3, 0.0, 1.0))
        gc.restore()
        return np.asarray(renderer.buffer_rgba()).copy()

    ours, own = picture(chart_render._AggRenderer), picture(RendererAgg)
    # Drawn as lines: all but the pentagon and the rectangle with a thin, see-through edge that
    # leaves its half-covered outermost pixels visible (Agg's own hatching for those).
    assert len(drawn) == 5
    assert (ours == own).all(), f"{(ours != own).any(axis=-1).sum()} pixels differ"


def test_hatched_rectangles_of_every_kind_have_agg_s_pixels():
    """Rectangles of random place and size (some reaching out of the image), edges of random width
    and opacity, faces and hatches opaque or not, over a background: the pixels Agg's own hatching
    gives, whichever way each is drawn (a fixed seed: the same cases every run)."""
    import random

    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Affine2D

    chart_draw.prepare_drawing()
    rng, fast = random.Random(5), 0
    for _ in range(80):
        hatch = rng.choice(["||", "//", "xx", "--", "\\\\", "+", "/-"])
        width, edge_alpha = rng.choice([0, 0.2, 0.5, 0.6, 0.8, 1.0, 2.0]), rng.choice([0.5, 1.0])
        w, h = rng.uniform(1, 500), rng.uniform(1, 300)
        x, y = rng.uniform(-100, 900), rng.uniform(-100, 900)
        face, hatch_colour = rng.choice([(0, .35, .55, 1.0), (.8, .2, .1, .6)]), rng.choice([(1, 1, 1, .5), (0, 0, 0, 1)])
        pictures = []
        for renderer_class in (RendererAgg, chart_render._AggRenderer):
            renderer = renderer_class(1000, 1000, chart_draw.PNG_DPI)
            background = renderer.new_gc()
            background.set_linewidth(0)
            renderer.draw_path(background, MplPath.unit_rectangle(), Affine2D().scale(1000), (0.9, 0.9, 0.2, 1.0))
            gc = renderer.new_gc()
            gc.set_hatch(hatch)
            gc.set_hatch_color(hatch_colour)
            gc.set_linewidth(width)
            gc.set_foreground((0.2, 0.1, 0.1, edge_alpha))
            where = Affine2D().scale(w, h).translate(x, y)
            if renderer_class is chart_render._AggRenderer:
                fast += chart_render._hatched_rectangle(renderer, gc, MplPath.unit_rectangle(), where) is not None
            renderer.draw_path(gc, MplPath.unit_rectangle(), where, face)
            pictures.append(np.asarray(renderer.buffer_rgba()).copy())
        assert (pictures[0] == pictures[1]).all(), (hatch, width, edge_alpha, x, y, w, h, face, hatch_colour)
    assert fast > 20  # many of them drawn as lines


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
