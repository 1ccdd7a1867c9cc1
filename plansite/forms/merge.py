"""Merge the clean forms into the period file: one unit's entries replaced, hand edits never lost silently.

Each entry the import writes carries, in its heading comment, a fingerprint of its data. Importing
again replaces only the entries of the units whose forms are being imported; an entry among those
that no longer matches its fingerprint (or has none) was edited or added by hand since, and the
import stops and names it instead of overwriting it. Entries of other units are kept as written.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import yaml

from ..errors import PlanSiteError
from ..model.dates import cn_date
from ..model.plan import Plan
from ..model.read import YamlLoader, read_yaml
from ..wording import period_label
from .period_file import indicator_lines, render_period, task_lines
from . import layout as L
from .check import Returned

IMPORTED = "由 make import"  # in the first line of every file the import writes
_MARK = re.compile(r"（导入 ([0-9a-f]{12})）\s*$")


class HandEdited(PlanSiteError):
    """Entries the import would replace were changed by hand since the last import."""


def fingerprint(item) -> str:
    return hashlib.sha256(json.dumps(item, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:12]


def _parsed(lines: list[str]):
    """An entry's data as the loader reads it back (dates stay text), for its fingerprint."""
    return yaml.load("\n".join(lines), Loader=YamlLoader)[0]


def _marked(lines: list[str], unit: str) -> list[str]:
    body = [line for line in lines if not line.lstrip().startswith("#")]
    return [f"{lines[0]} · {unit} 报送（导入 {fingerprint(_parsed(body))}）", *lines[1:]]


def owners(plan: Plan, period: str) -> dict[tuple, str]:
    """("task", id) and ("indicator", id) → the unit whose form reports it."""
    who = L.reporters(plan, period)
    return {("task", t): u for t, u in who.items()} | {("indicator", i.id): who[i.task] for i in plan.indicators}


def reported_units(plan: Plan, period: str, text: str) -> set[str]:
    """The units with at least one entry in a period file's text: who is in, whichever batch brought it."""
    try:
        data = yaml.load(text, Loader=YamlLoader)
    except yaml.YAMLError:
        return set()  # not readable: make check names the problem; nobody counts as in
    owner = owners(plan, period)
    found = set()
    for section, key in (("tasks", "task"), ("indicators", "indicator")):
        items = data.get(section) if isinstance(data, dict) else None
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get(key), (int, str)) and (unit := owner.get((key, item[key]))):
                found.add(unit)
    return found


def existing_blocks(path: Path, label: str) -> dict[tuple, tuple[int, list[str], bool]]:
    """Each entry of an imported period file: key → (line, its text lines, unchanged since the import)."""
    text = path.read_text(encoding="utf-8")
    if IMPORTED not in text.split("\n", 1)[0]:
        raise PlanSiteError(f"{label} 已经存在，但不是 make import 生成的（可能是 make new-quarter 生成或手工填写的）。"
                            "为免覆盖其中的内容，导入已停止：请先把它改名或移走，再导入")
    data, lines, problems = read_yaml(path, label)
    if problems or not isinstance(data, dict):
        raise PlanSiteError("\n".join([f"{label} 无法读取，导入已停止：", *(f"  - {p}" for p in problems)]))
    rows = text.split("\n")
    blocks = {}
    for section, key in (("tasks", "task"), ("indicators", "indicator")):
        items = data.get(section) or []
        starts = []
        for i in range(len(items)):
            start = lines[(section, i)]
            starts.append(start - 1 if start >= 2 and rows[start - 2].lstrip().startswith("#") else start)
        end_of_section = (lines[("indicators",)] - 1) if section == "tasks" and ("indicators",) in lines else len(rows)
        for i, item in enumerate(items):
            end = starts[i + 1] - 1 if i + 1 < len(items) else end_of_section
            block = rows[starts[i] - 1:end]
            while block and not block[-1].strip():
                block.pop()
            mark = _MARK.search(block[0]) if block and block[0].lstrip().startswith("#") else None
            clean = bool(mark) and isinstance(item, dict) and mark.group(1) == fingerprint(item)
            ident = item.get(key) if isinstance(item, dict) else None
            blocks[(key, ident)] = (lines[(section, i)], block, clean)
    return blocks


def render_import(plan: Plan, period: str, compiled: dt.date, returned: list[Returned], path: Path, label: str) -> str:
    """The period file after this import: existing entries of other units kept, the returned units' replaced."""
    owner = owners(plan, period)
    importing = {r.unit: r.file for r in returned}
    kept: dict[tuple, list[str]] = {}
    if path.exists():
        edited = []
        for key, (line, block, clean) in existing_blocks(path, label).items():
            unit = owner.get(key)
            if unit not in importing:
                kept[key] = block
            elif not clean:
                what = f"任务 {key[1]}" if key[0] == "task" else f"指标“{key[1]}”"
                edited.append(f"  - {label} 第 {line} 行（{what}）：上次导入后被手工修改或添加，"
                              f"导入 {importing[unit]}（{unit}）会替换它")
        if edited:
            raise HandEdited("\n".join([
                f"{label} 中有 {len(edited)} 条手工改动，本次导入会覆盖它们，导入已停止（文件保持不变）：", *edited,
                "请把这些改动填进该单位的报表（或删去这些条目，表示不再需要），然后重新导入。"]))
    new_tasks = {e["task"]: (e, r.unit) for r in returned for e in r.tasks}
    new_values = {e["indicator"]: (e, r.unit) for r in returned for e in r.indicators}
    tasks = []
    for task in plan.tasks:
        if ("task", task.id) in kept:
            tasks.append(kept[("task", task.id)])
        elif task.id in new_tasks:
            entry, unit = new_tasks[task.id]
            tasks.append(_marked(task_lines(task, entry), unit))
    indicators = []
    for ind in plan.indicators:
        if ("indicator", ind.id) in kept:
            indicators.append(kept[("indicator", ind.id)])
        elif ind.id in new_values:
            entry, unit = new_values[ind.id]
            indicators.append(_marked(indicator_lines(ind, entry), unit))
    head = [
        f"# {period_label(period)}进展。{IMPORTED} 从各单位交回的报表生成；最近一次导入：{cn_date(compiled)}。",
        "# 每条上方的注释写明报送单位和校验码（导入 …）。再次导入某单位的报表只替换该单位的条目；",
        "# 导入后手工改过的条目，再次导入该单位的报表时会被拒绝并列出，不会被悄悄覆盖。",
        "# 没有条目的任务在网站上显示为“未报告”。之后：make check，make site。",
    ]
    return render_period(period, head, compiled, False, tasks, indicators)
