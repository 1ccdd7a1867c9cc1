"""Checks on the progress reports and baselines against the plan they report on."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from ..errors import Problem
from .periods import quarter_start, years_problem
from .read import read_yaml, validate_records
from .schema import BaselinesFile, PeriodFile
from .types import PeriodId, ReportedDate, value_range_problem


def load_periods(progress_dir: Path, make_checker, context) -> list[PeriodFile]:
    """Every progress/*.yaml, in period order; problems go to the checkers."""
    periods = []
    paths = sorted(progress_dir.iterdir()) if progress_dir.is_dir() else []
    for path in paths:
        # 2015-Q4.yml or .YAML would otherwise be skipped without a word, and a quarter vanish from the site.
        if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml":
            check = make_checker(PeriodFile, context.display(path), {})
            right = path.with_suffix(".yaml").name
            check.problems.append(Problem(context.display(path), None, None,
                                          f"报告期文件的扩展名必须是 .yaml：请把 {path.name} 改名为 {right}（否则这一期不会被读取）"))
    for path in (p for p in paths if p.suffix == ".yaml"):
        label = context.display(path)
        data, lines, problems = read_yaml(path, label)
        check = make_checker(PeriodFile, label, lines)
        check.problems += problems
        if data is None:
            continue
        value, items, problems = validate_records(PeriodFile, data, lines, label, context.validation)
        check.problems += problems
        # period and compiled are read on their own too, so their checks run even when some
        # other entry of the file is broken.
        period = _field(data, "period", PeriodId, context.validation)
        compiled = _field(data, "compiled", ReportedDate, context.validation)
        if period is not None and period != path.stem:
            check.add(("period",), f"报告期“{period}”与文件名“{path.name}”不一致（文件应命名为 {period}.yaml）")
        if period is not None and context.years and (problem := years_problem(period, *context.years)):
            check.add(("period",), problem)
        if period is not None and compiled is not None and compiled < quarter_start(period):
            check.add(("compiled",), f"汇总日期 {compiled} 早于报告期 {period} 的开始（{quarter_start(period)}）")
        _check_period(compiled, items, check, context)
        if value is not None:
            periods.append(value)
    return periods


def _field(data, key: str, kind, validation: dict):
    try:
        return TypeAdapter(kind).validate_python(data.get(key), context=validation) if isinstance(data, dict) else None
    except ValidationError:
        return None


def _check_period(compiled: dt.date | None, items: dict, check, context) -> None:
    check.unique("tasks", items.get("tasks", []), "task", "任务")
    check.unique("indicators", items.get("indicators", []), "indicator", "指标")
    for pos, report in items.get("tasks", []):
        if context.raw_task_ids and report.task not in context.raw_task_ids:
            check.add(("tasks", pos, "task"), f"任务 {report.task} 不存在（tasks.yaml 中没有这个 id）")
        if context.unit_names and report.reporter not in context.unit_names:
            check.add(("tasks", pos, "reporter"), context.unknown_unit(report.reporter))
    for pos, entry in items.get("indicators", []):
        indicator = context.indicators.get(entry.indicator)
        if indicator is None:
            if context.indicators:
                check.add(("indicators", pos, "indicator"), f"指标“{entry.indicator}”不存在（indicators.yaml 中没有这个 id）")
            continue
        check_value(pos, entry, indicator, compiled, check)


def check_value(pos: int, entry, indicator, compiled, check) -> None:
    path = ("indicators", pos)
    if entry.value is not None and (problem := value_range_problem(entry.value, indicator.unit)):
        check.add(path + ("value",), problem)
    if entry.assessment is not None and indicator.kind != "relative":
        check.add(path + ("assessment",), "数值目标的评估由网站按序时进度计算，不能手工填写 assessment")
    if compiled is not None and entry.as_of is not None and entry.as_of > compiled:
        check.add(path + ("as_of",), f"数值日期 {entry.as_of} 晚于本期汇总日期 {compiled}")


def load_baselines(path: Path, make_checker, context):
    """baselines.yaml is optional: without it, the method page says how values are then judged."""
    if not path.exists():
        return None
    label = context.display(path)
    data, lines, problems = read_yaml(path, label)
    check = make_checker(BaselinesFile, label, lines)
    check.problems += problems
    if data is None:
        return None
    value, items, problems = validate_records(BaselinesFile, data, lines, label, context.validation)
    check.problems += problems
    check.unique("baselines", items.get("baselines", []), "indicator", "指标")
    for pos, baseline in items.get("baselines", []):
        indicator = context.indicators.get(baseline.indicator)
        if context.indicators and indicator is None:
            check.add(("baselines", pos, "indicator"), f"指标“{baseline.indicator}”不存在（indicators.yaml 中没有这个 id）")
        elif indicator is not None and (problem := value_range_problem(baseline.value, indicator.unit)):
            check.add(("baselines", pos, "value"), problem)
    return value
