"""plansite/chart_png.py: strings shaped once per process give the pixels matplotlib's own Agg renderer gives."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from plansite import chart_draw, chart_png, charts
from plansite.derive import derive_progress
from plansite.validate import load_plan

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def specs():
    plan = load_plan(ROOT / "data")
    specs = charts.derive_chart_specs(plan, derive_progress(plan))
    # Both kinds, with the strings they share (legend labels, counts, tick years).
    return [specs[i] for i in ("home-status", "chapter-01", "department-water")] + \
        [s for s in specs.values() if s["kind"] == "indicator" and s["plot"]][:2]


def matplotlibs_own_pixels(spec) -> np.ndarray:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = chart_draw.FIGURE[spec["kind"]](spec["plot"])
    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(chart_draw.PNG_DPI)
    fig.patch.set_facecolor("white")
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def our_pixels(spec) -> np.ndarray:
    png = chart_png.render_png(chart_draw.FIGURE[spec["kind"]](spec["plot"]), chart_draw.PNG_DPI)
    return np.asarray(Image.open(io.BytesIO(png)))


def test_strings_shaped_once_are_drawn_with_matplotlibs_own_pixels(specs):
    for spec in specs:
        our_pixels(spec)
    shaped = len(chart_png._SHAPED)
    for spec in specs:  # every string now comes from what was shaped before
        assert (our_pixels(spec) == matplotlibs_own_pixels(spec)).all(), spec["id"]
    assert len(chart_png._SHAPED) == shaped > 0


def test_a_string_is_shaped_once_for_each_font_size_and_weight(specs):
    """The memo's key holds what changes the layout: the same words in bold or larger are shaped anew."""
    for spec in specs:
        our_pixels(spec)
    keys = [(s, prop.get_size_in_points(), prop.get_weight()) for s, prop, *_ in chart_png._SHAPED]
    assert len(keys) == len(set(keys))
    assert ("1", 10.0, "bold") in keys and ("已完成", 9.0, "normal") in keys
