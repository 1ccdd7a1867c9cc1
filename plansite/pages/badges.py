"""Status and assessment badges in HTML: a symbol, the words and a colour class, with legends and glosses
beside them (the words and meanings come from plansite/wording.py)."""
from __future__ import annotations

from ..wording import ASSESSMENT_DISPLAY, ASSESSMENT_MEANINGS, STATUS_DISPLAY, STATUS_MEANINGS


def status_badge(code: str) -> str:
    """Symbol + words + colour class: readable without colour, and by screen readers as words."""
    label, icon = STATUS_DISPLAY[code]
    return f'<span class="badge status-{code}"><span aria-hidden="true">{icon}</span> {label}</span>'


def _legend(title: str, items: list[tuple[str, str]]) -> str:
    """A legend beside a group of badges: each badge with its meaning, as one wrapping paragraph
    (a phone shows it in a few lines; a screen reader reads it as the sentence it is). Left out of the
    search index (Material removes the attribute once indexed): most pages carry the same legend,
    and 方法说明, which search finds, explains the statuses."""
    entries = "；".join(f'<span class="legend-item">{badge}：{meaning}</span>' for badge, meaning in items)
    return f'<p class="legend" data-search-exclude="true"><span class="legend-title">{title}：</span>{entries}。</p>'


def status_legend(codes=None) -> str:
    """What the statuses mean: `codes` (those shown nearby), in the site's one order, else all."""
    shown = [c for c in STATUS_DISPLAY if codes is None or c in set(codes)]
    shown.sort(key=list(STATUS_MEANINGS).index)
    return _legend("状态说明", [(status_badge(c), STATUS_MEANINGS[c]) for c in shown])


def assessment_legend(codes=None) -> str:
    shown = [c for c in ASSESSMENT_DISPLAY if codes is None or c in set(codes)]
    return _legend("评估说明", [(assessment_badge(c), ASSESSMENT_MEANINGS[c]) for c in shown])


def status_glossed(code: str) -> str:
    """A single badge with its meaning beside it: the gloss on a badge shown alone."""
    return f'{status_badge(code)}<span class="gloss">（{STATUS_MEANINGS[code]}）</span>'


def assessment_glossed(code: str) -> str:
    return f'{assessment_badge(code)}<span class="gloss">（{ASSESSMENT_MEANINGS[code]}）</span>'


def assessment_badge(code: str) -> str:
    label, icon = ASSESSMENT_DISPLAY[code]
    return f'<span class="badge assessment-{code}"><span aria-hidden="true">{icon}</span> {label}</span>'
