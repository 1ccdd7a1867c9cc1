"""Charts as data: derived figures → plain chart specs (plansite/charts/draw.py draws them).

`derive_chart_specs` turns the plan and its derived progress into specs — plain, JSON-serialisable
dicts holding everything a chart shows: the numbers to plot, the printed image's title (its subject
and period) and source line, a caption, a text alternative and the table printed beside the image.
Specs are what the unit tests test; pixels are not.
"""
from __future__ import annotations

import datetime as dt

from .. import urls
from ..figures.assess import OVERDUE, baseline_for
from ..figures.progress import PeriodState
from ..figures.sources import indicator_sources
from ..figures.summary import count_statuses
from ..model.plan import Plan
from ..model.schema import ROLE_LABELS, ROLES, Chapter, Department, Indicator, IndicatorValue
from ..wording import (AS_OF, assessment_label, chapter_heading, cn_date, data_source, expected_text, headline, number,
                       period_label, period_span, status_label, target_phrase)
from .layout import CHART_STATUSES, PX_PER_IN, SCREEN, indicator_height, png_size, print_size, status_height


# ---- specs: plain data ------------------------------------------------------------------------


def _mix(counts: dict[str, int]) -> str:
    """已完成13项、推进中5项 — the non-zero statuses in chart order."""
    return "、".join(f"{status_label(c)}{counts[c]}项" for c in CHART_STATUSES if counts.get(c))


def _status_plot(rows: list[tuple[str, dict[str, int]]], title: str, source: str, totals: bool = True) -> dict:
    """Bars of task counts; `totals` adds （n项） to each row's label when rows differ in size."""
    shown = [c for c in CHART_STATUSES if any(counts.get(c) for _, counts in rows)]
    plot_rows = [
        {"label": f"{label}（{sum(counts.values())}项）" if totals else label,
         "counts": [[c, counts.get(c, 0)] for c in shown]}
        for label, counts in rows
    ]
    plot = {"rows": plot_rows, "statuses": [[c, status_label(c)] for c in shown], "title": title, "source": source}
    return {**plot, "size": [SCREEN.width_in, status_height(plot, SCREEN)]}


def _period_title(state: PeriodState | None) -> str:
    """The period a chart of one period shows, for its title: （2015年第四季度）."""
    return f"（{period_label(state.period)}）" if state else "（尚未发布季度进展）"


def _plan_status_plot(plan: Plan, state: PeriodState | None, rows: list[tuple[str, dict[str, int]]]) -> dict:
    """The plan's tasks by status in one period (the home page's and that period's report's: one drawing)."""
    title = f"《{plan.meta.title}》各项任务的状态{_period_title(state)}"
    return _status_plot(rows, title, data_source(plan.meta.title, [state] if state else []))


def _status_table(first: str, rows: list[tuple[str, dict[str, int]]]) -> dict:
    shown = [c for c in CHART_STATUSES if any(counts.get(c) for _, counts in rows)]
    return {
        "head": [first, *(status_label(c) for c in shown), "合计"],
        "rows": [[label, *(str(counts.get(c, 0)) for c in shown), str(sum(counts.values()))] for label, counts in rows],
    }


# The kinds of page the charts are on: the 数据下载 page lists each group's files in a table of its
# own, under this heading, at this anchor (downloads.md.j2).
PLAN_CHARTS = {"anchor": "charts-chapters", "heading": "首页和章节"}
UNIT_CHARTS = {"anchor": "charts-departments", "heading": "责任单位"}
TARGET_CHARTS = {"anchor": "charts-indicators", "heading": "量化目标"}
REPORT_CHARTS = {"anchor": "charts-reports", "heading": "季度报告"}


def _spec(chart_id: str, kind: str, caption: str, alt: str, table: dict, plot: dict | None, group: dict,
          name: str | None = None) -> dict:
    """`name` says which chart it is away from its page (the 数据下载 page's list); else the caption."""
    spec = {"id": chart_id, "kind": kind, "group": dict(group), "caption": caption, "name": name or caption,
            "alt": alt, "table": table, "plot": plot, "file": None, "width": None, "height": None, "png": None, "png_size": None,
            # The chart's numbers as a spreadsheet, published beside the image (or alone, without one).
            "csv": urls.chart_csv(chart_id) if table["rows"] else None}
    if plot is not None:
        spec["file"] = urls.chart_svg(chart_id)
        spec["width"], spec["height"] = (round(v * PX_PER_IN) for v in plot["size"])
        spec["png"] = urls.chart_png(chart_id)  # for documents: text drawn in, titled, its source named
        spec["png_size"] = list(png_size(print_size(kind, plot)))
    return spec


def spec_plan_status(plan: Plan, progress: list[PeriodState]) -> dict:
    """Home: every task's status in the latest period, for the whole plan and each chapter."""
    latest = progress[-1] if progress else None
    everything = count_statuses(latest, [t.id for t in plan.tasks])
    rows = [("全部任务", everything)] + [
        (chapter_heading(c), count_statuses(latest, [t.id for t in plan.tasks_in(c)])) for c in plan.chapters
    ]
    if latest:
        caption = f"{period_label(latest.period)}各项任务的状态：全部任务和各章节"
        alt = f"横向堆积条形图。截至{period_label(latest.period)}，{len(plan.tasks)}项任务中{_mix(everything)}。各章节的数字见图下的表格。"
    else:
        caption = "各项任务的状态（尚未发布季度进展）"
        alt = f"横向条形图。尚未发布任何季度进展，{len(plan.tasks)}项任务均为未报告。"
    return _spec(urls.HOME_STATUS_CHART, "status_bars", caption, alt, _status_table("范围", rows),
                 _plan_status_plot(plan, latest, rows), PLAN_CHARTS)


def spec_report_status(plan: Plan, state: PeriodState) -> dict:
    """A quarterly report: every task's status in that period, for the whole plan and each chapter.
    It depends on that period alone, so the report page (and its Word version) stays frozen."""
    everything = count_statuses(state, [t.id for t in plan.tasks])
    rows = [("全部任务", everything)] + [
        (chapter_heading(c), count_statuses(state, [t.id for t in plan.tasks_in(c)])) for c in plan.chapters
    ]
    label = period_label(state.period)
    alt = f"横向堆积条形图。{label}，{len(plan.tasks)}项任务中{_mix(everything)}。各章节的数字见图下的表格。"
    return _spec(urls.report_chart(state.period), "status_bars", f"{label}各项任务的状态：全部任务和各章节", alt,
                 _status_table("范围", rows), _plan_status_plot(plan, state, rows), REPORT_CHARTS)


def spec_status_history(plan: Plan, progress: list[PeriodState]) -> dict | None:
    """Home: how the mix of statuses moved from period to period (None before the first report)."""
    if not progress:
        return None
    ids = [t.id for t in plan.tasks]
    rows = [(period_label(s.period), count_statuses(s, ids)) for s in progress]
    first, last = rows[0], rows[-1]
    if len(rows) == 1:
        alt = f"横向堆积条形图。只有{first[0]}一期报告：{len(ids)}项任务中{_mix(first[1])}。"
    else:
        moves = "，".join(
            f"{status_label(c)}由{first[1][c]}项变为{last[1][c]}项"
            for c in CHART_STATUSES if first[1][c] or last[1][c]
        )
        alt = f"横向堆积条形图，每个季度一条。从{first[0]}到{last[0]}，{len(ids)}项任务中{moves}。各季度的数字见图下的表格。"
    title = f"《{plan.meta.title}》各季度任务状态的变化（{period_span(s.period for s in progress)}）"
    plot = _status_plot(rows, title, data_source(plan.meta.title, progress), totals=False)
    return _spec(urls.HOME_HISTORY_CHART, "status_bars", "各季度任务状态的变化", alt, _status_table("报告期", rows), plot,
                 PLAN_CHARTS)


def spec_chapter(plan: Plan, progress: list[PeriodState], chapter: Chapter) -> dict:
    """A chapter: the status of its tasks in every period."""
    ids = [t.id for t in plan.tasks_in(chapter)]
    heading = chapter_heading(chapter)
    if progress:
        rows = [(period_label(s.period), count_statuses(s, ids)) for s in progress]
        alt = f"横向堆积条形图，每个季度一条。“{heading}”共{len(ids)}项任务，截至{rows[-1][0]}{_mix(rows[-1][1])}"
        alt += f"；{rows[0][0]}时{_mix(rows[0][1])}。" if len(rows) > 1 else "。"
        caption = f"本章{len(ids)}项任务在各季度的状态"
        title = f"{heading}：{len(ids)}项任务在各季度的状态（{period_span(s.period for s in progress)}）"
    else:
        rows = [("尚无季度进展", count_statuses(None, ids))]
        alt = f"横向条形图。“{heading}”共{len(ids)}项任务，尚未发布任何季度进展，均为未报告。"
        caption = f"本章{len(ids)}项任务的状态（尚未发布季度进展）"
        title = f"{heading}：{caption.removeprefix('本章')}"
    plot = _status_plot(rows, title, data_source(plan.meta.title, progress), totals=False)
    return _spec(urls.chapter_chart(chapter), "status_bars", caption, alt, _status_table("报告期", rows), plot,
                 PLAN_CHARTS, name=f"{heading}：{caption.removeprefix('本章')}")


def spec_department(plan: Plan, progress: list[PeriodState], department: Department) -> dict:
    """A unit: the latest status of the tasks it leads, co-operates on and shares."""
    latest = progress[-1] if progress else None
    roles = plan.roles_of(department)
    rows = [(f"{ROLE_LABELS[r]}的任务", count_statuses(latest, [t.id for t in roles[r]])) for r in ROLES if roles[r]]
    parts = "；".join(f"{label}{sum(c.values())}项中{_mix(c)}" for label, c in rows)
    if latest:
        caption = f"{period_label(latest.period)}本单位各类任务的状态"
        alt = f"横向堆积条形图。截至{period_label(latest.period)}，{department.name}{parts}。"
    else:
        caption = "本单位各类任务的状态（尚未发布季度进展）"
        alt = f"横向条形图。尚未发布任何季度进展，{department.name}{parts}。"
    plot = _status_plot(rows, f"{department.name}各类任务的状态{_period_title(latest)}",
                        data_source(plan.meta.title, [latest] if latest else []))
    return _spec(urls.department_chart(department), "status_bars", caption, alt, _status_table("职责", rows), plot,
                 UNIT_CHARTS, name=f"{department.name}：{caption.replace('本单位', '')}")


def _value(indicator: Indicator, value: float | None) -> str:
    return "—" if value is None else f"{number(value)}{indicator.unit}"


def _round(value: float) -> float:
    return round(float(value), 2)


def indicator_history(progress: list[PeriodState], indicator: Indicator) -> list[tuple[PeriodState, object]]:
    """(period state, indicator state) for every period in which the indicator was reported."""
    return [(s, s.indicators[indicator.id]) for s in progress if indicator.id in s.new_values]


def _path_start_source(plan: Plan, indicator: Indicator) -> str:
    """Where the 序时进度 line starts, in words (the rules of figures.assess.baseline_for)."""
    for b in plan.baselines:
        if b.indicator == indicator.id:
            return b.source or "基线数据"
    if indicator.measure == "cumulative":
        return "计划期开始，从零起算"
    return "最早报送的数值"


def indicator_table(plan: Plan, progress: list[PeriodState], indicator: Indicator,
                    paths: list[list[list]] | None = None) -> dict:
    """Every number the chart shows: where the 序时进度 line starts, every reported value with
    its date, source and the assessment it had when reported, and the target."""
    rows = []
    if paths and indicator.measure == "annual":
        rows.append(["序时进度起点", "每年1月1日", _value(indicator, 0), "—", "—", "每年从零起算"])
    elif paths:
        start, value = paths[0][0]
        rows.append(["序时进度起点", cn_date(dt.date.fromisoformat(start)), _value(indicator, value), "—", "—",
                     _path_start_source(plan, indicator)])
    for state, ind_state in indicator_history(progress, indicator):
        entry, assessed = ind_state.entry, ind_state.assessed
        expected = expected_text(plan, indicator, assessed.expected)
        shown, verdict = _value(indicator, entry.value), assessment_label(assessed.code)
        if indicator.kind == "relative" and entry.justification:
            # A judged relative target: the reporter's reasons go with the assessment they explain
            # (the 数值 column holds a figure or —, never words: on a phone it is a narrow column).
            verdict += f"（报送单位理由：{entry.justification}）"
        if assessed.reported and assessed.reported != assessed.code:
            verdict += f"（报送单位判定为{assessment_label(assessed.reported)}，期限已到）"
        rows.append([
            period_label(state.period), cn_date(entry.as_of) if entry.as_of else "—", shown,
            expected, verdict,
            "；".join(filter(None, [entry.source, f"备注：{entry.note}" if entry.note else None])),
        ])
    if indicator.kind == "numeric":
        rows.append(["目标", cn_date(indicator.deadline), target_phrase(indicator), "—", "—", "计划原文"])
    return {"head": ["报告期", "数值日期", "数值", "序时进度期望值", "评估", "来源"], "rows": rows}


def expected_paths(plan: Plan, indicator: Indicator, progress: list[PeriodState]) -> list[list[list]]:
    """The 序时进度 lines, baseline → target, that the assessment measures against.

    The starting points come from `figures.assess.baseline_for`, so the chart draws exactly the line the
    assessment used: for an annual target one line per year of the plan, from 0 on 1 January.
    """
    if indicator.kind != "numeric":
        return []
    entries = [s.entry for _, s in indicator_history(progress, indicator) if s.entry and s.entry.value is not None]
    if indicator.measure == "annual":
        years = range(plan.meta.period.start, indicator.deadline.year + 1)
        probes = [(IndicatorValue(indicator=indicator.id, as_of=dt.date(y, 12, 31)), dt.date(y, 12, 31)) for y in years]
    else:
        latest = entries[-1] if entries else IndicatorValue(indicator=indicator.id, as_of=indicator.deadline)
        probes = [(latest, indicator.deadline)]
    paths = []
    for probe, end in probes:
        base = baseline_for(plan, indicator, probe, [e for e in entries if e is not probe])
        if base is not None:
            paths.append([[base[1].isoformat(), _round(base[0])], [end.isoformat(), _round(indicator.target)]])
    return paths


def spec_indicator(plan: Plan, progress: list[PeriodState], indicator: Indicator) -> dict:
    """An indicator: its values against the target line, the deadline and the expected path.

    A relative target with no numbers has nothing to plot: its spec carries no plot (no image),
    only the caption, text and table.
    """
    latest = progress[-1].indicators[indicator.id] if progress else None
    points: dict[str, float] = {}
    for _, s in indicator_history(progress, indicator):
        if s.entry.value is not None:
            points[s.entry.as_of.isoformat()] = _round(s.entry.value)  # a later report of a date wins
    points_list = [[d, points[d]] for d in sorted(points)]
    paths = expected_paths(plan, indicator, progress)
    lower = indicator.comparator in ("<", "<=")
    phrase = target_phrase(indicator)
    verdict = headline(progress[-1].period, indicator, latest.entry, latest.assessed) if latest else "尚未发布季度进展"

    alt = [f"{indicator.name}，目标{phrase}，期限{cn_date(indicator.deadline)}"]
    if lower:
        alt.append("，数值越低越好")
    alt.append("。")
    if points_list:
        last_date, last_value = points_list[-1]
        alt.append(f"共有{len(points_list)}个数值，最新为{cn_date(dt.date.fromisoformat(last_date))}的"
                   f"{_value(indicator, last_value)}")
        if latest and latest.assessed.expected is not None:
            alt.append(f"，按序时进度此时应为{expected_text(plan, indicator, latest.assessed.expected)}")
        alt.append("。")
    else:
        alt.append("尚无数值。")
    if latest:
        said = f"{period_label(progress[-1].period)}评估：{assessment_label(latest.assessed.code)}"
        reason = latest.assessed.reason.rstrip("。")
        alt.append(f"{said}。{reason}。" if reason else f"{said}。")  # the reason may hold brackets of its own

    if indicator.kind == "relative":
        subtitle = f"相对目标：{indicator.target_text}，由报送单位判定"
        if latest and latest.assessed.code == "no_data" and latest.assessed.reason:
            subtitle += f"。无法判定的原因：{latest.assessed.reason.rstrip('。')}"
        elif latest and latest.assessed.code in OVERDUE and latest.entry and latest.entry.justification:
            subtitle += f"。报送单位的说明：{latest.entry.justification.rstrip('。')}"
    else:
        direction = {">": "越高越好", ">=": "越高越好", "<": "越低越好", "<=": "越低越好"}.get(indicator.comparator)
        subtitle = f"目标：{phrase}" + (f"，{direction}" if direction else "")
    if len(indicator.unit) > 2:  # short units go on the tick labels
        subtitle += f"（单位：{indicator.unit}）"
    plot = None
    if indicator.kind == "numeric" or points_list:
        shown, from_file = indicator_sources(plan, progress, indicator)
        reported = [s.period for s in progress if indicator.id in s.new_values]
        period = (period_span(reported) if reported else f"{AS_OF}{period_label(progress[-1].period)}" if progress
                  else "尚未发布季度进展")
        plot = {
            "unit": indicator.unit,
            "points": points_list,
            "paths": paths,
            "target": _round(indicator.target) if indicator.kind == "numeric" else None,
            "subtitle": subtitle,
            "lower_is_better": lower,
            "annual": indicator.measure == "annual",
            "deadline": indicator.deadline.isoformat(),
            "start": dt.date(plan.meta.period.start, 1, 1).isoformat(),
            "verdict": verdict,
            "title": f"{indicator.name}：历次数值与目标（{period}）",
            "source": data_source(plan.meta.title, shown, from_file and plan.baselines_sample),
        }
        plot["size"] = [SCREEN.width_in, indicator_height(plot, SCREEN)]
    caption = f"{indicator.name}：历次数值与目标（{phrase}）"
    table = indicator_table(plan, progress, indicator, paths)
    return _spec(urls.indicator_chart(indicator), "indicator", caption, "".join(alt), table, plot, TARGET_CHARTS)


def derive_chart_specs(plan: Plan, progress: list[PeriodState]) -> dict[str, dict]:
    """Every chart of the site, by id, in a fixed order."""
    specs = [spec_plan_status(plan, progress), spec_status_history(plan, progress)]
    specs += [spec_chapter(plan, progress, c) for c in plan.chapters]
    specs += [spec_department(plan, progress, d) for d in plan.departments]
    specs += [spec_indicator(plan, progress, i) for i in plan.indicators]
    specs += [spec_report_status(plan, state) for state in progress]
    return {s["id"]: s for s in specs if s is not None}
