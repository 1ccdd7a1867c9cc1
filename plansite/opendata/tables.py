"""Open-data tables: each column is defined once, with its type and meaning, and that one
definition writes the CSV, documents it on the 数据下载 page and describes it in datapackage.json."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Callable

from .. import urls
from ..figures.progress import UNFINISHED, PeriodState
from ..model.plan import Plan
from ..model.schema import KIND_LABELS, NOT_REPORTED, ROLE_LABELS
from ..urls import chapter_page, department_page, task_page
from ..wording import ASSESSMENT_DISPLAY, COMPARATOR_LABELS, STATUS_BADGES, STATUS_DISPLAY, chapter_heading, number

JOIN = "、"  # unit names and task ids are joined as the plan itself lists them
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def code(value: str) -> str:
    """A value as it stands in the file (a code, a column name, a format) inside a description:
    set apart as code on the 数据下载 page, plain in datapackage.json (`plain`)."""
    return f"`{value}`"


def plain(description: str) -> str:
    return description.replace("`", "")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, date, boolean
    description: str  # Chinese; a value as it stands in the file is marked with code()
    value: Callable
    enum: tuple[str, ...] | None = None
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Plan], list]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (column, table, column)

    @property
    def path(self) -> str:
        return urls.download_csv(self.name)


def _get(obj, dotted: str):
    """obj.a.b, or None anywhere along the way."""
    for name in dotted.split("."):
        obj = getattr(obj, name, None) if obj is not None else None
    return obj


def _date(value) -> str:
    return value.isoformat() if value else ""


def _bool(value: bool) -> str:
    return "true" if value else "false"


STATUS_CODES = tuple(STATUS_DISPLAY)
ASSESSMENT_CODES = tuple(ASSESSMENT_DISPLAY)


def build_tables(base: str, progress: list[PeriodState]) -> tuple[Table, ...]:
    latest = progress[-1] if progress else None

    def roles(plan, dept, role):
        return JOIN.join(str(t.id) for t in plan.roles_of(dept)[role])

    def latest_ind(ind):
        return latest.indicators[ind.id] if latest else None

    status_doc = "、".join(f"{code(c)} {STATUS_DISPLAY[c][0]}" for c in STATUS_CODES)
    assessment_doc = "、".join(f"{code(c)} {ASSESSMENT_DISPLAY[c][0]}" for c in ASSESSMENT_CODES)
    return (
        Table("chapters", "章节", "每个章节一行。", (
            Column("chapter_id", "integer", "章节编号", lambda p, c: c.id, required=True),
            Column("number", "string", "原文中的汉字序号", lambda p, c: c.number),
            Column("title", "string", "章节标题（不含序号）", lambda p, c: c.title),
            Column("url", "string", "章节页网址", lambda p, c: urls.absolute(base, chapter_page(c))),
        ), lambda p: p.chapters, ("chapter_id",)),
        Table("tasks", "任务", "每项任务一行：序号、章节、标题、责任单位和最新状态。", (
            Column("task_id", "integer", "任务编号（数字）", lambda p, t: t.id, required=True),
            Column("number", "string", "原文序号，照原文书写", lambda p, t: t.number),
            Column("chapter_id", "integer", "所属章节编号", lambda p, t: t.chapter),
            Column("chapter_title", "string", "所属章节标题（含序号）", lambda p, t: chapter_heading(p.chapter(t.chapter))),
            Column("title", "string", "任务标题", lambda p, t: t.title),
            Column("lead", "string", "牵头单位，以“、”分隔（括号内的“、”属于名称本身，如“各县(市、区)人民政府”；逐个单位见 responsibilities.csv）", lambda p, t: JOIN.join(t.lead)),
            Column("partners", "string", "会同单位，以“、”分隔（括号内的“、”属于名称本身，如“各县(市、区)人民政府”；逐个单位见 responsibilities.csv）", lambda p, t: JOIN.join(t.partners)),
            Column("joint", "string", "共同负责单位，以“、”分隔（括号内的“、”属于名称本身，如“各县(市、区)人民政府”；逐个单位见 responsibilities.csv）", lambda p, t: JOIN.join(t.joint)),
            Column("url", "string", "任务页网址", lambda p, t: urls.absolute(base, task_page(t))),
            Column("title_editorial", "boolean", "标题是否由编者拟定", lambda p, t: _bool(t.title_editorial)),
            Column("text", "string", "任务原文（不含序号）", lambda p, t: t.text),
            Column("latest_status", "string", f"最新一期的状态代码：{status_doc}",
                   lambda p, t: latest.tasks[t.id].status if latest else NOT_REPORTED, STATUS_CODES),
            Column("current_status", "string",
                   f"网页显示的当前状态代码：计划期结束后仍未报告完成的任务为{code(UNFINISHED)}"
                   f"（{STATUS_BADGES[UNFINISHED][0]}，报送的状态见 latest_status），其余同 latest_status",
                   lambda p, t: UNFINISHED if latest and latest.unfinished(t.id) else (latest.tasks[t.id].status if latest else NOT_REPORTED),
                   (*STATUS_CODES, UNFINISHED)),
            Column("latest_period", "string", f"最新一期报告期，写作{code('2015-Q4')}（2015年第四季度；无进展数据时为空）", lambda p, t: latest.period if latest else ""),
        ), lambda p: p.tasks, ("task_id",), (("chapter_id", "chapters", "chapter_id"),)),
        Table("departments", "责任单位", "每个责任单位一行，及其牵头、会同、共同负责的任务编号。", (
            Column("department_id", "string", "单位标识（网址中使用）", lambda p, d: d.id, required=True),
            Column("name", "string", "单位名称，照计划原文", lambda p, d: d.name),
            Column("full_name", "string", "确知的正式全称（不确定则为空）", lambda p, d: d.full_name or ""),
            Column("kind", "string", "单位类别代码：" + "、".join(f"{code(k.value)} {v}" for k, v in KIND_LABELS.items()),
                   lambda p, d: d.kind.value, tuple(k.value for k in KIND_LABELS)),
            Column("lead_tasks", "string", "牵头的任务编号，以“、”分隔", lambda p, d: roles(p, d, "lead")),
            Column("partner_tasks", "string", "会同的任务编号，以“、”分隔", lambda p, d: roles(p, d, "partners")),
            Column("joint_tasks", "string", "共同负责的任务编号，以“、”分隔", lambda p, d: roles(p, d, "joint")),
            Column("url", "string", "单位页网址", lambda p, d: urls.absolute(base, department_page(d))),
        ), lambda p: p.departments, ("department_id",)),
        Table("responsibilities", "职责分工", "每项任务的每个责任单位一行，便于按单位筛选和关联。", (
            Column("task_id", "integer", "任务编号", lambda p, r: r[0].id, required=True),
            Column("role", "string", "职责：" + "、".join(f"{code(k)} {v}" for k, v in ROLE_LABELS.items()), lambda p, r: r[1], tuple(ROLE_LABELS), True),
            Column("department_id", "string", "单位标识", lambda p, r: p.department_named(r[2]).id, required=True),
            Column("department_name", "string", "单位名称，照计划原文", lambda p, r: r[2]),
        ), lambda p: [(t, role, name) for t in p.tasks for role, name in t.units], ("task_id", "role", "department_id"),
            (("task_id", "tasks", "task_id"), ("department_id", "departments", "department_id"))),
        Table("indicators", "量化目标", "每项量化目标一行：名称、比较方式、目标值、期限、原文出处和最新评估。", (
            Column("indicator_id", "string", "指标标识", lambda p, i: i.id, required=True),
            Column("task_id", "integer", "所属任务编号", lambda p, i: i.task),
            Column("name", "string", "指标名称", lambda p, i: i.name),
            Column("unit", "string", "计量单位", lambda p, i: i.unit),
            Column("comparator", "string", "比较方式（相对目标为空）：" + "、".join(f"{code(k)} {v}" for k, v in COMPARATOR_LABELS.items()), lambda p, i: i.comparator or "", (">=", ">", "<=", "<", "=")),
            Column("target", "number", "目标值（相对目标为空）", lambda p, i: number(i.target)),
            Column("target_text", "string", "原文对目标的表述", lambda p, i: i.target_text),
            Column("deadline", "date", "期限", lambda p, i: i.deadline.isoformat()),
            Column("source_text", "string", "目标所在的原文短语", lambda p, i: i.source_text),
            Column("url", "string", "所属任务页网址", lambda p, i: urls.absolute(base, task_page(p.task(i.task)))),
            Column("kind", "string", f"{code('numeric')} 数值目标、{code('relative')} 相对目标", lambda p, i: i.kind, ("numeric", "relative")),
            Column("measure", "string", f"{code('level')} 期末水平值、{code('cumulative')} 累计数、{code('annual')} 每年考核", lambda p, i: i.measure, ("level", "cumulative", "annual")),
            Column("baseline", "number", "计算序时进度所用的基线值", lambda p, i: number(_get(latest_ind(i), "assessed.baseline"))),
            Column("baseline_date", "date", "基线日期", lambda p, i: _date(_get(latest_ind(i), "assessed.baseline_date"))),
            Column("latest_value", "number", "最新数值", lambda p, i: number(_get(latest_ind(i), "entry.value"))),
            Column("latest_period", "string", "最新数值所在的报告期", lambda p, i: _get(latest_ind(i), "period") or ""),
            Column("assessment", "string", f"最新评估代码：{assessment_doc}",
                   lambda p, i: _get(latest_ind(i), "assessed.code") or "no_data", ASSESSMENT_CODES),
        ), lambda p: p.indicators, ("indicator_id",), (("task_id", "tasks", "task_id"),)),
        Table("progress", "任务进展", f"每个报告期、每项任务一行。没有报送的任务，状态为{code(NOT_REPORTED)}（未报告）。", (
            Column("period", "string", f"报告期，写作{code('2015-Q1')}（2015年第一季度）", lambda p, r: r[0].period, required=True),
            Column("task_id", "integer", "任务编号", lambda p, r: r[1].id, required=True),
            Column("status", "string", f"状态代码：{status_doc}", lambda p, r: r[2].status, STATUS_CODES),
            Column("status_label", "string", "状态（中文）", lambda p, r: STATUS_DISPLAY[r[2].status][0]),
            Column("summary", "string", "进展摘要", lambda p, r: _get(r[2], "report.summary") or ""),
            Column("evidence_urls", "string", "证明材料网址，多个以空格分隔", lambda p, r: " ".join(e.url for e in r[2].report.evidence) if r[2].report else ""),
            Column("reporting_unit", "string", "报送单位", lambda p, r: _get(r[2], "report.reporter") or ""),
            Column("sample", "boolean", "是否示例数据", lambda p, r: _bool(r[0].sample)),
        ), lambda p: [(s, t, s.tasks[t.id]) for s in progress for t in p.tasks], ("period", "task_id"),
            (("task_id", "tasks", "task_id"),)),
        Table("indicator_values", "指标数值", "每个报告期报送的每个指标数值一行，附当期评估。", (
            Column("period", "string", "报告期", lambda p, r: r[0].period, required=True),
            Column("indicator_id", "string", "指标标识", lambda p, r: r[1].id, required=True),
            Column("value", "number", "数值（相对目标可为空）", lambda p, r: number(r[2].entry.value)),
            Column("as_of", "date", "数值日期", lambda p, r: _date(r[2].entry.as_of)),
            Column("source", "string", "数据来源", lambda p, r: r[2].entry.source or ""),
            Column("assessment", "string", "当期评估代码（同 indicators.csv）", lambda p, r: r[2].assessed.code, ASSESSMENT_CODES),
            Column("sample", "boolean", "是否示例数据", lambda p, r: _bool(r[0].sample)),
            Column("note", "string", "报送单位的备注", lambda p, r: r[2].entry.note or ""),
        ), lambda p: [(s, p.indicator(i), s.indicators[i]) for s in progress for i in s.new_values], ("period", "indicator_id"),
            (("indicator_id", "indicators", "indicator_id"),)),
    )


def _cell(value) -> str:
    text = str(value)
    # A cell starting with = + - @ (or tab, CR) is run as a formula by spreadsheets; a leading ' keeps it text.
    # Negative numbers are numbers, not formulas, and stay as they are.
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def render_csv(plan: Plan, table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(c.name for c in table.columns)
    for row in table.rows(plan):
        writer.writerow(_cell(c.value(plan, row)) for c in table.columns)
    # The BOM lets Excel on Chinese Windows open the file as UTF-8 instead of GBK.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_chart_csvs(specs: dict[str, dict]) -> dict[str, bytes]:
    """Each chart's numbers (the table beside it) as a CSV, published beside its image."""
    out = {}
    for spec in specs.values():
        if spec["csv"]:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(_cell(cell) for cell in spec["table"]["head"])
            writer.writerows([_cell(cell) for cell in row] for row in spec["table"]["rows"])
            out[spec["csv"]] = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return out


def render_downloads(plan: Plan, tables: tuple[Table, ...]) -> dict[str, bytes]:
    return {t.path: render_csv(plan, t) for t in tables}
