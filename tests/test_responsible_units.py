"""Who answers for a task is written one way wherever a single line names it. A task with only 会同
units names those units, labelled 会同, in the task list, its page description, the Word report, the
forms and make new-quarter's file, never an empty or mislabelled 共同负责; a task with a lead names only
its lead (牵头), a task shared without a lead its units (共同负责).

The mini plan with task 3 (〔各区人民政府负责〕) recorded as partners: instead of joint:, so
  task 1  牵头 市测试局, 会同 市财政局、市数据局  → 牵头：市测试局
  task 2  共同负责 市测试局、示例大学           → 共同负责：市测试局、示例大学
  task 3  会同 各区人民政府 only                → 会同：各区人民政府
The site is built with the two quarters of test_progress_pages (2020-Q1 reports every task, 2020-Q2
leaves task 3 out and has task 2 滞后). The forms and the new-quarter file are made from the plan with
no progress at all: a unit that reported a task before would report it again, whatever the rule says.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import openpyxl
import pytest
import yaml
from docx import Document
from docx.table import Table

from conftest import ROOT, build_site
from test_progress_pages import Q1, Q2, mini_with

MINI = ROOT / "tests" / "fixtures" / "mini"
PERIODS = ("2020-Q1", "2020-Q2")


@dataclass(frozen=True)
class Answer:
    heading: str  # the task's heading as pages write it
    chapter: int
    label: str  # the role the site must name
    names: tuple[str, ...]  # the units it must name, in the plan's order
    role_id: str  # the section of a unit page the task must be listed in

    @property
    def line(self) -> str:
        return f"{self.label}：{'、'.join(self.names)}"

    @property
    def word_cell(self) -> str:
        """The Word report names the role only when the units do not lead the task."""
        return "、".join(self.names) + ("" if self.label == "牵头" else f"（{self.label}）")


# What a reader must see, written out by hand from the plan's text (not computed by the code under test).
ANSWERS = {
    3: Answer("（三）加强组织领导", 2, "会同", ("各区人民政府",), "partners"),
    1: Answer("（一）建设测试平台", 1, "牵头", ("市测试局",), "lead"),
    2: Answer("（二）完善测试标准", 1, "共同负责", ("市测试局", "示例大学"), "joint"),
}
KINDS = {3: "partners-only", 1: "lead-and-partners", 2: "joint-only"}
DEPARTMENT_IDS = {"市测试局": "testing-bureau", "示例大学": "sample-university", "各区人民政府": "district-governments"}


def plansite(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "plansite", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def make_task_3_partner_only(data: Path) -> Path:
    """Record task 3's one unit under partners: (会同) instead of joint: (共同负责)."""
    tasks = data / "tasks.yaml"
    before, marker, task_3 = tasks.read_text(encoding="utf-8").partition("  - id: 3\n")
    assert marker and task_3.count("    joint:\n") == 1, "tests/fixtures/mini/tasks.yaml: task 3 should have one joint: list"
    tasks.write_text(before + marker + task_3.replace("    joint:\n", "    partners:\n"), encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    """The partner-only mini plan with no progress file."""
    data = tmp_path_factory.mktemp("partner-only-plain") / "data"
    shutil.copytree(MINI, data)
    return make_task_3_partner_only(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("partner-only-site")
    data = make_task_3_partner_only(mini_with(root, Q1=Q1, Q2=Q2))
    result = build_site(data, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


def html_page(site: Path, uri: str):
    return lxml.html.fromstring((site / uri / "index.html").read_text(encoding="utf-8"))


def words(element) -> str:
    return " ".join(element.text_content().split())


def test_the_check_accepts_a_task_with_only_partner_units(plain):
    """make check accepts the fixture: a task may have only 会同 units."""
    result = plansite("check", "--data", str(plain))
    assert result.returncode == 0, f"make check refused the partner-only plan:\n{result.stderr}"
    assert "3 项任务" in result.stdout, result.stdout


# ---- the built site ----------------------------------------------------------------------------


@pytest.mark.parametrize("task_id", ANSWERS, ids=KINDS.get)
def test_the_task_list_names_the_answering_units_with_their_role(site, task_id):
    """tasks/index.html: the task's row names its answering units with their role, each linked to its unit page."""
    answer = ANSWERS[task_id]
    rows = html_page(site, "tasks").xpath(f'//tr[@id="task-{task_id:02d}"]')
    assert len(rows) == 1, f"tasks/index.html should have one row task-{task_id:02d}, found {len(rows)}"
    units = rows[0].xpath('.//span[@class="task-units"]')
    assert len(units) == 1, f"row task-{task_id:02d} has {len(units)} span.task-units"
    shown = words(units[0])
    assert shown == answer.line, f"task {task_id}: the list shows “{shown}”, expected “{answer.line}”"
    links = [(a.text_content(), a.get("href")) for a in units[0].xpath(".//a")]
    expected = [(name, f"../departments/{DEPARTMENT_IDS[name]}/") for name in answer.names]
    assert links == expected, f"task {task_id}: unit links {links}, expected {expected}"


@pytest.mark.parametrize("task_id", ANSWERS, ids=KINDS.get)
def test_the_chapter_page_names_the_same_units_under_the_same_role(site, task_id):
    """The task's chapter page lists the units by role; the answering units stand under the same label as in the list."""
    answer = ANSWERS[task_id]
    page = html_page(site, f"chapters/{answer.chapter:02d}")
    heading = page.xpath(f'//h2[@id="task-{task_id:02d}"]')
    assert heading and answer.heading in words(heading[0]), f"chapters/{answer.chapter:02d}: no heading task-{task_id:02d}"
    # The units table is the first table after the task's heading (each task's block ends with its own).
    table = heading[0].xpath("following-sibling::table[1]")[0]
    assert words(table.xpath(".//thead")[0]) == "职责 单位", f"task {task_id}: expected the 职责/单位 table after its heading"
    roles = {}
    for tr in table.xpath(".//tbody/tr"):
        role, units = (words(td) for td in tr.xpath("./td"))
        roles[role.split("（")[0]] = units  # 会同（配合牵头单位） → 会同
    assert roles.get(answer.label) == "、".join(answer.names), (
        f"chapters/{answer.chapter:02d}, task {task_id}: roles shown {roles}, expected {answer.label} = {'、'.join(answer.names)}")
    if answer.label != "牵头":  # no lead: nothing may be shown as leading it
        assert "牵头" not in roles, f"task {task_id} has no lead, but its chapter page shows {roles}"
    if answer.label == "会同":
        assert "共同负责" not in roles, f"task {task_id} is shared by no one, but its chapter page shows {roles}"


@pytest.mark.parametrize("task_id", ANSWERS, ids=KINDS.get)
def test_each_answering_units_page_lists_the_task_under_that_role(site, task_id):
    """Each answering unit's page lists the task in the section of the role the list names (会同的任务 for task 3)."""
    answer = ANSWERS[task_id]
    for name in answer.names:
        uri = f"departments/{DEPARTMENT_IDS[name]}"
        page = html_page(site, uri)
        heading = page.xpath(f'//h2[@id="{answer.role_id}"]')
        assert heading and words(heading[0]).startswith(f"{answer.label}的任务"), f"{uri}: no section {answer.label}的任务"
        section = []
        for sibling in heading[0].itersiblings():
            if sibling.tag == "h2":
                break
            section += sibling.xpath(".//a/@href")
        assert f"../../tasks/{task_id:02d}/" in section, (
            f"{uri}: task {task_id} is not listed under {answer.label}的任务 (links there: {section})")


@pytest.mark.parametrize("task_id", ANSWERS, ids=KINDS.get)
def test_the_task_pages_description_names_the_same_units(site, task_id):
    """The task page's <meta name="description"> names the same units with the same role as the list."""
    answer = ANSWERS[task_id]
    content = html_page(site, f"tasks/{task_id:02d}").xpath('//meta[@name="description"]/@content')
    assert len(content) == 1, f"tasks/{task_id:02d}: expected one meta description, found {len(content)}"
    expected = f"{answer.heading}（{answer.line}）。"
    assert content[0].startswith(expected), f"tasks/{task_id:02d}: description “{content[0][:60]}…”, expected to start “{expected}”"


# ---- the Word reports --------------------------------------------------------------------------


def word_table(path: Path, heading: str) -> list[list[str]]:
    """The rows of the first table after the Heading 1 ending with `heading` (五、… 六、各项任务进展)."""
    current = None
    for block in Document(path).iter_inner_content():
        if isinstance(block, Table):
            if current is not None and current.endswith(heading):
                return [[cell.text for cell in row.cells] for row in block.rows]
        elif block.style.name == "Heading 1":
            current = block.text
    raise AssertionError(f"{path.name}: no table under a heading “{heading}”")


# A task's row starts with its number as the site writes it (（一）; (一) in tests/fixtures/mini/tasks.yaml).
NUMBERS = {1: "（一）", 2: "（二）", 3: "（三）"}


def unit_cell(rows: list[list[str]], task_id: int, path: Path, heading: str) -> str:
    header, body = rows[0], rows[1:]
    column = header.index("任务") + 1  # the units column follows 任务 (headed 责任单位, whatever the role)
    task_column = header.index("任务")
    found = [row[column] for row in body if row[task_column].startswith(NUMBERS[task_id])]
    assert len(found) == 1, f"{path.name} {heading}: expected one row for task {task_id}, found {len(found)} in {body}"
    return found[0]


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("task_id", ANSWERS, ids=KINDS.get)
def test_the_word_report_names_the_same_units_with_their_role(site, period, task_id):
    """The quarter's .docx, 各项任务进展: the same units, their role named (（会同）, （共同负责）) unless they lead."""
    answer = ANSWERS[task_id]
    path = site / "reports" / period / f"{period}.docx"
    cell = unit_cell(word_table(path, "各项任务进展"), task_id, path, "各项任务进展")
    assert cell == answer.word_cell, f"{path.name}, task {task_id}: the report says “{cell}”, expected “{answer.word_cell}”"


def test_the_word_reports_behind_table_names_the_units_the_same_way(site):
    """2020-Q2's 滞后的任务 table names the behind task's units as its 各项任务进展 table does."""
    path = site / "reports" / "2020-Q2" / "2020-Q2.docx"
    cell = unit_cell(word_table(path, "滞后的任务"), 2, path, "滞后的任务")
    assert cell == ANSWERS[2].word_cell, f"{path.name} 滞后的任务, task 2: “{cell}”, expected “{ANSWERS[2].word_cell}”"


# ---- the forms and make new-quarter ------------------------------------------------------------

FORMS_PERIOD = "2020-Q1"


@pytest.fixture(scope="module")
def forms(plain, tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("partner-only-forms") / FORMS_PERIOD
    result = plansite("forms", "--data", str(plain), "--period", FORMS_PERIOD, "--out", str(out))
    assert result.returncode == 0, f"make forms failed:\n{result.stderr}"
    return out, result.stdout


def sheet_rows(path: Path, sheet: str, first_header: str) -> list[tuple]:
    """The rows of a sheet below its header row (the row whose first cell is `first_header`)."""
    rows = list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    starts = [n for n, row in enumerate(rows) if row and row[0] == first_header]
    assert starts, f"{path.name}: sheet {sheet} has no header row starting “{first_header}”"
    return [row for row in rows[starts[0] + 1:] if row and row[0] is not None]


def task_sheet_ids(path: Path) -> list[int]:
    return [row[0] for row in sheet_rows(path, "任务进展", "任务编号")]


@pytest.mark.parametrize("task_id", ANSWERS, ids=KINDS.get)
def test_the_first_answering_unit_gets_the_task_on_its_form(forms, task_id):
    """make forms: the first-named answering unit has the task on its 任务进展 sheet, and no other unit's form has it."""
    out, stdout = forms
    reporter = ANSWERS[task_id].names[0]
    books = {path.stem: task_sheet_ids(path) for path in out.glob("*.xlsx") if path.name != "催报名单.xlsx"}
    assert reporter in books, f"no form for {reporter}, who answers for task {task_id} ({ANSWERS[task_id].line}); forms: {sorted(books)}"
    assert task_id in books[reporter], f"{reporter}.xlsx 任务进展 lists tasks {books[reporter]}, not task {task_id}"
    elsewhere = [unit for unit, ids in books.items() if unit != reporter and task_id in ids]
    assert not elsewhere, f"task {task_id} is also on the form of {elsewhere}"
    said = dict(line.strip().split("：任务 ", 1) for line in stdout.splitlines() if "：任务 " in line)  # 市测试局.xlsx：任务 1、2
    assert str(task_id) in said.get(f"{reporter}.xlsx", "").split("、"), (
        f"make forms did not say {reporter}.xlsx holds task {task_id}:\n{stdout}")


def test_the_overview_lists_the_partner_unit_as_reporting_its_task(forms):
    """催报名单.xlsx: 各区人民政府 has a form of its own and reports task 3; task 1's 会同 units report nothing."""
    out, _ = forms
    rows = {row[0]: row for row in sheet_rows(out / "催报名单.xlsx", "催报名单", "单位")}
    assert rows["各区人民政府"][1:3] == ("各区人民政府.xlsx", "3"), f"催报名单, 各区人民政府: {rows['各区人民政府']}"
    for partner in ("市财政局", "市数据局"):  # 会同 on task 1, which has a lead
        assert rows[partner][1] == "（无需报送）" and rows[partner][4] == "1", f"催报名单, {partner}: {rows[partner]}"


@pytest.fixture(scope="module")
def new_quarter(plain, tmp_path_factory) -> dict[int, str]:
    data = tmp_path_factory.mktemp("partner-only-new-quarter") / "data"
    shutil.copytree(plain, data)
    result = plansite("new-quarter", "--data", str(data), "--period", FORMS_PERIOD)
    assert result.returncode == 0, f"make new-quarter failed:\n{result.stderr}"
    written = yaml.safe_load((data / "progress" / f"{FORMS_PERIOD}.yaml").read_text(encoding="utf-8"))
    return {entry["task"]: entry["reporter"] for entry in written["tasks"]}


@pytest.mark.parametrize("task_id", ANSWERS, ids=KINDS.get)
def test_new_quarter_writes_the_first_answering_unit_as_reporter(new_quarter, task_id):
    """make new-quarter, with no earlier report: reporter is the first-named unit answering for the task."""
    expected = ANSWERS[task_id].names[0]
    assert new_quarter.get(task_id) == expected, (
        f"{FORMS_PERIOD}.yaml, task {task_id} ({ANSWERS[task_id].line}): reporter {new_quarter.get(task_id)!r}, expected {expected!r}")
