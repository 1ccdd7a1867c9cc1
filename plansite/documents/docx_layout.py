"""How a report's text fits the page: the title broken by meaning; table columns, and where need be a
cell's character spacing, that leave no character alone on a line (a 孤字), measured with the line
breaking of docx_lines.py; which table rows are kept on a page with the next. docx_render.py lays
the text out; tests/test_document_layout.py holds the result to LibreOffice's layout."""
from __future__ import annotations

import math
import re

from .docx_lines import CONDENSE_PT, break_lines, leaves_one_alone, width_em

TABLE_PT = 10.5  # 五号
TITLE_PT = 22  # 二号
TEXT_W_CM = 21.0 - 2.8 - 2.6  # A4 less the margins of GB/T 9704


def title_lines(title: str, line_em: float = TEXT_W_CM / 2.54 * 72 / TITLE_PT) -> list[str]:
    """The title broken by meaning, not where the line runs out: 《the plan's name》, then what this
    is; a name too long for a line is broken before its years (《阳江市建设质量强市 / 2014-2015年行动计划》),
    else at its middle."""
    name, _, rest = title.partition("》")
    name += "》"
    if width_em(name) <= line_em:
        return [name, rest] if rest else [name]
    year = re.search(r"\d{4}", name)
    cut = year.start() if year and 1 < year.start() < len(name) - 1 else len(name) // 2
    return [name[:cut], name[cut:]] + ([rest] if rest else [])


CELL_PADDING_PT = 2 * 108 / 20  # a cell's margins, left and right: the Table Grid style's 0.19 cm each
SLACK_PT = 1.5  # how much wider or narrower than break_lines Word, WPS or LibreOffice may set a line
SHIFT_MM = 20  # the most a column's width moves from the one it was given
MIN_MM = 16  # no column narrower than 1.6 cm
# A cell that no column width spares a character alone has its characters set this much closer
# (at most) or wider (at most): the 紧排 and 松排 of Chinese typesetting, a run's w:spacing.
TIGHTEN_PT, LOOSEN_PT = 0.8, 1.2
PAGE_LINES = 40  # lines of a table a page holds (docx_render: TABLE_LINE_PT)
SPACED_LINES = 3  # a cell set closer or wider weighs as much as three more lines of a table


def _text_pt(width_mm: int) -> float:
    """The width a cell's text is set across, in points, for a column `width_mm` wide."""
    return width_mm / 25.4 * 72 - CELL_PADDING_PT


def _lonely(text: str, width_pt: float, spacing_pt: float = CONDENSE_PT) -> bool:
    """Whether a text leaves a character alone on a line at this width, or at any width the office
    programs' own measures (SLACK_PT either way) may give it."""
    return any(leaves_one_alone(text, width_pt + k * SLACK_PT / 2, TABLE_PT, spacing_pt) for k in (-2, -1, 0, 1, 2))


def _one_line(text: str, width_mm: int) -> bool:
    return len(break_lines(text, _text_pt(width_mm) - SLACK_PT, TABLE_PT)) == 1


def fit_widths(rows: list[list[str]], widths_cm: list[float]) -> list[float]:
    """Column widths, with the same total as those given, that leave no character alone on a line
    of any cell (率 under 覆盖) in Word, WPS or LibreOffice and make the table no taller than need
    be: a column whose cells all fit a line keeps them on one (a date stays whole), any other keeps
    at least three quarters of its width, and none moves more than SHIFT_MM. Of all such widths,
    a millimetre apart: those that leave the fewest cells with a character alone that no character
    spacing spares (cell_spacing), then the fewest lines (a cell set closer or wider counted as
    SPACED_LINES more), then the nearest the widths given."""
    given = [round(width * 10) for width in widths_cm]
    runs = [_runs([str(row[i]) for row in rows], width) for i, width in enumerate(given)]
    total = sum(given)
    best: list = [None, None]  # (cost, the runs chosen)
    # The columns' lowest and highest widths from each column on, to cut off choices that cannot add up.
    low = [sum(min(r[0] for r in column) for column in runs[i:]) for i in range(len(runs) + 1)]
    high = [sum(max(r[1] for r in column) for column in runs[i:]) for i in range(len(runs) + 1)]

    def search(i: int, chosen: list, span: tuple[int, int], lonely: tuple[int, int], lines: list[int]) -> None:
        """Every run of column i on, after the runs chosen (`span`: their narrowest and widest total)."""
        if best[0] is not None and (lonely[0], _height(lines) + SPACED_LINES * lonely[1]) > best[0][:2]:
            return  # already worse than the best found: adding a column only adds
        if i == len(runs):
            cost = (lonely[0], _height(lines) + SPACED_LINES * lonely[1], lonely[1], _distance(chosen, given, total))
            if best[0] is None or cost < best[0]:
                best[:] = [cost, list(chosen)]
            return
        for run in runs[i]:
            lo, hi, run_lonely, run_lines = run
            if span[0] + lo + low[i + 1] <= total <= span[1] + hi + high[i + 1]:
                search(i + 1, chosen + [run], (span[0] + lo, span[1] + hi), (lonely[0] + run_lonely[0], lonely[1] + run_lonely[1]),
                       [max(a, b) for a, b in zip(lines, run_lines)] if lines else list(run_lines))

    search(0, [], (0, 0), (0, 0), [])
    return [w / 10 for w in _allocate(best[1], given, total)]


def _height(lines: list[int]) -> float:
    """A table's height in lines, with what its rows may leave blank at the foot of a page: a row
    never splits (docx_render), so one h lines tall that a page ends in moves whole to the next,
    leaving h/2 lines blank on average, and a page ends in it about h times in PAGE_LINES."""
    return sum(h + h * h / (2 * PAGE_LINES) for h in lines)


def _runs(column: list[str], width: int) -> list[tuple[int, int, tuple[int, int], tuple[int, ...]]]:
    """The widths a column may take, in runs of neighbouring millimetres that set its cells alike:
    (narrowest, widest, (cells left with a character alone, cells set closer or wider to spare
    one), each cell's lines), the best first."""
    texts = [text for text in column if len(text) > 1]
    if all(_one_line(text, width) for text in texts):
        floor = next((w for w in range(width, MIN_MM, -1) if not all(_one_line(text, w - 1) for text in texts)), MIN_MM)
    else:
        floor = max(MIN_MM, math.ceil(width * 0.75))
    runs: list[list] = []
    for w in range(max(floor, width - SHIFT_MM), width + SHIFT_MM + 1):
        lonely = [text for text in texts if _lonely(text, _text_pt(w))]
        spared = sum(cell_spacing(text, w / 10) is not None for text in lonely)
        setting = ((len(lonely) - spared, spared),
                   tuple(len(break_lines(text, _text_pt(w), TABLE_PT)) for text in column))
        if runs and runs[-1][2:] == list(setting):
            runs[-1][1] = w
        else:
            runs.append([w, w, *setting])
    return sorted((tuple(run) for run in runs), key=lambda run: (run[2][0], sum(run[3]) + SPACED_LINES * run[2][1], abs(run[0] - width)))


def _distance(chosen: list, given: list[int], total: int) -> int:
    """How far, in mm all told, the widths nearest those given within the chosen runs are from them."""
    nearest = [min(max(g, run[0]), run[1]) for run, g in zip(chosen, given)]
    return sum(abs(n - g) for n, g in zip(nearest, given)) + abs(total - sum(nearest))


def _allocate(chosen: list, given: list[int], total: int) -> list[int]:
    """Widths within the chosen runs, nearest those given, adding up to the total: what is over or
    short is taken from or given to the widest columns first."""
    widths = [min(max(g, run[0]), run[1]) for run, g in zip(chosen, given)]
    for i in sorted(range(len(widths)), key=lambda i: -given[i]):
        lo, hi = chosen[i][:2]
        widths[i] = min(max(widths[i] + total - sum(widths), lo), hi)
    return widths


def cell_spacing(text: str, width_cm: float) -> float | None:
    """For a cell that its column's width leaves a character alone in: the character spacing, in
    points, nearest the body's that sets it without one (within TIGHTEN_PT closer and LOOSEN_PT
    wider, a tenth of a point at a time); None for any other cell, or where no spacing would do."""
    width = _text_pt(round(width_cm * 10))
    if len(text) < 2 or not _lonely(text, width):
        return None
    steps = sorted(range(-round(TIGHTEN_PT * 10), round(LOOSEN_PT * 10) + 1), key=abs)
    return next((round(CONDENSE_PT + step / 10, 2) for step in steps if not _lonely(text, width, CONDENSE_PT + step / 10)), None)


def keep_rows(rows: list[list[str]], widths_cm: list[float]) -> list[bool]:
    """Which rows (the header first) are kept on a page with the row after them: every row but the
    last of a table no taller than half a page, so that it is never split; of a longer one, the
    header with the first row, and the last two rows together, so that no page ends with a header
    and no page begins with the last row alone."""
    widths = [_text_pt(round(width * 10)) for width in widths_cm]
    lines = [max(len(break_lines(str(text), width, TABLE_PT)) for text, width in zip(row, widths)) for row in rows]
    if sum(lines) <= PAGE_LINES / 2:
        return [n < len(rows) - 1 for n in range(len(rows))]
    return [n == 0 or n == len(rows) - 2 for n in range(len(rows))]
