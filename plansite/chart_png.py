"""A chart's matplotlib figure → PNG bytes at print resolution, with each string shaped once per process.

matplotlib's Agg renderer shapes every string it draws afresh (HarfBuzz through raqm, 0.6 ms a
string with the CJK font): the real plan's 74 charts draw 977 strings, only 192 of them distinct
(legend labels, tick years, counts). `_Renderer` keeps each shaped string for the life of the
process; the glyphs are still rendered at each string's own position, so the pixels are the same
(tests/test_charts.py compares them with matplotlib's own renderer).
"""
from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag

from .png_write import write_png

# (string, font properties, dpi, features, language) → matplotlib's glyph layout for it
_SHAPED: dict = {}


class _Renderer(RendererAgg):
    """matplotlib's Agg renderer, with `draw_text` reusing the layout of a string already shaped.
    The body is RendererAgg.draw_text's own (matplotlib 3.11) with the layout looked up first."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return self.draw_mathtext(gc, x, y, s, prop, angle)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        # FontProperties is mutable and hashed by its state: a copy keeps the key fixed.
        key = (s, prop.copy(), self.dpi, features, language)
        items = _SHAPED.get(key)
        if items is None:
            font = self._prepare_font(prop)
            items = _SHAPED[key] = font._layout(s, flags=get_hinting_flag(), features=features, language=language)
        size = prop.get_size_in_points()
        self._draw_text_glyphs_and_boxes(
            gc, x, y, angle, ((item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y) for item in items), [])


def render_png(fig, dpi: float) -> bytes:
    """The figure at `dpi` on opaque white (a document page has no background of its own)."""
    fig.set_dpi(dpi)
    fig.patch.set_facecolor("white")
    fig.patch.set_alpha(1.0)
    # Pixel size as FigureCanvasAgg takes it: the figure's size in pixels, rounded down.
    width, height = (int(v) for v in fig.bbox.max)
    renderer = _Renderer(width, height, dpi)
    renderer.clear()
    fig.draw(renderer)
    return write_png(np.asarray(renderer.buffer_rgba()), dpi)  # opaque: the white patch lies under everything
