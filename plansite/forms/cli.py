"""`python -m plansite forms|import`: the forms out, and the checked import back into data/progress/."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from ..display import period_label
from ..errors import DataError, PlanSiteError
from ..schema import PROGRESS_DIR
from ..validate import load_plan
from . import layout as L
from .check import FormError, book_problem, check_form
from .merge import render_import
from .read import UnreadableForm, read_workbook, returned_files
from .write import write_forms


def _plan_and_period(data: Path, period: str, without_period_file: bool = False):
    if not period or len(period) != 7 or not period[:4].isdigit() or period[4:6] != "-Q" or period[6] not in "1234":
        raise PlanSiteError(f"报告期“{period}”格式不对，应为 年份-Q季度，如 2016-Q1")
    if without_period_file:  # the file being replaced may be unfinished; who reports what comes from earlier periods
        with tempfile.TemporaryDirectory(prefix="plansite-import-") as tmp:
            copy = Path(tmp) / "data"
            shutil.copytree(data, copy, ignore=lambda folder, names: [f"{period}.yaml"] if Path(folder).name == PROGRESS_DIR else [])
            plan = load_plan(copy)
    else:
        plan = load_plan(data)
    first, last = plan.meta.period.start, plan.meta.period.end + 1
    if not first <= int(period[:4]) <= last:
        raise PlanSiteError(f"报告期 {period} 不在计划期及其后一年（{first}—{last}年）之内")
    return plan


def forms_command(data: Path, period: str, out: Path) -> int:
    plan = _plan_and_period(data, period)
    written = write_forms(plan, period, out)
    units = L.forms_by_unit(plan, period)
    print(f"已生成 {period_label(period)}报表 {len(units)} 份和催报名单，在 {out}/：")
    for unit, tasks in units.items():
        print(f"  {L.file_name(unit)}：任务 {'、'.join(map(str, tasks))}")
    print(f"  {written[-1].name}：办公室自用的催报名单")
    return 0


def import_command(data: Path, period: str, forms: Path, compiled: dt.date | None = None, require_all: bool = False) -> int:
    plan = _plan_and_period(data, period, without_period_file=True)
    compiled = compiled or dt.date.today()
    if not Path(forms).is_dir():
        raise PlanSiteError(f"找不到报表文件夹 {forms}")
    problems, returned, files_of = [], [], {}
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
    done = {r.unit for r in returned if r.tasks or r.indicators}
    missing = [u for u in units if u not in done]
    empty = {r.unit for r in returned} - done
    chase = _chase_list(plan, period, units, missing, empty)
    if require_all and missing and not problems:
        raise PlanSiteError(f"还有 {len(missing)} 个单位没有交回报表（--require-all），进展文件未写入：\n{chase}")
    if problems:
        raise FormError(problems, chase if missing else "")
    if not returned:
        raise PlanSiteError(f"{forms} 中没有找到报表（.xlsx、.xls 或 .ods），进展文件未写入")
    path = Path(data) / PROGRESS_DIR / f"{period}.yaml"
    label = f"{Path(data).name}/{PROGRESS_DIR}/{path.name}"
    text = render_import(plan, period, compiled, [r for r in returned if r.unit in done], path, label)
    _validate_and_write(Path(data), path, text)
    print(f"已导入 {len(done)} 份报表，写入 {path}（任务进展 {text.count('  - task:')} 条，指标数值 {text.count('  - indicator:')} 条）")
    if missing:
        print(chase)
    print("下一步：make check，然后 make site")
    return 0


def _chase_list(plan, period: str, units: dict, missing: list[str], empty: set[str]) -> str:
    if not missing:
        return "催报名单：无，所有单位都已交回。"
    lines = [f"催报名单（{len(missing)} 个单位还没有交回{period_label(period)}报表，其任务在网站上显示为“未报告”）："]
    for unit in missing:
        note = "（交回的报表没有填写任何内容）" if unit in empty else ""
        lines.append(f"  - {unit}{note}：任务 {'、'.join(map(str, units[unit]))}")
    return "\n".join(lines)


def _validate_and_write(data: Path, path: Path, text: str) -> None:
    """make check's rules on the whole data folder with the new file in place, then an atomic write."""
    with tempfile.TemporaryDirectory(prefix="plansite-import-") as tmp:
        copy = Path(tmp) / data.name
        shutil.copytree(data, copy)
        (copy / PROGRESS_DIR).mkdir(exist_ok=True)
        (copy / PROGRESS_DIR / path.name).write_text(text, encoding="utf-8")
        try:
            load_plan(copy)
        except DataError as err:
            raise PlanSiteError("导入结果没有通过 make check，进展文件未写入：\n" + err.report()) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.importing")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)
