"""How derived figures read on a page: status and assessment badges, period names, values."""
from __future__ import annotations

from .derive import ASSESSMENT_DISPLAY, STATUS_DISPLAY, Assessed, PeriodState, Verdict
from .schema import Indicator, IndicatorValue

SAMPLE_NOTICE = "示例数据：本站进展数据为演示用途，并非官方统计"
QUARTERS = {"1": "第一季度", "2": "第二季度", "3": "第三季度", "4": "第四季度"}


def period_label(period: str) -> str:
    year, quarter = period.split("-Q")
    return f"{year}年{QUARTERS[quarter]}"


def period_page(period: str) -> str:
    return f"reports/{period}/index.md"


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


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def expected_value(indicator: Indicator, value: float) -> float:
    """An expected value as shown: whole for what is counted one by one (73.35家 → 73家), else 2 places."""
    return float(round(value)) if indicator.countable else round(float(value), 2)


def expected_text(indicator: Indicator, value: float | None) -> str:
    return "—" if value is None else f"{_figure(expected_value(indicator, value))}{indicator.unit}"


def unjudged_reason(indicator: Indicator, entry: IndicatorValue | None, assessed: Assessed) -> str:
    """Why an assessment is 暂无数据, in a few words, from the data and the kind of target."""
    if indicator.kind == "relative":
        if entry is not None and entry.assessment is not None:
            return "报送单位说明暂无法判定"
        if entry is not None and entry.value is not None:
            return "有数值，但报送单位没有判定"
        return "报送单位尚未判定"
    if entry is None or entry.value is None:
        return "尚无数值"
    return "只有一期数值，没有基线，无法计算序时进度"


def headline(period: str, indicator: Indicator, entry: IndicatorValue | None, assessed: Assessed) -> str:
    """The one-line verdict above an indicator's chart: 2015年第四季度评估：未达标（期限已到）."""
    text = f"{period_label(period)}评估：{assessment_label(assessed.code)}"
    if assessed.code == "no_data":
        return f"{text}（{unjudged_reason(indicator, entry, assessed)}）"
    if assessed.code == "missed":
        return f"{text}（期限已到）"
    return text


def verdict_sentence(verdict: Verdict, plan_tasks: int, plan_targets: int) -> str:
    """Plain text: did the plan keep its promises, as of the latest period (counts only)."""
    end = verdict.plan_end
    over = f"计划期已于{end.year}年{end.month}月{end.day}日结束" if verdict.plan_over and end else "计划期尚未结束"
    counts = {code: n for code, n in verdict.tasks.items() if n}
    if verdict.plan_over:
        # After the plan's end anything but 已完成 / 常态推进 is a task not reported complete.
        done = [f"{status_label(c)}{counts[c]}项" for c in ("completed", "ongoing") if c in counts]
        rest = [f"{status_label(c)}{n}项" for c, n in counts.items() if c not in ("completed", "ongoing")]
        parts = done + ([f"未报告完成{sum(verdict.tasks[c] for c in verdict.tasks if c not in ('completed', 'ongoing'))}项"
                         f"（{'、'.join(rest)}）"] if rest else [])
    else:
        parts = [f"{status_label(c)}{n}项" for c, n in counts.items()]
    sentence = f"截至{period_label(verdict.period)}（{over}），{plan_tasks}项任务中{'、'.join(parts)}"
    if not plan_targets:
        return sentence + "。"
    targets = [f"已达标{len(verdict.achieved)}项", f"未达标{len(verdict.missed)}项"]
    if verdict.pending:
        targets.append(f"尚未到期{len(verdict.pending)}项")
    if verdict.no_data:
        targets.append(f"暂无数据{len(verdict.no_data)}项")
    return f"{sentence}；{plan_targets}项量化目标中{'、'.join(targets)}。"


def is_sample(states: list[PeriodState], baselines_sample: bool = False) -> bool:
    return baselines_sample or any(s.sample for s in states)
