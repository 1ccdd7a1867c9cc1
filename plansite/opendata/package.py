"""Machine-readable files: the whole model as JSON (plan.json) and a Frictionless Data Package describing the tables."""
from __future__ import annotations

import json
import posixpath

from .. import urls
from ..figures.progress import PeriodState
from ..model.plan import Plan
from ..wording import sample_notice
from .tables import Table, plain


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
    field = {"name": column.name, "type": column.type, "description": plain(column.description)}
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
        "name": table.name, "title": table.title, "description": plain(table.description),
        "path": posixpath.basename(table.path), "profile": "tabular-data-resource", "format": "csv",
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
        "sources": [{"title": plan.meta.source.publisher or plan.meta.issuer, "path": urls.absolute(site["base_url"], urls.PLAN)}],
        # Custom properties: true while any of the figures are demonstration data; which periods
        # are (the CSVs' `sample` column says it row by row); whether the baselines are.
        "sample": bool(notice),
        "sample_periods": [s.period for s in progress if s.sample],
        "sample_baselines": bool(plan.baselines) and plan.baselines_sample,
        "resources": [_resource(t) for t in tables],
    })
