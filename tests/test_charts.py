"""Charts: the data each chart is given, their place on the built site, reproducible SVG, the
cache, the Chinese font and the size of every file.

Spec tests check numbers and words, never pixels. Drawing tests use the real matplotlib and the
real Noto Sans CJK SC that `make test` installs.
"""
from __future__ import annotations

import html.parser
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from conftest import without_nw
from plansite.builder import cache
from plansite.builder.cache import CACHE_ENV
from plansite.charts import draw as chart_draw
from plansite.charts import specs as charts
from plansite.figures.summary import count_statuses
from plansite.figures.progress import derive_progress
from plansite.model.load import load_plan

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
GLYPH_MISSING = r"Glyph \d+ .*missing from font"


@pytest.fixture(scope="module")
def real():
    plan = load_plan(ROOT / "data")
    progress = derive_progress(plan)
    return plan, progress, charts.derive_chart_specs(plan, progress)


def plot_rows(spec) -> list[tuple[str, dict[str, int]]]:
    return [(row["label"], dict(row["counts"])) for row in spec["plot"]["rows"]]


# ---- the data each chart is given -------------------------------------------------------------


def test_specs_are_plain_json_in_a_fixed_order(real):
    plan, progress, specs = real
    assert json.loads(json.dumps(specs, ensure_ascii=False)) == specs
    ids = list(specs)
    assert ids[:2] == ["home-status", "home-history"]
    assert ids[2:13] == [f"chapter-{c.id:02d}" for c in plan.chapters]
    assert ids[13:47] == [f"department-{d.id}" for d in plan.departments]
    end = 47 + len(plan.indicators)
    assert ids[47:end] == [f"indicator-{i.id}" for i in plan.indicators]
    assert ids[end:] == [f"report-{s.period}" for s in progress]
    # Same data, same specs, same file names.
    assert charts.derive_chart_specs(plan, derive_progress(plan)) == specs


def test_home_status_is_the_whole_plan_then_each_chapter_in_the_latest_period(real):
    plan, progress, specs = real
    spec = specs["home-status"]
    assert spec["kind"] == "status_bars"
    rows = plot_rows(spec)
    assert rows[0] == ("全部任务（31项）", {"completed": 13, "ongoing": 11, "in_progress": 5, "behind": 2})
    assert [label for label, _ in rows[1:]] == [
        f"{c.number}、{c.title}（{len(plan.tasks_in(c))}项）" for c in plan.chapters]
    assert rows[2] == ("二、加强知识产权工作（2项）", {"completed": 1, "ongoing": 0, "in_progress": 0, "behind": 1})
    # Every chapter's bar adds up to its tasks, and the chapters add up to the plan.
    assert [sum(c.values()) for _, c in rows[1:]] == [len(plan.tasks_in(c)) for c in plan.chapters]
    for code in rows[0][1]:
        assert sum(c[code] for _, c in rows[1:]) == rows[0][1][code]
    # Only statuses that occur are in the legend, done first.
    assert spec["plot"]["statuses"] == [["completed", "已完成"], ["ongoing", "常态推进"], ["in_progress", "推进中"],
                                        ["behind", "滞后"]]
    assert spec["caption"] == "2015年第四季度各项任务的状态：全部任务和各章节"
    assert "截至2015年第四季度，31项任务中已完成13项、常态推进11项、推进中5项、滞后2项。" in spec["alt"]
    assert spec["table"]["head"] == ["范围", "已完成", "常态推进", "推进中", "滞后", "合计"]
    assert spec["table"]["rows"][0] == ["全部任务", "13", "11", "5", "2", "31"]
    assert len(spec["table"]["rows"]) == 1 + len(plan.chapters)


def test_a_report_chart_shows_its_own_period_only(real):
    plan, progress, specs = real
    first, latest = specs[f"report-{progress[0].period}"], specs[f"report-{progress[-1].period}"]
    # The latest report's chart is the home page's; the first one keeps the first period's counts.
    assert latest["plot"] == specs["home-status"]["plot"] and cache.chart_key(latest) == cache.chart_key(specs["home-status"])
    everything = count_statuses(progress[0], [t.id for t in plan.tasks])
    assert first["table"]["rows"][0][0] == "全部任务"
    assert sum(n for _, n in first["plot"]["rows"][0]["counts"]) == len(plan.tasks)
    assert {c: n for c, n in first["plot"]["rows"][0]["counts"]} == {c: n for c, n in everything.items() if n}
    assert first["file"] == f"charts/report-{progress[0].period}.svg"
    assert first["png"] == f"charts/report-{progress[0].period}.png" and first["png_size"][0] >= 1600
    assert charts.spec_report_status(plan, progress[0]) == first  # nothing of later periods in it


def test_home_history_has_one_bar_per_period_and_says_how_the_mix_moved(real):
    _, progress, specs = real
    spec = specs["home-history"]
    rows = plot_rows(spec)
    assert [label for label, _ in rows] == ["2014年第四季度", "2015年第一季度", "2015年第二季度", "2015年第三季度",
                                            "2015年第四季度"]
    assert rows[0][1] == {"completed": 0, "ongoing": 9, "in_progress": 16, "behind": 0, "not_started": 6,
                          "not_reported": 0}
    assert rows[1][1]["not_reported"] == 2  # two tasks were not reported in 2015-Q1
    assert all(sum(c.values()) == 31 for _, c in rows)
    assert "从2014年第四季度到2015年第四季度" in spec["alt"]
    assert "已完成由0项变为13项" in spec["alt"] and "未启动由6项变为0项" in spec["alt"]
    assert [r[0] for r in spec["table"]["rows"]] == [label for label, _ in rows]


def test_a_chapter_chart_shows_its_tasks_in_every_period(real):
    plan, _, specs = real
    spec = specs["chapter-02"]
    rows = plot_rows(spec)
    assert [label for label, _ in rows][-1] == "2015年第四季度"
    assert rows[0][1] == {"completed": 0, "in_progress": 2, "behind": 0}
    assert rows[-1][1] == {"completed": 1, "in_progress": 0, "behind": 1}
    assert spec["caption"] == "本章2项任务在各季度的状态"
    assert "“二、加强知识产权工作”共2项任务，截至2015年第四季度已完成1项、滞后1项" in spec["alt"]
    assert spec["table"]["rows"][-1] == ["2015年第四季度", "1", "0", "1", "2"]


def test_a_unit_chart_shows_the_tasks_it_leads_joins_and_shares(real):
    plan, _, specs = real
    spec = specs["department-quality-supervision"]
    rows = plot_rows(spec)
    assert [label for label, _ in rows] == ["牵头的任务（15项）", "会同的任务（7项）", "共同负责的任务（8项）"]
    assert rows[0][1] == {"completed": 7, "ongoing": 3, "in_progress": 4, "behind": 1}
    assert "截至2015年第四季度，市质监局牵头的任务15项中已完成7项、常态推进3项、推进中4项、滞后1项" in spec["alt"]
    # A unit with one role has one bar.
    science = plot_rows(specs["department-science-technology"])
    dept = next(d for d in plan.departments if d.id == "science-technology")
    assert [label for label, _ in science] == [
        f"{label}的任务（{len(plan.roles_of(dept)[role])}项）"
        for role, label in (("lead", "牵头"), ("partners", "会同"), ("joint", "共同负责")) if plan.roles_of(dept)[role]]


def test_a_lower_is_better_indicator_reads_downwards(real):
    _, _, specs = real
    spec = specs["indicator-consumer-goods-repair-rate"]
    plot = spec["plot"]
    assert plot["lower_is_better"] is True
    assert plot["target"] == 5.0 and plot["unit"] == "%"
    assert plot["subtitle"] == "目标：低于5%，越低越好"
    # The expected path runs down from the baseline to the target at the deadline.
    assert plot["paths"] == [[["2013-12-31", 6.5], ["2015-12-31", 5.0]]]
    assert plot["points"] == [["2014-12-31", 6.1], ["2015-03-31", 6.0], ["2015-06-30", 5.8], ["2015-09-30", 5.9],
                              ["2015-12-31", 6.7]]
    assert plot["deadline"] == "2015-12-31"
    # 6.7% against 低于5% at the deadline: the time is up, so it is missed, not merely 倒退.
    assert plot["verdict"] == "2015年第四季度评估：未达标（期限已到）"
    assert "数值越低越好" in spec["alt"]
    assert "最新为2015年12月31日的6.7%。2015年第四季度评估：未达标。期限2015年12月31日已到，实际值未满足目标。" in spec["alt"]
    assert spec["table"]["head"] == ["报告期", "数值日期", "数值", "序时进度期望值", "评估", "来源"]
    # The table holds every number drawn: the path's start, each value, the target.
    rows = spec["table"]["rows"]
    assert rows[0] == ["序时进度起点", "2013年12月31日", "6.5%", "—", "—", "示例数据"]
    # The reporter's note is published beside the source.
    # 2015-Q3, before the deadline: judged on pace; expected 5.19% is written to the one decimal of the data.
    assert rows[-3][3:5] == ["5.2%", "进展缓慢"]
    assert rows[-2] == ["2015年第四季度", "2015年12月31日", "6.7%", "—", "未达标",
                        "示例：市统计部门季度汇总（虚构）；备注：第四季度个别大宗消费品返修集中，返修率高于计划开始时的水平"]
    assert rows[-1] == ["目标", "2015年12月31日", "低于5%", "—", "—", "计划原文"]
    assert len(rows) == 7


def test_a_higher_is_better_indicator_without_a_baseline_starts_from_its_first_value(real):
    _, _, specs = real
    plot = specs["indicator-chief-quality-officer-share"]["plot"]
    assert plot["lower_is_better"] is False
    assert plot["subtitle"] == "目标：不低于50%，越高越好"
    assert plot["paths"] == [[["2014-12-31", 30.0], ["2015-12-31", 50.0]]]
    rows = specs["indicator-chief-quality-officer-share"]["table"]["rows"]
    assert rows[0] == ["序时进度起点", "2014年12月31日", "30%", "—", "—", "最早报送的数值"]
    assert rows[1][3:5] == ["—", "暂无数据"]


def test_an_annual_indicator_has_one_expected_path_per_year(real):
    _, _, specs = real
    spec = specs["indicator-free-training-smes-per-year"]
    plot = spec["plot"]
    assert plot["annual"] is True
    assert plot["paths"] == [[["2014-01-01", 0.0], ["2014-12-31", 300.0]], [["2015-01-01", 0.0], ["2015-12-31", 300.0]]]
    assert plot["subtitle"] == "目标：每年不低于300家，越高越好"
    assert [p[1] for p in plot["points"]] == [320.0, 60.0, 150.0, 230.0, 335.0]
    rows = spec["table"]["rows"]
    assert rows[0] == ["序时进度起点", "每年1月1日", "0家", "—", "—", "每年从零起算"]
    # What is counted one by one is expected in whole units (73家, not 73.35家).
    assert [r[3] for r in rows[1:-1]] == ["—", "73家", "148家", "224家", "—"]
    assert rows[-1][:3] == ["目标", "2015年12月31日", "每年不低于300家"]


def test_a_zero_target_and_a_target_without_values(real):
    _, _, specs = real
    zero = specs["indicator-major-construction-quality-accidents"]["plot"]
    assert zero["target"] == 0.0 and zero["lower_is_better"] is True
    assert {v for _, v in zero["points"]} == {0.0}
    empty = specs["indicator-measurement-traceability-coverage"]
    assert empty["plot"]["points"] == [] and empty["plot"]["paths"] == []
    # Nothing reported by the deadline: 逾期未报数, never a soft 暂无数据.
    assert empty["plot"]["verdict"] == "2015年第四季度评估：逾期未报数"
    assert "尚无数值" in empty["alt"]
    assert empty["table"]["rows"] == [["目标", "2015年12月31日", "不低于90%", "—", "—", "计划原文"]]


def test_a_relative_target_without_numbers_has_no_image_but_its_words(real):
    _, _, specs = real
    spec = specs["indicator-international-patent-applications"]
    assert spec["plot"] is None and spec["file"] is None
    assert "进展缓慢" in spec["alt"]
    assert [r[4] for r in spec["table"]["rows"]][-2].startswith("进展缓慢（报送单位理由：")
    with_values = specs["indicator-service-user-satisfaction"]
    assert with_values["plot"]["target"] is None
    assert with_values["plot"]["subtitle"].startswith("相对目标：达到全省平均水平")
    # Reported, but the reporter did not judge it by the deadline: the headline says so in a word, the subtitle gives the reporter's words.
    assert with_values["plot"]["verdict"] == "2015年第四季度评估：逾期未判定"
    assert "全省平均水平尚未公布" in with_values["plot"]["subtitle"].replace("\n", "")
    # Judged without a figure: the value column holds no figure, and the reasons go with the assessment.
    rows = spec["table"]["rows"]
    assert [r[2] for r in rows] == ["—"] * len(rows)
    assert all("（报送单位理由：示例：" in r[4] for r in rows)
    assert rows[-1][4].startswith("未达标（报送单位理由：示例：按虚构数据，全年国际专利申请量约为2010年的1.5倍")
    assert rows[-1][4].endswith("（报送单位判定为进展缓慢，期限已到）")


def test_a_missed_target_heads_its_chart(real):
    _, _, specs = real
    zones = specs["indicator-agricultural-standard-demonstration-zones"]
    assert zones["plot"]["verdict"] == "2015年第四季度评估：未达标（期限已到）"
    assert zones["table"]["rows"][-2][2:5] == ["3个", "—", "未达标"]
    adoption = specs["indicator-pillar-industry-standard-adoption"]
    assert adoption["plot"]["verdict"] == "2015年第四季度评估：未达标（期限已到）"


def test_without_progress_every_chart_says_not_reported_or_no_data(real):
    plan, _, _ = real
    specs = charts.derive_chart_specs(plan, [])
    assert "home-history" not in specs
    assert plot_rows(specs["home-status"])[0] == ("全部任务（31项）", {"not_reported": 31})
    assert specs["home-status"]["alt"] == "横向条形图。尚未发布任何季度进展，31项任务均为未报告。"
    assert plot_rows(specs["chapter-01"]) == [("尚无季度进展", {"not_reported": 4})]
    repair = specs["indicator-consumer-goods-repair-rate"]
    assert repair["plot"]["points"] == [] and repair["plot"]["verdict"] == "尚未发布季度进展"
    # The expected path is still known: it starts from the published baseline.
    assert repair["plot"]["paths"] == [[["2013-12-31", 6.5], ["2015-12-31", 5.0]]]
    assert [r[0] for r in repair["table"]["rows"]] == ["序时进度起点", "目标"]


def test_the_second_plan_gets_its_own_charts():
    plan = load_plan(MINI)
    specs = charts.derive_chart_specs(plan, [])
    assert set(specs) == {"home-status", "chapter-01", "chapter-02", *(f"department-{d.id}" for d in plan.departments),
                          "indicator-public-testing-platforms", "indicator-testing-coverage"}
    assert plot_rows(specs["home-status"])[0] == ("全部任务（3项）", {"not_reported": 3})
    assert specs["indicator-testing-coverage"]["plot"] is None  # relative, no values
    assert specs["indicator-public-testing-platforms"]["plot"]["paths"] == [[["2020-01-01", 0.0], ["2021-12-31", 3.0]]]


def test_the_cache_key_follows_the_plot_data_and_drawn_words_not_the_page_words(real):
    _, _, specs = real
    spec = specs["chapter-02"]
    key = cache.chart_key(spec)
    worded = {**spec, "caption": "另一个标题", "alt": "另一段说明", "name": "另一个名称"}
    assert cache.chart_key(json.loads(json.dumps(worded))) == key and spec["file"] == "charts/chapter-02.svg"
    changed = json.loads(json.dumps(spec))
    changed["plot"]["rows"][0]["counts"][0][1] += 1
    assert cache.chart_key(changed) != key
    # The words drawn on the image are its plot data: another title or source (a quarter found to be
    # sample, a unit renamed) draws it again.
    for field in ("title", "source"):
        changed = json.loads(json.dumps(spec))
        changed["plot"][field] += "。"
        assert cache.chart_key(changed) != key, field


@pytest.mark.parametrize("module", ["layout.py", "draw.py", "render.py", "png.py"])
def test_the_cache_key_follows_the_drawing_code_and_the_png_writer(module, monkeypatch, real):
    """A chart is laid out, drawn and rendered in plansite/charts/, its PNG written by png.py: a change
    to any of them must redraw every chart (the module's key is computed afresh, as a new build does)."""
    _, _, specs = real
    before = cache.chart_key(specs["chapter-02"])
    real_read = Path.read_bytes

    def read_bytes(path):
        data = real_read(path)
        return data + b"# changed" if path.parent.name == "charts" and path.name == module else data

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    fresh = importlib.reload(cache)
    try:
        assert fresh.chart_key(specs["chapter-02"]) != before
    finally:
        monkeypatch.undo()
        importlib.reload(cache)


# ---- drawing: the Chinese font ------------------------------------------------------------------


def draw_all(specs) -> dict[str, bytes]:
    return {sid: chart_draw.draw_chart_files(s["kind"], s["plot"])[0] for sid, s in specs.items() if s["plot"]}


def test_every_chart_draws_without_a_missing_glyph(real):
    plan, progress, specs = real
    mini = load_plan(MINI)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=GLYPH_MISSING)
        drawn = draw_all(specs)
        drawn.update(draw_all(charts.derive_chart_specs(plan, [])))
        drawn.update(draw_all(charts.derive_chart_specs(mini, derive_progress(mini))))
    assert len(drawn) >= 60


def test_a_missing_glyph_is_an_error():
    """The filter above has teeth: a character no Chinese font has fails the drawing."""
    plot = charts._status_plot([("表情\U0001F600", {"completed": 1})], "标题", "数据来源：示例")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=GLYPH_MISSING)
        with pytest.raises(UserWarning, match=GLYPH_MISSING):
            chart_draw.draw_chart_files("status_bars", plot)


# ---- the built site ---------------------------------------------------------------------------


class FigureParser(html.parser.HTMLParser):
    """Every <img> in a page's <article>, with the figure, caption and table around it."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.figures: list[dict] = []
        self.images: list[dict] = []
        self.figure = None
        self.in_caption = False
        self.in_article = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.in_article = True
        if not self.in_article:
            return
        if tag == "figure":
            self.figure = {"class": attrs.get("class", ""), "caption": "", "images": [], "tables": 0, "rows": 0}
            self.figures.append(self.figure)
        elif tag == "figcaption" and self.figure is not None:
            self.in_caption = True
        elif tag == "img":
            image = {**attrs, "figure": self.figure}
            self.images.append(image)
            if self.figure is not None:
                self.figure["images"].append(image)
        elif tag == "table" and self.figure is not None:
            self.figure["tables"] += 1
        elif tag == "tr" and self.figure is not None:
            self.figure["rows"] += 1

    def handle_endtag(self, tag):
        if tag == "figure":
            self.figure = None
        elif tag == "figcaption":
            self.in_caption = False
        elif tag == "article":
            self.in_article = False

    def handle_data(self, data):
        if self.in_caption and self.figure is not None:
            self.figure["caption"] += data


def figures_of(path: Path) -> FigureParser:
    parser = FigureParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_chart_on_the_site_is_a_figure_with_caption_text_and_table(built_site, real):
    plan, _, specs = real
    charts_dir = built_site / "charts"
    svgs = sorted(p.name for p in charts_dir.glob("*.svg"))
    assert svgs == sorted(Path(s["file"]).name for s in specs.values() if s["file"])
    shown: dict[str, str] = {}
    for page in sorted(built_site.rglob("index.html")):
        parsed = figures_of(page)
        for image in parsed.images:
            src = image.get("src", "")
            if "charts/" not in src:
                continue
            where = f"{page.relative_to(built_site)}: {src}"
            target = (page.parent / src).resolve()
            assert target.parent == charts_dir.resolve() and target.is_file(), where
            figure = image["figure"]
            assert figure is not None and "chart" in figure["class"], f"not in a chart figure: {where}"
            assert figure["caption"].strip(), f"no caption: {where}"
            assert len(image.get("alt", "")) >= 20, f"no text alternative: {where}"
            assert figure["tables"] == 1 and figure["rows"] >= 2, f"no table of the numbers: {where}"
            assert image.get("width") and image.get("height"), where
            shown[target.name] = str(page.relative_to(built_site))
    assert sorted(shown) == svgs, "every chart is shown on some page"
    # Where the charts are.
    by_page = {}
    for name, page in shown.items():
        by_page.setdefault(page, []).append(name)
    assert len(by_page["index.html"]) == 2
    for chapter in plan.chapters:
        assert len(by_page[f"chapters/{chapter.id:02d}/index.html"]) == 1
    for dept in plan.departments:
        assert len(by_page[f"departments/{dept.id}/index.html"]) == 1
    for ind in plan.indicators:
        expected = 1 if specs[f"indicator-{ind.id}"]["file"] else 0
        assert len(by_page.get(f"indicators/{ind.id}/index.html", [])) == expected, ind.id
    for period in plan.periods:
        assert by_page[f"reports/{period.period}/index.html"] == [f"report-{period.period}.svg"]


def test_alt_text_is_the_spec_text(built_site, real):
    _, _, specs = real
    by_file = {Path(s["file"]).name: s for s in specs.values() if s["file"]}
    home = figures_of(built_site / "index.html")
    for image in home.images:
        spec = by_file[Path(image["src"]).name]
        assert image["alt"] == spec["alt"]
        assert image["figure"]["caption"] == spec["caption"]


def test_every_svg_is_small_text_as_text_and_undated(built_site):
    files = sorted((built_site / "charts").glob("*.svg"))
    assert len(files) >= 60
    for path in files:
        data = path.read_bytes()
        assert len(data) < 60 * 1024, f"{path.name}: {len(data)} bytes"
        text = data.decode("utf-8")
        assert "<text" in text, path.name  # words are text, not glyph outlines
        assert "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', sans-serif" in text
        assert "<dc:date>" not in text, path.name


def test_indicator_pages_and_overview(built_site, real):
    plan, progress, specs = real
    overview = without_nw((built_site / "indicators" / "index.html").read_text(encoding="utf-8"))
    for ind in plan.indicators:
        assert f'href="{ind.id}/"' in overview, ind.id
        page = without_nw((built_site / "indicators" / ind.id / "index.html").read_text(encoding="utf-8"))
        # The sample notice names the quarters of its values (and the baselines, if it uses them); a target
        # with neither (量传溯源体系覆盖率) is 逾期未报数, a verdict on every quarter so far, which it names.
        shown = (ind.id in {b.indicator for b in plan.baselines} or any(ind.id in s.new_values for s in progress)
                 or progress[-1].indicators[ind.id].assessed.code == "overdue_no_value")
        assert ("示例数据：本站2014年第四季度至2015年第" in page) == shown, ind.id
        assert 'id="assessment"' in page and 'id="values"' in page
        for row in specs[f"indicator-{ind.id}"]["table"]["rows"]:
            assert f"<td>{row[2]}</td>" in page, (ind.id, row)  # every value, with date and source
            assert f"<td>{row[1]}</td>" in page and f"<td>{row[5]}</td>" in page
        # Linked from its task's 量化目标 table.
        task = without_nw((built_site / "tasks" / f"{ind.task:02d}" / "index.html").read_text(encoding="utf-8"))
        targets = task[task.index('id="targets"'):task.index('id="timeline"')]
        assert f'href="../../indicators/{ind.id}/"' in targets, ind.id
    # The overview is in the navigation; single indicators are not.
    home = without_nw((built_site / "index.html").read_text(encoding="utf-8"))
    assert re.search(r'<a href="indicators/"[^>]*class="md-nav__link', home) or 'href="indicators/"' in home
    nav = home[home.index('class="md-nav md-nav--primary"'):home.index('class="md-content"')]
    assert "indicators/consumer-goods-repair-rate/" not in nav
    repair = without_nw((built_site / "indicators" / "consumer-goods-repair-rate" / "index.html").read_text(encoding="utf-8"))
    assert "未达标" in repair and "期限2015年12月31日已到" in repair and "越低越好" in repair


# ---- reproducible, cached, parallel ------------------------------------------------------------


DRAW_SCRIPT = """
import json, sys
from pathlib import Path
from plansite.builder.drawing import draw_charts
from plansite.charts.specs import derive_chart_specs
from plansite.figures.progress import derive_progress
from plansite.model.load import load_plan
plan = load_plan(Path(sys.argv[1]))
result = draw_charts(derive_chart_specs(plan, derive_progress(plan)), cache=Path(sys.argv[2]))
print(json.dumps({"drawn": result.drawn, "cached": result.cached, "matplotlib": "matplotlib" in sys.modules}))
"""

BUILD_SCRIPT = """
import sys
from plansite.__main__ import main
code = main(["build", "--data", sys.argv[1], "--site", sys.argv[2]])
print("MATPLOTLIB", "matplotlib" in sys.modules, code)
"""


def draw(data: Path, cache: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", DRAW_SCRIPT, str(data), str(cache)], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def cold_cache(tmp_path_factory) -> tuple[dict, Path]:
    """The real plan's charts drawn into an empty cache of their own (by worker processes: the
    drawing process itself never imports matplotlib)."""
    cache = tmp_path_factory.mktemp("cold") / "cache"
    return draw(ROOT / "data", cache), cache


def test_charts_drawn_afresh_are_byte_identical_to_the_built_sites(cold_cache, built_site, real):
    """Two drawings of every chart from empty caches, in different processes (the built site's
    come from the session's own cache), give the same bytes: SVG and PNG."""
    cold, cache = cold_cache
    _, _, specs = real
    chart_key = importlib.import_module("plansite.builder.cache").chart_key
    drawn = [spec for spec in specs.values() if spec["plot"] is not None]
    assert len(drawn) >= 60
    differ = [spec["file"] for spec in drawn
              if (cache / f"{chart_key(spec)}.svg").read_bytes() != (built_site / spec["file"]).read_bytes()
              or (cache / f"{chart_key(spec)}.png").read_bytes() != (built_site / spec["png"]).read_bytes()]
    assert differ == []


def test_the_cache_redraws_only_what_changed_and_a_warm_build_never_imports_matplotlib(tmp_path, cold_cache):
    plan = load_plan(ROOT / "data")
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    cold, cold_dir = cold_cache
    assert cold["cached"] == []
    assert len(cold["drawn"]) >= 60
    cache = tmp_path / "cache"
    shutil.copytree(cold_dir, cache)  # the cold drawing's files, with their times
    drawn_at = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.svg")}
    assert len(drawn_at) >= 60
    warm = draw(data, cache)
    assert warm == {"drawn": [], "cached": sorted(cold["drawn"]), "matplotlib": False}

    # A whole build from a warm cache: no chart is drawn again (the cached files are not rewritten)
    # and matplotlib is never imported.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", CACHE_ENV: str(cache)}
    build = subprocess.run([sys.executable, "-c", BUILD_SCRIPT, str(data), str(tmp_path / "site")], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    assert "MATPLOTLIB False 0" in build.stdout, build.stdout + build.stderr
    assert {name: (cache / name).stat().st_mtime_ns for name in drawn_at} == drawn_at
    # That build drew the print QR codes of the pages that carry one (task, unit, indicator,
    # report, plan) into the same cache; the next build draws none of them again either.
    qr_pages = len(plan.tasks) + len(plan.departments) + len(plan.indicators) + len(plan.periods) + 1
    everything = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.svg")}
    assert len(everything) == len(drawn_at) + qr_pages
    again = subprocess.run([sys.executable, "-c", BUILD_SCRIPT, str(data), str(tmp_path / "site")], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=600)
    assert "MATPLOTLIB False 0" in again.stdout, again.stdout + again.stderr
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.svg")} == everything

    # One indicator value in an early period: only that indicator's chart is drawn again.
    q2 = data / "progress" / "2015-Q2.yaml"
    text = q2.read_text(encoding="utf-8")
    edited = text.replace("- indicator: patent-implementation-rate\n    value: 62\n",
                          "- indicator: patent-implementation-rate\n    value: 61\n")
    assert edited != text
    q2.write_text(edited, encoding="utf-8")
    assert draw(data, cache)["drawn"] == ["indicator-patent-implementation-rate"]

    # One task's status in the latest period: the home charts, its chapter and its units.
    q4 = data / "progress" / "2015-Q4.yaml"
    text = q4.read_text(encoding="utf-8")
    edited = text.replace("  - task: 5\n    status: 滞后\n", "  - task: 5\n    status: 推进中\n")
    assert edited != text
    q4.write_text(edited, encoding="utf-8")
    task = plan.task(5)
    expected = {"home-status", "home-history", f"chapter-{task.chapter:02d}", "report-2015-Q4",
                *(f"department-{plan.department_named(name).id}" for _, name in task.units)}
    assert set(draw(data, cache)["drawn"]) == expected


def test_build_charts_script_writes_every_chart_with_its_spec(tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "scripts/build_charts.py", "--data", str(MINI), "--out", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    plan = load_plan(MINI)
    specs = charts.derive_chart_specs(plan, derive_progress(plan))
    expected = sorted(Path(s["file"]).name for s in specs.values() if s["file"])
    assert sorted(p.name for p in out.glob("*.svg")) == expected
    for name in expected:
        spec = json.loads((out / name).with_suffix(".json").read_text(encoding="utf-8"))
        assert spec == specs[spec["id"]]
    assert f"共 {len(expected)} 张，新绘制 {len(expected)} 张" in result.stdout


def test_data_text_is_never_read_as_tex():
    plot = charts._status_plot([("成本$x^2$与$y$", {"completed": 1})], "《$a$计划》", "数据来源：《$a$计划》")
    svg = chart_draw.draw_chart_files("status_bars", plot)[0].decode("utf-8")
    assert "成本$x^2$与$y$（1项）" in svg and "<title>《$a$计划》</title>" in svg
    printed = chart_draw.FIGURE["status_bars"](plot, chart_draw.PRINT, framed=True)
    assert {"《$a$计划》", "数据来源：《$a$计划》"} <= {t.get_text() for t in printed.texts}


def test_drawings_unused_for_a_quarter_are_pruned_and_used_ones_kept(tmp_path):
    from plansite.builder.cache import chart_key, qr_key
    from plansite.builder.drawing import Drawing, KEEP_UNUSED_DAYS

    cache = tmp_path / "cache"
    cache.mkdir()
    spec = {"id": "chapter-01", "kind": "status_bars", "plot": {"rows": []}, "file": "charts/x.svg", "png": "charts/x.png"}
    key = chart_key(spec)
    url = "https://example.org/plan/tasks/01/"
    old = time.time() - (KEEP_UNUSED_DAYS + 1) * 86400
    files = {"used-old-chart": f"{key}.svg", "used-old-png": f"{key}.png", "used-old-qr": f"{qr_key(url)}.svg",
             "unused-old": f"{'b' * 64}.svg", "unused-old-png": f"{'b' * 64}.png", "unused-old-docx": f"{'d' * 64}.docx",
             "unused-new": f"{'c' * 64}.svg"}
    for label, name in files.items():
        (cache / name).write_text(label, encoding="utf-8")
        if "old" in label:
            os.utime(cache / name, (old, old))
    drawing = Drawing(cache).start({"chapter-01": spec}, [url])  # everything cached: nothing drawn
    assert drawing.qr(url) == "used-old-qr"
    assert drawing.charts().files == {"charts/x.svg": b"used-old-chart", "charts/x.png": b"used-old-png"}
    unused = sorted(n for k, n in files.items() if k.startswith("unused-old"))
    assert drawing.prune() == unused
    assert sorted(p.name for p in cache.iterdir()) == sorted(n for n in files.values() if n not in unused)


def test_drawn_figures_and_their_pixels_do_not_pile_up(real, monkeypatch):
    """A figure refers to its canvas and 8 MB pixel buffer and back: left to the garbage
    collector's rare full passes, a worker drawing a 16× plan held 2.1 GB. No figure outlives its
    chart, however the collector's counts stood when the chart began (they vary with what ran
    before: a young pass alone left a figure that had grown old while drawn, now and then)."""
    import weakref

    made = []  # a weak reference to every figure drawn

    def recording(make):
        def figure(*args, **kwargs):
            made.append(weakref.ref(fig := make(*args, **kwargs)))
            return fig
        return figure

    for kind, make in list(chart_draw.FIGURE.items()):
        monkeypatch.setitem(chart_draw.FIGURE, kind, recording(make))
    _, _, specs = real
    for start in range(0, 7000, 350):  # each a different point in the collector's counts (young: 700, middle: ten young passes)
        shift = [[] for _ in range(start)]  # kept while the chart is drawn
        chart_id = ("home-status", "home-history", "chapter-01", "chapter-02")[start // 350 % 4]
        chart_draw.draw_chart_files(specs[chart_id]["kind"], specs[chart_id]["plot"])
        assert made and all(figure() is None for figure in made), (start, chart_id)
        del shift


def test_a_tall_charts_pixels_are_freed_when_it_is_drawn():
    """A large plan's home chart is 49,000 px tall (300 MB of pixels). Drawn over many allocations,
    its figure is old by the end, out of reach of the young pass above: the 16× plan's worker
    held three such buffers (1 GB) at once. No renderer, and so no pixel buffer, outlives its chart."""
    import gc

    from plansite.charts.render import _AggRenderer

    plot = charts._status_plot([(f"第{i}章", {"completed": i % 3, "ongoing": 1, "behind": i % 2}) for i in range(110)],
                               "标题", "数据来源：示例")
    assert chart_draw.png_size(chart_draw.print_size("status_bars", plot))[1] > 10_000
    for _ in range(2):
        chart_draw.draw_chart_files("status_bars", plot)
        assert not [o for o in gc.get_objects() if isinstance(o, _AggRenderer)]
