"""How derived figures read on a page: status and assessment badges, period names, values."""
from __future__ import annotations

from collections.abc import Iterable

from .derive import ASSESSMENT_DISPLAY, STATUS_DISPLAY, Assessed, PeriodState, Verdict
from .plan import Plan
from .schema import Indicator, IndicatorValue

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


def _quarter_number(period: str) -> int:
    year, quarter = period.split("-Q")
    return int(year) * 4 + int(quarter)


def period_span(periods: Iterable[str]) -> str:
    """Periods as the site names them: a run of consecutive quarters as one range, runs joined
    with 、, a year named once (2014年第四季度至2015年第三季度、2016年第一季度; 2015年第一季度、第三季度至第四季度)."""
    runs: list[list[str]] = []
    for period in sorted(set(periods), key=_quarter_number):
        if runs and _quarter_number(period) == _quarter_number(runs[-1][-1]) + 1:
            runs[-1].append(period)
        else:
            runs.append([period])
    parts, year = [], None
    for first, last in ((run[0], run[-1]) for run in runs):
        start = QUARTERS[first[-1]] if first[:4] == year else period_label(first)
        if first == last:
            parts.append(start)
        else:
            end = QUARTERS[last[-1]] if first[:4] == last[:4] else period_label(last)
            parts.append(f"{start}至{end}")
        year = last[:4]
    return "、".join(parts)


def _named_periods(shown: list[PeriodState]) -> tuple[list[str], list[str]]:
    """The sample and the reported periods a notice names for the periods `shown`: each run of
    shown periods of one kind with none of the other kind between them is named whole, so a
    report drawing on 2014-Q4 and 2015-Q2–Q3 names 2014年第四季度至2015年第三季度 when 2015-Q1 is
    sample too (true of it, and what a reader can take in), never a range across the other kind."""
    if not shown:
        return [], []
    wanted = {s.period for s in shown}
    chain = list(_earlier(max(shown, key=lambda s: _quarter_number(s.period))))[::-1]
    chain = chain[next((n for n, s in enumerate(chain) if s.period in wanted), len(chain)):]
    named: dict[bool, list[str]] = {True: [], False: []}
    run: list[PeriodState] = []
    for state in [*chain, None]:
        if run and (state is None or state.sample != run[0].sample):
            ends = [n for n, s in enumerate(run) if s.period in wanted]
            named[run[0].sample] += [s.period for s in run[ends[0]:ends[-1] + 1]] if ends else []
            run = []
        if state is not None:
            run.append(state)
    in_chain = {s.period for s in chain}
    for state in shown:
        if state.period not in in_chain:  # not of one history (never so in a build)
            named[state.sample].append(state.period)
    return named[True], named[False]


def sample_notice(shown: Iterable[PeriodState], baselines: bool = False) -> str:
    """The sample-data notice of a page that shows the data of the periods `shown` (and sample
    baselines, when `baselines`): which of them are sample and, if any are not, which periods the
    units reported. Empty when nothing shown is sample: a page of real data carries no notice.
    The one wording of the notice, on pages, in the Word reports, the feed and the data package."""
    sample, real = _named_periods(list(shown))
    if not sample and not baselines:
        return ""
    if sample:
        what = f"本站{period_span(sample)}的进展数据" + ("及基线" if baselines else "")
    else:
        what = "本站序时进度评估所用的基线"
    notice = f"示例数据：{what}为演示用途，并非官方统计"
    if real:
        notice += f"；{period_span(real)}为各单位报送的数据"
    return notice


def _earlier(state: PeriodState | None):
    """`state` and every period before it, newest first."""
    while state is not None:
        yield state
        state = state.previous


def baseline_ids(plan: Plan) -> set[str]:
    """The indicators baselines.yaml gives a baseline for."""
    if "baseline_ids" not in plan._by:
        plan._by["baseline_ids"] = {b.indicator for b in plan.baselines}
    return plan._by["baseline_ids"]


def assessment_sources(plan: Plan, state: PeriodState, indicator: Indicator) -> tuple[list[PeriodState], bool]:
    """What an indicator's value and assessment as of `state` rest on: the periods whose data they
    use (the period the value was reported in, and for a pace computed from the first reported
    value, that value's period) and whether the pace starts from a baseline of baselines.yaml
    (the rules of derive.baseline_for)."""
    current = state.indicators[indicator.id]
    if current.entry is None:
        return [], False
    used = {current.period}
    assessed = current.assessed
    from_file = False
    if assessed.expected is not None and indicator.measure != "annual":  # a pace was computed
        if indicator.id in baseline_ids(plan):
            from_file = True
        elif indicator.measure == "level":
            starts = [s.period for s in _earlier(state) if indicator.id in s.new_values
                      and s.indicators[indicator.id].entry.as_of == assessed.baseline_date
                      and s.indicators[indicator.id].entry.value == assessed.baseline]
            used.update(starts[-1:])  # the earliest, as baseline_for takes it
    return [s for s in _earlier(state) if s.period in used][::-1], from_file


def report_sources(plan: Plan, state: PeriodState) -> tuple[list[PeriodState], bool]:
    """The periods whose data a quarterly report (page, Word version, feed entry) shows — its own,
    the one before (与上一季度相比), those of the latest values and assessments of its targets —
    and whether its assessments use baselines.yaml. All are `state` or earlier: a report's notice
    never changes when later periods are added."""
    shown = {state.period: state}
    if state.previous is not None:
        shown[state.previous.period] = state.previous
    from_file = False
    for indicator in plan.indicators:
        states, file = assessment_sources(plan, state, indicator)
        shown.update((s.period, s) for s in states)
        from_file = from_file or file
    return sorted(shown.values(), key=lambda s: _quarter_number(s.period)), from_file


def report_notice(plan: Plan, state: PeriodState) -> str:
    """The sample-data notice of a quarterly report: empty for a report showing only reported data."""
    shown, from_file = report_sources(plan, state)
    return sample_notice(shown, from_file and plan.baselines_sample)
