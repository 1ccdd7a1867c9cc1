"""Machine-readable files: the whole model as JSON, a Frictionless Data Package, an Atom feed."""
from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from .derive import PeriodState
from .display import period_label, period_page, report_notice, sample_notice
from .downloads import Table
from .plan import Plan
from .render import page_url

DATE_TIME = "{}T00:00:00Z"


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def render_plan_json(plan: Plan, progress: list[PeriodState]) -> str:
    """Everything the site shows, as one JSON document: the data files plus the derived figures."""
    derived = [
        {
            "period": s.period,
            "task_status": {str(t): state.status for t, state in s.tasks.items()},
            "indicator_assessment": {i: state.assessed.code for i, state in s.indicators.items()},
        }
        for s in progress
    ]
    return _dump({
        "plan": plan.meta.model_dump(mode="json"),
        "departments": [d.model_dump(mode="json") for d in plan.departments],
        "tasks": [t.model_dump(mode="json") for t in plan.tasks],
        "indicators": [i.model_dump(mode="json") for i in plan.indicators],
        "method": plan.method.model_dump(mode="json"),
        "baselines": {"sample": plan.baselines_sample, "baselines": [b.model_dump(mode="json") for b in plan.baselines]},
        "periods": [p.model_dump(mode="json") for p in plan.periods],
        "derived": derived,
    })


def _field(column) -> dict:
    field = {"name": column.name, "type": column.type, "description": column.description}
    constraints = {}
    if column.enum:
        constraints["enum"] = list(column.enum)
    if column.required:
        constraints["required"] = True
    if constraints:
        field["constraints"] = constraints
    return field


def _resource(table: Table) -> dict:
    schema = {"fields": [_field(c) for c in table.columns], "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [col], "reference": {"resource": ref, "fields": [ref_col]}} for col, ref, ref_col in table.foreign_keys
        ]
    return {
        "name": table.name, "title": table.title, "description": table.description,
        "path": f"{table.name}.csv", "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8-sig", "schema": schema,
    }


def render_datapackage(plan: Plan, progress: list[PeriodState], tables: tuple[Table, ...], site: dict) -> str:
    # Per period, as on the 数据下载 page: the tables hold every period (and the baselines).
    notice = sample_notice(progress, bool(plan.baselines) and plan.baselines_sample)
    return _dump({
        "profile": "tabular-data-package",
        "name": site["dataset_name"],
        "title": plan.meta.title,
        "description": f"《{plan.meta.title}》的章节、任务、责任单位、量化目标及季度进展。"
                       + (f"{notice}。" if notice else ""),
        "homepage": site["base_url"],
        "licenses": [site["license"]],
        "sources": [{"title": plan.meta.source.publisher or plan.meta.issuer, "path": site["base_url"] + "plan/"}],
        # Custom properties: true while any of the figures are demonstration data; which periods
        # are (the CSVs' `sample` column says it row by row); whether the baselines are.
        "sample": bool(notice),
        "sample_periods": [s.period for s in progress if s.sample],
        "sample_baselines": bool(plan.baselines) and plan.baselines_sample,
        "resources": [_resource(t) for t in tables],
    })


def render_feed(plan: Plan, progress: list[PeriodState], base_url: str) -> str:
    """One Atom entry per quarterly report; ids and dates come from the data, never the clock."""
    base = base_url.rstrip("/") + "/"
    entries = []
    for state in reversed(progress):
        url = base + page_url(period_page(state.period))
        counts = {}
        for s in state.tasks.values():
            counts[s.status] = counts.get(s.status, 0) + 1
        summary = f"{period_label(state.period)}：{len(state.tasks)} 项任务中已完成 {counts.get('completed', 0)} 项、滞后 {counts.get('behind', 0)} 项。"
        if notice := report_notice(plan, state):  # as on the report page
            summary += f"{notice}。"
        entries.append(
            "  <entry>\n"
            f"    <id>{escape(url)}</id>\n"
            f"    <title>{escape(period_label(state.period))}进展报告</title>\n"
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>\n"
            f"    <updated>{DATE_TIME.format(state.compiled.isoformat())}</updated>\n"
            f"    <summary>{escape(summary)}</summary>\n"
            "  </entry>\n"
        )
    updated = progress[-1].compiled if progress else plan.meta.issued
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">\n'
        f"  <id>{escape(base)}feed.xml</id>\n"
        f"  <title>{escape(plan.meta.title)} · 季度进展</title>\n"
        f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(base + 'feed.xml')}/>\n"
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(base + 'reports/')}/>\n"
        f"  <updated>{DATE_TIME.format(updated.isoformat())}</updated>\n"
        f"  <author><name>{escape(plan.meta.issuer)}（计划原文）</name></author>\n"
        + "".join(entries)
        + "</feed>\n"
    )
