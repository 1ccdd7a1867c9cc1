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


def period_document(period: str) -> str:
    """A report's Word version, beside its page (plansite/documents)."""
    return f"reports/{period}/{period}.docx"


def status_label(code: str) -> str:
    return STATUS_DISPLAY[code][0]


def status_badge(code: str) -> str:
    """Symbol + words + colour class: readable without colour, and by screen readers as words."""
    label, icon = STATUS_DISPLAY[code]
    return f'<span class="badge status-{code}"><span aria-hidden="true">{icon}</span> {label}</span>'


# What each status, assessment and role means, in plain words: the glosses and legends beside badges
# and unit lists (the 方法说明 page gives the same meanings at length). Every code has one.
STATUS_MEANINGS = {
    "completed": "已经做完",
    "ongoing": "没有终点的日常工作，本期在持续做",
    "in_progress": "正在做，还没有完成；报送单位没有报告落后",
    "behind": "正在做，但报送单位报告落后于安排",
    "not_started": "还没有开始做",
    "not_reported": "本期没有报送这项任务的情况",
}
ASSESSMENT_MEANINGS = {
    "achieved": "最新数值已经达到目标",
    "missed": "期限已到（或计划期已结束），目标没有达到",
    "on_track": "还没有达到目标，但进度跟得上时间",
    "acceleration": "还没有达到目标，进度有些落后，需要加快",
    "limited": "还没有达到目标，进度明显落后",
    "deterioration": "比计划开始时还差",
    "no_data": "还没有数值，或者无法判断",
}
ROLE_GLOSSES = {"lead": "主要负责", "partners": "配合牵头单位", "joint": "几个单位一起负责，不分主次"}


def _legend(title: str, items: list[tuple[str, str]]) -> str:
    """A legend beside a group of badges: each badge with its meaning, as one wrapping paragraph
    (a phone shows it in a few lines; a screen reader reads it as the sentence it is)."""
    entries = "；".join(f'<span class="legend-item">{badge}：{meaning}</span>' for badge, meaning in items)
    return f'<p class="legend"><span class="legend-title">{title}：</span>{entries}。</p>'


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


def ratio_gloss(ratio: float) -> str:
    """完成比 R in plain words, with this value's own reading."""
    share = f"{ratio * 100:.0f}%"
    reading = (f"这里 R = {ratio:.2f}，即实际进展是按时间应有进展的 {share}" if ratio >= 0
               else f"这里 R = {ratio:.2f}，小于 0，即数值比起点还差")
    return (f"完成比 R 是实际进展与按时间应有的进展之比：R = 1 表示正好跟上进度，R = 0.5 表示只完成了应有进展的一半。"
            f"{reading}。")


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
