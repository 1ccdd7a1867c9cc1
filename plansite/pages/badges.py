"""Status and assessment badges in HTML: a symbol, the words and a colour class, with legends and glosses
beside them (the words and meanings come from plansite/wording.py)."""
from __future__ import annotations

from ..figures.progress import UNFINISHED, PeriodState
from ..model.schema import NOT_REPORTED
from ..wording import ASSESSMENT_DISPLAY, ASSESSMENT_MEANINGS, STATUS_BADGES, STATUS_DISPLAY, STATUS_MEANINGS


def status_badge(code: str) -> str:
    """Symbol + words + colour class: readable without colour, and by screen readers as words."""
    label, icon = STATUS_BADGES[code]
    return f'<span class="badge status-{code}"><span aria-hidden="true">{icon}</span> {label}</span>'


def current_codes(state: PeriodState | None, task_id: int) -> list[str]:
    """The status codes a task's current status (as of `state`, the latest period) shows: once the
    plan is over and the task not reported complete, 未按期完成 first, then the status reported."""
    code = state.tasks[task_id].status if state else NOT_REPORTED
    return [UNFINISHED, code] if state is not None and state.unfinished(task_id) else [code]


def current_status(state: PeriodState | None, task_id: int) -> str:
    """A task's current status wherever a page shows it (lists, chapter and unit pages, its own page)."""
    codes = current_codes(state, task_id)
    if len(codes) == 1:
        return status_badge(codes[0])
    return f'{status_badge(UNFINISHED)}<br><span class="reported-status">报送状态：{status_badge(codes[1])}</span>'


def _legend(title: str, items: list[tuple[str, str]]) -> str:
    """A legend beside a group of badges: each badge with its meaning, as one wrapping paragraph
    (a phone shows it in a few lines; a screen reader reads it as the sentence it is). Left out of the
    search index (Material removes the attribute once indexed): most pages carry the same legend,
    and 方法说明, which search finds, explains the statuses."""
    entries = "；".join(f'<span class="legend-item">{badge}：{meaning}</span>' for badge, meaning in items)
    return f'<p class="legend" data-search-exclude="true"><span class="legend-title">{title}：</span>{entries}。</p>'


def status_legend(codes=None) -> str:
    """What the statuses mean: `codes` (those shown nearby), in the site's one order, else every
    status a period can have (未按期完成 is named only where a current status shows it)."""
    shown = list(STATUS_DISPLAY) if codes is None else [c for c in STATUS_BADGES if c in set(codes)]
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
