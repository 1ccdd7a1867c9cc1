"""Nothing is hard-coded: a second, invented plan builds into a complete site of its own, and the
real plan's built site is consistent with its data."""
import csv
import gzip
import io
import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

from plansite.model.load import load_plan
from plansite.search.material import unpack_index

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
BOM = b"\xef\xbb\xbf"
TASKS_HEADER = "task_id,number,chapter_id,chapter_title,title,lead,partners,joint,url"
DEPARTMENTS_HEADER = ["department_id", "name", "full_name", "kind", "lead_tasks", "partner_tasks", "joint_tasks", "url"]
INDICATORS_HEADER = ["indicator_id", "task_id", "name", "unit", "comparator", "target", "target_text", "deadline",
                     "source_text", "url"]


def plansite(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    return subprocess.run([sys.executable, "-m", "plansite", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def build(data: Path, site: Path) -> Path:
    result = plansite("build", "--data", str(data), "--site", str(site))
    assert result.returncode == 0, result.stderr
    return site


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM), path
    return list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"), newline="")))


def site_text(path: Path) -> str:
    """A built file as readable text: gzip opened, JSON unescaped, jieba's zero-width spaces removed."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="ignore")
    if path.name.startswith("search_index.json"):  # packed for the worker: read as it reads it
        text = json.dumps(unpack_index(json.loads(text)), ensure_ascii=False)
    elif path.suffix == ".json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text.replace("\u200b", "")


def page(site: Path, uri: str) -> Path:
    return site / uri.removesuffix(".md").removesuffix("index") / "index.html"


def dept_links(site: Path, page_dir: str) -> set[str]:
    """Department ids a page links to, resolving relative hrefs against the page's own URL."""
    html = (site / page_dir / "index.html").read_text(encoding="utf-8")
    found = set()
    for href in re.findall(r'href="([^"#?]+)', html):
        target = posixpath.normpath(posixpath.join(page_dir, href))
        if m := re.fullmatch(r"departments/([^/]+)", target):
            found.add(m.group(1))
    return found


# ---- the second plan -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mini_plan():
    return load_plan(MINI)


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory):
    return build(MINI, tmp_path_factory.mktemp("mini") / "site")


def test_mini_plan_passes_check():
    result = plansite("check", "--data", str(MINI))
    assert result.returncode == 0, result.stderr
    assert "2 章，3 项任务" in result.stdout


def test_mini_plan_is_a_different_plan(mini_plan):
    real = load_plan(ROOT / "data")
    assert mini_plan.meta.title == "示例市测试行动计划2020-2021年"
    assert (len(mini_plan.chapters), len(mini_plan.tasks), len(mini_plan.indicators)) == (2, 3, 2)
    assert 4 <= len(mini_plan.departments) <= 5
    assert not {d.id for d in mini_plan.departments} & {d.id for d in real.departments}
    assert {i.kind for i in mini_plan.indicators} == {"numeric", "relative"}
    assert all(t.lead or t.partners or t.joint for t in mini_plan.tasks)


def test_every_mini_page_exists(mini_plan, mini_site):
    for chapter in mini_plan.chapters:
        assert (mini_site / f"chapters/{chapter.id:02d}/index.html").is_file()
    for task in mini_plan.tasks:
        assert (mini_site / f"tasks/{task.id:02d}/index.html").is_file()
    for dept in mini_plan.departments:
        assert (mini_site / f"departments/{dept.id}/index.html").is_file()
    assert not (mini_site / "tasks" / "04").exists()
    assert not (mini_site / "chapters" / "03").exists()


def test_mini_title_is_on_the_home_page(mini_site):
    assert "示例市测试行动计划2020-2021年" in (mini_site / "index.html").read_text(encoding="utf-8")


def test_nothing_of_the_real_plan_leaks_into_the_mini_site(mini_site):
    files = [p for p in mini_site.rglob("*") if p.is_file()]
    assert len(files) > 20
    leaks = [str(p.relative_to(mini_site)) for p in files if "阳江" in site_text(p)]
    assert leaks == []
    assert any("示例市" in site_text(p) for p in files if p.suffix == ".json"), "the leak check must read the search index"


def test_mini_tasks_csv(mini_plan, mini_site):
    raw = (mini_site / "downloads" / "tasks.csv").read_bytes()
    assert raw.startswith(BOM + TASKS_HEADER.encode())
    rows = read_csv(mini_site / "downloads" / "tasks.csv")
    assert [r[0] for r in rows[1:]] == [str(t.id) for t in mini_plan.tasks]
    header = rows[0]
    for row, task in zip(rows[1:], mini_plan.tasks):
        assert len(row) == len(header)
        record = dict(zip(header, row))
        assert record["lead"] == "、".join(task.lead) and record["joint"] == "、".join(task.joint)
        assert record["url"].endswith(f"tasks/{task.id:02d}/")


# ---- the real plan's built site --------------------------------------------------------------


@pytest.fixture(scope="module")
def real_plan():
    return load_plan(ROOT / "data")


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    return build(ROOT / "data", tmp_path_factory.mktemp("real") / "site")


def test_every_real_page_exists(real_plan, real_site):
    for chapter in real_plan.chapters:
        assert (real_site / f"chapters/{chapter.id:02d}/index.html").is_file()
    for task in real_plan.tasks:
        assert (real_site / f"tasks/{task.id:02d}/index.html").is_file()
    for dept in real_plan.departments:
        assert (real_site / f"departments/{dept.id}/index.html").is_file()


def test_every_real_task_page_links_to_each_of_its_units(real_plan, real_site):
    for task in real_plan.tasks:
        expected = {real_plan.department_named(name).id for _, name in task.units}
        assert dept_links(real_site, f"tasks/{task.id:02d}") == expected, task.number


def test_real_department_pages_link_back_to_their_tasks(real_plan, real_site):
    for dept in real_plan.departments:
        html = (real_site / f"departments/{dept.id}/index.html").read_text(encoding="utf-8")
        tasks = {t.id for role in real_plan.roles_of(dept).values() for t in role}
        assert tasks, dept.id
        linked = {int(n) for n in re.findall(r'href="\.\./\.\./tasks/(\d+)/"', html)}
        assert tasks <= linked, dept.id


def test_real_departments_csv(real_plan, real_site):
    rows = read_csv(real_site / "downloads" / "departments.csv")
    assert rows[0][: len(DEPARTMENTS_HEADER)] == DEPARTMENTS_HEADER
    assert [r[0] for r in rows[1:]] == [d.id for d in real_plan.departments]
    by_id = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by_id["science-technology"]["lead_tasks"].split("、")[:2] == ["5", "6"]
    assert by_id["establishment-office"]["joint_tasks"] == "20"


def test_real_indicators_csv(real_plan, real_site):
    rows = read_csv(real_site / "downloads" / "indicators.csv")
    assert rows[0][: len(INDICATORS_HEADER)] == INDICATORS_HEADER
    assert [r[0] for r in rows[1:]] == [i.id for i in real_plan.indicators]


def test_real_tasks_csv(real_plan, real_site):
    rows = read_csv(real_site / "downloads" / "tasks.csv")
    assert ",".join(rows[0]).startswith(TASKS_HEADER)
    assert len(rows) == 1 + len(real_plan.tasks) == 32
    texts = {r[0]: dict(zip(rows[0], r))["text"] for r in rows[1:]}
    assert texts["31"].endswith("〔各县(市、区)人民政府、市直有关部门负责〕")
