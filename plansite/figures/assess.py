"""An indicator's assessment against its target: time-proportional (序时进度) pace, then a verdict at the deadline.

The 方法说明 page states the same rules in words, and runs worked_example through `assess` itself.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model.plan import Plan
from ..model.schema import Indicator, IndicatorValue, Thresholds
from ..model.dates import cn_date

_LOWER_IS_BETTER = {"<", "<="}

# Verdicts the site derives, never typed (like the task status NOT_REPORTED): once a target's deadline
# or the plan's end has passed, a target with no value reported by then, and a relative target whose
# value the reporter never judged against it. Both count apart from 已达标 everywhere.
OVERDUE_NO_VALUE = "overdue_no_value"
OVERDUE_UNJUDGED = "overdue_unjudged"
OVERDUE = (OVERDUE_NO_VALUE, OVERDUE_UNJUDGED)


@dataclass(frozen=True)
class Assessed:
    """An indicator's assessment at one value, with the numbers behind it for the method page."""

    code: str
    reason: str
    baseline: float | None = None
    baseline_date: dt.date | None = None
    expected: float | None = None
    ratio: float | None = None
    reported: str | None = None  # a relative target's assessment as the reporter typed it



def meets(value: float, comparator: str, target: float) -> bool:
    return {
        ">=": value >= target, ">": value > target, "<=": value <= target,
        "<": value < target, "=": value == target,
    }[comparator]


def _closed(deadline: dt.date, when: dt.date | None, judged_on: dt.date | None, end: dt.date | None) -> bool:
    """The value's date has reached the deadline, or the period judged reaches it or the plan's end."""
    if when is not None and when >= deadline:
        return True
    return judged_on is not None and (judged_on >= deadline or (end is not None and judged_on >= end))


def _time_up(deadline: dt.date, when: dt.date | None, judged_on: dt.date | None, end: dt.date | None) -> str:
    """Why the time is up (`_closed` said so), in words: the deadline, or else the plan's end."""
    if (when is not None and when >= deadline) or judged_on is None or judged_on >= deadline or end is None:
        return f"期限{cn_date(deadline)}已到"
    return f"计划期已于{cn_date(end)}结束"


def assess(indicator: Indicator, entry: IndicatorValue | None, baseline: tuple[float, dt.date] | None,
           thresholds: Thresholds, judged_on: dt.date | None = None, end: dt.date | None = None) -> Assessed:
    """Time-proportional (序时进度) assessment of one value against its target.

    `judged_on` is the last day of the period judged and `end` the plan's last day: once the
    deadline or the end has been reached, a target not met is 未达标, whatever its pace was, and
    one with no value by then (or, relative, with a value nobody judged) is OVERDUE_NO_VALUE
    (OVERDUE_UNJUDGED): 暂无数据 is only for targets whose time has not come.
    """
    if indicator.kind == "relative":
        code = entry.assessment.code if entry is not None and entry.assessment is not None else None
        has_value = entry is not None and entry.value is not None
        if code in (None, "no_data") and _closed(indicator.deadline, entry and entry.as_of, judged_on, end):
            # Time is up and nobody judged the target: never 暂无数据 any more, and never 已达标.
            up = _time_up(indicator.deadline, entry and entry.as_of, judged_on, end)
            if has_value:
                return Assessed(OVERDUE_UNJUDGED, f"{up}，报送了数值，但报送单位没有对照目标作出判定", reported=code)
            return Assessed(OVERDUE_NO_VALUE, f"{up}，没有报送数值，报送单位也没有作出判定", reported=code)
        if code is None:
            why = "本期报送了数值，但报送单位没有判定" if has_value else "报送单位尚未判定"
            return Assessed("no_data", why)
        if code not in ("achieved", "missed", "no_data") and _closed(indicator.deadline, entry.as_of, judged_on, end):
            return Assessed("missed", entry.justification or "", reported=code)
        return Assessed(code, entry.justification or "", reported=code)
    if entry is None or entry.value is None:
        if _closed(indicator.deadline, None, judged_on, end):
            return Assessed(OVERDUE_NO_VALUE, f"{_time_up(indicator.deadline, None, judged_on, end)}，没有报送数值")
        return Assessed("no_data", "尚无数值")
    actual, when, target = entry.value, entry.as_of, indicator.target
    deadline = dt.date(when.year, 12, 31) if indicator.measure == "annual" else indicator.deadline
    known = dict(baseline=baseline[0], baseline_date=baseline[1]) if baseline else {}
    if meets(actual, indicator.comparator, target):
        return Assessed("achieved", "实际值已满足目标", **known)
    if _closed(deadline, when, judged_on, end):
        # Pace no longer matters once the time is up: the target was met or it was not.
        why = (f"期限{cn_date(deadline)}已到，实际值未满足目标" if when >= deadline
               else f"期限{cn_date(deadline)}或计划期已过，最近报送的数值（{cn_date(when)}）未满足目标")
        return Assessed("missed", why, **known)
    if baseline is None:
        return Assessed("no_data", "没有基线，也没有更早的数值，无法计算序时进度")
    base, start = baseline
    span = (deadline - start).days
    elapsed = min(max((when - start).days / span, 0.0), 1.0) if span > 0 else 1.0
    expected = base + (target - base) * elapsed
    numbers = dict(baseline=base, baseline_date=start, expected=expected)
    if expected == base:
        # Nothing was expected to change (a zero target held at zero, or no time elapsed yet):
        # holding the baseline is on track, moving away from the target is deterioration.
        worse = actual > base if indicator.comparator in _LOWER_IS_BETTER else actual < base
        if indicator.comparator == "=":
            worse = abs(actual - target) > abs(base - target)
        return Assessed("deterioration" if worse else "on_track", "期望值等于基线值", **numbers)
    ratio = (actual - base) / (expected - base)
    if ratio >= thresholds.on_track:
        code = "on_track"
    elif ratio >= thresholds.acceleration:
        code = "acceleration"
    elif ratio >= thresholds.limited:
        code = "limited"
    else:
        code = "deterioration"
    return Assessed(code, f"完成比 R = {ratio:.2f}", ratio=ratio, **numbers)


def baseline_for(plan: Plan, indicator: Indicator, entry: IndicatorValue | None,
                 earlier: list[IndicatorValue]) -> tuple[float, dt.date] | None:
    """Where the expected path starts. See the 方法说明 page for the same rules in words."""
    if entry is None or entry.as_of is None:
        return None
    if indicator.measure == "annual":
        return 0.0, dt.date(entry.as_of.year, 1, 1)  # each year is judged on its own, from zero
    for b in plan.baselines:
        if b.indicator == indicator.id:
            return b.value, b.as_of
    if indicator.measure == "cumulative":
        return 0.0, dt.date(plan.meta.period.start, 1, 1)  # a count over the plan starts at zero
    first = [e for e in earlier if e.value is not None and e.as_of < entry.as_of]
    if first:
        first_entry = min(first, key=lambda e: e.as_of)
        return first_entry.value, first_entry.as_of
    return None


def worked_example(plan: Plan) -> dict:
    """An illustrative calculation for the 方法说明 page, run through the real `assess`."""
    indicator = Indicator(
        id="example", task=plan.tasks[0].id, name="某项比率（举例）", kind="numeric", measure="level",
        comparator=">=", target=70, unit="%", target_text="70%以上", deadline=dt.date(2015, 12, 31),
        source_text="举例",
    )
    baseline = (40.0, dt.date(2013, 12, 31))
    entry = IndicatorValue(indicator="example", value=52, as_of=dt.date(2015, 6, 30))
    result = assess(indicator, entry, baseline, plan.method.thresholds)
    return dict(
        indicator=indicator, entry=entry, result=result,
        elapsed=(entry.as_of - baseline[1]).days, span=(indicator.deadline - baseline[1]).days,
    )
