#!/usr/bin/env python3
"""Write a synthetic plan N times the size of the real one, for the benchmark.

    python scripts/synth_plan.py --scale 32 --out /tmp/plan-32x

It reuses data/method.yaml and the real plan's shape (chapters of ~3 tasks, ~1 unit per task,
~0.75 indicators per task) and writes its own source text, so every validation rule still runs.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERIODS = {1: 5, 4: 8, 16: 14, 32: 20}  # a provincial plan reported for years
STATUSES = ["未启动", "推进中", "滞后", "已完成", "常态推进"]


def quarters(count: int) -> list[str]:
    out, year, q = [], 2014, 4
    for _ in range(count):
        out.append(f"{year}-Q{q}")
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out


def write_plan(scale: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    periods = quarters(PERIODS.get(scale, 5))
    last_year = int(periods[-1][:4])  # the plan period covers every report
    n_tasks, n_units, n_chapters = 31 * scale, 34 * scale, 11 * scale
    units = [f"市第{i}局" for i in range(1, n_units + 1)]
    if out.exists():
        shutil.rmtree(out)
    (out / "source").mkdir(parents=True)
    (out / "progress").mkdir()
    lines, tasks, indicators = ["合成测试计划", "为测试构建速度,制定本计划。"], [], []
    per_chapter = -(-n_tasks // n_chapters)
    for c in range(1, n_chapters + 1):
        lines.append(f"第{c}章、合成章节{c}")
        for t in range((c - 1) * per_chapter + 1, min(c * per_chapter, n_tasks) + 1):
            lead, partners = units[(t - 1) % n_units], rng.sample(units, 3)
            partners = [p for p in partners if p != lead]
            target = rng.choice([8, 50, 90, 300])
            text = (f"合成任务{t}。开展第{t}项工作,到2015年,指标{t}达到{target}项以上。"
                    f"({lead}牵头会{'、'.join(partners)}等单位负责)")
            lines.append(f"({t}){text}")
            tasks.append(dict(id=t, number=f"({t})", chapter=c, title=f"合成任务{t}", text=text, lead=[lead], partners=partners))
            if t % 4:
                indicators.append(dict(id=f"i-{t}", task=t, target=target, text=f"指标{t}达到{target}项以上"))
    (out / "source" / "plan.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _write(out / "plan.yaml", [
        "title: 合成测试计划", "issuer: 合成机关", "issued: 2014-09-25", f"period: {{start: 2014, end: {last_year}}}",
        "source: {file: source/plan.txt}", "preamble: 为测试构建速度,制定本计划。", "chapters:",
        *(f"  - {{id: {c}, number: 第{c}章, title: 合成章节{c}}}" for c in range(1, n_chapters + 1)),
    ])
    _write(out / "departments.yaml", ["departments:", *(
        f"  - {{id: unit-{i}, name: {u}, kind: municipal_department}}" for i, u in enumerate(units, 1))])
    task_lines = ["tasks:"]
    for t in tasks:
        task_lines += [f"  - id: {t['id']}", f"    number: \"{t['number']}\"", f"    chapter: {t['chapter']}",
                       f"    title: {t['title']}", f"    text: \"{t['text']}\"", f"    lead: [{t['lead'][0]}]",
                       f"    partners: [{', '.join(t['partners'])}]"]
    _write(out / "tasks.yaml", task_lines)
    _write(out / "indicators.yaml", ["indicators:", *(
        f"  - {{id: {i['id']}, task: {i['task']}, name: 指标{i['task']}, kind: numeric, measure: level, "
        f"comparator: \">=\", target: {i['target']}, unit: 项, target_text: {i['target']}项以上, "
        f"deadline: {last_year}-12-31, source_text: {i['text']}}}" for i in indicators)])
    shutil.copy(ROOT / "data" / "method.yaml", out / "method.yaml")
    _write(out / "baselines.yaml", ["sample: true", "baselines:", *(
        f"  - {{indicator: {i['id']}, value: 0, as_of: 2013-12-31}}" for i in indicators)])
    for k, period in enumerate(periods):
        year, q = int(period[:4]), int(period[-1])
        end = dt.date(year, 3 * q, 1) + dt.timedelta(days=31)
        end = end.replace(day=1) - dt.timedelta(days=1)
        body = [f"period: {period}", f"compiled: {end + dt.timedelta(days=15)}", "sample: true", "tasks:"]
        for t in tasks:
            body.append(f"  - {{task: {t['id']}, status: {STATUSES[(t['id'] + k) % 5]}, "
                        f"summary: 合成进展{t['id']}-{k}, reporter: {t['lead'][0]}}}")
        body.append("indicators:")
        for i in indicators:
            body.append(f"  - {{indicator: {i['id']}, value: {round(i['target'] * (k + 1) / 8, 1)}, as_of: {end}}}")
        _write(out / "progress" / f"{period}.yaml", body)


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_plan(args.scale, args.out)
    print(f"已生成 {args.scale}× 合成计划：{args.out}")
