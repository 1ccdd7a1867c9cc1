"""The state of every task and indicator as of each period: derived once per plan, oldest period first.

The state of period P is derived only from the periods up to P, so a published report never changes
when later periods are added.
"""
from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field

from ..model.periods import quarter_end
from ..model.plan import Plan
from ..model.schema import NOT_REPORTED, IndicatorValue, Status, TaskReport
from .assess import Assessed, assess, baseline_for

# The site's one order of statuses (tables, counts, charts, legends): the schema's, then 未报告.
STATUS_ORDER = [s.code for s in Status] + [NOT_REPORTED]
# Statuses that need no completion by the end of the plan: done, or work with no end (常态推进).
NOTHING_LEFT = ("completed", "ongoing")
# What a task shown with its current status reads once the plan is over and it is `unfinished`
# (未按期完成, its reported status beside it): derived, never reported, never a period's status.
UNFINISHED = "unfinished"


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
        return self.plan_end is not None and quarter_end(self.period) >= self.plan_end

    def unfinished(self, task_id: int) -> bool:
        """The plan period is over and the task was not reported complete (nor as work with no end)."""
        return self.plan_over and self.tasks[task_id].status not in NOTHING_LEFT



# Figures derived from a plan, kept beside it (not in it) for as long as the plan lives.
_derived: "weakref.WeakKeyDictionary[Plan, list[PeriodState]]" = weakref.WeakKeyDictionary()


def derive_progress(plan: Plan) -> list[PeriodState]:
    """The state of every task and indicator as of each period, oldest first (computed once per plan)."""
    if plan not in _derived:
        _derived[plan] = _derive_progress(plan)
    return _derived[plan]


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
            assessed = assess(ind, latest, base, plan.method.thresholds, quarter_end(period.period), plan.last_day)
            indicators[ind.id] = IndicatorState(latest, latest_period, assessed)
        state = PeriodState(period.period, period.compiled, period.sample, tasks, indicators, previous,
                            new_values=dict.fromkeys(sorted(set(new_values), key=order.__getitem__)), plan_end=plan.last_day)
        states.append(state)
        previous = state
    return states
