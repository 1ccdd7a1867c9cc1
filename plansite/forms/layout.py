"""What a report form holds: its sheets and columns as data, and who reports each task."""
from __future__ import annotations

from dataclasses import dataclass

from ..model.plan import Plan
from ..model.schema import Assessment, Evidence, IndicatorValue, Status, TaskReport
from ..wording import answerable_units

FORM_KIND = "plansite-report-form"  # the identity sheet's first cell: this is one of our forms
FORM_VERSION = 1

GUIDE_SHEET = "填报说明"
TASK_SHEET = "任务进展"
INDICATOR_SHEET = "量化目标"
PARTNER_SHEET = "会同任务"
IDENTITY_SHEET = "表格信息"  # hidden and protected: plan, period, unit
OVERVIEW_FILE = "催报名单.xlsx"

HEADER_ROW = 2  # row 1 is the sheet's title; data starts on the row after the header
FIRST_ROW = HEADER_ROW + 1

STATUSES = [s.value for s in Status]
ASSESSMENTS = [a.value for a in Assessment]


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    key: str  # what the importer calls it
    editable: bool = False
    kind: str = "text"  # text, number, date, status, assessment, url
    help: str = ""  # shown on the 填报说明 sheet


def _help(model, name: str) -> str:
    """Field descriptions come from the schema, so the form and the 数据说明 page say the same."""
    return (model.model_fields[name].description or "").replace("`", "")  # `…` marks code on the 数据说明 page


TASK_COLUMNS = [
    Column("任务编号", 9, "task", help="计划中的任务序号，不能修改"),
    Column("任务", 30, "title", help="任务标题，不能修改"),
    Column("上期状态", 10, "last_status", help="上一期报送的状态，供参考"),
    Column("上期进展", 30, "last_summary", help="上一期报送的进展，供参考"),
    Column("状态", 11, "status", True, "status", "从下拉列表中选择：" + _help(TaskReport, "status")),
    Column("本季度进展", 40, "summary", True, help=_help(TaskReport, "summary")),
    Column("证明材料标题", 20, "evidence_title", True, help="可选：" + _help(Evidence, "title") + "；多份材料请每行写一个，与网址一一对应"),
    Column("证明材料网址", 24, "evidence_url", True, "url", _help(Evidence, "url")),
]

INDICATOR_COLUMNS = [
    Column("指标编号", 16, "indicator", help="指标的标识，不能修改"),
    Column("指标", 20, "name", help="指标名称，不能修改"),
    Column("目标", 22, "target", help="计划规定的目标"),
    Column("计量单位", 8, "unit", help="本期数值的计量单位；百分比填0至100的数字，如45表示45%"),
    Column("上期数值", 10, "last_value", help="上一期报送的数值，供参考"),
    Column("本期数值", 11, "value", True, "number", "只填数字；" + _help(IndicatorValue, "value")),
    Column("数值日期", 12, "as_of", True, "date", "数值所指的日期，如2016-03-31"),
    Column("数据来源", 20, "source", True, help=_help(IndicatorValue, "source")),
    Column("备注", 20, "note", True, help=_help(IndicatorValue, "note")),
    Column("评估", 12, "assessment", True, "assessment",
           "只有相对目标（如“全省平均水平”“翻一番”）填写：填了本期数值就必须从下拉列表中选择：" + "、".join(ASSESSMENTS)),
    Column("评估理由", 30, "justification", True, help="相对目标的判断依据：填写了评估就必须填写"),
]
RELATIVE_ONLY = ("assessment", "justification")  # locked and grey on the rows of numeric targets

PARTNER_COLUMNS = [
    Column("任务编号", 9, "task"),
    Column("任务", 48, "title"),
    Column("本单位职责", 12, "role"),
    Column("报送单位", 20, "reporter"),
]


def column_letter(columns: list[Column], key: str) -> str:
    return chr(ord("A") + [c.key for c in columns].index(key))


def earlier_periods(plan: Plan, period: str) -> list:
    return [p for p in plan.periods if p.period < period]


def reporters(plan: Plan, period: str) -> dict[int, str]:
    """Who reports each task in `period`: the unit that reported it most recently before; otherwise
    the first-named of the units answering for it (wording.answerable_units)."""
    last: dict[int, str] = {}
    for earlier in earlier_periods(plan, period):
        last.update({r.task: r.reporter for r in earlier.tasks})
    return {t.id: last.get(t.id) or answerable_units(t)[1][0] for t in plan.tasks}


def forms_by_unit(plan: Plan, period: str) -> dict[str, list[int]]:
    """Each reporting unit and the tasks it reports, units in the order of departments.yaml."""
    who = reporters(plan, period)
    order = {d.name: i for i, d in enumerate(plan.departments)}
    units: dict[str, list[int]] = {}
    for task in plan.tasks:
        units.setdefault(who[task.id], []).append(task.id)
    return dict(sorted(units.items(), key=lambda kv: order.get(kv[0], len(order))))


def file_name(unit: str) -> str:
    """The unit as the plan writes it; a character no file system accepts becomes ＿."""
    return "".join("＿" if ch in '/\\:*?"<>|' else ch for ch in unit) + ".xlsx"
