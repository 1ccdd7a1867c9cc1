"""Open-data files: one column list per table, used both to write the CSV and to document it."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Callable

from .derive import STATUS_DISPLAY, PeriodState
from .plan import Plan
from .schema import NOT_REPORTED
from .render import chapter_heading, department_page, number, page_url, task_page

JOIN = "、"  # unit names and task ids are joined as the plan itself lists them


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable


@dataclass(frozen=True)
class Table:
    path: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Plan], list]


def _url(base: str, src_uri: str) -> str:
    return base.rstrip("/") + "/" + page_url(src_uri)


def _tables(base: str, progress: list[PeriodState]) -> tuple[Table, ...]:
    latest = progress[-1] if progress else None

    def roles(plan, dept, role):
        return JOIN.join(str(t.id) for t in plan.roles_of(dept)[role])

    def latest_status(task):
        return latest.tasks[task.id].status if latest else NOT_REPORTED

    def latest_ind(ind):
        return latest.indicators[ind.id] if latest else None

    return (
        Table("downloads/tasks.csv", "任务", "每项任务一行：序号、章节、标题和责任单位。", (
            Column("task_id", "任务编号（数字）", lambda p, t: t.id),
            Column("number", "原文序号，如 (五)", lambda p, t: t.number),
            Column("chapter_id", "所属章节编号", lambda p, t: t.chapter),
            Column("chapter_title", "所属章节标题（含序号）", lambda p, t: chapter_heading(p.chapter(t.chapter))),
            Column("title", "任务标题", lambda p, t: t.title),
            Column("lead", "牵头单位，以“、”分隔", lambda p, t: JOIN.join(t.lead)),
            Column("partners", "会同单位，以“、”分隔", lambda p, t: JOIN.join(t.partners)),
            Column("joint", "共同负责单位，以“、”分隔", lambda p, t: JOIN.join(t.joint)),
            Column("url", "任务页网址", lambda p, t: _url(base, task_page(t))),
            Column("latest_status", "最新一期的状态代码（见 progress.csv 的 status）", lambda p, t: latest_status(t)),
            Column("latest_period", "最新一期报告期，如 2015-Q4（无进展数据时为空）", lambda p, t: latest.period if latest else ""),
            Column("title_editorial", "标题是否由编者拟定（true/false）", lambda p, t: str(t.title_editorial).lower()),
            Column("text", "任务原文（不含序号）", lambda p, t: t.text),
        ), lambda p: p.tasks),
        Table("downloads/departments.csv", "责任单位", "每个责任单位一行，及其牵头、会同、共同负责的任务编号。", (
            Column("department_id", "单位标识（网址中使用）", lambda p, d: d.id),
            Column("name", "单位名称，照计划原文", lambda p, d: d.name),
            Column("full_name", "确知的正式全称（不确定则为空）", lambda p, d: d.full_name or ""),
            Column("kind", "单位类别代码", lambda p, d: d.kind.value),
            Column("lead_tasks", "牵头的任务编号，以“、”分隔", lambda p, d: roles(p, d, "lead")),
            Column("partner_tasks", "会同的任务编号，以“、”分隔", lambda p, d: roles(p, d, "partners")),
            Column("joint_tasks", "共同负责的任务编号，以“、”分隔", lambda p, d: roles(p, d, "joint")),
            Column("url", "单位页网址", lambda p, d: _url(base, department_page(d))),
        ), lambda p: p.departments),
        Table("downloads/indicators.csv", "量化目标", "每项量化目标一行：名称、比较方式、目标值、期限和原文出处。", (
            Column("indicator_id", "指标标识", lambda p, i: i.id),
            Column("task_id", "所属任务编号", lambda p, i: i.task),
            Column("name", "指标名称", lambda p, i: i.name),
            Column("unit", "计量单位", lambda p, i: i.unit),
            Column("comparator", "比较方式：>=、>、<=、<、=（相对目标为空）", lambda p, i: i.comparator or ""),
            Column("target", "目标值（相对目标为空）", lambda p, i: number(i.target)),
            Column("target_text", "原文对目标的表述", lambda p, i: i.target_text),
            Column("deadline", "期限（YYYY-MM-DD）", lambda p, i: i.deadline.isoformat()),
            Column("source_text", "目标所在的原文短语", lambda p, i: i.source_text),
            Column("url", "所属任务页网址", lambda p, i: _url(base, task_page(p.task(i.task)))),
            Column("baseline", "计算序时进度所用的基线值", lambda p, i: number(_get(latest_ind(i), "assessed.baseline"))),
            Column("baseline_date", "基线日期", lambda p, i: _date(_get(latest_ind(i), "assessed.baseline_date"))),
            Column("latest_value", "最新数值", lambda p, i: number(_get(latest_ind(i), "entry.value"))),
            Column("latest_period", "最新数值所在的报告期", lambda p, i: _get(latest_ind(i), "period") or ""),
            Column("assessment", "最新评估代码：achieved 已达标、on_track 符合序时进度、acceleration 需加快、limited 进展缓慢、deterioration 倒退、no_data 暂无数据",
                   lambda p, i: _get(latest_ind(i), "assessed.code") or "no_data"),
            Column("kind", "numeric 数值目标；relative 相对目标", lambda p, i: i.kind),
            Column("measure", "level 期末水平值；cumulative 累计数；annual 每年考核", lambda p, i: i.measure),
        ), lambda p: p.indicators),
        Table("downloads/progress.csv", "任务进展", "每个报告期、每项任务一行。没有报送的任务状态为 not_reported。", (
            Column("period", "报告期，如 2015-Q1", lambda p, r: r[0].period),
            Column("task_id", "任务编号", lambda p, r: r[1].id),
            Column("status", "状态代码：" + "、".join(f"{c} {STATUS_DISPLAY[c][0]}" for c in STATUS_DISPLAY), lambda p, r: r[2].status),
            Column("status_label", "状态（中文）", lambda p, r: STATUS_DISPLAY[r[2].status][0]),
            Column("summary", "进展摘要", lambda p, r: r[2].report.summary if r[2].report else ""),
            Column("evidence_urls", "证明材料网址，多个以空格分隔", lambda p, r: " ".join(e.url for e in r[2].report.evidence) if r[2].report else ""),
            Column("reporting_unit", "报送单位", lambda p, r: r[2].report.reporter if r[2].report else ""),
            Column("sample", "是否示例数据（true/false）", lambda p, r: str(r[0].sample).lower()),
        ), lambda p: [(s, t, s.tasks[t.id]) for s in progress for t in p.tasks]),
        Table("downloads/indicator_values.csv", "指标数值", "每个报告期报送的每个指标数值一行，附当期评估。", (
            Column("period", "报告期", lambda p, r: r[0].period),
            Column("indicator_id", "指标标识", lambda p, r: r[1].id),
            Column("value", "数值（相对目标可为空）", lambda p, r: number(r[2].entry.value)),
            Column("as_of", "数值日期", lambda p, r: _date(r[2].entry.as_of)),
            Column("source", "数据来源", lambda p, r: r[2].entry.source or ""),
            Column("assessment", "当期评估代码（同 indicators.csv 的 assessment）", lambda p, r: r[2].assessed.code),
            Column("sample", "是否示例数据（true/false）", lambda p, r: str(r[0].sample).lower()),
        ), lambda p: [(s, p.indicator(i), s.indicators[i]) for s in progress for i in s.new_values]),
    )


def _get(obj, dotted: str):
    """obj.a.b, or None anywhere along the way."""
    for name in dotted.split("."):
        obj = getattr(obj, name, None) if obj is not None else None
    return obj


def _date(value) -> str:
    return value.isoformat() if value else ""


def render_csv(plan: Plan, table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(c.name for c in table.columns)
    for row in table.rows(plan):
        writer.writerow(c.value(plan, row) for c in table.columns)
    # The BOM lets Excel on Chinese Windows open the file as UTF-8 instead of GBK.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_downloads(plan: Plan, progress: list[PeriodState], base_url: str) -> dict[str, bytes]:
    return {t.path: render_csv(plan, t) for t in _tables(base_url, progress)}


def tables(base_url: str = "/") -> tuple[Table, ...]:
    """The published tables' columns, for the 数据下载 page."""
    return _tables(base_url, [])
