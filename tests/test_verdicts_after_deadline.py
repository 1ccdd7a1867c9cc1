"""Once a target's deadline (or the plan's end) has passed, every target has a verdict that says
the truth in a word: 已达标, 未达标, 逾期未报数 (no value reported by then) or 逾期未判定 (a relative
target's value never judged); 暂无数据 is only for targets whose time has not come. The two new
verdicts are derived, never typed, and counted apart from 已达标 and 未达标 everywhere.

Here on small fixtures (the figures and the words); tests/test_overdue_pages.py checks every
page, report and download of the built real site, and their colours in Chromium."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from plansite.figures.assess import OVERDUE, assess
from plansite.figures.progress import derive_progress
from plansite.figures.summary import derive_verdict
from plansite.forms.layout import ASSESSMENTS
from plansite.model.load import load_plan
from plansite.model.schema import Assessment, Indicator, IndicatorValue, PeriodFile, Thresholds
from plansite.wording import ASSESSMENT_DISPLAY, ASSESSMENT_MEANINGS, STATUS_BADGES, headline, verdict_sentence
from test_assessment import MINI

T = Thresholds(on_track=0.95, acceleration=0.6, limited=0)
D = dt.date
DEADLINE, END = D(2015, 12, 31), D(2015, 12, 31)
BEFORE = D(2015, 9, 30)  # the last day of the quarter before the deadline


def numeric(**kw) -> Indicator:
    base = dict(id="x", task=1, name="x", kind="numeric", measure="level", comparator=">=", target=90,
                unit="%", target_text="90%以上", deadline=DEADLINE, source_text="x")
    return Indicator(**{**base, **kw})


def relative(**kw) -> Indicator:
    return numeric(kind="relative", comparator=None, target=None, target_text="达到全省平均水平",
                   judged_by="与全省平均水平比较", **kw)


# ---- the verdicts themselves -------------------------------------------------------------------


@pytest.mark.parametrize("measure", ["level", "cumulative", "annual"])
def test_a_numeric_target_with_no_value_by_its_deadline_is_overdue_no_value(measure):
    ind = numeric(measure=measure)
    assert assess(ind, None, None, T, judged_on=BEFORE, end=END).code == "no_data"
    late = assess(ind, None, None, T, judged_on=DEADLINE, end=END)
    assert (late.code, late.reason) == ("overdue_no_value", "期限2015年12月31日已到，没有报送数值")
    # A deadline after the plan's end: the end of the plan is what closes it, and the reason says so.
    later = assess(numeric(measure=measure, deadline=D(2016, 6, 30)), None, None, T, judged_on=END, end=END)
    assert (later.code, later.reason) == ("overdue_no_value", "计划期已于2015年12月31日结束，没有报送数值")


# A relative target's latest entry, as the reporter left it → its verdict once the deadline is reached.
RELATIVE_CASES = {
    "nothing reported": (None, "overdue_no_value"),
    "暂无数据, no value": (dict(assessment="暂无数据", justification="尚未公布"), "overdue_no_value"),
    "a value, no judgement": (dict(value=82, as_of=DEADLINE), "overdue_unjudged"),
    "a value judged 暂无数据": (dict(value=82, as_of=DEADLINE, assessment="暂无数据", justification="全省平均水平尚未公布"),
                             "overdue_unjudged"),
    "judged 已达标": (dict(value=95, as_of=DEADLINE, assessment="已达标", justification="高于全省"), "achieved"),
    "judged 进展缓慢": (dict(assessment="进展缓慢", justification="差距较大"), "missed"),
}


@pytest.mark.parametrize("case", sorted(RELATIVE_CASES))
def test_a_relative_target_at_its_deadline_has_a_verdict_and_before_it_the_reporters_word_stands(case):
    fields, code = RELATIVE_CASES[case]
    entry = IndicatorValue(indicator="x", **fields) if fields else None
    late = assess(relative(), entry, None, T, judged_on=DEADLINE, end=END)
    assert late.code == code
    if code in OVERDUE:
        assert late.reason.startswith("期限2015年12月31日已到")
        assert late.reported == (entry.assessment.code if entry and entry.assessment else None)
    # A quarter earlier (the value dated then), nothing is closed: a reporter who cannot judge yet,
    # or has not, reads 暂无数据; one who judged keeps the rating.
    early_fields = {**fields, "as_of": BEFORE} if fields and "as_of" in fields else fields
    early = assess(relative(), IndicatorValue(indicator="x", **early_fields) if fields else None, None, T,
                   judged_on=BEFORE, end=END)
    expected = "no_data" if code in OVERDUE else (entry.assessment.code if entry.assessment else "no_data")
    assert early.code == expected


def test_the_new_verdicts_are_derived_only_and_distinct_words():
    typed = {a.code for a in Assessment}
    assert not typed & set(OVERDUE), "units must not be able to type a derived verdict"
    assert not {ASSESSMENT_DISPLAY[c][0] for c in OVERDUE} & set(ASSESSMENTS), "the forms offer only what units type"
    labels = [label for label, _ in ASSESSMENT_DISPLAY.values()]
    symbols = [symbol for _, symbol in ASSESSMENT_DISPLAY.values()]
    assert len(set(labels)) == len(labels) and len(set(symbols)) == len(symbols)
    # Never to be mistaken for the task status 未报告 (nor its symbol), nor for 暂无数据.
    statuses = {label for label, _ in STATUS_BADGES.values()} | {symbol for _, symbol in STATUS_BADGES.values()}
    for code in OVERDUE:
        label, symbol = ASSESSMENT_DISPLAY[code]
        assert label not in statuses and symbol not in statuses and "未报告" not in label
        assert "期限已到" in ASSESSMENT_MEANINGS[code] and "不能算作达标" in ASSESSMENT_MEANINGS[code]
    assert "期限未到" in ASSESSMENT_MEANINGS["no_data"]


# ---- periods, verdict counts and the home sentence on the mini plan (2020–2021) ------------------


def _period(pid: str, statuses: list[tuple[int, str]], indicators=()) -> PeriodFile:
    return PeriodFile(period=pid, compiled=D(2022, 1, 15), sample=True,
                      tasks=[dict(task=t, status=s, summary="摘要", reporter="市测试局") for t, s in statuses],
                      indicators=list(indicators))


Q3 = _period("2021-Q3", [(1, "推进中"), (2, "滞后"), (3, "常态推进")],
             [dict(indicator="testing-coverage", value=45, as_of=D(2021, 9, 30))])  # a value, never judged
Q4 = _period("2021-Q4", [(1, "推进中"), (2, "已完成"), (3, "常态推进")])  # the plan's last quarter: nothing new


@pytest.fixture(scope="module")
def mini():
    plan = load_plan(MINI)
    return plan, derive_progress(dataclasses.replace(plan, periods=[Q3, Q4])), derive_progress(dataclasses.replace(plan, periods=[Q3]))


def test_each_period_is_judged_as_of_its_own_last_day_and_never_rewritten(mini):
    _, (q3, q4), (q3_alone,) = mini
    assert {i: s.assessed.code for i, s in q3.indicators.items()} == {
        "public-testing-platforms": "no_data", "testing-coverage": "no_data"}
    assert {i: s.assessed.code for i, s in q4.indicators.items()} == {
        "public-testing-platforms": "overdue_no_value", "testing-coverage": "overdue_unjudged"}
    # A report frozen before the deadline still says 暂无数据 once the plan's last quarter is added.
    assert q3.indicators == q3_alone.indicators


def test_the_verdict_and_the_home_sentence_count_them_apart(mini):
    plan, (q3, q4), _ = mini
    before, after = derive_verdict(plan, q3), derive_verdict(plan, q4)
    assert (before.no_data, before.overdue_no_value, before.overdue_unjudged) == (
        ["public-testing-platforms", "testing-coverage"], [], [])
    assert (after.achieved, after.missed, after.pending, after.no_data) == ([], [], [], [])
    assert (after.overdue_no_value, after.overdue_unjudged) == (["public-testing-platforms"], ["testing-coverage"])
    sentence = verdict_sentence(after, len(plan.tasks), len(plan.indicators))
    assert sentence == ("截至2021年第四季度（计划期已于2021年12月31日结束），3项任务中已完成1项、常态推进1项、"
                        "未按期完成1项（报送状态为推进中1项）；2项量化目标中已达标0项、未达标0项、逾期未报数1项、逾期未判定1项。")
    assert "暂无数据" not in sentence and "未报告完成" not in sentence
    assert verdict_sentence(before, len(plan.tasks), len(plan.indicators)).endswith("2项量化目标中已达标0项、未达标0项、暂无数据2项。")


def test_an_unreported_task_after_the_plans_end_is_counted_as_not_completed_on_time(mini):
    plan, _, _ = mini
    (q4,) = derive_progress(dataclasses.replace(plan, periods=[_period("2021-Q4", [(1, "已完成")])]))
    sentence = verdict_sentence(derive_verdict(plan, q4), len(plan.tasks), len(plan.indicators))
    assert "已完成1项、未按期完成2项（报送状态为未报告2项）" in sentence


def test_the_chart_headline_names_the_verdict(mini):
    plan, (_, q4), _ = mini
    words = {i.id: headline(q4.period, i, q4.indicators[i.id].entry, q4.indicators[i.id].assessed) for i in plan.indicators}
    assert words == {"public-testing-platforms": "2021年第四季度评估：逾期未报数",
                     "testing-coverage": "2021年第四季度评估：逾期未判定"}
