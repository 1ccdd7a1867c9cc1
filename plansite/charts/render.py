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

Hatches. For every hatched shape Agg draws the hatch into a tile an inch square (450 × 450 pixels
here), then fills the shape from it: most of the time a hatched bar or legend swatch took (364 of
them in the real plan's charts, 0.9 ms each). A rectangle hatched with straight lines (the charts'
statuses: ||, //, xx, --) is drawn here as Agg would in three steps: its face, the lines the tile
repeats (each line once across the rectangle, one path, clipped to it), its edge; the same pixels
(tests/test_chart_render.py: every chart, and rectangles across the tile's seams), in a third of
the time. What this relies on from Agg (the tile's size and placement, its lines' width, caps and
colour) is matplotlib 3.11's, checked by those tests.
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
    The body is RendererAgg.draw_text's own (matplotlib 3.11) with the layout looked up first.
    A rectangle hatched with lines has its hatch drawn as lines (see the module's docstring)."""

    def draw_path(self, gc, path, transform, rgbFace=None):
        box = _hatched_rectangle(self, gc, path, transform)
        if box is None:
            return super().draw_path(gc, path, transform, rgbFace)
        # Agg's order: the face, then the hatch, then the edge. The face is given with its corners
        # where Agg snaps them for this edge, and drawn unsnapped and without an edge.
        from matplotlib.path import Path
        from matplotlib.transforms import IdentityTransform

        left, top, right, bottom = box
        corners = [(left, self.height - bottom), (right, self.height - bottom), (right, self.height - top),
                   (left, self.height - top), (left, self.height - bottom)]
        face = self.new_gc()
        face.copy_properties(gc)
        face.set_hatch(None)
        face.set_linewidth(0)
        face.set_snap(False)
        super().draw_path(face, Path(corners, _RECTANGLE), IdentityTransform(), rgbFace)
        face.restore()
        self._draw_hatch_lines(gc, box)
        edge = self.new_gc()
        edge.copy_properties(gc)
        edge.set_hatch(None)
        super().draw_path(edge, path, transform, None)
        edge.restore()

    def _draw_hatch_lines(self, gc, box: tuple[float, float, float, float]) -> None:
        """The lines Agg's hatch tile repeats over `box` (left, top, right, bottom in the image's
        pixels, y downwards), each drawn once across it, as one path clipped to it."""
        from matplotlib.path import Path
        from matplotlib.transforms import Bbox, IdentityTransform

        left, top, right, bottom = box
        size = int(self.dpi)  # Agg's tile: one inch
        points, way, normals = _tile_copies(gc.get_hatch(), size, int(left // size), int(right // size),
                                            int(top // size), int(bottom // size))
        corners = np.array([[left, top], [right, top], [left, bottom], [right, bottom]])
        margin = self.points_to_pixels(gc.get_hatch_linewidth()) + 2  # a line's half width and more
        across = np.einsum("kcd,kd->kc", corners[None, :, :] - points[:, None, :], normals)
        near = (across.min(axis=1) <= margin) & (across.max(axis=1) >= -margin)  # the lines that touch the box
        points, way = points[near], way[near]
        along = np.einsum("kcd,kd->kc", corners[None, :, :] - points[:, None, :], way)
        vertices = np.empty((2 * len(points), 2))
        vertices[0::2] = points + way * (along.min(axis=1, keepdims=True) - margin)
        vertices[1::2] = points + way * (along.max(axis=1, keepdims=True) + margin)
        vertices[:, 1] = self.height - vertices[:, 1]  # to matplotlib's display coordinates, y upwards
        path = Path(vertices, np.tile(np.array([Path.MOVETO, Path.LINETO], dtype=Path.code_type), len(points)))
        path.should_simplify = False
        lines = self.new_gc()
        lines.set_foreground(gc.get_hatch_color(), isRGBA=True)
        lines.set_linewidth(gc.get_hatch_linewidth())
        lines.set_antialiased(True)
        lines.set_snap(False)
        lines.set_clip_rectangle(Bbox([[left, self.height - bottom], [right, self.height - top]]))
        super().draw_path(lines, path, IdentityTransform(), None)
        lines.restore()

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


_LINE_HATCHES = set("/\\|-+x")  # hatches made of straight lines only (no dots, circles or stars)
_RECTANGLE = [1, 2, 2, 2, 79]  # a Rectangle's path: MOVETO, three LINETO, CLOSEPOLY


def _hatched_rectangle(renderer, gc, path, transform) -> tuple[float, float, float, float] | None:
    """An axis-parallel rectangle hatched with straight lines, as Agg places it: left, top, right,
    bottom in the image's pixels (y downwards), snapped to pixels as Agg snaps a shape with this
    edge. None for anything else (Agg's own hatching then)."""
    hatch = gc.get_hatch()
    if (not hatch or not set(hatch) <= _LINE_HATCHES or gc.get_clip_rectangle() is not None
            or gc.get_clip_path()[0] is not None or gc.get_sketch_params() or not gc.get_antialiased()
            or gc.get_forced_alpha()):
        return None
    if gc.get_snap() is False or path.codes is None or path.codes.tolist() != _RECTANGLE:
        return None
    points = transform.transform(path.vertices).tolist()
    xs, ys = sorted({x for x, _ in points}), sorted({y for _, y in points})
    if len(xs) != 2 or len(ys) != 2 or len({(x, y) for x, y in points[:4]}) != 4:  # sides not along the axes
        return None
    width = renderer.points_to_pixels(gc.get_linewidth()) if gc.get_rgb()[3] and gc.get_linewidth() else 0.0
    shift = 0.5 if int(width + 0.5) % 2 else 0.0  # Agg's snapping (its rounding): odd edges on pixel centres
    # There the face covers its outermost pixels by half, and Agg's hatch shows there at half
    # strength; the lines here are clipped to whole pixels. The same pixels only where the edge
    # paints those over entirely, corners included: opaque, solid, three pixels wide or more.
    if shift and (width < 3 or gc.get_rgb()[3] < 1 or gc.get_dashes()[1]):
        return None
    left, right = (np.floor(x + 0.5) + shift for x in xs)
    top, bottom = (np.floor(renderer.height - y + 0.5) + shift for y in ys[::-1])
    reach = width + 1  # the edge and its corners within the image: Agg clips no part of it
    if left - reach < 0 or top - reach < 0 or right + reach > renderer.width or bottom + reach > renderer.height:
        return None
    return float(left), float(top), float(right), float(bottom)


_TILES: dict = {}  # (hatch, tile size in pixels) → its lines (_tile_lines)
_COPIES: dict = {}  # (hatch, tile size, the tiles' columns and rows) → the lines they repeat (_tile_copies)


def _tile_lines(hatch: str, size: int):
    """The segments of Agg's tile for `hatch` (matplotlib's hatch path at its default density, in
    the tile's pixels, y downwards), as starts, unit directions, unit normals and each segment's
    distance from the origin along its normal."""
    key = (hatch, size)
    if key not in _TILES:
        from matplotlib.path import Path

        unit = Path.hatch(hatch).vertices * [size, -size] + [0, size]  # Agg's tile transform: y flipped
        starts, ends = unit[0::2], unit[1::2]
        directions = (ends - starts) / np.hypot(*(ends - starts).T)[:, None]
        normals = np.column_stack([-directions[:, 1], directions[:, 0]])
        _TILES[key] = starts, directions, normals, np.einsum("kd,kd->k", starts, normals)
    return _TILES[key]


def _tile_copies(hatch: str, size: int, first_x: int, last_x: int, first_y: int, last_y: int):
    """Every line that copies of the tile repeat over the tiles of these columns and rows (and one
    more all round), once (a diagonal crosses several tiles): a point on it, its direction, its normal."""
    key = (hatch, size, first_x, last_x, first_y, last_y)
    if key not in _COPIES:
        starts, directions, normals, offsets = _tile_lines(hatch, size)
        tiles = np.array([(x * size, y * size) for y in range(first_y - 1, last_y + 2)
                          for x in range(first_x - 1, last_x + 2)], dtype=float)
        shifted = (offsets[None, :] + tiles @ normals.T).ravel()  # each copy's distance from the origin
        which = np.tile(np.arange(len(starts)), len(tiles))
        keys = np.column_stack([np.round(directions[which], 6), np.round(shifted, 6)])
        _, first = np.unique(keys, axis=0, return_index=True)
        points = starts[which[first]] + np.repeat(tiles, len(starts), axis=0)[first]
        _COPIES[key] = points, directions[which[first]], normals[which[first]]
    return _COPIES[key]


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
