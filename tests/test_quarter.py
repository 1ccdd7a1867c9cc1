"""`make new-quarter Q=…` starts the next period file from the last one: statuses and reporters
carried over, everything staff must write left blank with a comment, refused by `check` until
filled in, and never overwriting a file that is already there.

Each test runs the real command (`python -m plansite new-quarter`) on a copy of the mini plan.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"

# The previous period: every status and reporter differs from what a blank start would give
# (未启动, and the task's first lead or joint unit), so carrying over is visible.
Q1 = """\
period: 2020-Q1
compiled: 2020-04-10
sample: true
tasks:
  - task: 1
    status: 滞后
    summary: 平台选址尚未确定。
    reporter: 市财政局
  - task: 2
    status: 已完成
    summary: 地方测试标准已发布。
    evidence:
      - title: 关于发布地方测试标准的通知
        url: https://example.org/mini/2020-q1/standard
    reporter: 示例大学
  - task: 3
    status: 常态推进
    summary: 各区制定实施方案。
    reporter: 各区人民政府
indicators:
  - indicator: public-testing-platforms
    value: 1
    as_of: 2020-03-31
    source: 市测试局
"""
CARRIED = {1: ("滞后", "市财政局"), 2: ("已完成", "示例大学"), 3: ("常态推进", "各区人民政府")}
# Lines staff fill in or review; each must say what to write there.
FILLED_IN = ("compiled", "sample", "status", "summary", "reporter", "evidence",
             "value", "as_of", "source", "assessment", "justification")


def plansite(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "plansite", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def new_quarter(data: Path, period: str) -> subprocess.CompletedProcess:
    return plansite("new-quarter", "--data", str(data), "--period", period)


def mini_copy(tmp_path: Path, **periods: str) -> Path:
    """The mini plan, plus progress files given as period=yaml text (Q1="…" → progress/2020-Q1.yaml)."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    for name, text in periods.items():
        path = data / "progress" / f"2020-{name}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return data


def progress_files(data: Path) -> dict[str, bytes]:
    folder = data / "progress"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def fill_in(text: str, compiled: str) -> str:
    """What staff do: the compiled date and a summary for every task."""
    text, n = re.subn(r"^compiled:", f"compiled: {compiled}", text, flags=re.M)
    assert n == 1
    text, n = re.subn(r'^(\s+summary:) ""', r'\1 "本季度按计划推进。"', text, flags=re.M)
    assert n == 3
    return text


def test_the_new_file_carries_statuses_and_reporters_and_leaves_the_rest_blank(tmp_path):
    data = mini_copy(tmp_path, Q1=Q1)
    result = new_quarter(data, "2020-Q2")
    assert result.returncode == 0, result.stderr
    path = data / "progress" / "2020-Q2.yaml"
    assert str(path.name) in result.stdout
    text = path.read_text(encoding="utf-8")
    new = yaml.safe_load(text)

    assert new["period"] == "2020-Q2"
    assert new["compiled"] is None
    assert new["sample"] is True  # the previous period was sample data
    assert [t["task"] for t in new["tasks"]] == [1, 2, 3]
    for entry in new["tasks"]:
        assert (entry["status"], entry["reporter"]) == CARRIED[entry["task"]], entry
        assert entry["summary"] == "", entry
        assert entry["evidence"] == [], entry  # last quarter's evidence is not this quarter's
    assert [i["indicator"] for i in new["indicators"]] == ["public-testing-platforms", "testing-coverage"]
    for entry in new["indicators"]:
        assert entry["value"] is None and entry["as_of"] is None and entry["source"] is None, entry
    relative = new["indicators"][1]
    assert "assessment" in relative and relative["assessment"] is None
    assert "justification" in relative and relative["justification"] is None
    assert "assessment" not in new["indicators"][0]  # numeric targets are assessed by the site

    field_lines = [line for line in text.splitlines() if re.match(r"\s*(- )?(\w+):", line)
                   and re.match(r"\s*(- )?(\w+):", line).group(2) in FILLED_IN]
    assert len(field_lines) == 2 + 4 * 3 + 3 + 5
    for line in field_lines:
        key, rest = line.split(":", 1)
        assert "#" in rest and rest.split("#", 1)[1].strip(), f"no comment on: {line}"


def test_the_new_file_is_refused_until_filled_in_then_checks_and_builds(tmp_path):
    data = mini_copy(tmp_path, Q1=Q1)
    assert new_quarter(data, "2020-Q2").returncode == 0
    path = data / "progress" / "2020-Q2.yaml"

    refused = plansite("check", "--data", str(data))
    assert refused.returncode != 0, refused.stdout
    assert "Traceback" not in refused.stderr
    assert "2020-Q2.yaml" in refused.stderr and "网站未生成" in refused.stderr
    assert "compiled（汇总日期）" in refused.stderr
    assert "summary（进展摘要）" in refused.stderr
    assert "2020-Q1.yaml" not in refused.stderr  # only the unfinished file is complained about

    path.write_text(fill_in(path.read_text(encoding="utf-8"), "2020-07-10"), encoding="utf-8")
    checked = plansite("check", "--data", str(data))
    assert checked.returncode == 0, checked.stderr
    site = tmp_path / "site"
    built = plansite("build", "--data", str(data), "--site", str(site))
    assert built.returncode == 0, built.stderr
    report = (site / "reports" / "2020-Q2" / "index.html").read_text(encoding="utf-8")
    assert "2020年第二季度进展报告" in report
    assert "本季度按计划推进。" in report


def test_a_compiled_date_before_the_quarter_is_still_refused(tmp_path):
    data = mini_copy(tmp_path, Q1=Q1)
    assert new_quarter(data, "2020-Q2").returncode == 0
    path = data / "progress" / "2020-Q2.yaml"
    path.write_text(fill_in(path.read_text(encoding="utf-8"), "2020-03-31"), encoding="utf-8")
    result = plansite("check", "--data", str(data))
    assert result.returncode != 0
    assert "汇总日期 2020-03-31 早于报告期 2020-Q2 的开始（2020-04-01）" in result.stderr


def test_an_existing_file_is_never_overwritten(tmp_path):
    unfinished = "period: 2020-Q2\ncompiled:   # 填写\nsample: true\ntasks:\n  - task: 1\n    status: 进行\n"
    data = mini_copy(tmp_path, Q1=Q1, Q2=unfinished)
    before = progress_files(data)
    result = new_quarter(data, "2020-Q2")
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    assert "已经存在" in result.stderr and "2020-Q2.yaml" in result.stderr
    assert progress_files(data) == before

    # The same for a finished, valid file (asked for the latest period again).
    result = new_quarter(data, "2020-Q1")
    assert result.returncode != 0 and "已经存在" in result.stderr
    assert progress_files(data) == before


def test_a_period_not_later_than_the_latest_is_refused(tmp_path):
    q3 = Q1.replace("2020-Q1", "2020-Q3").replace("2020-04-10", "2020-10-10")
    data = mini_copy(tmp_path, Q1=Q1, Q3=q3)
    before = progress_files(data)
    for period in ("2020-Q2", "2019-Q4"):  # a gap before the latest, and before every period
        result = new_quarter(data, period)
        assert result.returncode != 0, (period, result.stdout)
        assert "Traceback" not in result.stderr
        assert f"报告期 {period} 不晚于已有的最新一期 2020-Q3" in result.stderr
        assert progress_files(data) == before, period


def test_a_malformed_period_is_refused(tmp_path):
    data = mini_copy(tmp_path, Q1=Q1)
    before = progress_files(data)
    for period in ("2016Q1", "2020-Q5", "2020-q2", ""):
        result = new_quarter(data, period)
        assert result.returncode != 0, (period, result.stdout)
        assert "Traceback" not in result.stderr
        assert "格式不对" in result.stderr and "2016-Q1" in result.stderr, (period, result.stderr)
        assert progress_files(data) == before, period


def test_without_any_progress_the_first_file_starts_every_task_not_started(tmp_path):
    data = mini_copy(tmp_path)
    assert not (data / "progress").exists()
    result = new_quarter(data, "2020-Q1")
    assert result.returncode == 0, result.stderr
    path = data / "progress" / "2020-Q1.yaml"
    new = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert new["period"] == "2020-Q1"
    assert new["sample"] is False
    assert [(t["task"], t["status"], t["reporter"]) for t in new["tasks"]] == [
        (1, "未启动", "市测试局"), (2, "未启动", "市测试局"), (3, "未启动", "各区人民政府")]

    path.write_text(fill_in(path.read_text(encoding="utf-8"), "2020-04-10"), encoding="utf-8")
    checked = plansite("check", "--data", str(data))
    assert checked.returncode == 0, checked.stderr


def test_texts_with_line_breaks_and_yaml_characters_give_a_file_that_parses(tmp_path):
    """Task titles, units and target wording are copied into comments: each must stay one comment line."""
    data = mini_copy(tmp_path, Q1=Q1)
    tricky = "第一行\n第二行 # 不是注释: \"双引号\" '单引号' - 项\u2028第三行\r[末尾]\n: {x}"
    tasks = (data / "tasks.yaml").read_text(encoding="utf-8")
    tasks = tasks.replace("    title: 建设测试平台\n", f"    title: {json.dumps(tricky, ensure_ascii=False)}\n"
                                                      "    title_editorial: true\n", 1)
    indicators = (data / "indicators.yaml").read_text(encoding="utf-8")
    indicators = indicators.replace("target_text: 3个以上", f"target_text: {json.dumps(tricky, ensure_ascii=False)}")
    indicators = indicators.replace("unit: 个", 'unit: "个\\n#: \'\\""')
    indicators = indicators.replace("target_text: 比2019年翻一番", f"target_text: {json.dumps(tricky, ensure_ascii=False)}")
    (data / "tasks.yaml").write_text(tasks, encoding="utf-8")
    (data / "indicators.yaml").write_text(indicators, encoding="utf-8")
    assert plansite("check", "--data", str(data)).returncode == 0  # the texts themselves are valid data

    result = new_quarter(data, "2020-Q2")
    assert result.returncode == 0, result.stderr
    path = data / "progress" / "2020-Q2.yaml"
    text = path.read_text(encoding="utf-8")
    new = yaml.safe_load(text)  # raised before: the comment was split and its second half read as YAML
    assert [t["task"] for t in new["tasks"]] == [1, 2, 3]
    assert [i["indicator"] for i in new["indicators"]] == ["public-testing-platforms", "testing-coverage"]
    assert set(new) == {"period", "compiled", "sample", "tasks", "indicators"}
    # Each text is still shown, on one comment line.
    one_line = " ".join(tricky.split())
    assert sum(one_line in line for line in text.splitlines() if line.lstrip().startswith("#")) == 3

    # make check points at what is left to fill in, not at a YAML problem.
    refused = plansite("check", "--data", str(data))
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "YAML" not in refused.stderr
    assert "compiled（汇总日期）" in refused.stderr and "summary（进展摘要）" in refused.stderr
    path.write_text(fill_in(text, "2020-07-10"), encoding="utf-8")
    checked = plansite("check", "--data", str(data))
    assert checked.returncode == 0, checked.stderr
