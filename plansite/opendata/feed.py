"""The Atom feed: one entry per quarterly report, ids and dates from the data, never the clock."""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .. import urls
from ..figures.progress import PeriodState
from ..figures.summary import count_statuses
from ..model.plan import Plan
from ..wording import period_label, report_notice, task_counts

DATE_TIME = "{}T00:00:00Z"


def render_feed(plan: Plan, progress: list[PeriodState], base_url: str) -> str:
    """One Atom entry per quarterly report; ids and dates come from the data, never the clock."""
    entries = []
    for state in reversed(progress):
        url = urls.absolute(base_url, urls.period_page(state.period))
        # As the report page counts them: after the plan's end, what is not done reads 未按期完成.
        counts = task_counts(count_statuses(state, list(state.tasks)), state.plan_over)
        summary = f"{period_label(state.period)}：{len(state.tasks)}项任务中{counts}。"
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
        f"  <id>{escape(urls.absolute(base_url, urls.FEED))}</id>\n"
        f"  <title>{escape(plan.meta.title)} · 季度进展</title>\n"
        f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(urls.absolute(base_url, urls.FEED))}/>\n"
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(urls.absolute(base_url, urls.REPORTS))}/>\n"
        f"  <updated>{DATE_TIME.format(updated.isoformat())}</updated>\n"
        f"  <author><name>{escape(plan.meta.issuer)}（计划原文）</name></author>\n"
        + "".join(entries)
        + "</feed>\n"
    )
