"""The data changes a release brings, from the two sites' downloads/plan.json (the whole model with each
period's derived statuses and assessments): quarters added or removed, tasks whose status changed
(from → to, with the reporting unit), figures new or changed, targets newly 已达标 / 未达标 (and
other assessments that changed), progress text changed, and edits to the plan's own content. Each
item is one sentence in the site's own words (plansite/wording.py)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from plansite.model.dates import cn_date
from plansite.model.schema import (NOT_REPORTED, Assessment, Baseline, Chapter, Department, Indicator, IndicatorValue, MethodFile, PlanFile,
                                   Task, TaskReport)
from plansite.wording import STATUS_DISPLAY, ASSESSMENT_DISPLAY, period_label, task_heading, value_text

VERDICTS = ("achieved", "missed")  # 已达标, 未达标: the assessments a target ends with


@dataclass
class DataChanges:
    """Sections of one-sentence items, in the order the 审签单 lists them (empty ones left out)."""

    sections: dict[str, list[str]] = field(default_factory=lambda: {
        "报告期": [], "任务状态": [], "量化目标数值": [], "新达标或未达标的目标": [], "其他评估变化": [],
        "任务进展文字": [], "计划内容": []})

    def add(self, section: str, item: str) -> None:
        self.sections[section].append(item)

    @property
    def filled(self) -> dict[str, list[str]]:
        return {name: items for name, items in self.sections.items() if items}


def _status(code: str) -> str:
    return STATUS_DISPLAY.get(code, (code,))[0]


def _assessment(code: str) -> str:
    return ASSESSMENT_DISPLAY.get(code, (code,))[0]


def _date(text: str | None) -> str:
    try:
        return cn_date(dt.date.fromisoformat(text)) if text else ""
    except ValueError:
        return text or ""


class _Side:
    """One site's plan.json, indexed."""

    def __init__(self, plan: dict):
        self.plan = plan
        self.tasks = {t["id"]: t for t in plan.get("tasks", [])}
        self.indicators = {i["id"]: i for i in plan.get("indicators", [])}
        self.periods = {p["period"]: p for p in plan.get("periods", [])}
        self.order = [p["period"] for p in plan.get("periods", [])]
        self.derived = {d["period"]: d for d in plan.get("derived", [])}

    def task_name(self, task_id) -> str:
        task = self.tasks.get(int(task_id))
        return task_heading(SimpleNamespace(**task)) if task else f"任务 {task_id}"

    def indicator_name(self, indicator_id: str) -> str:
        return self.indicators.get(indicator_id, {}).get("name", indicator_id)

    def value(self, indicator_id: str, entry: dict | None) -> str:
        unit = self.indicators.get(indicator_id, {}).get("unit", "")
        return value_text(SimpleNamespace(unit=unit), SimpleNamespace(**entry) if entry else None)

    def reports(self, period: str) -> dict[int, dict]:
        return {t["task"]: t for t in self.periods.get(period, {}).get("tasks", [])}

    def values(self, period: str) -> dict[str, dict]:
        return {i["indicator"]: i for i in self.periods.get(period, {}).get("indicators", [])}

    def statuses(self, period: str) -> dict[int, str]:
        return {int(t): s for t, s in self.derived.get(period, {}).get("task_status", {}).items()}

    def assessments(self, period: str) -> dict[str, str]:
        return dict(self.derived.get(period, {}).get("indicator_assessment", {}))


def _sample(period: dict) -> str:
    return "示例数据" if period.get("sample") else "各单位报送"


def data_changes(live: dict, new: dict) -> DataChanges:
    """What changed from the live site's plan.json to the new one's."""
    old, cur, out = _Side(live), _Side(new), DataChanges()
    _periods(old, cur, out)
    for period in cur.order:
        # A quarter both have is compared with itself (a correction); a new one with the quarter
        # before it on the new site (what its report compares it with).
        index = cur.order.index(period)
        base_side, base = (old, period) if period in old.periods else (cur, cur.order[index - 1] if index else None)
        _statuses(base_side, base, cur, period, out)
        _values(base_side, base, cur, period, out)
        if period in old.periods:
            _progress_text(old, cur, period, out)
    _verdicts(old, cur, out)
    _plan_content(old, cur, out)
    return out


def _periods(old: _Side, cur: _Side, out: DataChanges) -> None:
    for period in cur.order:
        entry = cur.periods[period]
        if period not in old.periods:
            out.add("报告期", f"新增{period_label(period)}的进展（{_sample(entry)}，汇总于{_date(entry.get('compiled'))}）："
                             f"报送任务 {len(entry.get('tasks', []))} 项，指标数值 {len(entry.get('indicators', []))} 个")
        elif bool(old.periods[period].get("sample")) != bool(entry.get("sample")):
            out.add("报告期", f"{period_label(period)}的进展改为“{_sample(entry)}”（原为“{_sample(old.periods[period])}”）")
        elif old.periods[period].get("compiled") != entry.get("compiled"):
            out.add("报告期", f"{period_label(period)}的汇总日期由{_date(old.periods[period].get('compiled'))}"
                             f"改为{_date(entry.get('compiled'))}")
    for period in old.order:
        if period not in cur.periods:
            out.add("报告期", f"删去{period_label(period)}的进展（其季度报告页面随之删去）")


def _reporter(side: _Side, period: str, task_id: int) -> str:
    reporter = side.reports(period).get(task_id, {}).get("reporter")
    return f"，报送单位：{reporter}" if reporter else ""


def _statuses(base_side: _Side, base: str | None, cur: _Side, period: str, out: DataChanges) -> None:
    # Before the first quarter every task shows as 未报告.
    before = base_side.statuses(base) if base else {task_id: NOT_REPORTED for task_id in cur.tasks}
    label = period_label(period)
    for task_id, status in cur.statuses(period).items():
        if task_id not in before or before[task_id] == status:
            continue
        name, reporter = cur.task_name(task_id), _reporter(cur, period, task_id)
        if base == period:  # a quarter already published, corrected
            out.add("任务状态", f"{name}：{_status(before[task_id])} → {_status(status)}（{label}，更正已发布的数据{reporter}）")
        else:
            since = f"（{period_label(base)}）" if base else ""
            out.add("任务状态", f"{name}：{_status(before[task_id])}{since} → {_status(status)}（{label}{reporter}）")


def _values(base_side: _Side, base: str | None, cur: _Side, period: str, out: DataChanges) -> None:
    before, label = base_side.values(base) if base else {}, period_label(period)
    for indicator_id, entry in cur.values(period).items():
        name, shown = cur.indicator_name(indicator_id), cur.value(indicator_id, entry)
        dated = f"数值日期{_date(entry.get('as_of'))}" if entry.get("as_of") else ""
        was = base_side.value(indicator_id, before[indicator_id]) if indicator_id in before else None
        if base != period and entry.get("value") is None:
            out.add("量化目标数值", f"{name}：{label}暂无数值" + (f"（{period_label(base)}为 {was}）" if was and was != "—" else ""))
        elif base != period:
            notes = "，".join(n for n in (dated, f"{period_label(base)}为 {was}" if was else "") if n)
            out.add("量化目标数值", f"{name}：{label}新报 {shown}" + (f"（{notes}）" if notes else ""))
        elif was is None:
            out.add("量化目标数值", f"{name}：{label}新增数值 {shown}（{'，'.join(n for n in (dated, '更正已发布的数据') if n)}）")
        elif before[indicator_id] != entry:
            other = [f.title for k, f in IndicatorValue.model_fields.items()
                     if k not in ("indicator", "value") and entry.get(k) != before[indicator_id].get(k)]
            head = f"{name}：{was} → {shown}" if was != shown else f"{name}：数值 {shown} 未变"
            out.add("量化目标数值", f"{head}（{label}，更正已发布的数据" + (f"；{'、'.join(other)}有改动）" if other else "）"))
    if base == period:
        for indicator_id in before:
            if indicator_id not in cur.values(period):
                out.add("量化目标数值", f"{cur.indicator_name(indicator_id)}：删去{label}的数值 "
                                        f"{base_side.value(indicator_id, before[indicator_id])}（更正已发布的数据）")


def _progress_text(old: _Side, cur: _Side, period: str, out: DataChanges) -> None:
    """Summaries, evidence and reporters changed in a quarter both sites have (statuses are listed above)."""
    before, after = old.reports(period), cur.reports(period)
    for task_id in sorted(set(before) | set(after)):
        a, b = before.get(task_id, {}), after.get(task_id, {})
        fields = [TaskReport.model_fields[k].title for k in ("summary", "evidence", "reporter") if a.get(k) != b.get(k)]
        if a and b and fields:
            out.add("任务进展文字", f"{cur.task_name(task_id)}：{period_label(period)}的{'、'.join(fields)}有改动")


def _verdicts(old: _Side, cur: _Side, out: DataChanges) -> None:
    """Each target's latest assessment, as the target's page and the lists show it."""
    # Before the first quarter every target shows as 暂无数据.
    before = old.assessments(old.order[-1]) if old.order else {i: Assessment.no_data.code for i in old.indicators}
    after = cur.assessments(cur.order[-1]) if cur.order else {}
    for indicator_id, code in after.items():
        was = before.get(indicator_id)
        if was is None or was == code:
            continue
        section = "新达标或未达标的目标" if code in VERDICTS or was in VERDICTS else "其他评估变化"
        out.add(section, f"{cur.indicator_name(indicator_id)}：{_assessment(was)} → {_assessment(code)}"
                         f"（{period_label(cur.order[-1])}）")


def _compare(kind: str, model, old: dict[object, dict], new: dict[object, dict], name, out: DataChanges) -> None:
    """Records of one kind, by id: added, removed, and which fields (by the schema's titles) changed."""
    for key, record in new.items():
        if key not in old:
            out.add("计划内容", f"新增{kind}：{name(record)}")
        elif old[key] != record:
            fields = [model.model_fields[k].title if k in model.model_fields else k
                      for k in record if record.get(k) != old[key].get(k)]
            out.add("计划内容", f"{kind}“{name(record)}”：{'、'.join(fields)}有改动")
    for key, record in old.items():
        if key not in new:
            out.add("计划内容", f"删去{kind}：{name(record)}")


def _plan_content(old: _Side, cur: _Side, out: DataChanges) -> None:
    meta_old = {k: v for k, v in old.plan.get("plan", {}).items() if k != "chapters"}
    meta_new = {k: v for k, v in cur.plan.get("plan", {}).items() if k != "chapters"}
    _compare("计划信息", PlanFile, {0: meta_old}, {0: meta_new}, lambda r: r.get("title", ""), out)
    chapters = lambda side: {c["id"]: c for c in side.plan.get("plan", {}).get("chapters", [])}  # noqa: E731
    _compare("章节", Chapter, chapters(old), chapters(cur), lambda r: f"{r.get('number', '')}、{r.get('title', '')}", out)
    _compare("任务", Task, old.tasks, cur.tasks, lambda r: task_heading(SimpleNamespace(**r)), out)
    _compare("量化目标", Indicator, old.indicators, cur.indicators, lambda r: r.get("name", ""), out)
    units = lambda side: {d["id"]: d for d in side.plan.get("departments", [])}  # noqa: E731
    _compare("责任单位", Department, units(old), units(cur), lambda r: r.get("name", ""), out)
    _compare("方法说明", MethodFile, {0: old.plan.get("method", {})}, {0: cur.plan.get("method", {})},
             lambda r: "评估方法与报送时间表", out)
    base = lambda side: {b["indicator"]: b for b in side.plan.get("baselines", {}).get("baselines", [])}  # noqa: E731
    _compare("基线", Baseline, base(old), base(cur), lambda r: cur.indicator_name(r.get("indicator", "")), out)
    if bool(old.plan.get("baselines", {}).get("sample")) != bool(cur.plan.get("baselines", {}).get("sample")):
        out.add("计划内容", "基线改为" + ("示例数据" if cur.plan.get("baselines", {}).get("sample") else "正式数据"))
