"""Summaries of the derived states: status counts, what changed since the period before, the verdict
on the plan's promises, and each unit's delays."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..model.plan import Plan
from ..model.schema import NOT_REPORTED
from .assess import OVERDUE, OVERDUE_NO_VALUE, OVERDUE_UNJUDGED
from .progress import STATUS_ORDER, PeriodState


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


@dataclass(frozen=True)
class Verdict:
    """The answer to "did the plan keep its promises?" as of one period (plain counts)."""

    period: str
    plan_over: bool
    plan_end: dt.date | None
    tasks: dict[str, int]  # status code → number of tasks, in STATUS_ORDER
    achieved: list[str]  # indicator ids, in the plan's order
    missed: list[str]
    overdue_no_value: list[str]  # time up, no value reported by then
    overdue_unjudged: list[str]  # time up, a relative target's value never judged
    pending: list[str]  # assessed, but neither achieved nor missed yet
    no_data: list[str]  # time not up, nothing to judge yet


def derive_verdict(plan: Plan, state: PeriodState) -> Verdict:
    by_code: dict[str, list[str]] = {}
    for ind in plan.indicators:
        by_code.setdefault(state.indicators[ind.id].assessed.code, []).append(ind.id)
    taken = {"achieved", "missed", "no_data", *OVERDUE}
    return Verdict(
        period=state.period, plan_over=state.plan_over, plan_end=state.plan_end,
        tasks=count_statuses(state, [t.id for t in plan.tasks]),
        achieved=by_code.get("achieved", []), missed=by_code.get("missed", []),
        overdue_no_value=by_code.get(OVERDUE_NO_VALUE, []), overdue_unjudged=by_code.get(OVERDUE_UNJUDGED, []),
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
    """Department id → its 滞后 counts in `progress`, by role (the page renderer computes it once)."""
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
    return out

