"""Progress on the built site: task pages, quarterly reports, the sample-data notice, frozen
reports and the open-data files, checked in the HTML the real build command writes.

The mini plan gets two small progress files: 2020-Q1 reports every task, 2020-Q2 leaves task 3 out.
"""
import csv
import html
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import without_nw

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
# The sample notice of a page showing both quarters (both are sample: true).
NOTICE = "示例数据：本站2020年第一季度至第二季度的进展数据为演示用途，并非官方统计"

Q1 = """\
period: 2020-Q1
compiled: 2020-04-10
sample: true
tasks:
  - task: 1
    status: 推进中
    summary: 完成公共测试平台建设方案。
    evidence:
      - title: 关于建设公共测试平台的通知
        url: https://example.org/mini/2020-q1/platform
    reporter: 市测试局
  - task: 2
    status: 未启动
    summary: 正在起草地方测试标准立项计划。
    reporter: 市测试局
  - task: 3
    status: 常态推进
    summary: 各区制定实施方案。
    reporter: 各区人民政府
indicators:
  - indicator: public-testing-platforms
    value: 1
    as_of: 2020-03-31
    source: 市测试局
  - indicator: testing-coverage
    value: 40
    as_of: 2020-03-31
    source: 市测试局
    assessment: 符合序时进度
    justification: 覆盖率已由 25% 提高到 40%。
"""
Q2 = """\
period: 2020-Q2
compiled: 2020-07-10
sample: true
tasks:
  - task: 1
    status: 已完成
    summary: 建成第一个公共测试平台。
    reporter: 市测试局
  - task: 2
    status: 滞后
    summary: 标准立项推迟到下季度。
    reporter: 示例大学
indicators:
  - indicator: public-testing-platforms
    value: 2
    as_of: 2020-06-30
    source: 市测试局
"""
# task id → (page, heading, status in 2020-Q1, status in 2020-Q2)
TASKS = {1: ("tasks/01", "（一）建设测试平台", "推进中", "已完成"),
         2: ("tasks/02", "（二）完善测试标准", "未启动", "滞后"),
         3: ("tasks/03", "（三）加强组织领导", "常态推进", "未报告")}
LABELS = ("未启动", "推进中", "滞后", "已完成", "常态推进", "未报告")
CHAPTERS = ("chapters/01", "chapters/02")
DEPARTMENTS = ("testing-bureau", "treasury", "data-bureau", "sample-university", "district-governments")


def plansite(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    return subprocess.run([sys.executable, "-m", "plansite", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def mini_with(root: Path, **periods: str) -> Path:
    data = root / "data"
    shutil.copytree(MINI, data)
    for name, text in periods.items():
        (data / "progress").mkdir(exist_ok=True)
        (data / "progress" / f"2020-{name}.yaml").write_text(text, encoding="utf-8")
    return data


def build(data: Path, site: Path) -> Path:
    result = plansite("build", "--data", str(data), "--site", str(site))
    assert result.returncode == 0, result.stderr
    return site


def page(site: Path, uri: str) -> str:
    path = site / uri / "index.html" if uri else site / "index.html"
    return without_nw(path.read_text(encoding="utf-8")).replace("\u200b", "")


def article(html_text: str) -> str:
    found = re.search(r"<article\b.*?</article>", html_text, re.S)
    assert found, "no <article> element"
    return found.group(0)


def section(html_text: str, start_id: str, end_id: str | None = None) -> str:
    """The HTML from the heading with id=start_id up to the heading with id=end_id (or the end)."""
    body = article(html_text)
    start = body.rindex("<", 0, body.index(f'id="{start_id}"'))
    end = body.rindex("<", 0, body.index(f'id="{end_id}"', start)) if end_id else len(body)
    return body[start:end]


def text(fragment: str) -> str:
    """Visible words: status icons (aria-hidden) and tags dropped, whitespace collapsed."""
    fragment = re.sub(r'<span aria-hidden="true">.*?</span>', "", fragment)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def rows(fragment: str) -> list[list[str]]:
    return [[text(c) for c in re.findall(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", tr, re.S)]
            for tr in re.findall(r"<tr\b[^>]*>(.*?)</tr>", fragment, re.S)]


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def header(path: Path) -> list[str]:
    return next(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("two-periods")
    return build(mini_with(root, Q1=Q1, Q2=Q2), root / "site")


@pytest.mark.parametrize("task_id", sorted(TASKS))
def test_a_task_page_shows_the_latest_status_and_every_period(site, task_id):
    uri, heading, first, latest = TASKS[task_id]
    html_text = page(site, uri)
    current = text(section(html_text, "status", "text"))
    assert current.startswith("当前进展"), current
    assert "截至2020年第二季度" in current
    assert [label for label in LABELS if label in current] == [latest], current

    # Up to the page's 引用本页 block (which cites each period's status too).
    timeline = section(html_text, "timeline").split('<section class="cite-page"')[0]
    assert text(timeline).startswith("历次进展")
    q2, q1 = timeline.index('id="period-2020-Q2"'), timeline.index('id="period-2020-Q1"')
    assert q2 < q1, "newest period first"
    assert [label for label in LABELS if label in text(timeline[q2:q1])] == [latest]
    assert [label for label in LABELS if label in text(timeline[q1:])] == [first]
    assert "2020年第二季度" in text(timeline[q2:q1]) and "2020年第一季度" in text(timeline[q1:])
    # Each period links to the task's row in that period's report.
    assert f'href="../../reports/2020-Q2/#task-{task_id:02d}"' in timeline[q2:q1]
    assert f'href="../../reports/2020-Q1/#task-{task_id:02d}"' in timeline[q1:]


def test_there_is_one_report_per_period(site):
    assert (site / "reports" / "2020-Q1" / "index.html").is_file()
    assert (site / "reports" / "2020-Q2" / "index.html").is_file()
    listed = rows(section(page(site, "reports"), "top"))
    assert [r[0] for r in listed[1:]] == ["2020年第二季度", "2020年第一季度"]


def test_the_second_report_lists_the_status_changes_since_the_first(site):
    changes = section(page(site, "reports/2020-Q2"), "changes", "targets")
    assert "<table>" in changes, f"the changes are not a table:\n{text(changes)}"
    assert rows(changes)[1:] == [[heading, first, latest] for _, heading, first, latest in TASKS.values()]
    assert "本季度新完成 ： （一）建设测试平台" in text(changes)
    assert "本季度新出现滞后 ： （二）完善测试标准" in text(changes)


def test_the_first_report_lists_every_task_as_new(site):
    changes = section(page(site, "reports/2020-Q1"), "changes", "targets")
    assert "这是第一份季度报告" in text(changes)
    assert "<table>" in changes, f"the changes are not a table:\n{text(changes)}"
    assert rows(changes)[1:] == [[heading, "未报告", first] for _, heading, first, _ in TASKS.values()]


def test_a_task_left_out_of_a_report_shows_not_reported(site):
    tasks = rows(section(page(site, "reports/2020-Q2"), "tasks"))
    by_task = {r[0]: r[1:] for r in tasks if r[0].startswith("（")}
    assert by_task["（三）加强组织领导"] == ["未报告", ""]
    assert by_task["（一）建设测试平台"] == ["已完成", "建成第一个公共测试平台。"]
    assert by_task["（二）完善测试标准"] == ["滞后", "标准立项推迟到下季度。"]


def test_the_sample_notice_is_on_every_page_that_shows_progress(site):
    pages = ["", "reports", "reports/2020-Q2", *CHAPTERS,
             *(uri for uri, *_ in TASKS.values()), *(f"departments/{d}" for d in DEPARTMENTS)]
    assert len(pages) == 3 + 2 + 3 + 5
    missing = [uri or "index" for uri in pages if NOTICE not in text(article(page(site, uri)))]
    assert missing == []
    # Pages showing one quarter name that one: the first report, the list of latest statuses.
    assert "示例数据：本站2020年第一季度的进展数据为演示用途，并非官方统计" in text(article(page(site, "reports/2020-Q1")))
    assert "示例数据：本站2020年第二季度的进展数据为演示用途，并非官方统计" in text(article(page(site, "tasks")))


def test_a_published_report_never_changes_when_a_period_is_added(tmp_path):
    data = mini_with(tmp_path, Q1=Q1)
    site = build(data, tmp_path / "site")
    before = (site / "reports" / "2020-Q1" / "index.html").read_bytes()
    assert not (site / "reports" / "2020-Q2").exists()
    assert "2020年第一季度进展报告" in before.decode("utf-8")

    (data / "progress" / "2020-Q2.yaml").write_text(Q2, encoding="utf-8")
    build(data, site)
    assert (site / "reports" / "2020-Q2" / "index.html").is_file()
    assert (site / "reports" / "2020-Q1" / "index.html").read_bytes() == before


def test_without_progress_every_task_is_not_reported_and_no_page_says_sample(tmp_path):
    site = build(mini_with(tmp_path), tmp_path / "site")
    for uri, *_ in TASKS.values():
        current = text(section(page(site, uri), "status", "text"))
        assert [label for label in LABELS if label in current] == ["未报告"], (uri, current)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 20
    showing = [str(p.relative_to(site)) for p in pages if "示例数据：" in p.read_text(encoding="utf-8")]
    assert showing == []
    assert not (site / "reports" / "2020-Q1").exists()
    assert [r["latest_status"] for r in read_csv(site / "downloads" / "tasks.csv")] == ["not_reported"] * 3
    assert read_csv(site / "downloads" / "progress.csv") == []


def test_progress_csv_has_one_row_per_period_and_task(site):
    path = site / "downloads" / "progress.csv"
    assert header(path) == ["period", "task_id", "status", "status_label", "summary", "evidence_urls",
                            "reporting_unit", "sample"]
    got = [(r["period"], r["task_id"], r["status"], r["status_label"], r["reporting_unit"], r["sample"])
           for r in read_csv(path)]
    assert got == [
        ("2020-Q1", "1", "in_progress", "推进中", "市测试局", "true"),
        ("2020-Q1", "2", "not_started", "未启动", "市测试局", "true"),
        ("2020-Q1", "3", "ongoing", "常态推进", "各区人民政府", "true"),
        ("2020-Q2", "1", "completed", "已完成", "市测试局", "true"),
        ("2020-Q2", "2", "behind", "滞后", "示例大学", "true"),
        ("2020-Q2", "3", "not_reported", "未报告", "", "true"),
    ]
    first = read_csv(path)[0]
    assert first["summary"] == "完成公共测试平台建设方案。"
    assert first["evidence_urls"] == "https://example.org/mini/2020-q1/platform"


def test_indicator_values_csv_has_one_row_per_reported_value(site):
    path = site / "downloads" / "indicator_values.csv"
    assert header(path)[:7] == ["period", "indicator_id", "value", "as_of", "source", "assessment", "sample"]
    got = [(r["period"], r["indicator_id"], r["value"], r["as_of"], r["sample"]) for r in read_csv(path)]
    assert got == [
        ("2020-Q1", "public-testing-platforms", "1", "2020-03-31", "true"),
        ("2020-Q1", "testing-coverage", "40", "2020-03-31", "true"),
        ("2020-Q2", "public-testing-platforms", "2", "2020-06-30", "true"),
    ]
    assert read_csv(path)[1]["assessment"] == "on_track"  # the relative target, as the unit judged it


def test_tasks_and_indicators_csv_carry_the_latest_figures(site):
    tasks = read_csv(site / "downloads" / "tasks.csv")
    assert {"latest_status", "latest_period"} <= set(header(site / "downloads" / "tasks.csv"))
    assert [(r["task_id"], r["latest_status"], r["latest_period"]) for r in tasks] == [
        ("1", "completed", "2020-Q2"), ("2", "behind", "2020-Q2"), ("3", "not_reported", "2020-Q2")]

    path = site / "downloads" / "indicators.csv"
    assert {"baseline", "baseline_date", "latest_value", "latest_period", "assessment"} <= set(header(path))
    by_id = {r["indicator_id"]: r for r in read_csv(path)}
    platforms, coverage = by_id["public-testing-platforms"], by_id["testing-coverage"]
    # A cumulative count starts from zero at the start of the plan period.
    assert (platforms["baseline"], platforms["baseline_date"]) == ("0", "2020-01-01")
    assert (platforms["latest_value"], platforms["latest_period"]) == ("2", "2020-Q2")
    assert platforms["assessment"] == "on_track"  # 2 of 3 after a quarter of the period
    assert (coverage["latest_value"], coverage["latest_period"], coverage["assessment"]) == ("40", "2020-Q1", "on_track")


def test_the_report_at_the_plans_end_says_missed_and_stays_so_when_a_later_period_is_added(tmp_path):
    # 2021-Q4 is the mini plan's last quarter: 2 of 不低于3个 at the deadline is 未达标, and tasks 2
    # (still 滞后) and 3 (未报告) were not reported complete. A later quarter reporting the target met changes neither.
    data = mini_with(tmp_path)
    (data / "progress").mkdir()
    last = Q2.replace("2020-Q2", "2021-Q4").replace("2020-07-10", "2022-01-15").replace("2020-06-30", "2021-12-31")
    (data / "progress" / "2021-Q4.yaml").write_text(last, encoding="utf-8")
    site = build(data, tmp_path / "site")
    before = (site / "reports" / "2021-Q4" / "index.html").read_bytes()
    report = text(article(before.decode("utf-8"))).replace(" ", "")
    assert "未达标的目标¶公共测试平台（不低于3个）：2个" in report
    # 滞后 and 未报告 alike: neither was reported complete.
    assert "计划期已于2021年12月31日结束。以下2项任务截至本季度没有报告完成" in report
    home = text(article(page(site, "")))
    assert "截至2021年第四季度（计划期已于2021年12月31日结束）" in home and "未达标1项" in home

    after = last.replace("2021-Q4", "2022-Q1").replace("2022-01-15", "2022-04-10").replace("2021-12-31", "2022-03-31")
    after = after.replace("value: 2", "value: 3")
    (data / "progress" / "2022-Q1.yaml").write_text(after, encoding="utf-8")
    build(data, site)
    assert (site / "reports" / "2021-Q4" / "index.html").read_bytes() == before
    assert "已达标1项" in text(article(page(site, "")))
