"""`make new-quarter Q=2016-Q1`: start the next period file from the last one.

Statuses are carried over and everything else is left blank with a comment saying what to fill
in, so the build refuses the file until staff have completed it.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .display import period_label
from .errors import PlanSiteError
from .plan import Plan
from .render import target_phrase, task_heading
from .schema import PROGRESS_DIR, Assessment, Status
from .validate import load_plan
from .validate_progress import quarter_start


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML string


def _comment(text: str) -> str:
    """Data text in a comment, on one line: a line break (also U+0085, U+2028) would end the comment."""
    return " ".join(text.split())


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
        reporter = previous.reporter if previous else (task.lead or task.joint or task.partners)[0]
        tasks.append(task_lines(task, dict(status=status, reporter=reporter), carried=True))
    indicators = [indicator_lines(ind, {}) for ind in plan.indicators]
    return render_period(period, head, None, bool(last and last.sample), tasks, indicators)


def render_period(period: str, head: list[str], compiled, sample: bool, tasks: list[list[str]],
                  indicators: list[list[str]]) -> str:
    """A period file, commented line by line: new-quarter writes it blank, make import filled in."""
    out = [*head, f"period: {period}"]
    out.append(f"compiled: {compiled}" if compiled else
               f"compiled:            # 填写：本期汇总完成的日期 YYYY-MM-DD，不得早于 {quarter_start(period)}")
    out.append(f"sample: {'true' if sample else 'false'}         # 真实报送数据填 false；演示用的示例数据填 true")
    out.append("tasks:" if tasks else "tasks: []")
    out += [line for entry in tasks for line in entry]
    out.append("indicators:" if indicators else "indicators: []")
    out += [line for entry in indicators for line in entry]
    return "\n".join(out) + "\n"


def task_lines(task, entry: dict, mark: str = "", carried: bool = False) -> list[str]:
    """One task's entry: `entry` holds status and reporter, and summary and evidence when known."""
    choices = " / ".join(s.value for s in Status)
    out = [
        f"  # {_comment(task_heading(task))}{mark}",
        f"  - task: {task.id}",
        f"    status: {_q(entry['status'])}        # {'沿用上期，请更新' if carried else '状态'}：{choices}",
        f"    summary: {_q(entry.get('summary', ''))}         # {'填写：' if carried else ''}本季度做了什么，几句话的纯文字",
        f"    reporter: {_q(entry['reporter'])}   # 报送单位，名称与“责任单位”页一致",
    ]
    evidence = entry.get("evidence") or []
    if not evidence:
        return out + ["    evidence: []         # 可选，每条两行：- title: 标题 / url: https://…"]
    out.append("    evidence:            # 证明材料，每条两行：- title: 标题 / url: https://…")
    for item in evidence:
        out += [f"      - title: {_q(item['title'])}", f"        url: {_q(item['url'])}"]
    return out


def _scalar(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _q(value) if isinstance(value, str) else str(value)


def indicator_lines(ind, entry: dict, mark: str = "") -> list[str]:
    """One indicator's entry; blank fields keep the comment saying what to fill in."""
    def field(key: str, comment: str) -> str:
        value = _scalar(entry.get(key))
        return f"    {key}: {value}".ljust(25) + f"# {comment}" if len(f"    {key}: {value}") < 25 else f"    {key}: {value}  # {comment}"

    out = [
        f"  # {_comment(f'{ind.name}（{target_phrase(ind)}）')}{mark}",
        f"  - indicator: {_q(ind.id)}",
        field("value", f"填写：本期数值（只填数字{'，百分比填 0–100' if ind.unit == '%' else ''}）；暂无则留空"),
        field("as_of", "填写数值时必填：数值所指的日期 YYYY-MM-DD"),
        field("source", "数值的出处"),
    ]
    if entry.get("note") is not None:
        out.append(field("note", "备注"))
    if ind.kind == "relative":
        out += [
            field("assessment", "相对目标由报送单位判定：" + " / ".join(a.value for a in Assessment)),
            field("justification", "填写判定时必填：判定理由"),
        ]
    return out


def write_new_quarter(data_dir: Path, period: str) -> Path:
    if not re.fullmatch(r"\d{4}-Q[1-4]", period or ""):
        raise PlanSiteError(f"报告期“{period}”格式不对，应为 年份-Q季度，如 2016-Q1")
    path = Path(data_dir) / PROGRESS_DIR / f"{period}.yaml"
    if path.exists():  # checked first: an unfinished file must never be overwritten
        raise PlanSiteError(f"{path} 已经存在，未做任何改动（如需重新生成，请先自行删除或改名）")
    plan = load_plan(data_dir)
    if plan.periods and period <= plan.periods[-1].period:
        raise PlanSiteError(f"报告期 {period} 不晚于已有的最新一期 {plan.periods[-1].period}")
    first, last = plan.meta.period.start, plan.meta.period.end + 1
    if not first <= int(period[:4]) <= last:
        raise PlanSiteError(f"报告期 {period} 不在计划期及其后一年（{first}—{last}年）之内")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_new_quarter(plan, period), encoding="utf-8")
    return path
