"""Which periods a figure rests on: the period a value was reported in, where its pace starts, and
what a quarterly report shows; the sample-data notices name these (plansite/wording.py)."""
from __future__ import annotations

import weakref

from ..model.periods import quarter_number
from ..model.plan import Plan
from ..model.schema import Indicator
from .assess import OVERDUE_NO_VALUE
from .progress import PeriodState


def notice_periods(shown: list[PeriodState]) -> tuple[list[str], list[str]]:
    """The sample and the reported periods a notice names for the periods `shown`: each run of
    shown periods of one kind with none of the other kind between them is named whole, so a
    report drawing on 2014-Q4 and 2015-Q2–Q3 names 2014年第四季度至2015年第三季度 when 2015-Q1 is
    sample too (true of it, and what a reader can take in), never a range across the other kind."""
    if not shown:
        return [], []
    wanted = {s.period for s in shown}
    chain = list(earlier(max(shown, key=lambda s: quarter_number(s.period))))[::-1]
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

def earlier(state: PeriodState | None):
    """`state` and every period before it, newest first."""
    while state is not None:
        yield state
        state = state.previous


_baseline_ids: "weakref.WeakKeyDictionary[Plan, frozenset[str]]" = weakref.WeakKeyDictionary()


def baseline_ids(plan: Plan) -> frozenset[str]:
    """The indicators baselines.yaml gives a baseline for (remembered beside the plan, not in it)."""
    if plan not in _baseline_ids:
        _baseline_ids[plan] = frozenset(b.indicator for b in plan.baselines)
    return _baseline_ids[plan]


def assessment_sources(plan: Plan, state: PeriodState, indicator: Indicator) -> tuple[list[PeriodState], bool]:
    """What an indicator's value and assessment as of `state` rest on: the periods whose data they
    use (the period the value was reported in, and for a pace computed from the first reported
    value, that value's period) and whether the pace starts from a baseline of baselines.yaml
    (the rules of derive.baseline_for). A target with no value by its deadline rests on every period so far."""
    current = state.indicators[indicator.id]
    if current.entry is None:
        # 逾期未报数 says nothing was reported in any period up to `state`: it rests on them all.
        return (list(earlier(state))[::-1] if current.assessed.code == OVERDUE_NO_VALUE else []), False
    used = {current.period}
    assessed = current.assessed
    from_file = False
    if assessed.expected is not None and indicator.measure != "annual":  # a pace was computed
        if indicator.id in baseline_ids(plan):
            from_file = True
        elif indicator.measure == "level":
            starts = [s.period for s in earlier(state) if indicator.id in s.new_values
                      and s.indicators[indicator.id].entry.as_of == assessed.baseline_date
                      and s.indicators[indicator.id].entry.value == assessed.baseline]
            used.update(starts[-1:])  # the earliest, as baseline_for takes it
    return [s for s in earlier(state) if s.period in used][::-1], from_file


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
    return sorted(shown.values(), key=lambda s: quarter_number(s.period)), from_file


def indicator_sources(plan: Plan, progress: list[PeriodState], indicator: Indicator) -> tuple[list[PeriodState], bool]:
    """What an indicator's page and chart show: the periods it was reported in (its values and
    their assessments) — or, none reported, those its latest verdict rests on (逾期未报数 rests on
    every quarter so far) — and whether its 序时进度 line starts from a baseline of baselines.yaml."""
    reported = [s for s in progress if indicator.id in s.new_values]
    if progress and not reported:
        reported = assessment_sources(plan, progress[-1], indicator)[0]
    from_file = indicator.kind == "numeric" and indicator.measure != "annual" and indicator.id in baseline_ids(plan)
    return reported, from_file
