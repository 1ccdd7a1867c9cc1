"""A chart's layout, shared by its spec (the image's size) and its drawing: the two media a chart is
drawn for, colours, fonts, text measuring and wrapping, and the height of every block of text.

A chart is drawn twice from one spec. On screen (the SVG of the page), for a phone: 3.6 in is 346 CSS
px, about the column of a 360 px screen, so 10 pt text stays near 12 px there; larger screens show it
up to 1.5 times that (docs/stylesheets/extra.css); the page's caption, table and notices frame it. In
print (the PNG for documents): as wide as the text of an A4 page of GB/T 9704 (156 mm), every word at
10.5 pt (五号) or more when placed at that width, headed by a title naming its subject and period and
footed by its source (数据来源), so that the image says what it shows when pasted alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..figures.progress import STATUS_ORDER

# Statuses in the order a bar reads from left to right: the site's one order (done first, not
# reported last), from the schema's vocabulary.
CHART_STATUSES = STATUS_ORDER
# Fill and hatch per status. Fills are the Okabe–Ito-derived colours of docs/stylesheets/extra.css
# (dark enough for white labels at 4.5:1); the hatch tells statuses apart without colour. (Dots
# would be clearer still, but each dot is a path: one dotted pattern costs 150 KB of SVG.)
STATUS_STYLE = {
    "completed": ("#00705a", ""),
    "ongoing": ("#6b4a8c", "||"),
    "in_progress": ("#005a8c", "//"),
    "behind": ("#a33a00", "xx"),
    "not_started": ("#555555", "--"),
    "not_reported": ("#d9d9d9", ""),
}
LIGHT_FILLS = {"not_reported"}  # dark labels on these
INK, INK_LIGHT = "#222222", "#555555"
HATCH = (1, 1, 1, 0.5)  # hatch lines: white at half strength over the fill
ACTUAL, EXPECTED, TARGET, DEADLINE = "#005a8c", "#a33a00", "#00705a", "#555555"
# What the SVG asks the reader's browser for: Windows, macOS/iOS, Android and Linux in China.
FONT_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
                 "Microsoft YaHei", "sans-serif"]
MEASURE_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC")  # one must be installed to draw
PX_PER_IN = 96
PT_PER_IN = 72
MM_PER_IN = 25.4


@dataclass(frozen=True)
class Medium:
    """What a chart is drawn for: its width, its two text sizes and the sizes of a status chart's parts
    (in points). An indicator chart's fixed parts (axis margins, ticks, legend) scale with `small`."""
    width_in: float
    font: float  # row labels, counts on the bars, an indicator's verdict, the title
    small: float  # legend, tick labels, an indicator's subtitle, the source line
    pad: float
    label_left: bool  # a status chart's row labels beside their bars (else above them)
    row_label_h: float  # above: a label's line
    bar_h: float
    row_gap: float
    swatch_w: float
    swatch_h: float
    legend_line: float
    plot_h: float  # an indicator chart's plot area

    @property
    def width(self) -> float:
        return self.width_in * PT_PER_IN

    @property
    def k(self) -> float:
        return self.small / 9


# A phone's column is narrow: a row's label above its bar, the bar the column's width.
SCREEN = Medium(width_in=3.6, font=10, small=9, pad=4.0, label_left=False, row_label_h=15.0, bar_h=18.0, row_gap=11.0,
                swatch_w=16.0, swatch_h=11.0, legend_line=16.0, plot_h=128.0)
# GB/T 9704-2012: the text of an A4 page is 156 mm wide (plansite/documents/docx_layout.py TEXT_W_CM). Labels
# beside the bars: a row a line high, so that a report's chart of twenty chapters (titled as this plan's) stands
# on one page with its caption.
PRINT = Medium(width_in=156 / MM_PER_IN, font=11, small=10.5, pad=6.0, label_left=True, row_label_h=0.0, bar_h=16.0,
               row_gap=6.0, swatch_w=18.0, swatch_h=12.0, legend_line=18.0, plot_h=170.0)
# The PNG: 156 mm at 300 dpi is 1842 px wide (at least 1600 px for print).
PNG_DPI = 300
LINE = 1.3  # line pitch of wrapped text, in ems


def char_width(ch: str) -> float:
    """A character's width in ems, never less than Noto Sans CJK SC's own (regular or bold): Han
    characters, full-width punctuation and other non-ASCII signs (—, “, ·) 1 em; wide Latin signs 1 em;
    capitals 0.75; other Latin letters, digits and punctuation 0.6."""
    if ord(ch) > 0x7E or ch in "%@mwMW":
        return 1.0
    return 0.75 if ch.isupper() else 0.6


def text_width(text: str, size: float) -> float:
    """Width in points, never less than drawn (tests/test_chart_text.py measures every chart)."""
    return sum(char_width(ch) for ch in text) * size


# What a line is not broken inside, where it fits on a line: a bracketed phrase （2015年第四季度）,
# a title 《…》, a run of Latin letters and digits; and closing punctuation stays with what it closes.
_UNBROKEN = re.compile(r"(?:（[^（）\n]*）|《[^《》\n]*》|[!-~]+|.)[，。、；：！？）》”]*")


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines no wider than `width` points: Chinese breaks between any characters, but not inside a
    bracketed phrase, a title or a number that fits on a line of its own; a line break in the text is kept."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for part in _UNBROKEN.findall(paragraph):
            pieces = [part] if text_width(part, size) <= width else list(part)  # too long for a line: by character
            for piece in pieces:
                if line and text_width(line + piece, size) > width:
                    lines.append(line)
                    line = ""
                line += piece
        lines.append(line)
    return lines


def lines_height(lines: list[str], size: float) -> float:
    return len(lines) * size * LINE


def title_lines(title: str, medium: Medium) -> list[str]:
    return wrap(title, medium.width - 2 * medium.pad, medium.font)


def source_lines(source: str, medium: Medium) -> list[str]:
    """The source line, each of its parts (the plan; the periods, sample or reported) on a line of its own."""
    return wrap(source.replace("；", "；\n"), medium.width - 2 * medium.pad, medium.small)


def head_height(plot: dict, medium: Medium) -> float:
    """A printed chart's title, and the space under it."""
    return lines_height(title_lines(plot["title"], medium), medium.font) + medium.font * 0.5


def foot_height(plot: dict, medium: Medium) -> float:
    """A printed chart's source line, and the space above it."""
    return medium.small * 0.5 + lines_height(source_lines(plot["source"], medium), medium.small)


def legend_lines(statuses: list, medium: Medium) -> list[list[tuple[float, str, str]]]:
    lines, x = [[]], medium.pad
    for code, label in statuses:
        need = medium.swatch_w + 4 + text_width(label, medium.small) + 12
        if lines[-1] and x + need > medium.width - medium.pad:
            lines.append([])
            x = medium.pad
        lines[-1].append((x, code, label))
        x += need
    return lines


LABEL_GAP = 8.0  # between a label and its bar, beside it


def status_rows(plot: dict, m: Medium) -> tuple[float, float, list[dict]]:
    """Where a status chart's rows go: the bars' left edge and width, and for each row its label's
    lines, the label's and the bar's top (from the row's top) and the row's height with the gap below.
    Labels beside the bars share a column as wide as the widest label, at most 55 % of the width; a
    label too long for its column or line wraps."""
    inner = m.width - 2 * m.pad
    if m.label_left:
        column = min(max((text_width(row["label"], m.font) for row in plot["rows"]), default=0), inner * 0.55)
        left, bar_w = m.pad + column + LABEL_GAP, inner - column - LABEL_GAP
    else:
        column, left, bar_w = inner, m.pad, inner
    rows = []
    for row in plot["rows"]:
        lines = wrap(row["label"], column, m.font)
        if m.label_left:
            height = max(m.bar_h, lines_height(lines, m.font))
            rows.append({"lines": lines, "label_top": (height - lines_height(lines, m.font)) / 2,
                         "bar_top": (height - m.bar_h) / 2, "advance": height + m.row_gap})
        else:  # one line in `row_label_h`, each further line a line more
            label = m.row_label_h + (len(lines) - 1) * m.font * LINE
            rows.append({"lines": lines, "label_top": 0.0, "bar_top": label, "advance": label + m.bar_h + m.row_gap})
    return left, bar_w, rows


def status_height(plot: dict, medium: Medium, framed: bool = False) -> float:
    """A status chart's height in inches; `framed`: with its title and source (the printed image)."""
    height = medium.pad + len(legend_lines(plot["statuses"], medium)) * medium.legend_line + 6
    height += sum(row["advance"] for row in status_rows(plot, medium)[2])
    height += medium.pad
    if framed:
        height += head_height(plot, medium) + foot_height(plot, medium)
    return round(height / PT_PER_IN, 3)


# An indicator chart, in points: margins for the tick labels (left) and for tick labels and the
# legend (bottom), at `small` 9 pt; the verdict's and the 期限 label's space above the plot.
AXIS_LEFT, AXIS_RIGHT, AXIS_BOTTOM = 44.0, 10.0, 42.0
LEGEND_BASELINE, LEGEND_LINE_Y = 6.48, 9.63  # the legend row, from the foot (or the source line)


def axes_width(medium: Medium) -> float:
    """Room for text inside an indicator chart's width (its verdict and subtitle)."""
    return medium.width - 2 * medium.pad


def verdict_lines(plot: dict, medium: Medium) -> list[str]:
    return wrap(plot["verdict"], axes_width(medium), medium.font)


def subtitle_lines(plot: dict, medium: Medium) -> list[str]:
    return wrap(plot["subtitle"], axes_width(medium), medium.small)


def indicator_top(plot: dict, medium: Medium, framed: bool = False) -> float:
    """From the top of an indicator chart to its plot area: (title,) verdict, subtitle, 期限."""
    top = medium.pad + (head_height(plot, medium) if framed else 0)
    top += lines_height(verdict_lines(plot, medium), medium.font) - medium.font * (LINE - 1.5)
    top += lines_height(subtitle_lines(plot, medium), medium.small) + medium.small + 6 * medium.k
    return top


def indicator_bottom(plot: dict, medium: Medium, framed: bool = False) -> float:
    """From an indicator chart's plot area to its foot: tick labels, the legend (and the source line)."""
    return AXIS_BOTTOM * medium.k + (foot_height(plot, medium) + medium.pad if framed else 0)


def indicator_height(plot: dict, medium: Medium, framed: bool = False) -> float:
    height = indicator_top(plot, medium, framed) + medium.plot_h + indicator_bottom(plot, medium, framed)
    return round(height / PT_PER_IN, 3)


def print_size(kind: str, plot: dict) -> list[float]:
    """The printed image's size in inches: PRINT, with its title and source."""
    height = status_height(plot, PRINT, True) if kind == "status_bars" else indicator_height(plot, PRINT, True)
    return [PRINT.width_in, height]


def png_size(size_in: list[float]) -> tuple[int, int]:
    """Pixel size of a chart's PNG (Agg rounds the figure size in pixels down, as here)."""
    return tuple(int(v * PNG_DPI) for v in size_in)
