"""Check every cell of the returned forms; turn the clean ones into period-file entries."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..errors import PlanSiteError
from ..model.dates import BadDate, parse_date
from ..model.load_progress import check_value
from ..model.plan import Plan
from ..model.schema import IndicatorValue, TaskReport
from ..model.types import HTTP_URL
from ..wording import target_phrase
from . import layout as L
from .read import Workbook, cell_ref, is_blank


@dataclass(frozen=True, order=True)
class FormProblem:
    """One wrong cell (or sheet, or workbook), located as staff and units see it."""

    file: str
    sheet_order: int
    row: int
    col: int
    sheet: str
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" 工作表“{self.sheet}”"
        if self.row:
            where += f" {cell_ref(self.row, self.col)}" if self.col else f" 第 {self.row} 行"
        if self.column:
            where += f"（{self.column}）"
        return f"{where}：{self.message}"


class FormError(PlanSiteError):
    """Some returned forms have problems: every one is listed, and nothing is written."""

    def __init__(self, problems: list, footer: str = ""):
        self.problems = sorted(set(problems), key=lambda p: (str(type(p)), p))
        # the import's own date (a plain message) is a problem of this import, not of a returned form
        what = "交回的报表" if all(isinstance(p, FormProblem) for p in self.problems) else "本次导入"
        lines = [f"{what}有 {len(self.problems)} 处问题，进展文件未写入（原有文件保持不变）："]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines + ([footer] if footer else [])))


@dataclass
class Returned:
    """One clean form: whose it is and what it reports."""

    file: str
    unit: str
    tasks: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)


SHEET_ORDER = {L.TASK_SHEET: 1, L.INDICATOR_SHEET: 2}


class _Sheet:
    """Problems of one sheet, each at a cell."""

    def __init__(self, book: Workbook, name: str, columns: list, problems: list):
        self.book, self.name, self.columns, self.problems = book, name, columns, problems
        self.rows = book.sheets.get(name)
        self.percent = book.percent.get(name, set())

    def add(self, row: int, key: str | None, message: str) -> None:
        col = [c.key for c in self.columns].index(key) + 1 if key else 0
        header = self.columns[col - 1].header if key else ""
        self.problems.append(FormProblem(self.book.label, SHEET_ORDER.get(self.name, 0), row, col, self.name, header, message))

    def value(self, row: int, key: str):
        values = self.rows[row - 1] if row - 1 < len(self.rows) else []
        col = [c.key for c in self.columns].index(key)
        value = values[col] if col < len(values) else ""
        if is_blank(value):
            return None
        if isinstance(value, str):
            return value.strip()
        column = self.columns[col]
        if column.editable and column.kind in ("text", "url", "status", "assessment") and isinstance(value, float):
            return f"{value:g}" if value.is_integer() else str(value)  # 2016 typed in a text cell is the text 2016
        return value

    def data_rows(self) -> list[int]:
        """Row numbers from the first data row to the last row with anything in it."""
        last = max((i + 1 for i, row in enumerate(self.rows) if any(not is_blank(v) for v in row)), default=0)
        return list(range(L.FIRST_ROW, last + 1))


def book_problem(label: str, message: str) -> FormProblem:
    return FormProblem(label, 0, 0, 0, "", "", message)


def identify(book: Workbook, plan: Plan, period: str) -> tuple[str | None, list[FormProblem]]:
    """The unit whose form this is, or the problems that say why it is not a form of this import."""
    rows = book.sheets.get(L.IDENTITY_SHEET)
    if not rows or not rows[0] or rows[0][0] != L.FORM_KIND:
        return None, [book_problem(book.label, "这不是 make forms 生成的报表（缺少隐藏的“表格信息”工作表），无法确定是哪个单位、哪一期的报表")]
    info = {str(r[0]): r[1] if len(r) > 1 else "" for r in rows[1:] if r}
    problems = []
    if info.get("计划") != plan.meta.title:
        problems.append(book_problem(book.label, f"这是另一份计划的报表（《{info.get('计划')}》），不是《{plan.meta.title}》的"))
    if info.get("报告期") != period:
        problems.append(book_problem(book.label, f"这是 {info.get('报告期')} 的报表，本次导入的是 {period}：请交回本期的报表"))
    unit = info.get("单位")
    units = L.forms_by_unit(plan, period)
    if not problems and unit not in units:
        problems.append(book_problem(book.label, f"“{unit}”本期没有需要报送的任务，这份报表不是本期发出的"))
    # File names may change, but one named as another unit's form most likely went to the wrong unit.
    named = {Path(L.file_name(u)).stem: u for u in units}.get(Path(book.label).stem)
    if not problems and named and named != unit:
        problems.append(book_problem(book.label, f"文件名是{named}的报表，表格里却是“{unit}”的报表：是不是发错或交错了？请用{named}自己的报表填写"))
    return (None if problems else unit), problems


def check_form(book: Workbook, plan: Plan, period: str, compiled: dt.date) -> tuple[Returned | None, list[FormProblem]]:
    unit, problems = identify(book, plan, period)
    if unit is None:
        return None, problems
    task_ids = L.forms_by_unit(plan, period)[unit]
    indicators = [i for t in task_ids for i in plan.indicators_of(plan.task(t))]
    returned = Returned(book.label, unit)
    tasks = _Sheet(book, L.TASK_SHEET, L.TASK_COLUMNS, problems)
    if _has_layout(tasks, problems):
        rows = _match_rows(tasks, "task", {t: plan.task(t).title for t in task_ids}, "title", "任务")
        for row, task_id in rows:
            if entry := _task_entry(tasks, row, task_id, unit):
                returned.tasks.append(entry)
    inds = _Sheet(book, L.INDICATOR_SHEET, L.INDICATOR_COLUMNS, problems)
    if _has_layout(inds, problems):
        rows = _match_rows(inds, "indicator", {i.id: i.name for i in indicators}, "name", "指标")
        for row, ind_id in rows:
            if entry := _indicator_entry(inds, row, plan.indicator(ind_id), compiled):
                returned.indicators.append(entry)
    return returned, problems  # returned even with problems: the unit did send its form


def _has_layout(sheet: _Sheet, problems: list) -> bool:
    if sheet.rows is None:
        problems.append(FormProblem(sheet.book.label, SHEET_ORDER[sheet.name], 0, 0, sheet.name, "",
                                    "找不到这个工作表（工作表名称不能修改）"))
        return False
    header = sheet.rows[L.HEADER_ROW - 1] if len(sheet.rows) >= L.HEADER_ROW else []
    found = [str(v).strip() for v in header][:len(sheet.columns)]
    expected = [c.header for c in sheet.columns]
    if found != expected:
        sheet.add(L.HEADER_ROW, None, f"表头应为“{'、'.join(expected)}”，现在是“{'、'.join(v for v in found if v)}”：不要增加、删除或调换列")
        return False
    return True


def _match_rows(sheet: _Sheet, key: str, expected: dict, title_key: str, what: str) -> list[tuple[int, object]]:
    """Rows whose number is one the form was sent with, its title unchanged; others are problems."""
    matched, seen = [], {}
    for row in sheet.data_rows():
        raw = sheet.value(row, key)
        if raw is None and all(sheet.value(row, c.key) is None for c in sheet.columns):
            continue  # a wholly empty row between or after the rows: nothing was added
        number = int(raw) if isinstance(raw, float) and raw.is_integer() else raw
        if number not in expected:
            shown = "（空）" if number is None else f"“{number}”"
            sheet.add(row, key, f"{what}编号{shown}不是发给本单位的报表中的{what}：不要增加行或修改{what}编号")
        elif number in seen:
            sheet.add(row, key, f"{what} {number} 出现了两次（第 {seen[number]} 行已有）：不要复制行")
        elif sheet.value(row, title_key) != expected[number]:
            sheet.add(row, title_key, f"{what} {number} 的名称应为“{expected[number]}”：{what}编号或名称被改动过，请用原表填写")
            seen[number] = row
        else:
            seen[number] = row
            matched.append((row, number))
    for number in expected:
        if number not in seen:
            sheet.add(0, None, f"{what} {number}（{expected[number]}）的行被删除了：请用原表填写，不报送的{what}留空即可")
    return matched


def _task_entry(sheet: _Sheet, row: int, task_id: int, unit: str) -> dict | None:
    status, summary = sheet.value(row, "status"), sheet.value(row, "summary")
    titles, urls = (_lines(sheet.value(row, k)) for k in ("evidence_title", "evidence_url"))
    if status is None and summary is None and not titles and not urls:
        return None  # not reported this period: the site shows 未报告
    ok = True
    if status is None:
        sheet.add(row, "status", "状态是空的：请从下拉列表中选择" + "、".join(L.STATUSES) + "（本期不报送的任务请把整行留空）")
        ok = False
    elif status not in L.STATUSES:
        sheet.add(row, "status", f"状态“{status}”无效，只能是：" + "、".join(L.STATUSES))
        ok = False
    if summary is None:
        sheet.add(row, "summary", "填了状态就必须写本季度进展（几句话的纯文字）")
        ok = False
    for url in urls:
        if not HTTP_URL.fullmatch(url):
            sheet.add(row, "evidence_url", f"网址“{url}”不是 http(s) 网址：请写完整的网址，以 http:// 或 https:// 开头")
            ok = False
    if len(titles) != len(urls):
        key = "evidence_url" if len(titles) > len(urls) else "evidence_title"
        sheet.add(row, key, f"证明材料有 {len(titles)} 个标题、{len(urls)} 个网址：每份材料一行标题、一行网址，一一对应")
        ok = False
    if not ok:
        return None
    entry = {"task": task_id, "status": status, "summary": summary,
             "evidence": [{"title": t, "url": u} for t, u in zip(titles, urls)], "reporter": unit}
    return entry if _validates(sheet, row, TaskReport, entry, {"summary": "summary", "status": "status", "evidence": "evidence_url"}) else None


def _lines(value) -> list[str]:
    return [line.strip() for line in str(value).splitlines() if line.strip()] if value is not None else []


def _indicator_entry(sheet: _Sheet, row: int, indicator, compiled: dt.date) -> dict | None:
    keys = ("value", "as_of", "source", "note", "assessment", "justification")
    raw = {k: sheet.value(row, k) for k in keys}
    if all(v is None for v in raw.values()):
        return None
    before = len(sheet.problems)
    entry = {"indicator": indicator.id, "value": _number(sheet, row, raw["value"], indicator), "as_of": _date(sheet, row, raw["as_of"])}
    for key in ("source", "note", "justification"):
        entry[key] = None if raw[key] is None else str(raw[key])
    if raw["assessment"] is not None and raw["assessment"] not in L.ASSESSMENTS:
        sheet.add(row, "assessment", f"评估“{raw['assessment']}”无效，只能是：" + "、".join(L.ASSESSMENTS))
    entry["assessment"] = raw["assessment"] if raw["assessment"] in L.ASSESSMENTS else None
    if indicator.kind != "relative" and (raw["assessment"] is not None or raw["justification"] is not None):
        key = "assessment" if raw["assessment"] is not None else "justification"
        sheet.add(row, key, "数值目标的评估由网站按序时进度计算，不能手工填写评估和评估理由：请清空")
    if entry["value"] is not None and raw["as_of"] is None:
        sheet.add(row, "as_of", "填写了本期数值就必须填写数值日期")
    if indicator.kind == "relative" and raw["assessment"] is None and entry["value"] is not None:
        # the site cannot compare a value with 全省平均水平 or 翻一番 itself: only the unit can judge it
        sheet.add(row, "assessment", f"这是相对目标（{target_phrase(indicator)}），网站无法自行判断：填写了本期数值，"
                                     "就必须从下拉列表中选择评估（暂时无法判断请选“暂无数据”），并填写评估理由")
    if raw["assessment"] is not None and raw["justification"] is None and indicator.kind == "relative":
        sheet.add(row, "justification", "填写了评估就必须写明评估理由（判断的依据）")
    if len(sheet.problems) > before:
        return None
    if not _validates(sheet, row, IndicatorValue, entry, {k: k for k in keys}):
        return None
    value = IndicatorValue(**entry)

    class _Cells:  # make check's rules on a value, reported at the cell they concern
        def add(self, path, message):
            sheet.add(row, path[-1] if path[-1] in keys else None, message)

    check_value(0, value, indicator, compiled, _Cells())
    return entry if len(sheet.problems) == before else None


def _number(sheet: _Sheet, row: int, value, indicator):
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        sheet.add(row, "value", f"本期数值应为数字，这里是日期或是非值“{value}”")
        return None
    if isinstance(value, str):
        if re.fullmatch(r"-?\d+(\.\d+)?", value):
            value = float(value)  # a number typed into a text cell: unambiguous
        else:
            digits = re.search(r"\d+(\.\d+)?", value.replace("％", "%"))
            hint = f"，如 {digits.group(0)}" if digits else "（用阿拉伯数字）"
            sheet.add(row, "value", f"本期数值应为数字，填的是文字“{value}”：请只填数字{hint}，不带单位、% 号或“约”等字")
            return None
    col = [c.key for c in sheet.columns].index("value") + 1
    if (row, col) in sheet.percent and indicator.unit == "%":
        shown = f"{value * 100:g}"
        sheet.add(row, "value", f"单元格是百分比格式，读到的是 {shown}%（即 {value:g}）：计量单位已是 %，请把单元格格式改为“常规”或“数值”，填数字 {shown}")
        return None
    return int(value) if float(value).is_integer() else float(value)


def _date(sheet: _Sheet, row: int, value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value))
    except BadDate as err:
        sheet.add(row, "as_of", f"数值日期{err}")
        return None


def _validates(sheet: _Sheet, row: int, model, entry: dict, columns: dict) -> bool:
    """The schema's own rules (those of make check), each reported at its column."""
    try:
        model(**entry)
        return True
    except ValidationError as err:
        for e in err.errors():
            key = columns.get(str(e["loc"][0])) if e["loc"] else None
            sheet.add(row, key, e["msg"].removeprefix("Value error, "))
        return False
