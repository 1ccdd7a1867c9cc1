"""Per-page metadata the theme shows outside the Markdown: the <meta> description, and whether the
page carries an 引用本页 block (with the period its data is as of) and a QR code when printed."""
from __future__ import annotations

from .. import urls
from ..figures.progress import PeriodState
from ..figures.summary import count_statuses
from ..model.plan import Plan
from ..urls import chapter_page, department_page, indicator_page, page_url, period_page, task_page
from ..wording import (COMPILED, ISSUED, answerable_text, assessment_label, chapter_heading, citation_facts,
                       citation_note, cn_date, period_label, report_notice, sample_notice, status_label, target_phrase,
                       task_heading)

DESCRIPTION_LENGTH = 120
# Listings and quarterly reports repeat what the task, unit and indicator pages say; left out of
# the search index, a search leads to the page about the thing itself, and the index (fetched
# when a reader starts searching) stays smaller.
NOT_SEARCHED = {"search": {"exclude": True}}
# The full text: its tasks' paragraphs are not searched (plan.md.j2), each is indexed once, on its
# task's page, where a search leads. What it holds besides (the notice, the preamble, the chapter
# headings the chapter pages carry too) is found, but after the pages about each thing.
SEARCHED_LAST = {"search": {"boost": 0.2}}
# A chapter page is searched by its heading and introduction only (the lines repeating its tasks
# are left out, chapter.md.j2: they lead to the task pages). Its heading is the plan's own name for
# its subject: a page matching a word in its title outweighs any matching it only in the text, and
# this slight boost puts the chapter before the tasks and targets whose titles hold the same word
# (标准化 → 一、加强标准化工作), without lifting it in text-only matches.
SEARCHED_BY_HEADING = {"search": {"boost": 1.05}}
# Pages for the data's editors (数据说明) come after every reader's page: a boost this small leaves
# their matches no weight (Lunr keeps three decimals), so they are listed, but last.
SEARCHED_AFTER_READERS = {"search": {"boost": 1e-9}}


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 1] + "…"


def _meta(description: str, cite: list[tuple[str, str]] | None = None, updated=None, sample: bool = False) -> dict:
    """`cite`: what the 引用本页 block says of the page's data (wording.citation_facts), if it has one;
    `updated`, the date of that data, and `sample`, whether it is sample data (the GB/T 7714 citation
    the hook writes from them, wording.citation_7714)."""
    meta = {"description": _clip(description)}  # escaped once, with all front matter, in hooks.on_page_markdown
    if cite:
        meta.update(cite=True, print_qr=True, cite_facts=[list(f) for f in cite], cite_note=citation_note(cite),
                    cite_updated=updated.isoformat(), cite_sample=sample)
    return meta


def derive_past_citations(plan: Plan, task, progress: list[PeriodState]) -> list[dict]:
    """How to cite a task's status as of each period, newest first: its row in that period's report,
    a page that never changes once published (reports/2015-Q3/#task-16)."""
    return [
        {"period": period_label(state.period), "period_id": state.period, "status": status_label(state.tasks[task.id].status),
         "path": page_url(urls.report_task(state.period, task)), "compiled": f"{COMPILED}{cn_date(state.compiled)}",
         "updated": state.compiled.isoformat(), "sample": bool(report_notice(plan, state))}
        for state in reversed(progress)
    ]


def derive_page_meta(plan: Plan, progress: list[PeriodState]) -> dict[str, dict]:
    """src_uri → page metadata, for every generated page that has something specific to say."""
    latest = progress[-1] if progress else None
    as_of = period_label(latest.period) if latest else None
    latest_data = citation_facts(latest.period if latest else None, latest.compiled if latest else None)
    live = dict(updated=latest.compiled if latest else plan.meta.issued,  # the data every live page shows
                sample=bool(sample_notice(progress, bool(plan.baselines) and plan.baselines_sample)))
    title = plan.meta.title
    out = {
        urls.HOME: _meta(f"{plan.meta.issuer}{plan.meta.issued.year}年印发的《{title}》：全文、"
                          f"{len(plan.tasks)}项任务的责任单位、量化目标和季度进展。"),
        urls.PLAN: _meta(f"《{title}》全文，逐字照录原文，每项任务链接到详情页。" + (plan.meta.preamble or ""),
                         cite=[(ISSUED, cn_date(plan.meta.issued))], updated=plan.meta.issued)
        | SEARCHED_LAST,
        urls.TASKS: _meta(f"《{title}》全部{len(plan.tasks)}项任务及其牵头单位和当前状态。") | NOT_SEARCHED,
        urls.DEPARTMENTS: _meta(f"《{title}》涉及的{len(plan.departments)}个责任单位及其牵头、会同、共同负责的任务数。")
        | NOT_SEARCHED | {"scripts": [urls.SORT_SCRIPT]},  # its table sorts by any column
        urls.REPORTS: _meta(f"《{title}》各季度进展报告。") | NOT_SEARCHED,
        urls.CHAPTERS: _meta(f"《{title}》的{len(plan.chapters)}个章节。") | NOT_SEARCHED,
        urls.SITEMAP: _meta(f"《{title}》网站地图：本站全部页面，按栏目列出章节、任务、责任单位、量化目标和季度报告。")
        | NOT_SEARCHED,
        urls.DOWNLOADS: _meta(f"《{title}》公开数据下载：任务、责任单位、量化目标和季度进展的 CSV 表格、JSON 和数据包说明。"),
        urls.METHOD: _meta(f"《{title}》网站的方法说明：任务状态和量化目标评估的含义、序时进度的算法、数据的来源与性质。"),
        urls.SCHEMA: _meta(f"《{title}》网站的数据说明：生成网站的数据文件及每个字段的含义，供维护数据的工作人员查阅。") | SEARCHED_AFTER_READERS,
        urls.ABOUT: _meta(f"关于《{title}》信息公开网站：数据来源、季度进展、网址与引用、订阅与打印、数据下载和关怀模式。"),
    }
    for chapter in plan.chapters:
        tasks = plan.tasks_in(chapter)
        out[chapter_page(chapter)] = _meta(
            f"《{title}》{chapter_heading(chapter)}：" + "；".join(task_heading(t) for t in tasks)) | SEARCHED_BY_HEADING
    for task in plan.tasks:
        out[task_page(task)] = _meta(f"{task_heading(task)}（{answerable_text(task)}）。{task.text}", cite=latest_data, **live)
        out[task_page(task)]["past_citations"] = derive_past_citations(plan, task, progress)
    for dept in plan.departments:
        roles = plan.roles_of(dept)
        out[department_page(dept)] = _meta(
            f"{dept.name}在《{title}》中牵头{len(roles['lead'])}项、会同{len(roles['partners'])}项、"
            f"共同负责{len(roles['joint'])}项任务。", cite=latest_data, **live)
    for ind in plan.indicators:
        state = latest.indicators[ind.id] if latest else None
        judged = f"，{as_of}评估：{assessment_label(state.assessed.code)}" if state else ""
        out[indicator_page(ind)] = _meta(
            f"{ind.name}：目标{target_phrase(ind)}，期限{cn_date(ind.deadline)}{judged}。原文：{ind.source_text}",
            cite=latest_data, **live)
    out[urls.INDICATORS] = _meta(f"《{title}》的{len(plan.indicators)}项量化目标及其最新评估。") | NOT_SEARCHED
    for state in progress:
        counts = count_statuses(state, [t.id for t in plan.tasks])
        out[period_page(state.period)] = _meta(
            f"《{title}》{period_label(state.period)}进展：{len(plan.tasks)}项任务中已完成{counts['completed']}项、"
            f"推进中{counts['in_progress']}项、滞后{counts['behind']}项。",
            cite=citation_facts(state.period, state.compiled), updated=state.compiled,
            sample=bool(report_notice(plan, state))) | NOT_SEARCHED  # a frozen report cites its own date, not the latest one
    return out
