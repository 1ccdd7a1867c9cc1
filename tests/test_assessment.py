"""The 序时进度 assessment and the per-period derivation, at every edge the method page names."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from plansite.figures.assess import assess, baseline_for
from plansite.figures.summary import count_statuses, derive_changes, derive_verdict
from plansite.figures.progress import derive_progress
from plansite.model.periods import quarter_end as period_end
from plansite.model.schema import Baseline, Indicator, IndicatorValue, PeriodFile, Thresholds
from plansite.model.load import load_plan

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


# ---- once the deadline has come: 已达标 or 未达标, never a pace ---------------------------------

END = D(2015, 12, 31)


def test_a_target_not_met_at_its_deadline_is_missed_whatever_its_pace():
    # 3 of 不低于4个 at the deadline: on the straight line it would read 需加快.
    zones = indicator(measure="cumulative", target=4, unit="个")
    at_deadline = value(3, END)
    result = assess(zones, at_deadline, (0.0, D(2014, 1, 1)), T)
    assert result.code == "missed"
    assert "期限2015年12月31日已到" in result.reason
    # 79.5% of 80% at the deadline: R would be far above 0.95.
    assert assess(indicator(target=80), value(79.5, END), HALF, T).code == "missed"
    assert assess(indicator(target=80), value(80, END), HALF, T).code == "achieved"
    # Without a baseline the pace cannot be measured, but at the deadline a miss is still a miss.
    assert assess(indicator(), value(50, END), None, T).code == "missed"
    # A day before the deadline the pace still counts.
    assert assess(zones, value(3, D(2015, 12, 30)), (0.0, D(2014, 1, 1)), T).code == "acceleration"


def test_a_period_reaching_the_deadline_or_the_plans_end_closes_an_older_value():
    ind = indicator(target=80)
    september = value(79.5, D(2015, 9, 30))
    assert assess(ind, september, HALF, T, judged_on=D(2015, 9, 30), end=END).code == "on_track"
    missed = assess(ind, september, HALF, T, judged_on=END, end=END)
    assert missed.code == "missed"
    # A deadline later than the plan's end: the end of the plan period closes it too.
    late = indicator(target=80, deadline=D(2016, 6, 30))
    assert assess(late, september, HALF, T, judged_on=END, end=END).code == "missed"
    assert assess(late, september, HALF, T, judged_on=D(2015, 9, 30), end=END).code != "missed"


def test_an_annual_target_missed_in_its_year_is_missed_for_that_year():
    ind = indicator(measure="annual", target=300, unit="家")
    assert assess(ind, value(280, D(2014, 12, 31)), (0.0, D(2014, 1, 1)), T).code == "missed"
    assert assess(ind, value(150, D(2015, 7, 2)), (0.0, D(2015, 1, 1)), T).code == "on_track"


def test_a_relative_target_judged_short_of_it_at_the_deadline_is_missed():
    ind = indicator(kind="relative", comparator=None, target=None, judged_by="对照2010年")
    slow = IndicatorValue(indicator="x", as_of=END, assessment="进展缓慢", justification="约为1.5倍")
    result = assess(ind, slow, None, T)
    assert (result.code, result.reported, result.reason) == ("missed", "limited", "约为1.5倍")
    # Before the deadline the reporter's own rating stands.
    early = IndicatorValue(indicator="x", as_of=D(2015, 9, 30), assessment="进展缓慢", justification="慢")
    assert assess(ind, early, None, T, judged_on=D(2015, 9, 30), end=END).code == "limited"
    # "Cannot be judged" is 暂无数据 before the deadline; once it is reached, a value never judged is
    # 逾期未判定 (neither 已达标 nor 未达标, the reporter's own word kept beside it).
    unknown = IndicatorValue(indicator="x", value=82, as_of=D(2015, 9, 30), assessment="暂无数据", justification="全省平均水平未公布")
    assert assess(ind, unknown, None, T, judged_on=D(2015, 9, 30), end=END).code == "no_data"
    late = IndicatorValue(indicator="x", value=82, as_of=END, assessment="暂无数据", justification="全省平均水平未公布")
    assert (assess(ind, late, None, T).code, assess(ind, late, None, T).reported) == ("overdue_unjudged", "no_data")
    # A value with no judgement says why it has none, before the deadline and once it is reached.
    bare = IndicatorValue(indicator="x", value=82, as_of=D(2015, 9, 30))
    assert assess(ind, bare, None, T, judged_on=D(2015, 9, 30), end=END).reason == "本期报送了数值，但报送单位没有判定"
    overdue = assess(ind, bare, None, T, judged_on=END, end=END)
    assert (overdue.code, overdue.reason) == ("overdue_unjudged", "期限2015年12月31日已到，报送了数值，但报送单位没有对照目标作出判定")


def test_period_end():
    assert [period_end(f"2015-Q{q}") for q in range(1, 5)] == [D(2015, 3, 31), D(2015, 6, 30), D(2015, 9, 30), END]


def test_the_real_plans_missed_targets_and_the_end_of_the_plan_period():
    plan = load_plan(Path(__file__).parent.parent / "data")
    states = {s.period: s for s in derive_progress(plan)}
    last, before = states["2015-Q4"], states["2015-Q3"]
    for ind in ("agricultural-standard-demonstration-zones", "pillar-industry-standard-adoption"):
        assert last.indicators[ind].assessed.code == "missed"
        assert before.indicators[ind].assessed.code not in ("missed", "achieved")
    assert last.plan_over and not before.plan_over
    # A task still 推进中 after the plan's end is unfinished; completed and 常态推进 ones are not.
    for task_id, ts in last.tasks.items():
        assert last.unfinished(task_id) == (ts.status not in ("completed", "ongoing"))
    assert not any(before.unfinished(t) for t in before.tasks)
    verdict = derive_verdict(plan, last)
    assert verdict.plan_over and sum(verdict.tasks.values()) == len(plan.tasks)
    assert "agricultural-standard-demonstration-zones" in verdict.missed
    counted = [verdict.achieved, verdict.missed, verdict.overdue_no_value, verdict.overdue_unjudged, verdict.pending, verdict.no_data]
    assert sorted(i for ids in counted for i in ids) == sorted(i.id for i in plan.indicators)


def test_a_missed_verdict_depends_only_on_periods_up_to_its_own():
    plan = load_plan(MINI)
    q4_2021 = _period("2021-Q4", [(1, "推进中")],
                      [dict(indicator="public-testing-platforms", value=2, as_of=D(2021, 12, 31))])
    q1_2022 = _period("2022-Q1", [(1, "已完成")],
                      [dict(indicator="public-testing-platforms", value=3, as_of=D(2022, 3, 31))])
    one = derive_progress(dataclasses.replace(plan, periods=[q4_2021]))
    two = derive_progress(dataclasses.replace(plan, periods=[q4_2021, q1_2022]))
    assert one[0].indicators["public-testing-platforms"].assessed.code == "missed"
    assert one[0].unfinished(1)
    # A later period (even one reporting the target met) does not rewrite the earlier verdict.
    assert two[0].indicators == one[0].indicators and two[0].unfinished(1)
    assert two[1].indicators["public-testing-platforms"].assessed.code == "achieved"
