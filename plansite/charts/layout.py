"""A chart's layout, shared by its spec (the image's size) and its drawing: sizes, colours, fonts,
text measuring and wrapping, the status legend's lines.

Drawn for a phone: 3.6 in is 346 CSS px, about the column of a 360 px screen, so 10 pt text stays
near 12 px there; larger screens show it up to 1.5 times that (docs/stylesheets/extra.css).
"""
from __future__ import annotations

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
# Drawn for a phone: 3.6 in is 346 CSS px, about the column of a 360 px screen, so 10 pt text stays
# near 12 px there; larger screens show it up to 1.5 times that (docs/stylesheets/extra.css).
WIDTH_IN = 3.6
PX_PER_IN = 96
PT_PER_IN = 72
# PNGs for documents and print: 3.6 in at 450 dpi is 1620 px wide (at least 1600 px for print).
PNG_DPI = 450

FONT_PT = 10
SMALL_PT = 9
PAD = 4.0
ROW_LABEL_H, BAR_H, ROW_GAP = 15.0, 18.0, 11.0
SWATCH_W, SWATCH_H, LEGEND_LINE = 16.0, 11.0, 16.0
LEGEND_BASELINE, LEGEND_LINE_Y = 6.48, 9.63  # an indicator chart's legend row, in points from the foot
AXES_WIDTH = WIDTH_IN * PT_PER_IN - 60  # room for text inside an indicator chart's axes


def text_width(text: str, size: float) -> float:
    """Width in points, near enough for layout: Han characters are 1 em, Latin about 0.6 em."""
    return sum(size if ord(ch) > 0x2E7F else 0.6 * size for ch in text)


def wrap(text: str, width: float, size: float) -> str:
    """Break text into lines no wider than `width` points (Chinese breaks between any characters)."""
    lines, line = [], ""
    for ch in text:
        if line and text_width(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return "\n".join(lines + [line])


def legend_lines(statuses: list, width: float) -> list[list[tuple[float, str, str]]]:
    lines, x = [[]], PAD
    for code, label in statuses:
        need = SWATCH_W + 4 + text_width(label, SMALL_PT) + 12
        if lines[-1] and x + need > width - PAD:
            lines.append([])
            x = PAD
        lines[-1].append((x, code, label))
        x += need
    return lines


def status_height(rows: list, statuses: list) -> float:
    width = WIDTH_IN * PT_PER_IN
    legend = len(legend_lines(statuses, width)) * LEGEND_LINE + 6
    height = PAD + legend + len(rows) * (ROW_LABEL_H + BAR_H + ROW_GAP) + PAD
    return round(height / PT_PER_IN, 3)


def png_size(size_in: list[float]) -> tuple[int, int]:
    """Pixel size of a chart's PNG (Agg rounds the figure size in pixels down, as here)."""
    return tuple(int(v * PNG_DPI) for v in size_in)
