"""The published open data: a valid Frictionless package whose rows say what the pages say."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from frictionless import Package

from conftest import without_nw

CSVS = ["chapters", "tasks", "departments", "responsibilities", "indicators", "progress", "indicator_values"]


def read_csv(site, name) -> list[dict]:
    raw = (site / "downloads" / f"{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{name}.csv lacks the BOM Excel needs"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def split_names(joined: str) -> list[str]:
    """Unit names are joined with 、 as the plan writes them; a 、 inside parentheses is part of a name."""
    return [n for n in re.split(r"、(?![^()]*\))", joined) if n]


def test_data_package_is_valid_with_keys(built_site):
    report = Package(str(built_site / "downloads" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:20]
    package = json.loads((built_site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == CSVS
    assert package["sample"] is True  # the shipped progress is sample data and the package says so
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    tasks = next(r for r in package["resources"] if r["name"] == "tasks")
    assert tasks["schema"]["foreignKeys"] == [{"fields": ["chapter_id"], "reference": {"resource": "chapters", "fields": ["chapter_id"]}}]
    status = next(f for f in tasks["schema"]["fields"] if f["name"] == "latest_status")
    assert status["constraints"]["enum"] == ["completed", "ongoing", "in_progress", "behind", "not_started", "not_reported"]
    assert all(f["description"] for r in package["resources"] for f in r["schema"]["fields"])


def test_a_broken_foreign_key_is_caught_by_the_package(built_site, tmp_path):
    # The validation above must be able to fail: point one responsibility at a unit that does not exist.
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    for f in (built_site / "downloads").iterdir():
        if f.suffix in (".csv", ".json"):
            (downloads / f.name).write_bytes(f.read_bytes())
    broken = (downloads / "responsibilities.csv").read_text(encoding="utf-8-sig").replace(",quality-supervision,", ",no-such-unit,", 1)
    (downloads / "responsibilities.csv").write_text(broken, encoding="utf-8-sig")
    assert not Package(str(downloads / "datapackage.json")).validate().valid


def test_task_rows_match_their_pages(built_site):
    for row in read_csv(built_site, "tasks"):
        html = without_nw((built_site / "tasks" / f"{int(row['task_id']):02d}" / "index.html").read_text(encoding="utf-8"))
        assert f"{row['number']}" in html  # the 原文 quoted as the source writes it, (五)
        assert f"（{row['number'].strip('()')}）{row['title']}" in html  # the heading, as the site writes it
        names = [n for col in ("lead", "partners", "joint") for n in split_names(row[col])]
        for name in names:
            assert f">{name}</a>" in html, (row["task_id"], name)
        assert row["text"] in html


def test_department_and_indicator_rows_match_their_pages(built_site):
    for row in read_csv(built_site, "departments"):
        html = without_nw((built_site / "departments" / row["department_id"] / "index.html").read_text(encoding="utf-8"))
        lead = [t for t in row["lead_tasks"].split("、") if t]
        assert f"牵头{len(lead)}项任务" in html
        for task_id in lead:
            assert f'href="../../tasks/{int(task_id):02d}/"' in html
    for row in read_csv(built_site, "indicators"):
        html = without_nw((built_site / "tasks" / f"{int(row['task_id']):02d}" / "index.html").read_text(encoding="utf-8"))
        assert row["name"] in html and row["source_text"] in html


def test_progress_rows_match_the_reports(built_site):
    rows = read_csv(built_site, "progress")
    periods = sorted({r["period"] for r in rows})
    assert periods == ["2014-Q4", "2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4"]
    assert len(rows) == 31 * len(periods)
    for row in rows:
        html = without_nw((built_site / "reports" / row["period"] / "index.html").read_text(encoding="utf-8"))
        html = html[html.index('id="tasks"'):]  # the per-task table, not the table of changes
        task_row = re.search(rf'tasks/{int(row["task_id"]):02d}/">[^<]*</a></td>\s*<td>(.*?)</td>', html, re.S)
        assert task_row and row["status_label"] in task_row.group(1), (row["period"], row["task_id"])
        assert row["sample"] == "true"


def test_plan_json_holds_the_whole_model(built_site):
    model = json.loads((built_site / "downloads" / "plan.json").read_text(encoding="utf-8"))
    assert model["plan"]["title"] == "阳江市建设质量强市2014-2015年行动计划"
    assert len(model["tasks"]) == 31 and len(model["departments"]) == 34 and len(model["indicators"]) == 23
    assert [p["period"] for p in model["periods"]] == ["2014-Q4", "2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4"]
    assert all(p["sample"] for p in model["periods"])
    latest = model["derived"][-1]
    csv_status = {r["task_id"]: r["latest_status"] for r in read_csv(built_site, "tasks")}
    assert latest["task_status"] == csv_status


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_lists_every_period_with_stable_ids(built_site):
    feed = ET.fromstring((built_site / "feed.xml").read_bytes())
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "2015年第四季度进展报告", "2015年第三季度进展报告", "2015年第二季度进展报告", "2015年第一季度进展报告", "2014年第四季度进展报告"]
    first = entries[0]
    assert first.find(f"{ATOM}id").text.endswith("/reports/2015-Q4/")
    assert first.find(f"{ATOM}updated").text == "2016-01-20T00:00:00Z"  # the compiled date, not the clock
    assert "示例数据" in first.find(f"{ATOM}summary").text
    # Counted as the report page counts them: after the plan's end, what is not done is 未按期完成.
    assert "31项任务中已完成13项、常态推进11项、未按期完成7项（报送状态为推进中5项、滞后2项）。" in first.find(f"{ATOM}summary").text
    assert "31项任务中" in entries[-1].find(f"{ATOM}summary").text and "未按期完成" not in entries[-1].find(f"{ATOM}summary").text
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate" type="application/atom+xml"' in home


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.description = self.canonical = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")


def test_every_page_has_a_description_canonical_link_and_sitemap_entry(built_site):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    descriptions = {}
    for html_file in sorted(built_site.rglob("index.html")):
        head = _Head()
        head.feed(html_file.read_text(encoding="utf-8"))
        rel = html_file.parent.relative_to(built_site).as_posix()
        assert head.description and len(head.description) > 10, rel
        assert head.canonical and head.canonical.endswith(("/" + rel + "/") if rel != "." else "/"), rel
        assert head.canonical in sitemap, rel
        descriptions[rel] = head.description
    # Descriptions are drawn from each page's own content, not one text for all.
    assert "市科技局" in descriptions["tasks/05"] and "强化产学研合作" in descriptions["tasks/05"]
    assert descriptions["tasks/05"] != descriptions["tasks/06"]


@pytest.mark.parametrize("path, as_of, compiled", [
    ("tasks/05/", "2015年第四季度", "2016年1月20日"), ("departments/quality-supervision/", "2015年第四季度", "2016年1月20日"),
    ("reports/2015-Q1/", "2015年第一季度", "2015年4月15日"),  # a frozen report keeps its own compiled date
])
def test_cite_block_names_period_and_canonical_address(built_site, path, as_of, compiled):
    """数据截至 the period, 汇总日期 the day it was compiled (the terms 方法说明 defines), the address."""
    html = without_nw((built_site / path / "index.html").read_text(encoding="utf-8"))
    block = html[html.index('id="cite-this-page"'):]
    assert f"<dt>数据截至</dt><dd>{as_of}</dd>" in block
    assert f"https://example.org/yangjiang-quality-plan/{path}" in block
    assert f"<dt>汇总日期</dt><dd>{compiled}</dd>" in block  # the data's date, not the build machine's clock
    # The citation itself: GB/T 7714-2015's electronic resource, updated on the day of the data.
    assert re.search(rf"\[EB/OL\]．《[^》]+》信息公开网站，（{compiled}）\[<span class=\"cite-today\">引用日期</span>\]．"
                     rf"https://example.org/yangjiang-quality-plan/{path}．", block), block[:1500]


def test_the_plan_page_is_cited_by_its_issue_date(built_site):
    html = without_nw((built_site / "plan" / "index.html").read_text(encoding="utf-8"))
    block = html[html.index('id="cite-this-page"'):]
    assert "<dt>印发日期</dt><dd>2014年9月25日</dd>" in block and "数据截至" not in block
