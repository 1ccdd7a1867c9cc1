"""Where Word, WPS and LibreOffice break a line of a report's Chinese text, worked out in points.

A model, close enough to choose table column widths by (docx_layout.fit_widths), checked against
LibreOffice's own layout by tests/test_document_layout.py:

- a Han character or full-width mark is one em wide, a Latin letter, digit or mark as wide as in
  Times New Roman; every character condensed as the body is (docx_render: w:spacing);
- a line may break between any two Han characters and on either side of a run of Latin letters
  and digits (2015, 80%, 2014-2015 are never broken), but never before a closing mark (，。、）” …)
  or after an opening one (（“《 …): the Chinese line-breaking rules (禁则) Word applies with
  w:kinsoku and LibreOffice with its forbidden characters, both on by default for Chinese;
- ，。、 may hang past the end of a full line (Word's w:overflowPunct, LibreOffice's hanging
  punctuation, both on by default);
- Latin next to Han (not next to a full-width mark) is set a little apart (Word's w:autoSpaceDE/DN;
  LibreOffice measured 0.225 em);
- the spacing after a line's last character does not count: a line is as wide as its characters.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CONDENSE_PT = -0.25  # every character condensed so that 28 fill a line of the body (docx_render.py)
AUTOSPACE_EM = 0.225  # between Latin and Han, as LibreOffice sets it (Word: about a quarter em)

# 禁则: marks that never begin a line, and marks that never end one (Word's defaults for Chinese).
NO_START = set("!%),.:;?]}¢°·’”…‰′″℃、。〃〉》」』】〕〗〞！＂％＇），．：；？］｝～")
NO_END = set("$([{£¥‘“〈《「『【〔〖〝（［｛￡￥")
HANGING = set()  # may hang past the line's end instead of pushing a character down

# Times New Roman's advance widths (thousandths of an em) for printable ASCII, space to tilde.
_TIMES = [int(w) for w in (
    "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 500 500 500 500 "
    "278 278 564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556 "
    "611 722 722 944 722 722 611 333 278 333 469 500 333 444 500 444 500 444 333 500 500 278 278 500 278 778 "
    "500 500 500 500 333 389 278 500 500 722 500 500 444 480 200 480 541").split()]
_TIMES[ord("(") - 32] = _TIMES[ord(")") - 32] = 380  # as LibreOffice sets them between Han characters
_QUOTES = {"“": 0.444, "”": 0.444, "‘": 0.333, "’": 0.333}  # quotes set in Times, next to Latin


def is_wide(ch: str) -> bool:
    """Set one em wide: Han, kana, full-width forms, and the marks a Chinese font sets full width
    (“ ” ‘ ’ — … ·, which Word and LibreOffice take from the East Asian font in Chinese text)."""
    return ord(ch) >= 0x2E80 or 0x2010 <= ord(ch) <= 0x206F or ch == "·"


def advance_pt(ch: str, size_pt: float, wide: bool | None = None, spacing_pt: float = CONDENSE_PT) -> float:
    """How far one character moves the pen, condensed by `spacing_pt` (`wide`: full width or not, if known)."""
    if wide if wide is not None else is_wide(ch):
        em = 1.0
    else:
        em = _TIMES[ord(ch) - 32] / 1000 if 32 <= ord(ch) < 127 else _QUOTES.get(ch, 0.5)
    return em * size_pt + spacing_pt


def width_em(text: str) -> float:
    """Width in ems, uncondensed and without the Latin-Han spacing: a rough measure for titles."""
    return sum(1.0 if is_wide(ch) else 0.5 for ch in text)


_UNITS = re.compile(r"[!-~]+| |.", re.S)  # a run of Latin letters, digits and marks; a space; any other character


def units(text: str) -> list[str]:
    """The text cut where a line may break: each Han character alone, each Latin run whole, a
    closing mark kept with what it follows and an opening mark with what it precedes, and numbers
    a mark apart kept together (12365、12315), as LibreOffice keeps them."""
    out: list[str] = []
    glue = False  # the last unit ends with an opening mark: the next joins it
    for piece in _UNITS.findall(text):
        numbers = bool(out) and piece[0].isdigit() and len(out[-1]) > 1 and out[-1][-1] in NO_START and out[-1][-2].isdigit()
        if out and (glue or numbers or piece[0] in NO_START) and piece != " ":
            out[-1] += piece
        else:
            out.append(piece)
        glue = piece[-1] in NO_END
    return out


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _measure(text: str, size_pt: float, spacing_pt: float) -> tuple[list[float], list[float]]:
    """Each character's advance, and the Latin-Han spacing before it. A quote next to a Latin
    letter or digit (“3.15”) is set in the Latin font, narrow, and spaced from the Han beside it."""
    wide, latin = [], []
    for i, ch in enumerate(text):
        inner = text[i + 1] if ch in "“‘" and i + 1 < len(text) else text[i - 1] if ch in "”’" and i else ""
        narrow_quote = bool(inner) and _latin(inner)
        wide.append(is_wide(ch) and not narrow_quote)
        latin.append(_latin(ch) or narrow_quote)
    advance = [advance_pt(ch, size_pt, w, spacing_pt) for ch, w in zip(text, wide)]
    han = [w and unicodedata.category(ch).startswith("L") for ch, w in zip(text, wide)]  # not full-width marks
    space = [AUTOSPACE_EM * size_pt if i and ((han[i - 1] and latin[i]) or (latin[i - 1] and han[i])) else 0.0
             for i in range(len(text))]
    return advance, space


@lru_cache(maxsize=8192)
def _pieces(paragraph: str, size_pt: float, spacing_pt: float) -> tuple[tuple[str, float, float, float], ...]:
    """A paragraph measured once for every width it is tried at (fit_widths tries dozens): each
    unit with its width, the Latin-Han spacing before it and its last character's advance."""
    advance, space = _measure(paragraph, size_pt, spacing_pt)
    pieces, at = [], 0
    for unit in units(paragraph):
        pieces.append((unit, sum(advance[at:at + len(unit)]) + sum(space[at + 1:at + len(unit)]), space[at],
                       advance[at + len(unit) - 1]))
        at += len(unit)
    return tuple(pieces)


@lru_cache(maxsize=65536)
def break_lines(text: str, width_pt: float, size_pt: float, spacing_pt: float = CONDENSE_PT) -> tuple[str, ...]:
    """The lines a paragraph of `text` is set in across `width_pt`, its characters spaced by
    `spacing_pt` (left-aligned or justified alike: justifying stretches a line, it never moves a break)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for unit, width, before, last in _pieces(paragraph, size_pt, spacing_pt):
            # The spacing after a line's last character is not part of the line.
            fits = used + before + width - spacing_pt - (last if unit[-1] in HANGING else 0) <= width_pt + 0.01
            if line and not fits and unit != " ":
                lines.append(line.rstrip(" "))
                line, used = "", 0.0
            elif line:
                width += before
            line += unit
            used += width
        lines.append(line.rstrip(" "))
    return tuple(lines)


def leaves_one_alone(text: str, width_pt: float, size_pt: float, spacing_pt: float = CONDENSE_PT) -> bool:
    """Whether a text set across `width_pt` runs onto a line of one character (a 孤字)."""
    lines = break_lines(text, width_pt, size_pt, spacing_pt)
    return len(lines) > 1 and any(len(line) == 1 for line in lines)
