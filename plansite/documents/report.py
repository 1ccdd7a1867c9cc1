"""A quarterly report as plain data (what its Word version says) and its path.

The model is built from the same derived figures as the report page (plansite/figures), never
from the page's HTML; plansite/documents/docx_render.py lays it out. Like a chart spec it is plain
JSON, so its hash (with the code that lays it out) keys the cached .docx (plansite/builder/cache.py):
an unchanged report is never made again, and a build with nothing new never imports python-docx.
"""
from __future__ import annotations

from .. import urls
from ..figures.assess import OVERDUE
from ..figures.progress import PeriodState
from ..figures.summary import count_statuses, derive_changes
from ..model.plan import Plan
from ..model.schema import ROLE_LABELS, Task
from ..wording import (ASSESSMENT_DISPLAY, COMPILED, answerable_units, assessment_label, cn_date, period_label,
                       report_notice, status_label, target_outcome, target_phrase, task_heading, unjudged_reason,
                       value_text)


def document_title(plan: Plan, period: str) -> str:
    return f"《{plan.meta.title}》{period_label(period)}进展情况"


def _units(task: Task) -> str:
    """The units answering for the task (wording.answerable_units), their role named unless they lead it."""
    role, names = answerable_units(task)
    return "、".join(names) + ("" if role == "lead" else f"（{ROLE_LABELS[role]}）")


def derive_report_document(plan: Plan, state: PeriodState, chart: dict, base_url: str, signature: str | None = None) -> dict:
    """Everything the Word report shows, as plain data; `chart` is the report's status chart spec and
    `signature` the office that issues the reports (extra.gov.report_issuer; none is ever invented)."""
    task_ids = [t.id for t in plan.tasks]
    counts = count_statuses(state, task_ids)
    changes = derive_changes(state)

    def heading(task_id: int) -> str:
        return task_heading(plan.task(task_id))

    return {
        "title": document_title(plan, state.period),
        "plan_title": plan.meta.title,
        "issuer": plan.meta.issuer,
        "signature": signature or None,
        "period": state.period,
        "period_label": period_label(state.period),
        "compiled": state.compiled.isoformat(),
        "compiled_text": f"{COMPILED}{cn_date(state.compiled)}",  # the term the site uses (wording.COMPILED)
        "date_text": cn_date(state.compiled),  # the report's date (成文日期), as the 落款 writes it
        # As on the page: which of the periods it shows are sample (none for a report of reported data).
        "sample_notice": report_notice(plan, state) or None,
        "url": urls.absolute(base_url, urls.period_page(state.period)),
        "total": len(task_ids),
        # As on the page: 未报告 only when some task was not reported.
        "counts": [[status_label(code), n] for code, n in counts.items() if n or code != "not_reported"],
        "chart": {"caption": chart["caption"], "alt": chart["alt"], "png_size": chart["png_size"]},
        # As on the page: once the plan is over, the tasks not reported complete (未按期完成).
        "plan_end_text": cn_date(state.plan_end) if state.plan_over and state.plan_end else None,
        "unfinished": [heading(t.id) for t in plan.tasks if state.unfinished(t.id)],
        "first": state.previous is None,
        "newly_completed": [heading(t) for t in changes.newly_completed],
        "newly_behind": [heading(t) for t in changes.newly_behind],
        "status_changes": [[heading(t), status_label(before), status_label(after)]
                           for t, before, after in changes.status_changes],
        "behind": [[task_heading(t), _units(t), _summary(state, t)]
                   for t in plan.tasks if state.tasks[t.id].status == "behind"],
        # Every target, grouped by its verdict in the site's one order (已达标, 未达标, 逾期未报数 …):
        # [label, [[name, target, latest value, its date, note]]], the groups that have targets.
        "targets": _targets_by_verdict(plan, state),
        "indicators_total": len(plan.indicators),
        "tasks": [[task_heading(t), _units(t), status_label(state.tasks[t.id].status), _summary(state, t)]
                  for t in plan.tasks],
    }


def _targets_by_verdict(plan: Plan, state: PeriodState) -> list[list]:
    """Each verdict that some target has, in ASSESSMENT_DISPLAY's order, with its targets: name,
    target, latest value, the value's date, and what the report page says of it."""
    groups = []
    for code in ASSESSMENT_DISPLAY:
        rows = [[i.name, target_phrase(i), value_text(i, s.entry), cn_date(s.entry.as_of) if s.entry and s.entry.as_of else "—",
                 _target_note(i, s)]
                for i in plan.indicators for s in [state.indicators[i.id]] if s.assessed.code == code]
        if rows:
            groups.append([assessment_label(code), rows])
    return groups


def _target_note(indicator, state) -> str:
    """Why the verdict, where the value alone does not say it (as the report page gives it)."""
    assessed = state.assessed
    if assessed.code in OVERDUE or (assessed.code == "missed" and (state.entry is None or state.entry.value is None)):
        return target_outcome(indicator, state.entry, assessed).split("；")[-1]
    if assessed.code == "no_data":
        return unjudged_reason(indicator, state.entry, assessed)
    if assessed.reported and assessed.reported != assessed.code:
        return f"报送单位判定为{assessment_label(assessed.reported)}，期限已到"
    if indicator.kind == "relative" and state.entry and state.entry.justification:
        return f"报送单位理由：{state.entry.justification}"
    return ""


def _summary(state: PeriodState, task: Task) -> str:
    report = state.tasks[task.id].report
    return report.summary if report and report.summary else ""


def derive_report_documents(plan: Plan, progress: list[PeriodState], specs: dict[str, dict],
                            base_url: str, signature: str | None = None) -> dict[str, dict]:
    """Site path → {model, chart (the status chart's id)} for every quarterly report."""
    documents = {}
    for state in progress:
        chart = specs[urls.report_chart(state.period)]
        model = derive_report_document(plan, state, chart, base_url, signature)
        documents[urls.period_document(state.period)] = {"model": model, "chart": chart["id"]}
    return documents
