"""How a report's text fits the page: the title broken by meaning, and table columns that never leave
a character alone on a line. Plain arithmetic in ems and centimetres; docx_render.py lays the text out."""
from __future__ import annotations

import re

TABLE_PT = 10.5  # 五号
TITLE_PT = 22  # 二号
CONDENSE_PT = -0.25  # every character condensed so that 28 fill a line of the body (docx_render.py)
TEXT_W_CM = 21.0 - 2.8 - 2.6  # A4 less the margins of GB/T 9704


def width_em(text: str) -> float:
    """Width in ems: Han characters and full-width punctuation 1, digits, Latin and - half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


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


CELL_MARGINS_CM = 0.2  # a cell's margins, left and right, as Word and LibreOffice lay them out
TABLE_EM_CM = (TABLE_PT + CONDENSE_PT) / 72 * 2.54  # a character, condensed as the body is


def _per_line(width_cm: float) -> float:
    """Ems a cell of this width holds on a line."""
    return (width_cm - CELL_MARGINS_CM) / TABLE_EM_CM


def _lonely(texts: list[str], width_cm: float) -> bool:
    """Whether a cell of this width would leave one character alone on the last line of a text.
    LibreOffice fits a little more on a line than this estimate: checked at a tenth more too."""
    for per_line in (_per_line(width_cm) * f for f in (1.0, 1.1)):
        for text in texts:
            em = width_em(text)
            if em > per_line and em - per_line * int(em / per_line) <= 1.01:
                return True
    return False


def fit_widths(rows: list[list[str]], widths_cm: list[float], step: float = 0.1) -> list[float]:
    """Column widths moved a millimetre at a time into any column whose cells would otherwise end a
    line with one character alone (率 under 覆盖), from a column that has room to spare: one whose
    cells all fit a line keeps what its longest needs (a date stays on one line), any other keeps
    three quarters of its width; a donor never leaves a character alone itself."""
    widths = list(widths_cm)
    columns = [[row[i] for row in rows] for i in range(len(widths))]
    floors = []
    for width, column in zip(widths_cm, columns):
        longest = max(map(width_em, column))
        one_line = longest <= _per_line(width) * 0.9
        floors.append(max(1.6, min(width, (longest + 1) / 0.9 * TABLE_EM_CM + CELL_MARGINS_CM) if one_line else 0.75 * width))
    for i in range(len(widths)):
        for _ in range(40):
            if not _lonely(columns[i], widths[i]):
                break
            donors = [j for j in range(len(widths)) if j != i and widths[j] - step >= floors[j]
                      and not _lonely(columns[j], widths[j] - step)]
            if not donors:
                break
            donor = max(donors, key=lambda j: widths[j] - floors[j])
            widths[donor] = round(widths[donor] - step, 2)
            widths[i] = round(widths[i] + step, 2)
    return widths
