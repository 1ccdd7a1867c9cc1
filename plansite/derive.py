"""Figures derived from the plan and its progress reports: statuses, assessments, rollups, changes.

Everything here is a pure function of the data. The state of period P is derived only from the
periods up to P, so a published report never changes when later periods are added.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from .plan import Plan
from .schema import NOT_REPORTED, Assessment, Indicator, IndicatorValue, Status, TaskReport, Thresholds

STATUS_ORDER = [s.code for s in Status] + [NOT_REPORTED]
# Each status has its label (the schema's vocabulary) and a symbol, so it is never told by colour alone.
_STATUS_ICONS = {"not_started": "○", "in_progress": "▶", "behind": "⚠", "completed": "✔", "ongoing": "↻"}
STATUS_DISPLAY = {s.code: (s.value, _STATUS_ICONS[s.code]) for s in Status} | {NOT_REPORTED: ("未报告", "？")}
_ASSESSMENT_ICONS = {"achieved": "✔", "on_track": "▲", "acceleration": "△", "limited": "▽", "deterioration": "▼", "no_data": "－"}
ASSESSMENT_DISPLAY = {a.code: (a.value, _ASSESSMENT_ICONS[a.code]) for a in Assessment}
_LOWER_IS_BETTER = {"<", "<="}


@dataclass(frozen=True)
class Assessed:
    """An indicator's assessment at one value, with the numbers behind it for the method page."""

    code: str
    reason: str
    baseline: float | None = None
    baseline_date: dt.date | None = None
    expected: float | None = None
    ratio: float | None = None


@dataclass(frozen=True)
class TaskState:
    status: str  # a Status code or NOT_REPORTED
    report: TaskReport | None


@dataclass(frozen=True)
class IndicatorState:
    entry: IndicatorValue | None  # the latest entry with a value (or a relative assessment) up to P
    period: str | None  # the period that entry was reported in
    assessed: Assessed


@dataclass
class PeriodState:
    period: str
    compiled: dt.date
    sample: bool
    tasks: dict[int, TaskState]
    indicators: dict[str, IndicatorState]
    previous: "PeriodState | None" = None
    # Indicator ids reported in this period, in the plan's order (a dict: an ordered set).
    new_values: dict[str, None] = field(default_factory=dict)


def meets(value: float, comparator: str, target: float) -> bool:
    return {
        ">=": value >= target, ">": value > target, "<=": value <= target,
        "<": value < target, "=": value == target,
    }[comparator]


def assess(indicator: Indicator, entry: IndicatorValue | None, baseline: tuple[float, dt.date] | None,
           thresholds: Thresholds) -> Assessed:
    """Time-proportional (序时进度) assessment of one value against its target."""
    if indicator.kind == "relative":
        if entry is None or entry.assessment is None:
            return Assessed("no_data", "报送单位尚未判定")
        return Assessed(entry.assessment.code, entry.justification or "")
    if entry is None or entry.value is None:
        return Assessed("no_data", "尚无数值")
    actual, when, target = entry.value, entry.as_of, indicator.target
    deadline = dt.date(when.year, 12, 31) if indicator.measure == "annual" else indicator.deadline
    if meets(actual, indicator.comparator, target):
        known = dict(baseline=baseline[0], baseline_date=baseline[1]) if baseline else {}
        return Assessed("achieved", "实际值已满足目标", **known)
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


def derive_progress(plan: Plan) -> list[PeriodState]:
    """The state of every task and indicator as of each period, oldest first (computed once per plan)."""
    if "progress" not in plan._by:
        plan._by["progress"] = _derive_progress(plan)
    return plan._by["progress"]


def _derive_progress(plan: Plan) -> list[PeriodState]:
    states: list[PeriodState] = []
    history: dict[str, list[tuple[str, IndicatorValue]]] = {i.id: [] for i in plan.indicators}
    order = {i.id: n for n, i in enumerate(plan.indicators)}
    previous = None
    for period in plan.periods:
        tasks = {t.id: TaskState(NOT_REPORTED, None) for t in plan.tasks}
        for report in period.tasks:
            tasks[report.task] = TaskState(report.status.code, report)
        new_values = []
        for entry in period.indicators:
            if entry.value is not None or entry.assessment is not None:
                history[entry.indicator].append((period.period, entry))
                new_values.append(entry.indicator)
        indicators = {}
        for ind in plan.indicators:
            reported = history[ind.id]
            latest_period, latest = reported[-1] if reported else (None, None)
            earlier = [e for _, e in reported[:-1]]
            base = baseline_for(plan, ind, latest, earlier)
            indicators[ind.id] = IndicatorState(latest, latest_period, assess(ind, latest, base, plan.method.thresholds))
        state = PeriodState(period.period, period.compiled, period.sample, tasks, indicators, previous,
                            dict.fromkeys(sorted(set(new_values), key=order.__getitem__)))
        states.append(state)
        previous = state
    return states


def count_statuses(state: PeriodState | None, task_ids) -> dict[str, int]:
    """How many of `task_ids` are in each status, in display order (zeros included)."""
    counts = Counter(state.tasks[t].status if state else NOT_REPORTED for t in task_ids)
    return {code: counts.get(code, 0) for code in STATUS_ORDER}


@dataclass(frozen=True)
class Changes:
    status_changes: list[tuple[int, str, str]]  # (task id, from, to)
    newly_completed: list[int]
    newly_behind: list[int]
    new_values: dict[str, None]  # an ordered set, as in PeriodState


def derive_changes(state: PeriodState) -> Changes:
    """What changed in `state` since the period before it (everything is new in the first)."""
    before = state.previous
    moves = []
    for task_id, now in state.tasks.items():
        was = before.tasks[task_id].status if before else NOT_REPORTED
        if was != now.status:
            moves.append((task_id, was, now.status))
    return Changes(
        status_changes=moves,
        newly_completed=[t for t, _, new in moves if new == "completed"],
        newly_behind=[t for t, _, new in moves if new == "behind"],
        new_values=state.new_values,
    )


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


@dataclass(frozen=True)
class UnitDelays:
    """How often one unit's tasks were 滞后: per role, the tasks behind in the latest period and
    the task-quarters behind over every period so far (a task behind in three quarters counts 3)."""

    behind_now: dict[str, list[int]]  # role → ids of its tasks 滞后 in the latest period
    behind_quarters: dict[str, int]  # role → task-quarters 滞后 over all periods

    def now(self, *roles: str) -> int:
        return sum(len(self.behind_now[r]) for r in roles)

    def quarters(self, *roles: str) -> int:
        return sum(self.behind_quarters[r] for r in roles)


def derive_unit_delays(plan: Plan, progress: list[PeriodState]) -> dict[str, UnitDelays]:
    """Department id → its 滞后 counts, by role (计算一次; the unit list and each unit page use it)."""
    if "unit_delays" in plan._by:
        return plan._by["unit_delays"]
    latest = progress[-1] if progress else None
    out = {}
    for dept in plan.departments:
        roles = plan.roles_of(dept)
        out[dept.id] = UnitDelays(
            behind_now={r: [t.id for t in tasks if latest and latest.tasks[t.id].status == "behind"]
                        for r, tasks in roles.items()},
            behind_quarters={r: sum(1 for state in progress for t in tasks if state.tasks[t.id].status == "behind")
                             for r, tasks in roles.items()},
        )
    plan._by["unit_delays"] = out
    return out
