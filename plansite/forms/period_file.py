"""A period file (data/progress/2016-Q1.yaml) as text, commented line by line: written blank by
`make new-quarter` (plansite/forms/new_quarter.py) and filled in by `make import` (merge.py)."""
from __future__ import annotations

import json

from ..model.periods import quarter_start
from ..model.schema import Assessment, Status
from ..wording import target_phrase, task_heading


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML string


def _comment(text: str) -> str:
    """Data text in a comment, on one line: a line break (also U+0085, U+2028) would end the comment."""
    return " ".join(text.split())


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
