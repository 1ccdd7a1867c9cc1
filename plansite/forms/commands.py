"""`python -m plansite forms|import`: the forms out, and the checked import back into data/progress/."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import DataError, PlanSiteError, Problem
from ..model.load import load_plan
from ..model.plan import Plan
from ..model.periods import period_format_problem, quarter_start, years_problem
from ..model.schema import PROGRESS_DIR
from ..wording import period_label, period_span
from . import layout as L
from .check import FormError, FormProblem, book_problem, check_form
from .merge import render_import, reported_units
from .read import UnreadableForm, read_workbook, returned_files
from .write import write_forms


_STOPPED = "导入已停止，进展文件未写入"


def _load(data: Path, period: str, replaced: str | None = None) -> Plan:
    """The plan as make check reads it, from a copy of `data` in which the period file is left out
    (None) or replaced by `replaced`; problems name the user's own path, never the copy."""
    with tempfile.TemporaryDirectory(prefix="plansite-import-") as tmp:
        copy = Path(tmp) / "data"
        name = f"{period}.yaml"
        shutil.copytree(data, copy, ignore=lambda folder, names: [name] if Path(folder).name == PROGRESS_DIR else [])
        if replaced is not None:
            (copy / PROGRESS_DIR).mkdir(exist_ok=True)
            (copy / PROGRESS_DIR / name).write_text(replaced, encoding="utf-8")
        try:
            return load_plan(copy)
        except DataError as err:
            shown = [Problem(_as_typed(p.file, copy, data), p.line, p.field, p.message) for p in err.problems]
            raise PlanSiteError(DataError(shown).report(_STOPPED)) from None


def _as_typed(label: str, copy: Path, data: Path) -> str:
    for prefix in (str(copy), str(copy.resolve())):
        if label.startswith(prefix):
            return str(data) + label[len(prefix):]
    return label


def _check_period(period: str) -> None:
    if problem := period_format_problem(period):
        raise PlanSiteError(problem)


def _check_years(plan, period: str) -> None:
    if problem := years_problem(period, plan.meta.period.start, plan.meta.period.end):
        raise PlanSiteError(problem)


def forms_command(data: Path, period: str, out: Path) -> int:
    _check_period(period)
    plan = load_plan(data)
    _check_years(plan, period)
    written, kept = write_forms(plan, period, out)
    units = L.forms_by_unit(plan, period)
    print(f"已生成 {period_label(period)}报表 {len(units)} 份和催报名单，在 {out}/：")
    for unit, tasks in units.items():
        print(f"  {L.file_name(unit)}：任务 {'、'.join(map(str, tasks))}")
    print(f"  {L.OVERVIEW_FILE}：办公室自用的催报名单")
    if kept:
        print(f"注意：{out}/ 中已有 {len(kept)} 个同名文件，保留原文件，没有覆盖（其中可能有已填写的内容或已勾记的交回日期）："
              f"{'、'.join(p.name for p in kept)}。如需按最新数据重新生成，请先把这些文件移走，再运行 make forms。")
    if sample := sample_periods(plan, period):
        print(f"注意：报表中的“上期状态”“上期进展”“上期数值”和报送单位取自示例数据（{period_span(sample)}），"
              "不是各单位报送的数据。正式报送前请先删除示例季度的进展文件（data/progress/ 中写有 sample: true 的文件）"
              "和示例基线，再重新生成报表（步骤见 README）。")
    return 0


def sample_periods(plan, period: str) -> list[str]:
    """Earlier periods marked sample: the forms' 上期 columns copy from them."""
    return [p.period for p in L.earlier_periods(plan, period) if p.sample]


def import_command(data: Path, period: str, forms: Path, compiled: dt.date | None = None, require_all: bool = False) -> int:
    _check_period(period)
    data = Path(data)
    plan = _load(data, period)  # the file being replaced may be unfinished; who reports what comes from earlier periods
    _check_years(plan, period)
    compiled = compiled or dt.date.today()
    if not Path(forms).is_dir():
        raise PlanSiteError(f"找不到报表文件夹 {forms}")
    problems, returned, files_of = _compiled_problems(period, compiled), [], {}
    for path in returned_files(forms):
        if path.name == L.OVERVIEW_FILE:
            continue  # the office's own list, if it was copied along
        try:
            book = read_workbook(path)
        except UnreadableForm as err:
            problems.append(book_problem(path.name, str(err)))
            continue
        form, found = check_form(book, plan, period, compiled)
        problems += found
        if form:
            returned.append(form)
            files_of.setdefault(form.unit, []).append(book)
    for unit, books in files_of.items():
        if len(books) > 1:  # the same unit's form twice: every one of its tasks would be reported twice
            names = "、".join(b.label for b in books)
            tasks = "、".join(map(str, L.forms_by_unit(plan, period)[unit]))
            problems += [book_problem(b.label, f"{unit}的任务（{tasks}）在 {len(books)} 份报表中都有填报（{names}）：请只保留一份") for b in books]
    units = L.forms_by_unit(plan, period)
    filled = [r for r in returned if r.tasks or r.indicators]
    empty = {r.unit for r in returned} - {r.unit for r in filled}
    path = data / PROGRESS_DIR / f"{period}.yaml"
    label = str(path)
    if problems:  # who is in: the period file as it stands plus this batch's clean forms
        before = reported_units(plan, period, path.read_text(encoding="utf-8")) if path.is_file() else set()
        bad = {p.file for p in problems if isinstance(p, FormProblem)}
        clean = {r.unit for r in filled if r.file not in bad}
        missing = [u for u in units if u not in before | clean]
        raise FormError(problems, _chase_list(period, units, missing, empty) if missing else "")
    if not returned:
        raise PlanSiteError(f"{forms} 中没有找到报表（.xlsx、.xls 或 .ods），进展文件未写入")
    text = render_import(plan, period, compiled, filled, path, label)
    missing = [u for u in units if u not in reported_units(plan, period, text)]  # read from the file as it will be written
    chase = _chase_list(period, units, missing, empty)
    if require_all and missing:
        raise PlanSiteError(f"还有 {len(missing)} 个单位没有交回报表（--require-all），进展文件未写入：\n{chase}")
    _load(data, period, replaced=text)  # make check's rules on the whole folder with the new file in place
    _write(path, text)
    print(f"已导入 {len(filled)} 份报表，写入 {label}（任务进展 {text.count('  - task:')} 条，指标数值 {text.count('  - indicator:')} 条）")
    print(chase)
    print("下一步：make check，然后 make site")
    return 0


def _compiled_problems(period: str, compiled: dt.date) -> list[str]:
    """The import's own date, checked before any form: reported with the forms' problems, all at once."""
    if compiled < quarter_start(period):
        return [f"汇总日期 {compiled} 早于{period_label(period)}的开始（{quarter_start(period)}）：请检查 --compiled"]
    if compiled > dt.date.today():
        return [f"汇总日期 {compiled} 是将来的日期：请检查 --compiled（不填则为今天）"]
    return []


def _chase_list(period: str, units: dict, missing: list[str], empty: set[str]) -> str:
    if not missing:
        return "催报名单：无，所有单位都已交回。"
    lines = [f"催报名单（{len(missing)} 个单位还没有交回{period_label(period)}报表，其任务在网站上显示为“未报告”）："]
    for unit in missing:
        note = "（交回的报表没有填写任何内容）" if unit in empty else ""
        lines.append(f"  - {unit}{note}：任务 {'、'.join(map(str, units[unit]))}")
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    """All or nothing: a reader of the folder sees the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.importing")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)
