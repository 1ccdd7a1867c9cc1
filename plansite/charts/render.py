"""A chart's matplotlib figure → SVG and PNG bytes, with each string measured and shaped once per process.

Every use of matplotlib's private API is in this module (RendererAgg's font preparation, glyph
layout, glyph rendering and drawing; the font manager rescanned in place); tests/test_chart_render.py compares
the files with matplotlib's own savefig and canvas, so an upgrade that breaks them fails there.

matplotlib measures and shapes every string it draws afresh (HarfBuzz through raqm, about 0.6 ms
a string with the CJK font), and keeps what it measured only for the life of one renderer: the
real plan's 74 charts draw 977 strings twice (SVG, PNG), only 192 of them distinct (legend
labels, tick years, counts). The renderers here keep each measurement and shaping for the life of
the process; glyphs are still drawn at each string's own position, so the files are the same
(tests/test_chart_render.py compares them with matplotlib's own savefig and canvas). A glyph's
bitmap for the PNG is likewise made once per position within a pixel (4,539 glyphs drawn, 816 made).
"""
from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.ft2font import RenderMode
from matplotlib.backends.backend_svg import RendererSVG

from .png import write_png

# (renderer class, string, font properties, math?, pixels per inch) → (width, height, descent)
_MEASURED: dict = {}
# (font, size, dpi, glyph, hinting, x and y within a pixel in 1/64) → (the glyph's bitmap, its left and
# top less the whole pixels it was moved by). Fonts are per thread and process, as for _SHAPED.
_GLYPHS: dict = {}
os.register_at_fork(after_in_child=_GLYPHS.clear)
# (thread, string, font properties, dpi, features, language) → (font, its glyph layout of the string).
# The layout points into the font (and its fallbacks), so the font is kept with it. Fonts belong
# to one thread and one process, as in matplotlib's own font cache (which a forked child clears:
# the parent's fonts read their file through a descriptor both processes share).
_SHAPED: dict = {}
os.register_at_fork(after_in_child=_SHAPED.clear)


class _MeasureOnce:
    """A renderer whose string measurements last for the process, not for the renderer."""

    def get_text_width_height_descent(self, s, prop, ismath):
        # FontProperties is mutable and hashed by its state: a copy keeps the key fixed.
        key = (type(self), s, prop.copy(), ismath, self.points_to_pixels(72))
        size = _MEASURED.get(key)
        if size is None:
            size = _MEASURED[key] = super().get_text_width_height_descent(s, prop, ismath)
        return size


class _SVGRenderer(_MeasureOnce, RendererSVG):
    pass


class _AggRenderer(_MeasureOnce, RendererAgg):
    """matplotlib's Agg renderer, with `draw_text` reusing the layout of a string already shaped.
    The body is RendererAgg.draw_text's own (matplotlib 3.11) with the layout looked up first."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return self.draw_mathtext(gc, x, y, s, prop, angle)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (threading.get_ident(), s, prop.copy(), self.dpi, features, language)
        shaped = _SHAPED.get(key)
        if shaped is None:
            font = self._prepare_font(prop)
            shaped = _SHAPED[key] = font, font._layout(s, flags=get_hinting_flag(), features=features, language=language)
        items = shaped[1]
        size = prop.get_size_in_points()
        if angle or not gc.get_antialiased():
            self._draw_text_glyphs_and_boxes(
                gc, x, y, angle, ((item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y) for item in items), [])
            return
        # Unrotated text: RendererAgg._draw_text_glyphs_and_boxes with each glyph's bitmap made once per
        # position within a pixel. FreeType moves a glyph's outline by whole pixels exactly, so a bitmap
        # made for one position serves every position with the same fraction of a pixel (the real
        # plan's 74 charts draw 4,539 glyphs, 816 of them distinct in this way).
        flags = get_hinting_flag()
        for item in items:
            tx, ty = round(0x40 * (x + item.x)), round(0x40 * (self.height - y + item.y))  # FreeType's y is upwards
            key = (item.ft_object, size, self.dpi, item.glyph_index, flags, tx & 63, ty & 63)
            glyph = _GLYPHS.get(key)
            if glyph is None:
                font = item.ft_object
                font.set_size(size, self.dpi)
                font._set_transform(np.array([[0x10000, 0], [0, 0x10000]]), [tx, ty])
                bitmap = font._render_glyph(item.glyph_index, flags, RenderMode.NORMAL)
                glyph = _GLYPHS[key] = bitmap.buffer, bitmap.left - (tx >> 6), bitmap.top - (ty >> 6)
            buffer, left, top = glyph
            # draw_text_image's y is downwards and the bitmap's bottom side, as in matplotlib's own.
            self._renderer.draw_text_image(buffer, left + (tx >> 6), int(self.height) - (top + (ty >> 6)) + buffer.shape[0],
                                           0, gc)


def find_measuring_font(families: tuple[str, ...]) -> bool:
    """Whether one of `families` is installed. matplotlib keeps a list of the fonts it saw the first
    time; a font installed since then (by scripts/ensure_fonts.sh) is found only after rescanning,
    which also refreshes that list (its FontManager replaced in place: no public call does this)."""
    import matplotlib
    from matplotlib import font_manager

    if _has_font(font_manager, families):
        return True
    fresh = font_manager.FontManager()
    font_manager.fontManager.__dict__.update(fresh.__dict__)
    font_manager.json_dump(fresh, Path(matplotlib.get_cachedir(), f"fontlist-v{fresh.__version__}.json"))
    return _has_font(font_manager, families)


def _has_font(font_manager, families: tuple[str, ...]) -> bool:
    for family in families:
        try:
            font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
            return True
        except ValueError:
            continue
    return False


def render_svg(fig) -> bytes:
    """The figure as SVG in points on a transparent background (the page shows through), undated:
    what savefig(format="svg") writes, without its per-call set-up."""
    fig.patch.set_facecolor("none")
    fig.patch.set_edgecolor("none")
    fig.set_dpi(72)  # an SVG's unit is the point, as print_svg has it
    width, height = fig.get_size_inches()
    out = io.StringIO()
    renderer = _SVGRenderer(width * 72, height * 72, out, metadata={"Date": None})
    fig.draw(renderer)
    renderer.finalize()
    return out.getvalue().encode("utf-8")


def render_png(fig, dpi: float) -> bytes:
    """The figure at `dpi` on opaque white (a document page has no background of its own)."""
    fig.set_dpi(dpi)
    fig.patch.set_facecolor("white")
    fig.patch.set_alpha(1.0)
    # Pixel size as FigureCanvasAgg takes it: the figure's size in pixels, rounded down.
    width, height = (int(v) for v in fig.bbox.max)
    renderer = _AggRenderer(width, height, dpi)  # cleared to transparent white as it is made
    fig.draw(renderer)
    return write_png(np.asarray(renderer.buffer_rgba()), dpi)  # opaque: the white patch lies under everything
