"""How derived figures read on a page: status and assessment badges, period names, values."""
from __future__ import annotations

from .derive import ASSESSMENT_DISPLAY, STATUS_DISPLAY, PeriodState
from .schema import Indicator, IndicatorValue

SAMPLE_NOTICE = "示例数据：本站进展数据为演示用途，并非官方统计"
QUARTERS = {"1": "第一季度", "2": "第二季度", "3": "第三季度", "4": "第四季度"}


def period_label(period: str) -> str:
    year, quarter = period.split("-Q")
    return f"{year}年{QUARTERS[quarter]}"


def period_page(period: str) -> str:
    return f"reports/{period}/index.md"


def period_document(period: str) -> str:
    """A report's Word version, beside its page (plansite/documents)."""
    return f"reports/{period}/{period}.docx"


def status_label(code: str) -> str:
    return STATUS_DISPLAY[code][0]


def status_badge(code: str) -> str:
    """Symbol + words + colour class: readable without colour, and by screen readers as words."""
    label, icon = STATUS_DISPLAY[code]
    return f'<span class="badge status-{code}"><span aria-hidden="true">{icon}</span> {label}</span>'


def assessment_label(code: str) -> str:
    return ASSESSMENT_DISPLAY[code][0]


def assessment_badge(code: str) -> str:
    label, icon = ASSESSMENT_DISPLAY[code]
    return f'<span class="badge assessment-{code}"><span aria-hidden="true">{icon}</span> {label}</span>'


def value_text(indicator: Indicator, entry: IndicatorValue | None) -> str:
    """Plain text: templates pass it through the md filter, like every other data value."""
    if entry is None or entry.value is None:
        return "—"
    value = entry.value
    shown = str(int(value)) if float(value).is_integer() else f"{value:g}"
    return f"{shown}{indicator.unit}"


def is_sample(states: list[PeriodState], baselines_sample: bool = False) -> bool:
    return baselines_sample or any(s.sample for s in states)
