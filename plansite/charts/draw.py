"""Chart specs → matplotlib figures, laid out here (sizes from plansite/charts/layout.py) and rendered to
SVG and PNG by plansite/charts/render.py; plansite/builder/drawing.py runs this in worker processes through a
cache keyed by each chart's plot data, the drawing code's source and the matplotlib and zlib-ng versions.

Each chart is drawn twice, once for each of layout.py's media. The SVG is for the page, which frames
it with its caption, table and notices: the drawing alone, with its title and source kept in the file
as the SVG's own <title> and <desc> (a reader who saves it has them; on the page the image is named by
its alt text, so a screen reader hears nothing twice and the page shows no title twice). The PNG is
for documents and print, where it may stand alone: as wide as an A4 page's text, its title (subject
and period) drawn above it and its source (数据来源) below.

Text in the SVG stays text (svg.fonttype "none") rather than glyph outlines: files stay at
10–30 KB instead of growing with every distinct character drawn as a path, the words are
selectable, searchable and sharp at any zoom, and the reader's own Chinese font renders them.
Layout is measured with Noto Sans CJK SC (an OFL font, Debian's fonts-noto-cjk); readers get the
first font of FONT_FAMILIES they have — these fonts all set Han characters on the same 1 em grid,
so the layout holds. The 方法说明 page says the same to readers. The PNG has no fonts of the
reader's: its text is drawn in with the measuring font, at print resolution, on white.
"""
from __future__ import annotations

import datetime as dt
import gc
import re
import weakref
from xml.sax.saxutils import escape

from ..wording import number
from .layout import (ACTUAL, AXIS_BOTTOM, AXIS_LEFT, AXIS_RIGHT, DEADLINE, EXPECTED, FONT_FAMILIES, HATCH, INK, INK_LIGHT,
                     LEGEND_BASELINE, LEGEND_LINE_Y, LIGHT_FILLS, LINE, MEASURE_FONTS, PNG_DPI, PRINT, PT_PER_IN,
                     SCREEN, STATUS_STYLE, TARGET, Medium, head_height, indicator_bottom,
                     indicator_height, indicator_top, legend_lines, lines_height, png_size, print_size, source_lines,
                     status_height, status_rows, subtitle_lines, text_width, title_lines,
                     verdict_lines)

LARGE_PNG_BYTES = 50 * 2**20  # pixels of a chart freed by a full garbage-collector pass (draw_chart_files)

_configured = False


def _matplotlib():
    """Import and configure matplotlib once per process; fail in Chinese if no CJK font is found."""
    global _configured
    import matplotlib

    if _configured:
        return matplotlib

    matplotlib.rcParams.update({
        "svg.fonttype": "none",  # text stays text; see the module docstring
        "svg.hashsalt": "plansite-charts",  # fixed ids for clip paths and hatches
        "text.parse_math": False,  # data is text: a $ in a title is a dollar sign, not TeX
        "font.family": "sans-serif",
        "font.sans-serif": FONT_FAMILIES,
        "font.size": SCREEN.font,
        "text.color": INK,
        "axes.edgecolor": INK_LIGHT,
        "axes.labelcolor": INK,
        "xtick.color": INK_LIGHT,
        "ytick.color": INK_LIGHT,
        "xtick.labelcolor": INK,
        "ytick.labelcolor": INK,
        "hatch.linewidth": 0.7,
        "savefig.transparent": True,  # the page shows through, light or dark
        "axes.unicode_minus": False,
    })
    from .render import find_measuring_font

    if find_measuring_font(MEASURE_FONTS):
        _configured = True
        return matplotlib
    from ..errors import PlanSiteError

    raise PlanSiteError(
        "绘制图表需要开源中文字体 Noto Sans CJK SC（Debian 软件包 fonts-noto-cjk），本机没有找到。"
        "请以 root 运行 make site（会自动安装），或运行：apt-get install -y fonts-noto-cjk"
    )


def prepare_drawing() -> None:
    """Import and configure everything drawing a chart needs (a process that forks workers
    afterwards passes it on to them)."""
    _matplotlib()
    import matplotlib.figure  # noqa: F401

    from . import render  # noqa: F401  (the SVG and Agg renderers, numpy)


def _png(fig) -> bytes:
    """The figure at print resolution on white, its text drawn in with the measuring font."""
    from .render import render_png

    return render_png(fig, PNG_DPI)


def _svg(fig) -> bytes:
    from .render import render_svg

    return render_svg(fig)


_SVG_START = re.compile(rb"<svg\b[^>]*>\n")


def _named(svg: bytes, plot: dict) -> bytes:
    """The SVG with its title and source as its own <title> and <desc>, first inside <svg>."""
    names = f" <title>{escape(plot['title'])}</title>\n <desc>{escape(plot['source'])}</desc>\n".encode("utf-8")
    start = _SVG_START.search(svg)
    return svg[:start.end()] + names + svg[start.end():]


def _figure(size: list[float]):
    """A figure and two transforms in points: from its top, y growing downwards, and from its foot."""
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.transforms import Affine2D

    fig = Figure(figsize=size)
    down = Affine2D().scale(1 / PT_PER_IN, -1 / PT_PER_IN).translate(0, size[1]) + fig.dpi_scale_trans
    up = Affine2D().scale(1 / PT_PER_IN) + fig.dpi_scale_trans
    return fig, down, up


def _lines(fig, down, x: float, top: float, lines: list[str], size: float, **style) -> None:
    """Lines of text from `top` down (points from the figure's top), each centred in its line pitch."""
    for n, line in enumerate(lines):
        baseline = top + n * size * LINE + (LINE - 1) / 2 * size + 0.88 * size  # the em box: 0.88 up, 0.12 down
        fig.text(x, baseline, line, transform=down, fontsize=size, va="baseline", **style)


def _head(fig, down, plot: dict, m: Medium) -> float:
    """A printed chart's title at its top; returns where what follows starts."""
    _lines(fig, down, m.pad, m.pad, title_lines(plot["title"], m), m.font, fontweight="bold")
    return m.pad + head_height(plot, m)


def _foot(fig, down, plot: dict, m: Medium, top: float) -> None:
    """A printed chart's source line, from `top` (points from the figure's top)."""
    _lines(fig, down, m.pad, top + m.small * 0.5, source_lines(plot["source"], m), m.small, color=INK_LIGHT)


def figure_status_bars(plot: dict, m: Medium = SCREEN, framed: bool = False):
    """Horizontal stacked bars, one per row, each labelled above and with counts on its segments;
    `framed`: with the title and source of the printed image."""
    from matplotlib.patches import Rectangle

    size = [m.width_in, status_height(plot, m, framed)]
    # Drawn straight onto the figure in points, y growing downwards: no Axes, whose ticks and
    # data limits would cost a third of the drawing time and show nothing here.
    fig, points, _ = _figure(size)

    def box(x, y, w, h, **style):
        fig.add_artist(Rectangle((x, y), w, h, transform=points, **style))

    def text(x, y, label, **style):
        fig.text(x, y, label, transform=points, **style)

    y = _head(fig, points, plot, m) if framed else m.pad
    for line in legend_lines(plot["statuses"], m):
        for x, code, label in line:
            fill, hatch = STATUS_STYLE[code]
            box(x, y + 2, m.swatch_w, m.swatch_h, facecolor=fill, hatch=hatch, edgecolor=INK_LIGHT, hatchcolor=HATCH,
                linewidth=0.6)
            text(x + m.swatch_w + 4, y + 2 + m.swatch_h / 2, label, fontsize=m.small, va="center_baseline")
        y += m.legend_line
    y += 6
    bar_left, bar_width, rows = status_rows(plot, m)
    for row, layout in zip(plot["rows"], rows):
        if m.label_left:
            _lines(fig, points, m.pad, y + layout["label_top"], layout["lines"], m.font)
        else:
            for n, line in enumerate(layout["lines"]):
                text(m.pad, y + m.row_label_h - 3 + n * m.font * LINE, line, fontsize=m.font, va="baseline")
        top = y + layout["bar_top"]
        total = sum(n for _, n in row["counts"]) or 1
        x = bar_left
        for code, n in row["counts"]:
            if not n:
                continue
            w = bar_width * n / total
            fill, hatch = STATUS_STYLE[code]
            box(x, top, w, m.bar_h, facecolor=fill, hatch=hatch, hatchcolor=HATCH, edgecolor="white", linewidth=0.8)
            label = str(n)
            if w >= text_width(label, m.font) + 2:
                ink = INK if code in LIGHT_FILLS else "white"
                text(x + w / 2, top + m.bar_h / 2, label, ha="center", va="center_baseline", fontsize=m.font,
                     color=ink, fontweight="bold", bbox=dict(boxstyle="square,pad=0.1", facecolor=fill, edgecolor="none"))
            x += w
        y += layout["advance"]
    if framed:
        _foot(fig, points, plot, m, y)
    return fig


def _y_ticks(lo: float, hi: float, y_min: float, y_max: float, unit: str) -> list[tuple[float, str]]:
    """Up to five round values on the y axis, labelled with the unit (none below 0 or above 100 %)."""
    from matplotlib.ticker import MaxNLocator

    percent = unit == "%"
    suffix = unit if len(unit) <= 2 else ""
    values = MaxNLocator(nbins=5, integer=not percent or hi - lo > 5).tick_values(y_min, y_max)
    close = (y_max - y_min) * 1e-10
    return [(v, f"{number(round(v, 2))}{suffix}") for v in values
            if y_min - close <= v <= y_max + close and not (v < 0 or (percent and v > 100))]


def _x_ticks(x_min: dt.date, x_max: dt.date) -> tuple[list[tuple[dt.date, str]], list[dt.date]]:
    """1 January labelled with its year, at most five labels; quarters as small marks while the
    span is short enough to show them."""
    years = list(range(x_min.year + 1, x_max.year + 1))
    step = -(-len(years) // 5) or 1
    labelled = [(dt.date(y, 1, 1), f"{y}年") for y in years[::step]]
    quarters = []
    if len(years) <= 4:
        quarters = [dt.date(y, m, 1) for y in range(x_min.year, x_max.year + 1) for m in (1, 4, 7, 10)]
        quarters = [q for q in quarters if x_min <= q <= x_max and not (q.month == 1 and q.year in years[::step])]
    return labelled, quarters


def figure_indicator(plot: dict, m: Medium = SCREEN, framed: bool = False):
    """Values over time (solid line, dots) against the target (a line, the side that meets it
    shaded, so lower-is-better reads downwards), the 序时进度 path (dashed) and the deadline
    (dotted). Line styles and the legend tell them apart without colour. `framed`: with the title
    and source of the printed image."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    def day(iso: str) -> dt.date:
        return dt.date.fromisoformat(iso)

    k = m.k  # the fixed parts scale with the small text
    size = [m.width_in, indicator_height(plot, m, framed)]
    width, height = m.width, size[1] * PT_PER_IN
    top, bottom = indicator_top(plot, m, framed), indicator_bottom(plot, m, framed)
    left, right = AXIS_LEFT * k, AXIS_RIGHT * k
    unit, target = plot["unit"], plot["target"]
    deadline = day(plot["deadline"])
    points = [(day(d), v) for d, v in plot["points"]]
    paths = [[(day(d), v) for d, v in path] for path in plot["paths"]]
    dates = [d for d, _ in points] + [d for p in paths for d, _ in p] + [deadline, day(plot["start"])]
    values = [v for _, v in points] + [v for p in paths for _, v in p] + ([target] if target is not None else [])
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if not points and not paths:  # only a target to show: from zero up to it
        lo, hi = min(0.0, lo), max(hi, 1.0)
    if hi == lo:
        hi = lo + 1
    pad = (hi - lo) * 0.18
    y_min = lo - pad if (lo - pad >= 0 or lo <= 0) else 0.0
    y_max = hi + pad
    x_min, x_max = min(dates) - dt.timedelta(days=45), max(dates) + dt.timedelta(days=60)

    # Drawn straight onto the figure in points from the bottom left, with the plot area's scales
    # worked out here: an Axes (with its Tick objects, locators and legend boxes) would cost three
    # quarters of the drawing time, and every value already lies inside the ranges chosen above.
    fig, down, in_points = _figure(size)
    plot_w, plot_h = width - left - right, height - top - bottom
    plot_top = bottom + plot_h

    def x(d: dt.date) -> float:
        return left + (d - x_min).days * plot_w / (x_max - x_min).days

    def y(v: float) -> float:
        return bottom + (v - y_min) * plot_h / (y_max - y_min)

    def line(xs, ys, zorder=2, **style):
        fig.add_artist(Line2D(xs, ys, transform=in_points, zorder=zorder, **style))

    def text(tx, ty, label, **style):
        fig.text(tx, ty, label, transform=in_points, **style)

    below = _head(fig, down, plot, m) if framed else m.pad
    verdict = verdict_lines(plot, m)
    _lines(fig, down, m.pad, below, verdict, m.font, fontweight="bold")
    below += lines_height(verdict, m.font) + m.font * (1.5 - LINE)
    _lines(fig, down, m.pad, below, subtitle_lines(plot, m), m.small)

    # Axes: the left and bottom lines, ticks pointing out, labels 3.5 pt beyond them.
    tick = dict(linestyle="none", color=INK_LIGHT, markersize=3.5 * k, markeredgewidth=0.8, zorder=1.5)
    labelled, quarters = _x_ticks(x_min, x_max)
    line([x(d) for d, _ in labelled], [bottom] * len(labelled), marker=3, **tick)  # 3: a tick downwards
    for d, label in labelled:
        text(x(d), bottom - 7 * k, label, ha="center", va="top", fontsize=m.small)
    line([x(q) for q in quarters], [bottom] * len(quarters), marker=3, **{**tick, "markersize": 2 * k, "markeredgewidth": 0.6})
    y_ticks = _y_ticks(lo, hi, y_min, y_max, unit)
    line([left] * len(y_ticks), [y(v) for v, _ in y_ticks], marker=0, **tick)  # 0: a tick leftwards
    for v, label in y_ticks:
        text(left - 7 * k, y(v), label, ha="right", va="center_baseline", fontsize=m.small)
    spine = dict(color=INK_LIGHT, linewidth=0.8, solid_capstyle="projecting", zorder=2.5)
    line([left, left], [bottom, plot_top], **spine)
    line([left, left + plot_w], [bottom, bottom], **spine)

    handles = []  # (label, line style) for the legend, in reading order
    if target is not None:
        lower = plot["lower_is_better"]
        met_from, met_to = (y_min, target) if lower else (target, y_max)
        fig.add_artist(Rectangle((left, y(met_from)), plot_w, y(met_to) - y(met_from), transform=in_points,
                                 facecolor=TARGET, alpha=0.10, linewidth=0, zorder=1))
        line([left, left + plot_w], [y(target)] * 2, color=TARGET, linewidth=1.3, solid_capstyle="butt")
        handles.append(("目标", dict(color=TARGET, linewidth=1.3)))
    line([x(deadline)] * 2, [bottom, plot_top], color=DEADLINE, linestyle=":", linewidth=1.2)
    text(x(deadline), plot_top + 2 * k, "期限", ha="center", va="bottom", fontsize=m.small, color=INK_LIGHT)
    expected = dict(color=EXPECTED, linestyle=(0, (5, 3)), linewidth=1.4)
    for (x0, y0), (x1, y1) in paths:
        line([x(x0), x(x1)], [y(y0), y(y1)], **expected)
    if paths:
        handles.insert(0, ("序时进度", expected))
    actual = dict(color=ACTUAL, linewidth=1.8, marker="o", markersize=4.5)
    if points:
        # An annual target counts afresh each year: the line breaks at each new year.
        runs: dict[int, list] = {}
        for d, v in points:
            runs.setdefault(d.year if plot["annual"] else 0, []).append((d, v))
        for run in runs.values():
            line([x(d) for d, _ in run], [y(v) for _, v in run], **actual)
        last_day, last = run[-1]  # the latest value, labelled
        text(x(last_day) - 4 * k, y(last) + 6 * k, f"{number(last)}{unit}", ha="right", va="baseline",
             fontsize=m.small, color=ACTUAL, fontweight="bold")
        handles.insert(0, ("实际值", actual))
    else:
        text(left + plot_w / 2, bottom + plot_h / 2, "没有报送数值", ha="center", va="center", fontsize=m.font + 1,
             color=INK_LIGHT)
    _legend_row(handles, m, bottom - AXIS_BOTTOM * k, line, text)
    if framed:
        _foot(fig, down, plot, m, height - bottom + AXIS_BOTTOM * k)
    return fig


def _legend_row(handles: list[tuple[str, dict]], m: Medium, foot: float, line, text) -> None:
    """One centred row at the foot (`foot` points above the figure's): a 2 em sample of each line (its
    marker in the middle), then its name; 2 em between entries (matplotlib's legend spacing, laid out here)."""
    sample, gap, spacing = 2 * m.small, 0.8 * m.small, 2 * m.small
    total = sum(sample + gap + text_width(label, m.small) for label, _ in handles) + spacing * (len(handles) - 1)
    left = (m.width - total) / 2
    for label, style in handles:
        line([left, left + sample / 2, left + sample], [foot + LEGEND_LINE_Y * m.k] * 3, markevery=[1], **style)
        text(left + sample + gap, foot + LEGEND_BASELINE * m.k, label, fontsize=m.small, va="baseline")
        left += sample + gap + text_width(label, m.small) + spacing


FIGURE = {"status_bars": figure_status_bars, "indicator": figure_indicator}


def draw_chart_files(kind: str, plot: dict) -> tuple[bytes, bytes]:
    """The SVG for the page (SCREEN, named inside) and the PNG for documents (PRINT, framed)."""
    screen = FIGURE[kind](plot)
    svg = _named(_svg(screen), plot)
    printed = FIGURE[kind](plot, PRINT, framed=True)
    png = _png(printed)
    # A figure, its texts and their renderer with its pixel buffer refer to each other: freed
    # only by the garbage collector, whose full passes are rare, so a worker drawing a large plan
    # held gigabytes (16× plan: 2.1 GB). A pass over the young objects (0.3 ms) frees them by the
    # next chart at the latest. A chart tall enough to take long to draw (a large plan's home chart,
    # 300 MB of pixels) has grown old meanwhile: a full pass (tens of ms) frees its pixels at once;
    # so does a figure the young pass leaves (the collector happened to run while it was drawn).
    # (A full pass after every chart cost a cold build 0.6 s: caches matplotlib keeps were emptied.)
    width, height = png_size(print_size(kind, plot))
    figures = [weakref.ref(screen), weakref.ref(printed)]
    del screen, printed
    gc.collect(2 if width * height * 4 > LARGE_PNG_BYTES else 1)
    if any(figure() is not None for figure in figures):
        gc.collect(2)
    return svg, png
