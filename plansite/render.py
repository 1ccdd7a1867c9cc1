"""Plan → Markdown pages. Templates hold layout; this module holds the few rules behind it."""
from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path

import jinja2

from . import display
from .derive import (ASSESSMENT_DISPLAY, STATUS_DISPLAY, STATUS_ORDER, PeriodState, count_statuses, derive_changes,
                     derive_unit_delays, derive_verdict, worked_example)
from .display import period_document, period_page
from .plan import Plan
from .schema import (NOT_REPORTED, COMPARATOR_LABELS, COUNTABLE_UNITS, describe_schema, ROLE_LABELS, ROLES, Chapter,
                     Department, Indicator, Task)

TEMPLATES = Path(__file__).parent / "templates"
# Where a template's HTML block stands in the Markdown until MkDocs has converted the rest (see
# PageRenderer.raw); data cannot produce it, since every "<" in data is escaped.
RAW_MARK = re.compile(r"<!--plansite-raw:(\d+)-->")

# The characters Python-Markdown (with the tables extension) treats as syntax and lets a backslash
# escape; data is text, so each is escaped to stay text. Escaping any other character (: = ~ ^ $)
# would leave the backslash visible on the page.
_MD_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
# Markdown reads \r as a line break too: one inside a table cell would start a new row.
_LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def md(value: object) -> str:
    """Escape data for Markdown: it renders exactly as written and never becomes markup."""
    text = html.escape(str(value), quote=False)
    return _LINE_BREAK.sub(" ", _MD_SYNTAX.sub(r"\\\1", text))


def h(value: object) -> str:
    """Escape data for an HTML block inside Markdown: text stays text, and a line break in the
    data cannot end the block (a blank line would hand the rest back to Markdown)."""
    return _LINE_BREAK.sub(" ", html.escape(str(value)))


# ---- stable paths: these become the published URLs, so they never depend on titles ----------


def chapter_page(chapter: Chapter) -> str:
    return f"chapters/{chapter.id:02d}/index.md"


def task_page(task: Task) -> str:
    return f"tasks/{task.id:02d}/index.md"


def department_page(department: Department) -> str:
    return f"departments/{department.id}/index.md"


def indicator_page(indicator: Indicator) -> str:
    return f"indicators/{indicator.id}/index.md"


def page_url(src_uri: str) -> str:
    """Site-relative URL of a page, as MkDocs publishes it with directory URLs."""
    return src_uri.removesuffix("index.md")


def relative_path(path: str, start: str) -> str:
    """posixpath.relpath for site paths, without its look-up of the working directory (which
    cost a quarter of page rendering)."""
    to, here = path.split("/"), [part for part in start.split("/") if part]
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def task_anchor(task: Task) -> str:
    return f"task-{task.id:02d}"


# ---- small wording rules --------------------------------------------------------------------


def chapter_heading(chapter: Chapter) -> str:
    return f"{chapter.number}、{chapter.title}"


def task_heading(task: Task) -> str:
    return f"{task.number}{task.title}"


# The plan's own note of who is responsible, at the end of a task's paragraph: （…单位负责）.
_UNITS_NOTE = re.compile(r"[（(][^（()）]*负责[)）]\s*$")
EXCERPT_LENGTH = 48


def task_excerpt(task: Task) -> str:
    """One line of the task's text for lists: its first sentence after the title, clipped."""
    text = _UNITS_NOTE.sub("", " ".join(task.text.split()))
    if text.startswith(task.title):
        text = text[len(task.title):].lstrip("。，,；; ")
    first = re.split(r"(?<=[。；！？])", text, maxsplit=1)[0] or text
    return first if len(first) <= EXCERPT_LENGTH else first[: EXCERPT_LENGTH - 1] + "…"


def unit_names(task: Task) -> tuple[str, list[str]]:
    """The role and names of a task's responsible units, for lists: its lead units, else the units
    that share it (共同负责)."""
    return ("lead", list(task.lead)) if task.lead else ("joint", list(task.joint))


def target_phrase(indicator: Indicator) -> str:
    if indicator.kind == "relative":
        return indicator.target_text
    phrase = f"{COMPARATOR_LABELS[indicator.comparator]} {number(indicator.target)}{indicator.unit}"
    # Wording such as 杜绝 carries no number; keep the plan's own word beside the figure.
    return phrase if number(indicator.target) in indicator.target_text else f"{phrase}（{indicator.target_text}）"


def number(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _environment() -> jinja2.Environment:
    from .template_cache import template_cache  # (here: chart_draw, which it uses, imports this module)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=template_cache(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # output is Markdown; every data value goes through the md filter
        # Markdown heading ids are written {#id}, which Jinja would read as a comment.
        comment_start_string="<#--",
        comment_end_string="--#>",
    )
    env.filters.update(size_mark=size_mark, md=md, h=h, number=number, cn_date=cn_date, json=lambda v: json.dumps(v, ensure_ascii=False))
    env.globals.update(
        chapter_heading=chapter_heading,
        task_heading=task_heading,
        target_phrase=target_phrase,
        ROLES=ROLES,
        ROLE_LABELS=ROLE_LABELS,
        task_anchor=task_anchor,
        count_statuses=count_statuses,
        derive_changes=derive_changes,
        STATUS_DISPLAY=STATUS_DISPLAY,
        STATUS_ORDER=STATUS_ORDER,
        ASSESSMENT_DISPLAY=ASSESSMENT_DISPLAY,
        period_label=display.period_label,
        status_badge=display.status_badge,
        status_label=display.status_label,
        assessment_badge=display.assessment_badge,
        status_legend=display.status_legend,
        assessment_legend=display.assessment_legend,
        status_glossed=display.status_glossed,
        assessment_glossed=display.assessment_glossed,
        ratio_gloss=display.ratio_gloss,
        ROLE_GLOSSES=display.ROLE_GLOSSES,
        task_excerpt=task_excerpt,
        unit_names=unit_names,
        value_text=display.value_text,
        expected_text=display.expected_text,
        unjudged_reason=display.unjudged_reason,
        verdict_sentence=display.verdict_sentence,
        derive_verdict=derive_verdict,
        COUNTABLE_UNITS=COUNTABLE_UNITS,
    )
    return env


class PageRenderer:
    """Renders every generated page of one plan; links are made relative to each page."""

    def __init__(self, plan: Plan, progress: list[PeriodState], charts: dict[str, dict] | None = None,
                 documents: dict[str, dict] | None = None):
        self.plan = plan
        self.documents = documents or {}  # site path → {model, …} (plansite.documents), made separately
        self.env = _environment()
        self.progress = progress
        self.latest = progress[-1] if progress else None
        self.history_notice = self.notice(progress)  # a page showing every period's progress
        self.charts = charts or {}  # chart id → spec (plansite.charts), drawn into the site's charts/
        # HTML blocks by page: Python-Markdown parses raw HTML tag by tag in Python (most of a large
        # plan's build), so templates hand long HTML blocks to the `raw_html` filter, the Markdown
        # keeps a comment in their place, and the hook puts them back after conversion. (MkDocs'
        # anchor check cannot see ids inside them; tests/test_site_integrity.py checks every link.)
        self.raw: dict[str, list[str]] = {}
        self._current: list[str] = []
        self.env.filters["raw_html"] = self._stash
        # A task's status in the latest period (未报告 before any): lists show it beside each task.
        status_of = lambda task_id: self.latest.tasks[task_id].status if self.latest else NOT_REPORTED  # noqa: E731
        self.env.filters["status_of"] = status_of
        self.env.globals["status_of"] = status_of

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
            rel = link(path)
            if rel == "index.md" or rel.endswith("/index.md"):
                rel = rel.removesuffix("index.md") or "./"
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
            report_task_url=lambda period, task: url(period_page(period) + "#" + task_anchor(task)),
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
        context.setdefault("unit_delays", derive_unit_delays(self.plan, self.progress))
        return self.env.get_template(template).render(
            plan=self.plan, page=src_uri, progress=self.progress, latest=self.latest, **helpers, **context
        )

    def notice(self, shown: list[PeriodState], baselines: bool = False) -> str:
        """The sample notice of a page showing the periods `shown` (and baselines.yaml, if `baselines`)."""
        return display.sample_notice(shown, baselines and self.plan.baselines_sample)

    def _indicator_notice(self, indicator) -> str:
        """An indicator's page: the periods it was reported in (its chart and table), and the
        baseline its 序时进度 line starts from, if baselines.yaml gives one."""
        reported = [s for s in self.progress if indicator.id in s.new_values]
        from_file = (indicator.kind == "numeric" and indicator.measure != "annual"
                     and indicator.id in display.baseline_ids(self.plan))
        return self.notice(reported, from_file)

    def _targets_notice(self, states: list[PeriodState], shown: list[tuple[PeriodState, object]]) -> str:
        """The notice of a page showing the periods `states` and, for each (period, indicator) of
        `shown`, the indicator's value and assessment as of that period."""
        periods = {s.period: s for s in states}
        from_file = False
        for state, indicator in shown:
            sources, file = display.assessment_sources(self.plan, state, indicator)
            periods.update((s.period, s) for s in sources)
            from_file = from_file or file
        return self.notice(list(periods.values()), from_file)

    def pages(self, tables: tuple, sizes: dict[str, str], site: dict) -> dict[str, str]:
        """src_uri → Markdown for every page built from the data."""
        plan = self.plan
        out = {
            "schema/index.md": self.render("schema.md.j2", "schema/index.md", files=describe_schema()),
            "index.md": self.render("home.md.j2", "index.md"),
            "plan/index.md": self.render("plan.md.j2", "plan/index.md"),
            "chapters/index.md": self.render("chapters.md.j2", "chapters/index.md"),
            # Only the latest status of each task.
            "tasks/index.md": self.render("tasks.md.j2", "tasks/index.md", sample_notice=self.notice(self.progress[-1:])),
            "departments/index.md": self.render("departments.md.j2", "departments/index.md"),
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
            out[src] = self.render("department.md.j2", src, department=department, roles=plan.roles_of(department))
        # The latest value and assessment of each target, from whichever period reported it.
        latest = self.progress[-1:]
        notice = self._targets_notice(latest, [(s, i) for s in latest for i in plan.indicators])
        out["indicators/index.md"] = self.render("indicators.md.j2", "indicators/index.md", sample_notice=notice)
        for indicator in plan.indicators:
            src = indicator_page(indicator)
            out[src] = self.render("indicator.md.j2", src, indicator=indicator, sample_notice=self._indicator_notice(indicator))
        # 数据性质 says which periods are sample, on its own (the page shows no progress).
        baselines = bool(plan.baselines) and plan.baselines_sample
        out["method/index.md"] = self.render(
            "method.md.j2", "method/index.md", example=worked_example(plan), sample_notice="",
            data_notice=display.sample_notice(self.progress, baselines), sample_baselines=baselines,
            sample_periods=display.period_span(s.period for s in self.progress if s.sample),
            real_periods=display.period_span(s.period for s in self.progress if not s.sample))
        out["reports/index.md"] = self.render("reports.md.j2", "reports/index.md")
        for state in self.progress:
            # A report shows only its own period, the one before and its targets' latest values
            # (and where their pace starts): never a later period, so it never changes later.
            src = period_page(state.period)
            document = self.documents.get(period_document(state.period))
            out[src] = self.render("report.md.j2", src, state=state, changes=derive_changes(state),
                                   sample_notice=display.report_notice(plan, state),
                                   document=document["model"] if document else None)
        from .sections import SITEMAP_PAGE, derive_sitemap  # it builds on this module's page paths

        out[SITEMAP_PAGE[1]] = self.render("sitemap.md.j2", SITEMAP_PAGE[1], title=SITEMAP_PAGE[0],
                                           sections=derive_sitemap(plan, self.progress))
        # Last: it lists the sizes of the charts' images and the Word reports, and so waits for them.
        out["downloads/index.md"] = self.render("downloads.md.j2", "downloads/index.md", tables=tables, sizes=sizes,
                                                sample_notice=self.notice(self.progress, bool(plan.baselines)),
                                                site=site, charts=self.charts, documents=self.documents)
        return out


def put_back_raw(text: str, blocks: list[str]) -> str:
    """The page (Markdown or converted HTML) with its HTML blocks back in place of their marks."""
    return RAW_MARK.sub(lambda m: blocks[int(m[1])], text) if blocks else text


# Where the 数据下载 page gives the size of a file drawn in the background (a chart's image, a Word
# report); the hook fills it in once that file is made.
SIZE_MARK = re.compile(r"<!--plansite-size:([^<>]+?)-->")


def size_mark(path: str) -> str:
    return f"<!--plansite-size:{path}-->"


def put_back_sizes(text: str, files: dict[str, bytes]) -> str:
    return SIZE_MARK.sub(lambda m: file_size(files[m[1]]), text)


def file_size(data: bytes) -> str:
    return f"{len(data) / 1024:.1f} KB" if len(data) >= 1024 else f"{len(data)} 字节"
