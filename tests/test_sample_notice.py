"""The sample-data notice says which periods are sample, on the pages that show them and only there.

The mini plan gets four quarters: 2020-Q1 and Q2 sample (test_progress_pages' files), Q3 and Q4
reported by the units (sample: false). Q3's report compares with Q2 and shows the relative target
last judged in Q1, so it names those two sample quarters; Q4's report shows only Q3 and Q4 and
carries no notice, on the page, in its Word version and in the feed. A site of reported quarters
and real baselines says 示例数据 nowhere; sample baselines are named only where a pace is computed
from them.
"""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from docx import Document

from test_progress_pages import Q1, Q2, article, build, mini_with, page, rows, section, text

Q3 = """\
period: 2020-Q3
compiled: 2020-10-12
sample: false
tasks:
  - task: 1
    status: 已完成
    summary: 第一个公共测试平台投入使用。
    reporter: 市测试局
  - task: 2
    status: 推进中
    summary: 地方测试标准已立项。
    reporter: 示例大学
  - task: 3
    status: 常态推进
    summary: 各区按方案推进。
    reporter: 各区人民政府
indicators:
  - indicator: public-testing-platforms
    value: 2
    as_of: 2020-09-30
    source: 市测试局
"""
Q4 = """\
period: 2020-Q4
compiled: 2021-01-15
sample: false
tasks:
  - task: 1
    status: 已完成
    summary: 第二个公共测试平台投入使用。
    reporter: 市测试局
  - task: 2
    status: 推进中
    summary: 标准草案已征求意见。
    reporter: 示例大学
  - task: 3
    status: 常态推进
    summary: 各区按方案推进。
    reporter: 各区人民政府
indicators:
  - indicator: public-testing-platforms
    value: 2
    as_of: 2020-12-31
    source: 市测试局
  - indicator: testing-coverage
    value: 45
    as_of: 2020-12-31
    source: 市测试局
    assessment: 符合序时进度
    justification: 覆盖率已由 25% 提高到 45%。
"""
BASELINES = """\
sample: {sample}
baselines:
  - indicator: public-testing-platforms
    value: 0
    as_of: 2019-12-31
    source: 市测试局
"""

HISTORY = "示例数据：本站2020年第一季度至第二季度的进展数据为演示用途，并非官方统计；2020年第三季度至第四季度为各单位报送的数据"
Q3_REPORT = "示例数据：本站2020年第一季度至第二季度的进展数据为演示用途，并非官方统计；2020年第三季度为各单位报送的数据"
# Pages showing every period: the timelines and charts of all periods, delays counted over all of them.
HISTORY_PAGES = ["", "reports", "chapters/01", "chapters/02", "tasks/01", "tasks/02", "tasks/03", "departments",
                 "departments/testing-bureau", "departments/district-governments", "downloads",
                 "indicators/public-testing-platforms"]
# Pages showing only Q3 and Q4: the latest statuses, the latest values (all reported in Q4), Q4's report.
REAL_PAGES = ["tasks", "indicators", "reports/2020-Q4"]


def notices(html_text: str) -> list[str]:
    return [text(n) for n in re.findall(r'<p class="sample-notice" role="note">(.*?)</p>', article(html_text), re.S)]


def docx_notices(site: Path, period: str) -> list[str]:
    doc = Document(site / "reports" / period / f"{period}.docx")
    return [p.text for p in doc.paragraphs if "示例数据" in p.text]


def feed_summaries(site: Path) -> dict[str, str]:
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    atom = "{http://www.w3.org/2005/Atom}"
    return {e.find(f"{atom}title").text: e.find(f"{atom}summary").text for e in feed.findall(f"{atom}entry")}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sample-then-real")
    return build(mini_with(root, Q1=Q1, Q2=Q2, Q3=Q3, Q4=Q4), root / "site")


@pytest.mark.parametrize("uri", HISTORY_PAGES)
def test_a_page_showing_every_period_names_exactly_the_sample_ones(mixed, uri):
    assert notices(page(mixed, uri)) == [HISTORY]


@pytest.mark.parametrize("uri", REAL_PAGES)
def test_a_page_showing_only_reported_quarters_has_no_notice(mixed, uri):
    html_text = page(mixed, uri)
    assert notices(html_text) == [] and "示例数据" not in text(article(html_text))


def test_a_target_page_names_the_quarters_that_reported_it(mixed):
    # 测试覆盖率 was judged in Q1 (sample) and Q4 (reported) only.
    assert notices(page(mixed, "indicators/testing-coverage")) == [
        "示例数据：本站2020年第一季度的进展数据为演示用途，并非官方统计；2020年第四季度为各单位报送的数据"]


def test_each_report_names_the_sample_quarters_it_shows_and_never_its_own_real_one(mixed):
    assert notices(page(mixed, "reports/2020-Q1")) == ["示例数据：本站2020年第一季度的进展数据为演示用途，并非官方统计"]
    assert notices(page(mixed, "reports/2020-Q2")) == ["示例数据：本站2020年第一季度至第二季度的进展数据为演示用途，并非官方统计"]
    # Q3 is reported, but its report compares with Q2 and shows the relative target as judged in Q1.
    q3 = page(mixed, "reports/2020-Q3")
    assert notices(q3) == [Q3_REPORT]
    assert "测试覆盖率" in text(section(q3, "all-targets", "tasks"))
    # The list of reports says it quarter by quarter.
    listed = {r[0]: r[-1] for r in rows(article(page(mixed, "reports")))[1:]}
    assert listed == {
        "2020年第四季度": "报送数据", "2020年第三季度": "报送数据", "2020年第二季度": "示例数据", "2020年第一季度": "示例数据"}


def test_the_word_reports_and_the_feed_say_what_their_pages_say(mixed):
    assert docx_notices(mixed, "2020-Q4") == []
    assert docx_notices(mixed, "2020-Q3") == [f"【{Q3_REPORT}】"]
    assert docx_notices(mixed, "2020-Q1") == ["【示例数据：本站2020年第一季度的进展数据为演示用途，并非官方统计】"]
    summaries = feed_summaries(mixed)
    assert "示例数据" not in summaries["2020年第四季度进展报告"]
    assert summaries["2020年第三季度进展报告"].endswith(f"{Q3_REPORT}。")


def test_the_method_page_and_the_data_package_say_which_periods_are_sample(mixed):
    nature = text(section(page(mixed, "method"), "sample", "technical"))
    assert f"{HISTORY}。" in nature
    assert "2020年第一季度至第二季度的季度进展和指标数值是为演示网站功能而编写的示例" in nature
    assert "2020年第三季度至第四季度的季度进展和指标数值由各责任单位报送，按原样公布" in nature
    assert "基线" not in nature  # the mini plan has no baselines.yaml

    package = json.loads((mixed / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["sample"] is True and package["sample_periods"] == ["2020-Q1", "2020-Q2"]
    assert package["sample_baselines"] is False
    assert package["description"].endswith(f"{HISTORY}。")


def real_site(root: Path, baselines_sample: bool) -> Path:
    data = mini_with(root, Q1=Q1.replace("sample: true", "sample: false"), Q2=Q2.replace("sample: true", "sample: false"),
                     Q3=Q3, Q4=Q4)
    (data / "baselines.yaml").write_text(BASELINES.format(sample=str(baselines_sample).lower()), encoding="utf-8")
    return build(data, root / "site")


# Where the site explains the notice, the `sample` field and the Word report's optional notice: not a label.
DOCUMENTATION = {"about/index.html", "schema/index.html", "downloads/index.html", "method/index.html"}


def test_a_site_of_reported_quarters_and_real_baselines_says_sample_nowhere(tmp_path):
    site = real_site(tmp_path, baselines_sample=False)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 20
    for path in pages:
        html_text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(site))
        assert "示例数据：" not in html_text and "sample-notice" not in html_text, name
        if name not in DOCUMENTATION:
            assert "示例数据" not in html_text, name
    assert "示例数据" not in text(section(page(site, "method"), "sample", "technical"))
    for period in ("2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"):
        assert docx_notices(site, period) == []
    assert not any("示例数据" in s for s in feed_summaries(site).values())
    package = json.loads((site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    assert (package["sample"], package["sample_periods"], package["sample_baselines"]) == (False, [], False)
    assert package["description"] == "《示例市测试行动计划2020-2021年》的章节、任务、责任单位、量化目标及季度进展。"


def test_sample_baselines_are_named_only_where_a_pace_is_computed_from_them(tmp_path):
    site = real_site(tmp_path, baselines_sample=True)
    baselines = "示例数据：本站序时进度评估所用的基线为演示用途，并非官方统计；{}为各单位报送的数据"
    # The target with a baseline: its page draws the line from it; its task's timeline and the
    # reports judge the pace against it (2 of 3 platforms is not yet the target).
    assert notices(page(site, "indicators/public-testing-platforms")) == [baselines.format("2020年第一季度至第四季度")]
    assert notices(page(site, "tasks/01")) == [baselines.format("2020年第一季度至第四季度")]
    assert notices(page(site, "reports/2020-Q1")) == [baselines.format("2020年第一季度")]
    assert notices(page(site, "reports/2020-Q4")) == [baselines.format("2020年第三季度至第四季度")]
    assert docx_notices(site, "2020-Q4") == [f"【{baselines.format('2020年第三季度至第四季度')}】"]
    # Pages that show no pace: statuses, delays and the relative target.
    for uri in ("", "tasks", "tasks/02", "tasks/03", "chapters/01", "departments", "reports", "indicators/testing-coverage"):
        assert notices(page(site, uri)) == [], uri
    nature = text(section(page(site, "method"), "sample", "technical"))
    assert "序时进度评估所用的基线是示例" in nature
    package = json.loads((site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    assert (package["sample"], package["sample_periods"], package["sample_baselines"]) == (True, [], True)
