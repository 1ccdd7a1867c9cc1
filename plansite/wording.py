"""How the site writes what it states, in one place for pages, charts, documents, forms and downloads:
numbers, dates, periods and year spans, the terms for the dates of the data, headings, the target phrase,
statuses and assessments in words, which units answer for a task, the verdict sentence and the sample-data
notice. The house style these follow is README's 文字规范 (tests/test_house_style.py)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from .figures.progress import NOTHING_LEFT, UNFINISHED, PeriodState
from .figures.sources import notice_periods, report_sources
from .figures.summary import Verdict
from .figures.assess import OVERDUE_NO_VALUE, OVERDUE_UNJUDGED, Assessed
from .model.dates import cn_date
from .model.periods import quarter_number
from .model.plan import Plan
from .model.schema import NOT_REPORTED, ROLE_LABELS, Assessment, Chapter, Indicator, IndicatorValue, Status, Task


# ---- numbers, sizes, periods -------------------------------------------------------------------


def number(value: float | int | None) -> str:
    """A figure as the site writes it: 45, 79.5 (no trailing .0); nothing for no value."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def decimals(value: float | int | None) -> int:
    """How many decimal places a figure is written with: 45 → 0, 79.5 → 1, 5.25 → 2."""
    text = number(value)
    return len(text.partition(".")[2]) if "e" not in text else 2


def file_size(data: bytes) -> str:
    """A file's size: 25.7 KB (KB, a Latin unit, apart from the number), 213字节 (a Chinese unit, no space)."""
    return f"{len(data) / 1024:.1f} KB" if len(data) >= 1024 else f"{len(data)}字节"


def year_span(start: int, end: int) -> str:
    """Years from-to as the plan's own title writes them: 2014-2015年 (one year: 2015年)."""
    return f"{start}年" if start == end else f"{start}-{end}年"


QUARTERS = {"1": "第一季度", "2": "第二季度", "3": "第三季度", "4": "第四季度"}


def period_label(period: str) -> str:
    """2015-Q4 → 2015年第四季度."""
    year, quarter = period.split("-Q")
    return f"{year}年{QUARTERS[quarter]}"


def period_span(periods: Iterable[str]) -> str:
    """Periods as the site names them: a run of consecutive quarters as one range, runs joined
    with 、, a year named once (2014年第四季度至2015年第三季度、2016年第一季度; 2015年第一季度、第三季度至第四季度)."""
    runs: list[list[str]] = []
    for period in sorted(set(periods), key=quarter_number):
        if runs and quarter_number(period) == quarter_number(runs[-1][-1]) + 1:
            runs[-1].append(period)
        else:
            runs.append([period])
    parts, year = [], None
    for first, last in ((run[0], run[-1]) for run in runs):
        start = QUARTERS[first[-1]] if first[:4] == year else period_label(first)
        if first == last:
            parts.append(start)
        else:
            end = QUARTERS[last[-1]] if first[:4] == last[:4] else period_label(last)
            parts.append(f"{start}至{end}")
        year = last[:4]
    return "、".join(parts)


# ---- the dates of the data: one term per meaning, each defined once on 方法说明 (#dates) ----------

AS_OF = "数据截至"   # the quarter a page's progress data is as of: 数据截至2015年第四季度
COMPILED = "汇总日期"  # the day a quarter's reports were compiled into the site's data: 汇总日期2016年1月20日
ISSUED = "印发日期"   # the day the plan was issued


def citation_facts(period: str | None, compiled: dt.date | None) -> list[tuple[str, str]]:
    """What the 引用本页 block says of a page's data: the quarter it is as of and the day that
    quarter was compiled (a report: its own quarter, for ever); before any quarter, that there is none."""
    if period is None or compiled is None:
        return [(AS_OF, "尚无季度进展")]
    return [(AS_OF, period_label(period)), (COMPILED, cn_date(compiled))]


def citation_7714(title: str, site_name: str, updated: dt.date, url: str, author: str = "", sample: bool = False) -> str:
    """A page cited as GB/T 7714-2015 cites an electronic resource: 主要责任者．题名[EB/OL]．出版者，
    （更新日期）[引用日期]．访问路径． The dates in Chinese style; the citing date is the reader's, left
    as 引用日期 for them (the page's script writes today's); sample data says so in the title, so that
    its figures cannot be pasted as real. No author is named unless one is set (extra.gov)."""
    head = f"{author}．" if author else ""
    flag = "（示例数据，并非官方统计）" if sample else ""
    return f"{head}{title}{flag}[EB/OL]．《{site_name}》信息公开网站，（{cn_date(updated)}）[{CITED_ON}]．{url}．"


CITED_ON = "引用日期"  # the citing date's place, filled in by the reader (or the page's script)


def citation_note(facts: list[tuple[str, str]]) -> str:
    """The same facts in the citation's brackets: 数据截至2015年第四季度，汇总日期2016年1月20日."""
    return "，".join(f"{term}{value}" for term, value in facts)


# The open-data tables' column types (Table Schema) as the 数据下载 page names them, with the form of
# their values in the file set apart as code (`…`, pages.markdown.md_code).
TYPE_LABELS = {"string": "文本", "integer": "整数", "number": "数字", "date": "日期，写作`2016-01-20`",
               "boolean": "是或否，写作`true`或`false`"}


# ---- headings and the plan's own words ---------------------------------------------------------


def chapter_heading(chapter: Chapter) -> str:
    return f"{chapter.number}、{chapter.title}"


def task_number(task: Task) -> str:
    """A task's ordinal as the site writes it, （十六）: the source text's half-width (十六) is kept only
    where the plan's text is quoted as written (计划全文, a task's 原文)."""
    return task.number.replace("(", "（").replace(")", "）")


def task_heading(task: Task) -> str:
    return f"{task_number(task)}{task.title}"


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


COMPARATOR_LABELS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "=": "等于"}


def target_phrase(indicator: Indicator) -> str:
    """A target in words, without brackets (lists put it in brackets after the name): 不低于80%,
    达到100% (nothing is above it), 每年不低于300家; the plan's own word first when it carries no
    figure: 杜绝，即0起 (不高于0起 is 0起). A relative target is the plan's own phrase."""
    if indicator.kind == "relative":
        return indicator.target_text
    figure = f"{number(indicator.target)}{indicator.unit}"
    if indicator.comparator == ">=" and indicator.unit == "%" and indicator.target == 100:
        phrase = f"达到{figure}"
    elif indicator.comparator == "<=" and indicator.target == 0:
        phrase = figure
    else:
        phrase = f"{COMPARATOR_LABELS[indicator.comparator]}{figure}"
    if indicator.measure == "annual":
        phrase = f"每年{phrase}"
    return phrase if number(indicator.target) in indicator.target_text else f"{indicator.target_text}，即{phrase}"


# ---- who answers for a task --------------------------------------------------------------------


def answerable_units(task: Task) -> tuple[str, list[str]]:
    """The one rule of who answers for a task, wherever a single line names it (lists, page
    descriptions, the Word report, who reports it on the forms): its 牵头 units; a task with none,
    the units sharing it (共同负责); a task with neither, its 会同 units. (role, names in the plan's order)."""
    for role in ("lead", "joint", "partners"):
        if getattr(task, role):
            return role, list(getattr(task, role))
    raise ValueError(f"任务 {task.id} 没有责任单位")  # the schema refuses such a task


def answerable_text(task: Task) -> str:
    """The units answering for a task with their role, in one line: 牵头：市质监局、市发改局."""
    role, names = answerable_units(task)
    return f"{ROLE_LABELS[role]}：{'、'.join(names)}"


# ---- statuses and assessments ------------------------------------------------------------------

# Each status has its label (the schema's vocabulary) and a symbol, so it is never told by colour alone.
_STATUS_ICONS = {"not_started": "○", "in_progress": "▶", "behind": "⚠", "completed": "✔", "ongoing": "↻"}
STATUS_DISPLAY = {s.code: (s.value, _STATUS_ICONS[s.code]) for s in Status} | {NOT_REPORTED: ("未报告", "？")}
# After the plan's end an unfinished task reads 未按期完成 wherever its current status is shown.
STATUS_BADGES = STATUS_DISPLAY | {UNFINISHED: ("未按期完成", "✘")}
_ASSESSMENT_ICONS = {"achieved": "✔", "missed": "✘", "on_track": "▲", "acceleration": "△", "limited": "▽",
                     "deterioration": "▼", "no_data": "－"}
# The verdicts units may type (Assessment), with the two the site derives once the time is up put
# beside 未达标: the order of legends and lists.
ASSESSMENT_DISPLAY = {a.code: (a.value, _ASSESSMENT_ICONS[a.code]) for a in Assessment}
ASSESSMENT_DISPLAY = {code: ASSESSMENT_DISPLAY[code] for code in ("achieved", "missed")} | {
    OVERDUE_NO_VALUE: ("逾期未报数", "⊘"), OVERDUE_UNJUDGED: ("逾期未判定", "！")} | ASSESSMENT_DISPLAY


def status_label(code: str) -> str:
    return STATUS_BADGES[code][0]


def assessment_label(code: str) -> str:
    return ASSESSMENT_DISPLAY[code][0]


# What each status, assessment and role means, in plain words: the glosses and legends beside badges
# and unit lists (the 方法说明 page gives the same meanings at length). Every code has one.
STATUS_MEANINGS = {
    "completed": "已经做完",
    "ongoing": "没有终点的日常工作，本期在持续做",
    "unfinished": "计划期已经结束，这项任务没有报告完成",
    "in_progress": "正在做，还没有完成；报送单位没有报告落后",
    "behind": "正在做，但报送单位报告落后于安排",
    "not_started": "还没有开始做",
    "not_reported": "本期没有报送这项任务的情况",
}
ASSESSMENT_MEANINGS = {
    "achieved": "最新数值已经达到目标",
    "missed": "期限已到或计划期已结束，目标没有达到",
    "overdue_no_value": "期限已到或计划期已结束，一直没有报送数值，不能算作达标",
    "overdue_unjudged": "期限已到或计划期已结束，报送了数值，但报送单位没有对照目标作出判定，不能算作达标",
    "on_track": "还没有达到目标，但进度跟得上时间",
    "acceleration": "还没有达到目标，进度有些落后，需要加快",
    "limited": "还没有达到目标，进度明显落后",
    "deterioration": "比计划开始时还差",
    "no_data": "期限未到，还没有数值，或者暂时无法判断",
}
ROLE_GLOSSES = {"lead": "主要负责", "partners": "配合牵头单位", "joint": "几个单位一起负责，不分主次"}


def ratio_gloss(ratio: float) -> str:
    """完成比 R in plain words, with this value's own reading."""
    share = f"{ratio * 100:.0f}%"
    reading = (f"这里 R = {ratio:.2f}，即实际进展是按时间应有进展的{share}" if ratio >= 0
               else f"这里 R = {ratio:.2f}，小于0，即数值比起点还差")
    return (f"完成比 R 是实际进展与按时间应有的进展之比：R 为1表示正好跟上进度，R 为0.5表示只完成了应有进展的一半。"
            f"{reading}。")


# ---- values and verdicts -----------------------------------------------------------------------


def value_text(indicator: Indicator, entry: IndicatorValue | None) -> str:
    """Plain text: templates pass it through the md filter, like every other data value."""
    if entry is None or entry.value is None:
        return "—"
    return f"{number(entry.value)}{indicator.unit}"


def figure_places(plan: Plan, indicator: Indicator) -> int:
    """The decimal places of the indicator's own figures: the most among its target, baselines and
    every value reported (34.93% is not written beside figures of whole percent); none for a unit
    counted one by one."""
    if indicator.countable:
        return 0
    figures = [indicator.target] + [b.value for b in plan.baselines if b.indicator == indicator.id]
    figures += [e.value for p in plan.periods for e in p.indicators if e.indicator == indicator.id]
    return max((decimals(f) for f in figures if f is not None), default=0)


def expected_value(plan: Plan, indicator: Indicator, value: float) -> float:
    """An expected value as shown: to the precision of the indicator's own figures (figure_places):
    73.35家 → 73家, 34.93% → 35% beside whole percentages, 5.75% → 5.8% beside 5.2%."""
    return float(round(float(value), figure_places(plan, indicator)))


def expected_text(plan: Plan, indicator: Indicator, value: float | None) -> str:
    return "—" if value is None else f"{number(expected_value(plan, indicator, value))}{indicator.unit}"


def unjudged_reason(indicator: Indicator, entry: IndicatorValue | None, assessed: Assessed) -> str:
    """Why an assessment is 暂无数据, in a few words, from the data and the kind of target."""
    if indicator.kind == "relative":
        if entry is not None and entry.assessment is not None:
            return "报送单位说明暂无法判定"
        if entry is not None and entry.value is not None:
            return "有数值，但报送单位没有判定"
        return "报送单位尚未判定"
    if entry is None or entry.value is None:
        return "尚无数值"
    return "只有一期数值，没有基线，无法计算序时进度"


def assessment_counts(codes: Iterable[str]) -> str:
    """Targets by verdict in words, in the site's order of verdicts: 已达标3项、未达标7项、逾期未报数1项."""
    codes = list(codes)
    return "、".join(f"{label}{codes.count(code)}项" for code, (label, _) in ASSESSMENT_DISPLAY.items() if code in codes)


def target_outcome(indicator: Indicator, entry: IndicatorValue | None, assessed: Assessed) -> str:
    """Where a list names a target 已达标, 未达标 or overdue: its latest value, or what stands for it."""
    value = value_text(indicator, entry) if entry is not None and entry.value is not None else None
    if assessed.code in (OVERDUE_NO_VALUE, OVERDUE_UNJUDGED):
        return f"最新数值{value}；{assessed.reason}" if value else assessed.reason
    if value:
        return value
    return "报送单位判定达标" if assessed.code == "achieved" else "期限已到，报送单位未判定达标"


def headline(period: str, indicator: Indicator, entry: IndicatorValue | None, assessed: Assessed) -> str:
    """The one-line verdict above an indicator's chart: 2015年第四季度评估：未达标（期限已到）."""
    text = f"{period_label(period)}评估：{assessment_label(assessed.code)}"
    if assessed.code == "no_data":
        return f"{text}（{unjudged_reason(indicator, entry, assessed)}）"
    if assessed.code == "missed":
        return f"{text}（期限已到）"
    return text  # 逾期未报数 / 逾期未判定 say it in the word itself (and the chart's line stays short)


def task_counts(counts: dict[str, int], plan_over: bool) -> str:
    """Tasks by status in words (已完成13项、推进中5项); once the plan is over, every task not 已完成 or
    常态推进 is counted as 未按期完成, with the statuses reported for them beside it."""
    counts = {code: n for code, n in counts.items() if n}
    if not plan_over:
        return "、".join(f"{status_label(c)}{n}项" for c, n in counts.items())
    done = [f"{status_label(c)}{counts[c]}项" for c in NOTHING_LEFT if c in counts]
    rest = {c: n for c, n in counts.items() if c not in NOTHING_LEFT}
    if rest:
        reported = "、".join(f"{status_label(c)}{n}项" for c, n in rest.items())
        done.append(f"{status_label(UNFINISHED)}{sum(rest.values())}项（报送状态为{reported}）")
    return "、".join(done)


def verdict_sentence(verdict: Verdict, plan_tasks: int, plan_targets: int) -> str:
    """Plain text: did the plan keep its promises, as of the latest period (counts only)."""
    end = verdict.plan_end
    over = f"计划期已于{cn_date(end)}结束" if verdict.plan_over and end else "计划期尚未结束"
    sentence = f"截至{period_label(verdict.period)}（{over}），{plan_tasks}项任务中{task_counts(verdict.tasks, verdict.plan_over)}"
    if not plan_targets:
        return sentence + "。"
    targets = [f"已达标{len(verdict.achieved)}项", f"未达标{len(verdict.missed)}项"]
    for code in (OVERDUE_NO_VALUE, OVERDUE_UNJUDGED):
        if getattr(verdict, code):
            targets.append(f"{assessment_label(code)}{len(getattr(verdict, code))}项")
    if verdict.pending:
        targets.append(f"尚未到期{len(verdict.pending)}项")
    if verdict.no_data:
        targets.append(f"暂无数据{len(verdict.no_data)}项")
    return f"{sentence}；{plan_targets}项量化目标中{'、'.join(targets)}。"

def sample_notice(shown: Iterable[PeriodState], baselines: bool = False) -> str:
    """The sample-data notice of a page that shows the data of the periods `shown` (and sample
    baselines, when `baselines`): which of them are sample and, if any are not, which periods the
    units reported. Empty when nothing shown is sample: a page of real data carries no notice.
    The one wording of the notice, on pages, in the Word reports, the feed and the data package."""
    sample, real = notice_periods(list(shown))
    if not sample and not baselines:
        return ""
    if sample:
        what = f"本站{period_span(sample)}的进展数据" + ("及基线" if baselines else "")
    else:
        what = "本站序时进度评估所用的基线"
    notice = f"示例数据：{what}为演示用途，并非官方统计"
    if real:
        notice += f"；{period_span(real)}{REPORTED}"
    return notice


REPORTED = "为各单位报送的数据"  # what a period of real data is, beside the sample notice's words


def data_source(plan_title: str, shown: Iterable[PeriodState], baselines: bool = False) -> str:
    """A printed chart's source line (数据来源), so that the image says where its figures come from
    when pasted alone: the plan (its tasks, units and targets), then the periods `shown` as the
    sample notice names them (sample_notice), or, all reported, as reported by the units."""
    shown = list(shown)
    parts = [f"《{plan_title}》"]
    if notice := sample_notice(shown, baselines):
        parts.append(notice)
    elif shown:
        parts.append(f"{period_span(s.period for s in shown)}{REPORTED}")
    return "数据来源：" + "；".join(parts)

def report_notice(plan: Plan, state: PeriodState) -> str:
    """The sample-data notice of a quarterly report: empty for a report showing only reported data."""
    shown, from_file = report_sources(plan, state)
    return sample_notice(shown, from_file and plan.baselines_sample)

