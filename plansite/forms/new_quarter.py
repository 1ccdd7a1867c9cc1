"""`make new-quarter Q=2016-Q1`: start the next period file from the last one.

Statuses are carried over and everything else is left blank with a comment saying what to fill
in, so the build refuses the file until staff have completed it.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import PlanSiteError
from ..model.load import load_plan
from ..model.periods import period_format_problem, years_problem
from ..model.plan import Plan
from ..model.schema import PROGRESS_DIR, Status
from ..wording import answerable_units, period_label
from .period_file import indicator_lines, render_period, task_lines


def render_new_quarter(plan: Plan, period: str) -> str:
    last = plan.periods[-1] if plan.periods else None
    carried = {r.task: r for r in last.tasks} if last else {}
    head = [
        f"# {period_label(period)}进展。由 make new-quarter 从{period_label(last.period) + '的文件' if last else '空白'}生成。",
        "# 每个“填写”注释处都要补全；没有报送的任务请整条删除（网站显示为“未报告”）。",
        "# 填好后运行 make check，按提示逐条修改，再运行 make site。",
    ]
    tasks = []
    for task in plan.tasks:
        previous = carried.get(task.id)
        status = previous.status.value if previous else Status.not_started.value
        reporter = previous.reporter if previous else answerable_units(task)[1][0]
        tasks.append(task_lines(task, dict(status=status, reporter=reporter), carried=True))
    indicators = [indicator_lines(ind, {}) for ind in plan.indicators]
    return render_period(period, head, None, bool(last and last.sample), tasks, indicators)


def write_new_quarter(data_dir: Path, period: str) -> Path:
    if problem := period_format_problem(period):
        raise PlanSiteError(problem)
    path = Path(data_dir) / PROGRESS_DIR / f"{period}.yaml"
    if path.exists():  # checked first: an unfinished file must never be overwritten
        raise PlanSiteError(f"{path} 已经存在，未做任何改动（如需重新生成，请先自行删除或改名）")
    plan = load_plan(data_dir)
    if plan.periods and period <= plan.periods[-1].period:
        raise PlanSiteError(f"报告期 {period} 不晚于已有的最新一期 {plan.periods[-1].period}")
    if problem := years_problem(period, plan.meta.period.start, plan.meta.period.end):
        raise PlanSiteError(problem)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_new_quarter(plan, period), encoding="utf-8")
    return path
