"""The house style (README, 文字规范) holds on every page a reader sees and in every Word report.

What a reader sees of a page is its text outside <code>, <pre>, <script>, <style> and <svg>, plus
the alt, title and aria-label attributes and the meta description (shown by search engines).
Checked over every page of the real site and of the mini plan, and the text of every Word report:

- no ISO date (2016-01-20) and no quarter code (2015-Q4) in prose: dates are 2016年1月20日 and
  quarters 2015年第四季度; addresses and file names (2015-Q4.docx) are not prose;
- no status, assessment or other code (not_reported, no_data, cumulative, true, YYYY-MM-DD) outside
  <code>: the 数据下载 and 数据说明 pages set values as they stand in the files as code;
- no space between a number and a Chinese character or %;
- no half-width brackets around Chinese text, no bracket inside a full-width bracket;
- one form of year span, 2014-2015年 (the plan's own title), and 达到100% rather than 不低于100%;
- none of the retired terms for the dates of the data (数据生成日期, 生成于, 汇总于): 数据截至 and
  汇总日期 are the terms, defined on 方法说明;
- figures the site computes on an indicator's page carry no more decimals than its own figures.

The plan's own text and the units' reports are shown as written: a hit is exempt where it stands
verbatim in the data folder (with the characters beside it, or as a whole field), and half-width
brackets inside “quotation marks” are a quotation. A task's ordinal is written （五）; the source's
(五) stands only where it opens the plan's paragraph quoted as written (计划全文, a task's 原文). method.yaml is not
exempt: its text is the site's own wording.
"""
from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from docx import Document

from conftest import ROOT, build_site

MINI = ROOT / "tests" / "fixtures" / "mini"
HAN = "\u3400-\u9fff\uf900-\ufaff"
FILE_NAME = re.compile(r"[\w./-]*\.(?:yaml|csv|json|docx|png|svg|xml|txt|xlsx|xls|ods)\b")
URL = re.compile(r"https?://\S+")
CODES = ("completed ongoing in_progress behind not_started not_reported achieved missed on_track acceleration limited "
         "deterioration no_data numeric relative level cumulative annual lead partners joint true false YYYY-MM-DD").split()
CHECKS = {
    "ISO 日期": re.compile(r"(?<![\d-])\d{4}-\d{1,2}-\d{1,2}(?![\d-])"),
    "季度代码": re.compile(r"(?<![\w-])\d{4}-Q[1-4](?!\w)"),
    "代码": re.compile(rf"(?<![\w/.#-])(?:{'|'.join(map(re.escape, CODES))})(?![\w/.-])"),
    "数字与汉字或%之间的空格": re.compile(rf"\d[ \u00a0\u2009]+[{HAN}%]|[{HAN}][ \u00a0\u2009]+\d"),
    "半角括号括中文": re.compile(rf"\([^()]*[{HAN}][^()]*\)"),
    "年份区间的另一种写法": re.compile(r"\d{4}年?\s*[—–~～－]\s*\d{4}|\d{4}年?(?:\s+-\s*|\s*-\s+)\d{4}|\d{4}年-\d{4}年"),
    "不低于100%": re.compile(r"不低于\s*100\s*%"),
    "旧的日期用语": re.compile(r"数据生成日期|生成于|汇总于"),
}


class _Visible(HTMLParser):
    SKIPPED = {"code", "pre", "script", "style", "svg"}
    BLOCKS = {"p", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "div", "figcaption", "dt", "dd", "br",
              "caption", "section", "nav", "header", "footer", "label", "button", "option", "title", "ul", "ol",
              "table", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipped = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag in self.SKIPPED:
            self.skipped += 1
        if self.skipped:
            return
        attrs = dict(attrs)
        shown = [attrs.get(name) for name in ("alt", "title", "aria-label")]
        if tag == "meta" and attrs.get("name") == "description":
            shown.append(attrs.get("content"))
        self.parts += [f"\n{value}\n" for value in shown if value]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in self.SKIPPED:
            self.skipped -= 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipped:
            self.skipped -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipped:
            self.parts.append(data)


def visible_lines(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return [" ".join(line.split()) for line in "".join(parser.parts).split("\n") if line.strip()]


def document_lines(path: Path) -> list[str]:
    doc = Document(str(path))
    # A title broken into lines (GB/T 9704's 标题回行) is lines; a table's or figure's title keeps its
    # full-width space after 表1 / 图1, as titles of tables and figures are written.
    lines = [line for p in doc.paragraphs for line in p.text.split("\n")]
    lines += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return [" ".join(re.sub(r"^[表图]\d+\u3000", "", line).split()) for line in lines if line.strip()]


class DataText:
    """The text of a data folder as the site shows it: every string of its YAML files (but
    method.yaml, the site's own words) and its source text, each with its spaces collapsed."""

    def __init__(self, folder: Path | None = None):
        strings: list[str] = []

        def walk(value):
            if isinstance(value, str):
                strings.append(" ".join(value.split()))
            elif isinstance(value, dict):
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        for path in sorted(folder.rglob("*.yaml")) if folder else []:
            if path.name != "method.yaml":
                walk(yaml.safe_load(path.read_text(encoding="utf-8")))
        strings += [" ".join(p.read_text(encoding="utf-8").split()) for p in sorted(folder.rglob("*.txt"))] if folder else []
        self.corpus = "\n".join(strings)
        self.values = frozenset(strings)

    def verbatim(self, line: str, start: int, end: int, context: int = 4) -> bool:
        """The hit stands in the data with the characters that follow it here, or those before it."""
        return line[start:end + context] in self.corpus or line[max(0, start - context):end] in self.corpus


NO_DATA = DataText()
ORDINAL = re.compile(r"\([一二三四五六七八九十]+\)")
QUOTED = 16  # characters of the plan's own paragraph after (五) that mark it as quoted as written


def _quoted(line: str, position: int) -> bool:
    """Inside “…”: a quotation, written as its source writes it."""
    before = line[:position]
    return before.count("“") > before.count("”")


def nested_brackets(line: str) -> list[int]:
    """Where a full-width bracket opens inside another."""
    found, depth = [], 0
    for i, ch in enumerate(line):
        if ch == "（":
            depth += 1
            if depth == 2:
                found.append(i)
        elif ch == "）" and depth:
            depth -= 1
    return found


def style_problems(lines: list[str], data: DataText = NO_DATA) -> list[tuple[str, str]]:
    """(rule, the text around the hit) for every break of the house style in these lines."""
    found = []
    for line in lines:
        text = URL.sub(" ", FILE_NAME.sub(" ", line))  # addresses and file names are not prose
        for rule, pattern in CHECKS.items():
            for m in pattern.finditer(text):
                if ORDINAL.fullmatch(m.group(0)):
                    # A task's ordinal is written （五）; (五) only opens the plan's paragraph quoted as written.
                    if _quoted(text, m.start()) or (len(text) - m.end() >= QUOTED
                                                    and text[m.start():m.end() + QUOTED] in data.corpus):
                        continue
                    found.append((rule, text[max(0, m.start() - 30):m.end() + 30]))
                    continue
                if data.verbatim(text, m.start(), m.end()):
                    continue
                if rule == "半角括号括中文" and (m.group(0) in data.values or _quoted(text, m.start())):
                    continue
                found.append((rule, text[max(0, m.start() - 30):m.end() + 30]))
        for i in nested_brackets(text):
            outer = text.rfind("（", 0, i)
            if not data.verbatim(text, outer, text.find("）", i) + 1):
                found.append(("括号里套括号", text[max(0, i - 30):i + 30]))
    return found


def _report(found: dict[str, list]) -> str:
    return "\n".join(f"  {where}: {hits[:4]}" for where, hits in sorted(found.items())[:40])


# ---- the checks have teeth ---------------------------------------------------------------------


@pytest.mark.parametrize("rule, bad, good", [
    ("ISO 日期", "（数据截至2015年第四季度，生成于2016-01-20）", "汇总日期2016年1月20日"),
    ("ISO 日期", "期限2015-12-31，", "期限2015年12月31日，"),
    ("季度代码", "2015年第四季度（2015-Q4）进展", "下载 2015-Q4.docx（25.7 KB）"),
    ("季度代码", "形成季度报告（如 reports/2015-Q1/ ）", "网址 https://example.org/plan/reports/2015-Q1/"),
    ("代码", "没有报送的任务状态为 not_reported。", "没有报送的任务，状态为“未报告”。"),
    ("代码", "印发日期，格式 YYYY-MM-DD", "印发日期，按年-月-日写"),
    ("代码", "level 期末水平值；cumulative 累计数", "期末水平值；累计数"),
    ("数字与汉字或%之间的空格", "共 31 项任务", "共31项任务"),
    ("数字与汉字或%之间的空格", "目标不低于 80%", "目标不低于80%"),
    ("数字与汉字或%之间的空格", "于 2014年9月25日 印发", "于2014年9月25日印发，R = 0.83，25.7 KB，300 dpi 打印"),
    ("半角括号括中文", "目标(每年)", "目标（每年）；许可协议（CC BY 4.0）"),
    ("半角括号括中文", "序号写作 (五)、(十六)", "序号照原文，如“(五)”"),
    ("半角括号括中文", "(十六)建立企业质量安全控制关键岗位责任制", "（十六）建立企业质量安全控制关键岗位责任制"),
    ("年份区间的另一种写法", "计划期2014—2015年", "计划期2014-2015年"),
    ("年份区间的另一种写法", "2014年—2015年", "2014-2015年行动计划"),
    ("年份区间的另一种写法", "计划期 2014 - 2015 年", "1950年至2090年之间"),
    ("不低于100%", "覆盖率（不低于 100%）", "覆盖率（达到100%）"),
    ("不低于100%", "覆盖率不低于100%", "不低于80%"),
    ("旧的日期用语", "数据生成日期2016年1月20日", "汇总日期2016年1月20日"),
    ("旧的日期用语", "（数据汇总于2016年1月20日）", "（汇总日期2016年1月20日）"),
    ("括号里套括号", "未达标（期限已到（或计划期已结束），目标没有达到）", "未达标（期限已到或计划期已结束）（另注）"),
    ("括号里套括号", "重大工程质量事故（不高于0起（杜绝））", "重大工程质量事故（杜绝，即0起）"),
])
def test_each_rule_finds_what_it_is_for_and_nothing_else(rule, bad, good):
    assert rule in {r for r, _ in style_problems([bad])}, bad
    assert style_problems([good]) == [], good


def test_the_plans_own_text_is_shown_as_written(tmp_path):
    """A hit inside text of the data folder is the plan's (or a unit's) own writing; the same words
    in the site's own text are not exempt."""
    (tmp_path / "tasks.yaml").write_text(yaml.safe_dump({"tasks": [
        {"number": "(五)", "text": "强化产学研合作,全年完成 3 项。(市科技局负责)"}]}, allow_unicode=True), encoding="utf-8")
    (tmp_path / "method.yaml").write_text("timetable: 本站按季度更新（如 reports/2015-Q1/）\n", encoding="utf-8")
    (tmp_path / "source.txt").write_text("(五)强化产学研合作,全年完成 3 项。(市科技局负责)\n", encoding="utf-8")
    data = DataText(tmp_path)
    assert style_problems(["(五)强化产学研合作,全年完成 3 项。(市科技局负责)", "全年完成 3 项。"], data) == []
    assert style_problems(["本站全年完成 3 项工作", "（市科技局负责）(新增)"], data) != []
    # The ordinal as the site writes it: a heading or a list is not the plan's paragraph quoted.
    assert style_problems(["(五)强化产学研合作", "(五)推进粤港澳服务贸易自由化"], data) != []
    assert style_problems(["（五）强化产学研合作"], data) == []
    # method.yaml is the site's own wording: not exempt.
    assert style_problems(["本站按季度更新（如 reports/2015-Q1/）"], data) != []


def test_visible_text_is_text_and_attributes_outside_code():
    html = ('<head><meta name="description" content="期限2015-12-31"></head><p>状态为 <code>not_reported</code></p>'
            '<img alt="共 5 个数值" src="a.svg"><pre>2016-01-20</pre><script>var d="2016-01-20"</script>'
            '<svg><text>2015-Q4</text></svg><a href="../reports/2015-Q4/" title="2015年第四季度">报告</a>')
    lines = visible_lines(html)
    assert "期限2015-12-31" in lines and "共 5 个数值" in lines and "2015年第四季度" in lines
    assert not any("not_reported" in line or "2016-01-20" in line or "2015-Q4" in line for line in lines)


# ---- every page and every Word report ----------------------------------------------------------


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("mini") / "site"
    result = build_site(MINI, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.parametrize("which, data", [("built_site", ROOT / "data"), ("mini_site", MINI)])
def test_every_page_keeps_the_house_style(which, data, request):
    site: Path = request.getfixturevalue(which)
    text = DataText(data)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > (100 if which == "built_site" else 20)
    found = {}
    for path in pages:
        hits = style_problems(visible_lines(path.read_text(encoding="utf-8")), text)
        if hits:
            found[path.relative_to(site).as_posix()] = hits
    assert found == {}, "house style broken on pages:\n" + _report(found)


def test_every_word_report_keeps_the_house_style(built_site):
    documents = sorted(built_site.glob("reports/*/*.docx"))
    assert len(documents) == len(list((ROOT / "data" / "progress").glob("*.yaml")))
    text = DataText(ROOT / "data")
    found = {p.name: hits for p in documents if (hits := style_problems(document_lines(p), text))}
    assert found == {}, "house style broken in Word reports:\n" + _report(found)


def feed_lines(path: Path) -> list[str]:
    """The titles and summaries of the feed: what a feed reader shows."""
    import xml.etree.ElementTree as ET
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(path).getroot()
    return [" ".join(e.text.split()) for e in root.iter() if e.tag in (f"{atom}title", f"{atom}summary") and e.text]


@pytest.mark.parametrize("which, data", [("built_site", ROOT / "data"), ("mini_site", MINI)])
def test_the_feed_keeps_the_house_style(which, data, request):
    lines = feed_lines(request.getfixturevalue(which) / "feed.xml")
    assert lines and style_problems(lines, DataText(data)) == []


def _places(value) -> int:
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return len(text.partition(".")[2])


def indicator_places(data: Path) -> dict[str, tuple[str, int]]:
    """id → (unit, the most decimal places among its target, baselines and reported values)."""
    indicators = yaml.safe_load((data / "indicators.yaml").read_text(encoding="utf-8"))["indicators"]
    figures = {i["id"]: [i.get("target")] for i in indicators}
    baselines = data / "baselines.yaml"
    if baselines.exists():
        for b in yaml.safe_load(baselines.read_text(encoding="utf-8")).get("baselines") or []:
            figures[b["indicator"]].append(b["value"])
    for path in sorted((data / "progress").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")).get("indicators") or []:
            figures[entry["indicator"]].append(entry.get("value"))
    return {i["id"]: (i["unit"], max(_places(f) for f in figures[i["id"]] if f is not None) if any(
        f is not None for f in figures[i["id"]]) else 0) for i in indicators}


def figures_too_precise(lines: list[str], unit: str, places: int) -> list[str]:
    return [m.group(0) for line in lines for m in re.finditer(rf"\d+(?:\.(\d+))?(?={re.escape(unit)})", line)
            if len(m.group(1) or "") > places]


def test_the_precision_check_has_teeth():
    assert figures_too_precise(["按序时进度此时应为34.93%"], "%", 0) == ["34.93"]
    assert figures_too_precise(["应为35%，最新为45%，字号：150%"], "%", 0) == []
    assert figures_too_precise(["5.75%"], "%", 1) == ["5.75"] and figures_too_precise(["5.8%"], "%", 1) == []


def test_figures_on_an_indicators_page_match_the_precision_of_its_data(built_site):
    """An expected value of 34.93% beside values and a target in whole percent claims a precision
    the data does not have: every figure in the indicator's unit on its page has at most as many
    decimals as the indicator's own figures (target, baselines, reported values)."""
    places = indicator_places(ROOT / "data")
    assert places["chief-quality-officer-share"] == ("%", 0)  # the case of the issue: 34.93% beside 40%, 45%
    found = {}
    for indicator, (unit, n) in places.items():
        html = (built_site / "indicators" / indicator / "index.html").read_text(encoding="utf-8")
        if hits := figures_too_precise(visible_lines(html), unit, n):
            found[indicator] = hits
    assert found == {}, f"figures more precise than the data: {found}"
    [csv] = built_site.glob("charts/*chief-quality-officer-share*.csv")  # the chart's table, as a download
    assert not figures_too_precise(csv.read_text(encoding="utf-8-sig").splitlines(), "%", 0)


def test_the_method_page_defines_each_term_for_the_dates_of_the_data(built_site):
    """One term per meaning, explained once: 方法说明 has a table of them, and the pages use them."""
    html = (built_site / "method" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="dates"'):]
    section = section[:section.index("<h2")]
    terms = visible_lines(section)
    for term in ("数据截至", "汇总日期", "数值日期", "期限", "印发日期"):
        assert term in terms, (term, terms)
    task = visible_lines((built_site / "tasks" / "05" / "index.html").read_text(encoding="utf-8"))
    latest = max(yaml.safe_load(p.read_text(encoding="utf-8"))["compiled"] for p in (ROOT / "data" / "progress").glob("*.yaml"))
    assert isinstance(latest, dt.date)
    # 引用本页 names the term with the date: 汇总日期, 2016年1月20日.
    assert task[task.index("汇总日期") + 1] == f"{latest.year}年{latest.month}月{latest.day}日", task


# ---- the one module that writes them -----------------------------------------------------------


def test_the_wording_module_writes_the_house_style():
    from plansite.model.load import load_plan
    from plansite.wording import citation_facts, expected_value, file_size, number, target_phrase, year_span

    plan = load_plan(ROOT / "data")
    # The year span is the plan title's own form.
    assert year_span(plan.meta.period.start, plan.meta.period.end) == "2014-2015年"
    assert year_span(plan.meta.period.start, plan.meta.period.end) in plan.meta.title
    phrases = {i.id: target_phrase(i) for i in plan.indicators}
    assert phrases["construction-supervision-coverage"] == "达到100%"
    assert phrases["major-construction-quality-accidents"] == "杜绝，即0起"  # the plan says 杜绝
    assert phrases["free-training-smes-per-year"] == "每年不低于300家"
    assert phrases["consumer-goods-repair-rate"] == "低于5%"
    for indicator in plan.indicators:
        if indicator.kind == "numeric":  # lists put the phrase in brackets: it holds none, and no space
            assert not re.search(r"[（）() ]", phrases[indicator.id]), phrases[indicator.id]
            assert f"{number(indicator.target)}{indicator.unit}" in phrases[indicator.id]
    by_id = {i.id: i for i in plan.indicators}
    assert expected_value(plan, by_id["chief-quality-officer-share"], 34.93) == 35  # whole percentages reported
    assert expected_value(plan, by_id["consumer-goods-repair-rate"], 5.19) == 5.2  # one decimal reported
    assert expected_value(plan, by_id["free-training-smes-per-year"], 73.35) == 73  # counted one by one
    assert citation_facts("2015-Q4", dt.date(2016, 1, 20)) == [("数据截至", "2015年第四季度"), ("汇总日期", "2016年1月20日")]
    assert file_size(b"x" * 213) == "213字节" and file_size(b"x" * 2048) == "2.0 KB"
