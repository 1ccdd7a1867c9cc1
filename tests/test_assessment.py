"""The 序时进度 assessment and the per-period derivation, at every edge the method page names."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from plansite.derive import assess, baseline_for, count_statuses, derive_changes, derive_progress
from plansite.schema import Baseline, Indicator, IndicatorValue, PeriodFile, Thresholds
from plansite.validate import load_plan

MINI = Path(__file__).parent / "fixtures" / "mini"
T = Thresholds(on_track=0.95, acceleration=0.6, limited=0)
D = dt.date


def indicator(**kw) -> Indicator:
    base = dict(id="x", task=1, name="x", kind="numeric", measure="level", comparator=">=", target=70,
                unit="%", target_text="70%", deadline=D(2015, 12, 31), source_text="x")
    return Indicator(**{**base, **kw})


def value(v, when=D(2014, 12, 31), **kw) -> IndicatorValue:
    return IndicatorValue(indicator="x", value=v, as_of=when, **kw)


# Baseline 40 at the end of 2013; target 70 at the end of 2015: halfway (2014-12-31) expects 55.
HALF = (40.0, D(2013, 12, 31))


@pytest.mark.parametrize("actual, code", [
    (70, "achieved"), (80, "achieved"),
    (55, "on_track"), (54.25, "on_track"),          # R = 1.0, R = 0.95 exactly
    (54, "acceleration"), (49, "acceleration"),      # R = 0.93, R = 0.6 exactly
    (48.9, "limited"), (40, "limited"),              # R = 0.59, R = 0 exactly
    (39, "deterioration"),
])
def test_higher_is_better_thresholds(actual, code):
    result = assess(indicator(), value(actual), HALF, T)
    assert result.code == code
    if code != "achieved":
        assert result.expected == pytest.approx(40 + 30 * 365 / 730)


@pytest.mark.parametrize("actual, code", [
    (4.9, "achieved"), (5.0, "on_track"),   # 低于5% excludes 5 itself
    (6.5, "on_track"), (7.5, "limited"), (9, "deterioration"),
])
def test_lower_is_better_reads_the_right_way(actual, code):
    # 返修率低于5%: baseline 8 at the end of 2013, halfway expects 6.5.
    ind = indicator(comparator="<", target=5)
    assert assess(ind, value(actual), (8.0, D(2013, 12, 31)), T).code == code


def test_zero_target_holds_at_zero_or_deteriorates():
    ind = indicator(comparator="<=", target=0, measure="cumulative", unit="起")
    assert assess(ind, value(0), (0.0, D(2014, 1, 1)), T).code == "achieved"
    assert assess(ind, value(1), (0.0, D(2014, 1, 1)), T).code == "deterioration"


def test_annual_target_is_judged_within_each_year():
    plan = load_plan(MINI)
    ind = indicator(measure="annual", target=300, unit="家")
    mid_2015 = value(150, D(2015, 7, 2))  # day 182 of 364: expects about 150
    base = baseline_for(plan, ind, mid_2015, earlier=[value(310, D(2014, 12, 31))])
    assert base == (0.0, D(2015, 1, 1)), "last year's count must not be this year's baseline"
    assert assess(ind, mid_2015, base, T).code == "on_track"
    assert assess(ind, value(100, D(2015, 7, 2)), base, T).code == "acceleration"
    assert assess(ind, value(310, D(2015, 12, 31)), base, T).code == "achieved"


def test_level_without_baseline_uses_first_value_and_says_no_data_until_then():
    plan = load_plan(MINI)
    ind = indicator()
    first, second = value(50, D(2014, 6, 30)), value(60, D(2015, 6, 30))
    assert baseline_for(plan, ind, first, earlier=[]) is None
    assert assess(ind, first, None, T).code == "no_data"
    assert baseline_for(plan, ind, second, earlier=[first]) == (50, D(2014, 6, 30))


def test_explicit_baseline_wins_and_cumulative_counts_start_at_zero():
    plan = load_plan(MINI)
    level = indicator(id="public-testing-platforms")
    with_baseline = dataclasses.replace(plan, baselines=[Baseline(indicator="public-testing-platforms", value=1, as_of=D(2019, 12, 31))])
    assert baseline_for(with_baseline, level, value(2, D(2020, 6, 30)), []) == (1, D(2019, 12, 31))
    cumulative = indicator(measure="cumulative")
    assert baseline_for(plan, cumulative, value(2, D(2020, 6, 30)), []) == (0.0, D(plan.meta.period.start, 1, 1))


def test_relative_targets_carry_the_reporters_judgement():
    ind = indicator(kind="relative", comparator=None, target=None, judged_by="对照2010年")
    judged = IndicatorValue(indicator="x", assessment="需加快", justification="仅增长40%")
    assert assess(ind, judged, None, T).code == "acceleration"
    assert assess(ind, judged, None, T).reason == "仅增长40%"
    assert assess(ind, None, None, T).code == "no_data"


def test_no_value_is_no_data():
    assert assess(indicator(), None, HALF, T).code == "no_data"
    assert assess(indicator(), IndicatorValue(indicator="x"), HALF, T).code == "no_data"


def test_thresholds_are_data():
    # R = 0.8: needs acceleration under the real plan's thresholds, on track under looser ones.
    actual = 40 + 0.8 * 15
    assert assess(indicator(), value(actual), HALF, T).code == "acceleration"
    loose = Thresholds(on_track=0.75, acceleration=0.5, limited=0)
    assert assess(indicator(), value(actual), HALF, loose).code == "on_track"


def _period(pid, tasks, indicators=(), compiled=None):
    return PeriodFile(period=pid, compiled=compiled or D(int(pid[:4]), 12, 31), sample=True,
                      tasks=[dict(task=t, status=s, summary="摘要", reporter="市测试局") for t, s in tasks],
                      indicators=list(indicators))


def test_unreported_tasks_changes_and_frozen_periods():
    plan = load_plan(MINI)
    q1 = _period("2020-Q1", [(1, "推进中"), (2, "未启动")])
    q2 = _period("2020-Q2", [(1, "已完成"), (2, "滞后"), (3, "常态推进")],
                 [dict(indicator="public-testing-platforms", value=2, as_of=D(2020, 6, 30))])
    one = derive_progress(dataclasses.replace(plan, periods=[q1]))
    two = derive_progress(dataclasses.replace(plan, periods=[q1, q2]))
    assert one[0].tasks[3].status == "not_reported"
    assert count_statuses(one[0], [1, 2, 3]) == {"not_started": 1, "in_progress": 1, "behind": 0,
                                                 "completed": 0, "ongoing": 0, "not_reported": 1}
    changes = derive_changes(two[1])
    assert changes.newly_completed == [1] and changes.newly_behind == [2]
    assert (3, "not_reported", "ongoing") in changes.status_changes
    assert list(changes.new_values) == ["public-testing-platforms"]
    # 2 of 3 a quarter into a two-year plan is ahead of the straight line (R ≈ 2.7).
    assert two[1].indicators["public-testing-platforms"].assessed.code == "on_track"
    # Adding a later period leaves the earlier one exactly as it was.
    assert one[0].tasks == two[0].tasks and one[0].indicators == two[0].indicators
