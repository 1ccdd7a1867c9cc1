"""Broken data is reported, all at once, in Chinese with file, line and field; a failed build
leaves the published site exactly as it was.

Each folder in tests/fixtures/bad/ is one case: the data files that differ from
tests/fixtures/mini/, plus expected.txt whose non-empty lines must each appear in the report.
Adding a folder adds a test.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
BAD = ROOT / "tests" / "fixtures" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def plansite(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "plansite", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def case_data(case: str, tmp_path: Path) -> Path:
    """The mini plan with the case's files laid over it."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    folder = BAD / case
    for path in folder.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = data / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return data


def expected_lines(case: str) -> list[str]:
    text = (BAD / case / "expected.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_corpus_has_enough_cases():
    assert len(CASES) >= 15
    for case in CASES:
        files = [p for p in (BAD / case).rglob("*") if p.is_file() and p.name != "expected.txt"]
        assert files, f"{case}: no data file to lay over the mini plan"
        assert expected_lines(case), f"{case}: expected.txt lists nothing"
        for path in files:
            # The mini plan has no progress yet; progress/ is where period files go (schema.PROGRESS_DIR).
            where = (MINI / path.relative_to(BAD / case)).parent
            assert where.is_dir() or where == MINI / "progress", f"{case}: {path.name} has nowhere to go"
            if where == MINI / "progress":
                assert re.fullmatch(r"\d{4}-Q[1-4]\.(yaml|yml|YAML)", path.name), f"{case}: {path.name} is not a period file"


def test_the_mini_plan_itself_passes():
    result = plansite("check", "--data", str(MINI))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("case", CASES)
def test_bad_data_is_reported(case, tmp_path):
    data = case_data(case, tmp_path)
    result = plansite("check", "--data", str(data))
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, f"crashed instead of reporting:\n{result.stderr}"
    assert "网站未生成" in result.stderr
    missing = [line for line in expected_lines(case) if line not in result.stderr]
    assert missing == [], f"not reported: {missing}\n--- stderr ---\n{result.stderr}"


def test_every_problem_is_reported_at_once(tmp_path):
    data = case_data("multiple-errors", tmp_path)
    stderr = plansite("check", "--data", str(data)).stderr
    reported = [line for line in stderr.splitlines() if line.startswith("  - ")]
    files = {line.split("：", 1)[0].split(" 第 ")[0].rsplit("/", 1)[-1] for line in reported}
    assert len(reported) == 4
    assert files == {"tasks.yaml", "indicators.yaml"}


def test_the_real_data_passes_check():
    result = plansite("check", "--data", str(ROOT / "data"))
    assert result.returncode == 0, result.stderr
    assert "11 章，31 项任务，34 个单位" in result.stdout


def test_a_failed_build_leaves_the_site_untouched(tmp_path):
    site = tmp_path / "out" / "site"
    result = plansite("build", "--data", str(MINI), "--site", str(site))
    assert result.returncode == 0, result.stderr
    before = tree_hashes(site)
    assert "index.html" in before and "downloads/tasks.csv" in before

    for case in ("unknown-unit", "multiple-errors"):
        data = case_data(case, tmp_path / case)
        result = plansite("build", "--data", str(data), "--site", str(site))
        assert result.returncode != 0, case
        assert "网站未生成" in result.stderr
        assert tree_hashes(site) == before, case
        leftovers = [p.name for p in site.parent.iterdir() if p.name.startswith((".site-building-", ".site-old-"))]
        assert leftovers == [], case
        assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_a_good_build_replaces_the_site_and_leaves_no_staging(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / ".plansite-build").write_text("an earlier build's stamp\n", encoding="utf-8")
    (site / "stale.html").write_text("old", encoding="utf-8")
    result = plansite("build", "--data", str(MINI), "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert not (site / "stale.html").exists()
    assert (site / "tasks" / "03" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_second_read_of_unchanged_data_is_the_same_plan_and_an_edit_is_read_again(tmp_path):
    from plansite.model.load import load_plan

    data = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", data)
    first = load_plan(data)
    assert load_plan(data) is first  # the build's two reads (its date, then MkDocs' hook) cost one
    units = data / "departments.yaml"
    # One character for another: the same size. Saved within the same tick of a coarse file system
    # clock (a few ms on some), it keeps its modification time too, as os.utime makes sure here.
    # The edit is read all the same.
    text, before = units.read_text(encoding="utf-8"), units.stat()
    edited = text.replace("full_name: 示例市测试局", "full_name: 示例市检测局")
    assert edited != text and len(edited.encode()) == len(text.encode())
    units.write_text(edited, encoding="utf-8")
    os.utime(units, ns=(before.st_atime_ns, before.st_mtime_ns))
    second = load_plan(data)
    assert second is not first and second.department_named("市测试局").full_name == "示例市检测局"
