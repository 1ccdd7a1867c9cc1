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
_ASSESSMENT_ICONS = {"achieved": "✔", "missed": "✘", "on_track": "▲", "acceleration": "△", "limited": "▽", "deterioration": "▼", "no_data": "－"}
ASSESSMENT_DISPLAY = {a.code: (a.value, _ASSESSMENT_ICONS[a.code]) for a in Assessment}
_LOWER_IS_BETTER = {"<", "<="}
# Statuses that need no completion by the end of the plan: done, or work with no end (常态推进).
_NOTHING_LEFT = {"completed", "ongoing"}


def period_end(period: str) -> dt.date:
    """The last day a period's report covers: 2015-Q4 → 2015-12-31."""
    year, quarter = (int(part) for part in period.split("-Q"))
    return dt.date(year, 12, 31) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def plan_end(plan: Plan) -> dt.date:
    return dt.date(plan.meta.period.end, 12, 31)


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
    plan_end: dt.date | None = None  # the last day of the plan period
    # Indicator ids reported in this period, in the plan's order (a dict: an ordered set).
    new_values: dict[str, None] = field(default_factory=dict)


    @property
    def plan_over(self) -> bool:
        """This period reaches the end of the plan period (2015-Q4 for a plan ending in 2015)."""
        return self.plan_end is not None and period_end(self.period) >= self.plan_end

    def unfinished(self, task_id: int) -> bool:
        """The plan period is over and the task was not reported complete (nor as work with no end)."""
        return self.plan_over and self.tasks[task_id].status not in _NOTHING_LEFT


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


def assess(indicator: Indicator, entry: IndicatorValue | None, baseline: tuple[float, dt.date] | None,
           thresholds: Thresholds, judged_on: dt.date | None = None, end: dt.date | None = None) -> Assessed:
    """Time-proportional (序时进度) assessment of one value against its target.

    `judged_on` is the last day of the period judged and `end` the plan's last day: once the
    deadline or the end has been reached, a target not met is 未达标, whatever its pace was.
    """
    if indicator.kind == "relative":
        if entry is None or entry.assessment is None:
            why = "本期报送了数值，但报送单位没有判定" if entry is not None and entry.value is not None else "报送单位尚未判定"
            return Assessed("no_data", why)
        code = entry.assessment.code
        if code not in ("achieved", "missed", "no_data") and _closed(indicator.deadline, entry.as_of, judged_on, end):
            return Assessed("missed", entry.justification or "", reported=code)
        return Assessed(code, entry.justification or "", reported=code)
    if entry is None or entry.value is None:
        return Assessed("no_data", "尚无数值")
    actual, when, target = entry.value, entry.as_of, indicator.target
    deadline = dt.date(when.year, 12, 31) if indicator.measure == "annual" else indicator.deadline
    known = dict(baseline=baseline[0], baseline_date=baseline[1]) if baseline else {}
    if meets(actual, indicator.comparator, target):
        return Assessed("achieved", "实际值已满足目标", **known)
    if _closed(deadline, when, judged_on, end):
        # Pace no longer matters once the time is up: the target was met or it was not.
        due = f"{deadline.year}年{deadline.month}月{deadline.day}日"
        why = (f"期限{due}已到，实际值未满足目标" if when >= deadline
               else f"期限{due}或计划期已过，最近报送的数值（{when.year}年{when.month}月{when.day}日）未满足目标")
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
            # Judged as of the period's last day: later periods never change an earlier verdict.
            assessed = assess(ind, latest, base, plan.method.thresholds, period_end(period.period), plan_end(plan))
            indicators[ind.id] = IndicatorState(latest, latest_period, assessed)
        state = PeriodState(period.period, period.compiled, period.sample, tasks, indicators, previous,
                            new_values=dict.fromkeys(sorted(set(new_values), key=order.__getitem__)), plan_end=plan_end(plan))
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
class Verdict:
    """The answer to "did the plan keep its promises?" as of one period (plain counts)."""

    period: str
    plan_over: bool
    plan_end: dt.date | None
    tasks: dict[str, int]  # status code → number of tasks, in STATUS_ORDER
    achieved: list[str]  # indicator ids, in the plan's order
    missed: list[str]
    pending: list[str]  # assessed, but neither achieved nor missed yet
    no_data: list[str]


def derive_verdict(plan: Plan, state: PeriodState) -> Verdict:
    by_code: dict[str, list[str]] = {}
    for ind in plan.indicators:
        by_code.setdefault(state.indicators[ind.id].assessed.code, []).append(ind.id)
    taken = {"achieved", "missed", "no_data"}
    return Verdict(
        period=state.period, plan_over=state.plan_over, plan_end=state.plan_end,
        tasks=count_statuses(state, [t.id for t in plan.tasks]),
        achieved=by_code.get("achieved", []), missed=by_code.get("missed", []),
        pending=[i.id for i in plan.indicators if state.indicators[i.id].assessed.code not in taken],
        no_data=by_code.get("no_data", []),
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
