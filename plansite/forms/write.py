"""Write one report workbook per reporting unit, and the office's 催报名单, with openpyxl."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from ..model.periods import quarter_end, quarter_start
from ..model.plan import Plan
from ..model.schema import ROLE_LABELS
from ..wording import cn_date, period_label, target_phrase
from . import layout as L

LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")  # grey: for reference, cannot be changed
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WRAP = Alignment(wrap_text=True, vertical="top")
OPEN = Protection(locked=False)
# Excel's serial day numbers of 2000-01-01 and 2099-12-31: the range a 数值日期 may take.
DATE_MIN, DATE_MAX = 36526, 73050


def due_date(plan: Plan, period: str) -> dt.date | None:
    days = plan.method.report_due_days
    return quarter_end(period) + dt.timedelta(days=days) if days else None


def last_reports(plan: Plan, period: str) -> tuple[dict, dict]:
    """The latest earlier entry of each task and the latest earlier value of each indicator."""
    tasks, values = {}, {}
    for earlier in L.earlier_periods(plan, period):
        tasks.update({r.task: r for r in earlier.tasks})
        values.update({v.indicator: v for v in earlier.indicators if v.value is not None})
    return tasks, values


def write_forms(plan: Plan, period: str, out_dir: Path) -> tuple[list[Path], list[Path]]:
    """Every unit's form and the overview into `out_dir`: (files written, files kept). A file already
    there is kept, never overwritten: a person may have filled it in or ticked off returned forms."""
    out_dir.mkdir(parents=True, exist_ok=True)
    units = L.forms_by_unit(plan, period)
    books = {L.file_name(unit): (lambda u=unit, t=task_ids: build_form(plan, period, u, t)) for unit, task_ids in units.items()}
    books[L.OVERVIEW_FILE] = lambda: build_overview(plan, period, units)
    written, kept = [], []
    for name, make in books.items():
        path = out_dir / name
        if path.exists():
            kept.append(path)
            continue
        staging = out_dir / f".{name}.writing"
        make().save(staging)
        os.replace(staging, path)
        written.append(path)
    return written, kept


def build_form(plan: Plan, period: str, unit: str, task_ids: list[int]) -> Workbook:
    last_tasks, last_values = last_reports(plan, period)
    tasks = [plan.task(i) for i in task_ids]
    indicators = [ind for t in tasks for ind in plan.indicators_of(t)]
    wb = Workbook()
    _guide(wb.active, plan, period, unit)
    rows = [[t.id, t.title, _attr(last_tasks.get(t.id), "status"), _attr(last_tasks.get(t.id), "summary")] for t in tasks]
    ws = _table(wb, L.TASK_SHEET, f"{unit} · {period_label(period)} · 任务进展（灰色单元格不能修改）", L.TASK_COLUMNS, rows)
    _validation(ws, "list", f'"{",".join(L.STATUSES)}"', L.TASK_COLUMNS, "status", len(rows),
                "请从下拉列表中选择状态：" + "、".join(L.STATUSES))
    rows = [[i.id, i.name, target_phrase(i), i.unit, _attr(last_values.get(i.id), "value")] for i in indicators]
    ws = _table(wb, L.INDICATOR_SHEET, f"{unit} · {period_label(period)} · 量化目标（灰色单元格不能修改）", L.INDICATOR_COLUMNS, rows)
    _validation(ws, "decimal", "0", L.INDICATOR_COLUMNS, "value", len(rows), "请只填数字（不带单位、% 号或文字），且不能为负", operator="greaterThanOrEqual")
    _validation(ws, "date", str(DATE_MIN), L.INDICATOR_COLUMNS, "as_of", len(rows), "请填日期，如2016-03-31", formula2=str(DATE_MAX))
    date_col = L.column_letter(L.INDICATOR_COLUMNS, "as_of")
    for r in range(len(rows)):
        ws[f"{date_col}{L.FIRST_ROW + r}"].number_format = "yyyy-mm-dd"
    relative = DataValidation(type="list", formula1=f'"{",".join(L.ASSESSMENTS)}"', allow_blank=True, showErrorMessage=True,
                              errorTitle="输入有误", error="请从下拉列表中选择：" + "、".join(L.ASSESSMENTS))
    for r, ind in enumerate(indicators):
        for key in L.RELATIVE_ONLY:
            cell = ws[f"{L.column_letter(L.INDICATOR_COLUMNS, key)}{L.FIRST_ROW + r}"]
            if ind.kind == "relative":
                if key == "assessment":
                    relative.add(cell.coordinate)
            else:  # numeric targets are assessed by the site, from the value
                cell.protection, cell.fill, cell.value = Protection(locked=True), LOCKED_FILL, None
    if relative.sqref:
        ws.add_data_validation(relative)
    partner_rows = [[t.id, t.title, "、".join(ROLE_LABELS[role] for role, name in t.units if name == unit), reporter]
                    for t, reporter in _partner_tasks(plan, period, unit)]
    if partner_rows:
        _table(wb, L.PARTNER_SHEET, f"{unit}参与、由其他单位报送的任务（仅供参考，无需填写）", L.PARTNER_COLUMNS, partner_rows, editable=False)
    _identity(wb, plan, period, unit, task_ids, [i.id for i in indicators])
    wb.security = WorkbookProtection(lockStructure=True)  # the hidden identity sheet stays hidden
    return wb


def _attr(item, name: str):
    value = getattr(item, name, None) if item is not None else None
    return value.value if hasattr(value, "value") else value


def _partner_tasks(plan: Plan, period: str, unit: str) -> list:
    who = L.reporters(plan, period)
    return [(t, who[t.id]) for t in plan.tasks if who[t.id] != unit and any(name == unit for _, name in t.units)]


def _guide(ws, plan: Plan, period: str, unit: str) -> None:
    ws.title = L.GUIDE_SHEET
    due = due_date(plan, period)
    lines = [
        (f"{plan.meta.title} · {period_label(period)}进展报表", None),
        ("报送单位", unit),
        ("报告期", f"{period_label(period)}（{cn_date(quarter_start(period))}至{cn_date(quarter_end(period))}）"),
        ("交回期限", f"{cn_date(due)}前" if due else "按办公室通知的时间"),
        ("谁来报送", "每项任务由一个单位报送：上一期报送该任务的单位；没有报送记录的，由第一个牵头单位报送；"
                  "没有牵头单位（共同负责）的，由计划中列在第一位的单位报送；既没有牵头单位也没有共同负责单位的，由列在第一位的会同单位报送。"
                  "其他牵头单位和会同单位的任务列在“会同任务”表中，仅供参考。"),
        ("怎么填", "在“任务进展”表中为每项任务选择状态、写明本季度进展；在“量化目标”表中填写本期数值、数值日期和数据来源。"
                 "白色单元格可以填写，灰色单元格不能修改（工作表有保护，未设密码，只为防止误改）。"),
        ("空白行", "一行全部留空（状态、进展、证明材料都不填），表示该任务本期不报送，网站上显示为“未报告”；"
                 "只要填了其中一项，就必须同时填写状态和本季度进展。量化目标的本期数值暂无可留空。"),
        ("不要改动", "不要增加、删除或调换行，不要修改任务编号和指标编号，不要改工作表名称；文件名可以改，另存为 .xlsx、.xls 或 .ods 均可。"),
        ("交回之后", "办公室导入前会检查每一个单元格；有问题会告诉您是哪个工作表、哪个单元格，请改好后再交回。"),
        ("各列说明", None),
    ]
    lines += [(f"{L.TASK_SHEET} · {c.header}", c.help) for c in L.TASK_COLUMNS]
    lines += [(f"{L.INDICATOR_SHEET} · {c.header}", c.help) for c in L.INDICATOR_COLUMNS]
    for r, (label, text) in enumerate(lines, start=1):
        ws.cell(r, 1, label).alignment = WRAP
        ws.cell(r, 2, text).alignment = WRAP
        ws.cell(r, 1).font = Font(bold=True, size=14 if r == 1 else 11)
    ws["A1"].alignment = Alignment(vertical="top")  # the title runs on across the empty B1
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 26, 100
    _fit_rows(ws, [26, 100], start=2)
    _print_setup(ws, None)
    ws.protection.sheet = True


def _table(wb: Workbook, title: str, heading: str, columns: list, rows: list, editable: bool = True):
    ws = wb.create_sheet(title)
    ws.cell(1, 1, heading).font = Font(bold=True, size=13)
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(L.HEADER_ROW, c, col.header)
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, WRAP
        ws.column_dimensions[cell.column_letter].width = col.width
    for r, values in enumerate(rows, start=L.FIRST_ROW):
        for c, col in enumerate(columns, start=1):
            cell = ws.cell(r, c, values[c - 1] if c <= len(values) else None)
            cell.alignment = WRAP
            if editable and col.editable:
                cell.protection = OPEN
            else:
                cell.fill = LOCKED_FILL
    ws.freeze_panes = ws.cell(L.FIRST_ROW, 3)
    _fit_rows(ws, [c.width for c in columns], start=L.HEADER_ROW, min_lines=3 if editable else 1)
    _print_setup(ws, f"{L.HEADER_ROW}:{L.HEADER_ROW}")
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False  # widening a column is allowed
    return ws


def _text_width(text: str) -> int:
    """Width in Excel's column units: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _fit_rows(ws, widths: list[int], start: int, min_lines: int = 1) -> None:
    """Row heights for wrapped text: neither Excel nor LibreOffice grows the rows of a file on opening,
    so text longer than its column would be cut off on screen and on paper."""
    for r in range(start, ws.max_row + 1):
        lines = 1 if r == L.HEADER_ROW else min_lines
        for c, width in enumerate(widths, start=1):
            value = ws.cell(r, c).value
            if value is not None:
                lines = max(lines, sum(-(-_text_width(part) // max(width - 1, 1)) or 1 for part in str(value).split("\n")))
        ws.row_dimensions[r].height = 15 * lines + 3


def _validation(ws, kind: str, formula1: str, columns: list, key: str, n: int, message: str, **extra) -> None:
    if not n:
        return
    col = L.column_letter(columns, key)
    dv = DataValidation(type=kind, formula1=formula1, allow_blank=True, showErrorMessage=True,
                        errorTitle="输入有误", error=message, **extra)
    dv.add(f"{col}{L.FIRST_ROW}:{col}{L.FIRST_ROW + n - 1}")
    ws.add_data_validation(dv)


def _print_setup(ws, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def _identity(wb: Workbook, plan: Plan, period: str, unit: str, tasks: list[int], indicators: list[str]) -> None:
    ws = wb.create_sheet(L.IDENTITY_SHEET)
    rows = [(L.FORM_KIND, L.FORM_VERSION), ("计划", plan.meta.title), ("报告期", period), ("单位", unit),
            ("任务", ",".join(map(str, tasks))), ("指标", ",".join(indicators))]
    for r, (key, value) in enumerate(rows, start=1):
        ws.cell(r, 1, key)
        ws.cell(r, 2, value)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def build_overview(plan: Plan, period: str, units: dict[str, list[int]]) -> Workbook:
    """The office's own list: every unit, its form, its tasks and indicators, and a column to tick."""
    wb = Workbook()
    ws = wb.active
    ws.title = "催报名单"
    due = due_date(plan, period)
    ws.cell(1, 1, f"{period_label(period)}进展报表催报名单" + (f"（交回期限{cn_date(due)}）" if due else "")).font = Font(bold=True, size=13)
    headers = [("单位", 22), ("报表文件", 26), ("报送任务", 24), ("量化目标", 40), ("会同任务", 24), ("交回日期", 12), ("备注", 24)]
    for c, (text, width) in enumerate(headers, start=1):
        cell = ws.cell(L.HEADER_ROW, c, text)
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, WRAP
        ws.column_dimensions[cell.column_letter].width = width
    partner_only = [d.name for d in plan.departments if d.name not in units and any(plan.roles_of(d).values())]
    r = L.FIRST_ROW
    for unit in [*units, *partner_only]:
        tasks = units.get(unit, [])
        inds = [i.name for t in tasks for i in plan.indicators_of(plan.task(t))]
        partner = [t.id for t, _ in _partner_tasks(plan, period, unit)]
        values = [unit, L.file_name(unit) if tasks else "（无需报送）", "、".join(map(str, tasks)), "、".join(inds),
                  "、".join(map(str, partner)), None, None if tasks else "只参与其他单位报送的任务"]
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value).alignment = WRAP
        r += 1
    ws.freeze_panes = ws.cell(L.FIRST_ROW, 2)
    _print_setup(ws, f"{L.HEADER_ROW}:{L.HEADER_ROW}")
    return wb
