"""Plan → Markdown pages. Templates hold layout; this module holds the few rules behind it."""
from __future__ import annotations

import json
import posixpath
from pathlib import Path

import jinja2

from .. import urls, wording
from ..figures.assess import OVERDUE, worked_example
from ..figures.progress import STATUS_ORDER, PeriodState
from ..figures.sources import assessment_sources, indicator_sources
from ..figures.summary import count_statuses, derive_changes, derive_unit_delays, derive_verdict
from ..model.plan import Plan
from ..model.schema import COUNTABLE_UNITS, ROLE_LABELS, ROLES, describe_schema
from ..urls import chapter_page, department_page, indicator_page, period_document, period_page, relative_path, task_page
from ..wording import task_heading
from . import badges, printing
from .markdown import h, md, md_code, size_mark
from .sections import SITEMAP_TITLE, derive_sitemap

TEMPLATES = Path(__file__).parent / "templates"


def _environment(bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=bytecode_cache,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # output is Markdown; every data value goes through the md filter
        # Markdown heading ids are written {#id}, which Jinja would read as a comment: a template's
        # comments are <#-- … --#> (tests/test_no_template_text.py finds any template text on a page).
        comment_start_string="<#--",
        comment_end_string="--#>",
    )
    env.filters.update(size_mark=size_mark, md=md, md_code=md_code, h=h, number=wording.number, cn_date=wording.cn_date,
                       json=lambda v: json.dumps(v, ensure_ascii=False))
    env.globals.update(
        chapter_heading=wording.chapter_heading,
        task_heading=wording.task_heading,
        task_number=wording.task_number,
        target_phrase=wording.target_phrase,
        ROLES=ROLES,
        ROLE_LABELS=ROLE_LABELS,
        task_anchor=urls.task_anchor,
        count_statuses=count_statuses,
        derive_changes=derive_changes,
        STATUS_DISPLAY=wording.STATUS_DISPLAY,
        STATUS_ORDER=STATUS_ORDER,
        ASSESSMENT_DISPLAY=wording.ASSESSMENT_DISPLAY,
        period_label=wording.period_label,
        status_badge=badges.status_badge,
        status_label=wording.status_label,
        assessment_badge=badges.assessment_badge,
        status_legend=badges.status_legend,
        assessment_legend=badges.assessment_legend,
        status_glossed=badges.status_glossed,
        assessment_glossed=badges.assessment_glossed,
        ratio_gloss=wording.ratio_gloss,
        ROLE_GLOSSES=wording.ROLE_GLOSSES,
        task_excerpt=wording.task_excerpt,
        answerable_units=wording.answerable_units,
        value_text=wording.value_text,
        expected_text=wording.expected_text,
        year_span=wording.year_span,
        AS_OF=wording.AS_OF,  # the terms for the dates of the data (wording.py; defined on 方法说明)
        COMPILED=wording.COMPILED,
        TYPE_LABELS=wording.TYPE_LABELS,
        unjudged_reason=wording.unjudged_reason,
        target_outcome=wording.target_outcome,
        assessment_counts=wording.assessment_counts,
        OVERDUE=OVERDUE,
        verdict_sentence=wording.verdict_sentence,
        task_counts=wording.task_counts,
        derive_verdict=derive_verdict,
        COUNTABLE_UNITS=COUNTABLE_UNITS,
        urls=urls,  # every address a template links to by name: urls.TASKS, urls.METHOD …
        print_page=printing.page_name,  # a report's named printed page (its running head)
        plan_text_page=printing.PLAN_TEXT,  # the plan text's named printed page (its issue date)
    )
    return env


class PageRenderer:
    """Renders every generated page of one plan; links are made relative to each page."""

    def __init__(self, plan: Plan, progress: list[PeriodState], charts: dict[str, dict] | None = None,
                 documents: dict[str, dict] | None = None, bytecode_cache: jinja2.BytecodeCache | None = None):
        self.plan = plan
        self.documents = documents or {}  # site path → {model, …} (plansite.documents), made separately
        self.env = _environment(bytecode_cache)  # compiled templates kept between builds (plansite/builder/cache.py)
        self.progress = progress
        self.latest = progress[-1] if progress else None
        self.history_notice = self.notice(progress)  # a page showing every period's progress
        self.charts = charts or {}  # chart id → spec (plansite.charts), drawn into the site's charts/
        self.unit_delays = derive_unit_delays(plan, progress)  # the unit list and every unit page show them
        # HTML blocks by page: Python-Markdown parses raw HTML tag by tag in Python (most of a large
        # plan's build), so templates hand long HTML blocks to the `raw_html` filter, the Markdown
        # keeps a comment in their place, and the hook puts them back after conversion. (MkDocs'
        # anchor check cannot see ids inside them; tests/test_site_integrity.py checks every link.)
        self.raw: dict[str, list[str]] = {}
        self._current: list[str] = []
        self.env.filters["raw_html"] = self._stash
        # A target's verdict as of the latest period (暂无数据 before any).
        verdict_of = lambda ind_id: self.latest.indicators[ind_id].assessed.code if self.latest else "no_data"  # noqa: E731
        self.env.filters["verdict_of"] = verdict_of
        self.env.globals["verdict_of"] = verdict_of
        # What a page shows as a task's current status (未按期完成 once the plan is over), and the codes
        # its legend explains, for a list of task ids.
        self.env.globals["current_status"] = lambda task_id: badges.current_status(self.latest, task_id)
        self.env.globals["current_codes"] = lambda ids: [c for t in ids for c in badges.current_codes(self.latest, t)]

    def _stash(self, block: str) -> str:
        self._current.append(block.strip())
        return f"\n\n<!--plansite-raw:{len(self._current) - 1}-->\n\n"

    def render(self, template: str, src_uri: str, **context) -> str:
        here = posixpath.dirname(src_uri)
        self._current = self.raw.setdefault(src_uri, [])

        def link(target: str) -> str:
            path, _, anchor = target.partition("#")
            rel = relative_path(path, here)
            return rel + (f"#{anchor}" if anchor else "")

        def url(target: str) -> str:
            """The published address of a page, for HTML blocks (Markdown links name the .md file)."""
            path, _, anchor = target.partition("#")
            rel = urls.page_url(link(path)) or "./"
            return rel + (f"#{anchor}" if anchor else "")

        helpers = dict(
            link=link,
            url=url,
            task_url=lambda t: url(task_page(t)),
            chapter_link=lambda c: link(chapter_page(c)),
            task_link=lambda t: link(task_page(t)),
            unit_link=lambda name: link(department_page(self.plan.department_named(name))),
            department_link=lambda d: link(department_page(d)),
            department_url=lambda d: url(department_page(d)),
            chapter_url=lambda c: url(chapter_page(c)),
            unit_url=lambda name: url(department_page(self.plan.department_named(name))),
            report_task_url=lambda period, task: url(urls.report_task(period, task)),
            report_link=lambda period: link(period_page(period)),
            report_url=lambda period: url(period_page(period)),
            document_url=lambda period: link(period_document(period)),
            task_links=lambda ids: "、".join(
                f"[{md(task_heading(self.plan.task(t)))}]({link(task_page(self.plan.task(t)))})" for t in ids
            ),
            tasks_in_status=lambda state, code: [t for t in self.plan.tasks if state.tasks[t.id].status == code],
            indicator_link=lambda i: link(indicator_page(i)),
            indicator_url=lambda i: url(indicator_page(i)),
        )
        # A chart is a figure: caption, image with its text alternative, and the numbers as a table.
        helpers["chart"] = lambda chart_id: (
            self.env.get_template("_chart.md.j2").render(chart=self.charts[chart_id], link=link)
            if chart_id in self.charts else ""
        )
        # The sample-data notice: by default a page shows the progress of every period (timelines,
        # charts of all periods, delays counted over all periods); pages showing less say so.
        context.setdefault("sample_notice", self.history_notice)
        context.setdefault("unit_delays", self.unit_delays)
        return self.env.get_template(template).render(
            plan=self.plan, page=src_uri, progress=self.progress, latest=self.latest, **helpers, **context
        )

    def notice(self, shown: list[PeriodState], baselines: bool = False) -> str:
        """The sample notice of a page showing the periods `shown` (and baselines.yaml, if `baselines`)."""
        return wording.sample_notice(shown, baselines and self.plan.baselines_sample)

    def _indicator_notice(self, indicator) -> str:
        """An indicator's page: the periods it was reported in (its chart and table), and the
        baseline its 序时进度 line starts from, if baselines.yaml gives one."""
        return self.notice(*indicator_sources(self.plan, self.progress, indicator))  # as its chart's source line

    def _targets_notice(self, states: list[PeriodState], shown: list[tuple[PeriodState, object]]) -> str:
        """The notice of a page showing the periods `states` and, for each (period, indicator) of
        `shown`, the indicator's value and assessment as of that period."""
        periods = {s.period: s for s in states}
        from_file = False
        for state, indicator in shown:
            sources, file = assessment_sources(self.plan, state, indicator)
            periods.update((s.period, s) for s in sources)
            from_file = from_file or file
        return self.notice(list(periods.values()), from_file)

    def pages(self, tables: tuple, sizes: dict[str, str], site: dict) -> dict[str, str]:
        """src_uri → Markdown for every page built from the data."""
        plan = self.plan
        out = {
            urls.SCHEMA: self.render("schema.md.j2", urls.SCHEMA, files=describe_schema()),
            urls.HOME: self.render("home.md.j2", urls.HOME),
            urls.PLAN: self.render("plan.md.j2", urls.PLAN),
            urls.CHAPTERS: self.render("chapters.md.j2", urls.CHAPTERS),
            # Only the latest status of each task.
            urls.TASKS: self.render("tasks.md.j2", urls.TASKS, sample_notice=self.notice(self.progress[-1:])),
            urls.DEPARTMENTS: self.render("departments.md.j2", urls.DEPARTMENTS),
        }
        for chapter in plan.chapters:
            out[chapter_page(chapter)] = self.render("chapter.md.j2", chapter_page(chapter), chapter=chapter)
        for task in plan.tasks:
            # Every period's status, and the targets' values and assessments in the periods reporting them.
            notice = self._targets_notice(self.progress, [(s, i) for s in self.progress for i in plan.indicators_of(task)
                                                          if i.id in s.new_values])
            out[task_page(task)] = self.render("task.md.j2", task_page(task), task=task, sample_notice=notice)
        for department in plan.departments:
            src = department_page(department)
            roles = plan.roles_of(department)
            # The targets of the unit's tasks, by role, with their latest verdicts (and where those come from).
            targets = [(role, task, ind) for role in ROLES for task in roles[role] for ind in plan.indicators_of(task)]
            notice = self._targets_notice(self.progress, [(s, i) for s in self.progress[-1:] for _, _, i in targets])
            out[src] = self.render("department.md.j2", src, department=department, roles=roles, targets=targets,
                                   sample_notice=notice)
        # The latest value and assessment of each target, from whichever period reported it.
        latest = self.progress[-1:]
        notice = self._targets_notice(latest, [(s, i) for s in latest for i in plan.indicators])
        out[urls.INDICATORS] = self.render("indicators.md.j2", urls.INDICATORS, sample_notice=notice)
        for indicator in plan.indicators:
            src = indicator_page(indicator)
            out[src] = self.render("indicator.md.j2", src, indicator=indicator, sample_notice=self._indicator_notice(indicator))
        # 数据性质 says which periods are sample, on its own (the page shows no progress).
        baselines = bool(plan.baselines) and plan.baselines_sample
        out[urls.METHOD] = self.render(
            "method.md.j2", urls.METHOD, example=worked_example(plan), sample_notice="",
            data_notice=wording.sample_notice(self.progress, baselines), sample_baselines=baselines,
            sample_periods=wording.period_span(s.period for s in self.progress if s.sample),
            real_periods=wording.period_span(s.period for s in self.progress if not s.sample))
        out[urls.REPORTS] = self.render("reports.md.j2", urls.REPORTS)
        for state in self.progress:
            # A report shows only its own period, the one before and its targets' latest values
            # (and where their pace starts): never a later period, so it never changes later.
            src = period_page(state.period)
            document = self.documents.get(period_document(state.period))
            out[src] = self.render("report.md.j2", src, state=state, changes=derive_changes(state),
                                   sample_notice=wording.report_notice(plan, state),
                                   document=document["model"] if document else None)
        out[urls.SITEMAP] = self.render("sitemap.md.j2", urls.SITEMAP, title=SITEMAP_TITLE,
                                           sections=derive_sitemap(plan, self.progress))
        # Last: it lists the sizes of the charts' images and the Word reports, and so waits for them.
        out[urls.DOWNLOADS] = self.render("downloads.md.j2", urls.DOWNLOADS, tables=tables, sizes=sizes,
                                                sample_notice=self.notice(self.progress, bool(plan.baselines)),
                                                site=site, charts=self.charts, documents=self.documents)
        return out
