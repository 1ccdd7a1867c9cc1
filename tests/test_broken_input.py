"""Broken input too big to commit, and input made up by hypothesis: the loader reports problems in
Chinese and never crashes, hangs or raises anything but the project's own error.

The small broken files live in tests/fixtures/bad/ (see test_validation.py); the cases here are
generated at test time: a 5 MB tasks file, a period file with 10,000 entries, and thousands of
random or randomly damaged data files.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from plansite.derive import ASSESSMENT_DISPLAY, assess
from plansite.errors import DataError, PlanSiteError
from plansite.schema import Assessment, Indicator, IndicatorValue, Thresholds
from plansite.validate import load_plan

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
# Deterministic in CI (the same examples every run); more examples with HYPOTHESIS_EXAMPLES=5000.
FUZZ = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 120)), deadline=None, derandomize=True,
                database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check(data: Path, timeout: int = 120) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "plansite", "check", "--data", str(data)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout)
    return result, time.monotonic() - start


def assert_reported(result: subprocess.CompletedProcess) -> list[str]:
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.stderr.startswith("数据有 ") and "网站未生成" in result.stderr.splitlines()[0]
    return [line for line in result.stderr.splitlines() if line.startswith("  - ")]


# ---- too big to commit ------------------------------------------------------------------------


def test_a_5_mb_tasks_file_is_reported_in_seconds(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    first = (MINI / "tasks.yaml").read_text(encoding="utf-8").split("tasks:\n", 1)[1].split("\n\n  - id: 2")[0]
    parts, size, n = ["tasks:"], 0, 0
    while size < 5 * 1024 * 1024:
        n += 1
        part = first.replace("  - id: 1\n", f"  - id: {n}\n", 1)
        parts.append(part)
        size += len(part.encode("utf-8"))
    (data / "tasks.yaml").write_text("\n".join(parts) + "\n", encoding="utf-8")
    assert (data / "tasks.yaml").stat().st_size >= 5 * 1024 * 1024
    result, seconds = check(data)
    problems = assert_reported(result)
    assert seconds < 60, f"took {seconds:.0f} s"
    # Task 1 copied n times: every copy after the first repeats its number, ids past 9999 are out of range.
    # (Duplicates are counted among the tasks whose id is valid.)
    assert sum("任务序号“(一)”重复（第 3 行已用过）" in p for p in problems) == 9999 - 1
    assert sum("（任务编号）：数值" in p and "超出允许范围" in p for p in problems) == n - 9999


def test_a_period_file_with_10000_entries_is_reported(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "progress").mkdir()
    lines = ["period: 2020-Q1", "compiled: 2020-04-10", "sample: true", "tasks:"]
    for i in range(1, 10001):
        lines += [f"  - task: {i}", "    status: 推进中", f"    summary: 第{i}条。", "    reporter: 市测试局"]
    (data / "progress" / "2020-Q1.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, seconds = check(data)
    problems = assert_reported(result)
    assert seconds < 60, f"took {seconds:.0f} s"
    # Tasks 1-3 exist; 4 … 9999 do not; 10000 is not even a valid task number.
    assert len(problems) == 9997
    assert ("progress/2020-Q1.yaml 第 17 行，字段 tasks[4].task（任务编号）：任务 4 不存在（tasks.yaml 中没有这个 id）"
            in result.stderr)
    assert "字段 tasks[10000].task（任务编号）：数值“10000”超出允许范围" in result.stderr


# ---- hypothesis: the loader -------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """One copy of the mini plan; each example overwrites one file and puts it back."""
    data = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(MINI, data)
    (data / "progress").mkdir()
    return data


PERIOD = """\
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
indicators:
  - indicator: public-testing-platforms
    value: 1
    as_of: 2020-03-31
    source: 市测试局
  - indicator: testing-coverage
    value: 40
    as_of: 2020-03-31
    assessment: 符合序时进度
    justification: 覆盖率已由 25% 提高到 40%。
"""
FILES = {name: (MINI / name).read_text(encoding="utf-8") for name in
         ("plan.yaml", "tasks.yaml", "departments.yaml", "indicators.yaml", "method.yaml")}
FILES["progress/2020-Q1.yaml"] = PERIOD
FILES["baselines.yaml"] = "sample: true\nbaselines:\n  - indicator: public-testing-platforms\n    value: 0\n    as_of: 2020-01-01\n"


def load_with(scratch: Path, name: str, content: bytes):
    """load_plan with one file replaced; anything but the project's own error fails the test."""
    for other, text in FILES.items():
        (scratch / other).write_text(text, encoding="utf-8")
    (scratch / name).write_bytes(content)
    try:
        load_plan(scratch)
    except DataError as err:
        assert err.problems and all(p.message and p.file for p in err.problems)
        assert err.report().startswith(f"数据有 {len(err.problems)} 处问题")
    except PlanSiteError:
        pass


file_names = st.sampled_from(sorted(FILES))
# Characters that mean something to YAML, to Markdown or to the checks, and a few that break text.
yaml_chars = st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\\\t\n ") + ["\u200b", "\u3000", "\x00", "\x85", "\ufeff", "é", "市"])


@st.composite
def damaged(draw):
    """A real data file with a few random edits: characters inserted, ranges cut, lines repeated."""
    name = draw(file_names)
    text = FILES[name]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "cut", "repeat", "replace"]))
        if edit == "insert":
            text = text[:at] + draw(st.text(yaml_chars, min_size=1, max_size=6)) + text[at:]
        elif edit == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif edit == "repeat":
            line_start = text.rfind("\n", 0, at) + 1
            line_end = text.find("\n", at) + 1 or len(text)
            text = text[:line_end] + text[line_start:line_end] + text[line_end:]
        else:
            text = text[:at] + draw(st.text(min_size=1, max_size=3)) + text[at + 1:]
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-16", "gbk", "utf-8-sig"]))
    return name, text.encode(encoding, errors="replace")


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(),
                    st.text(max_size=20), st.dates().map(str), st.sampled_from(["推进中", "已达标", ">=", "%", "1", "市测试局"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["id", "task", "name", "value", "tasks", "x"]) | st.text(max_size=8),
                                                 inner, max_size=4)), max_leaves=12)


@st.composite
def retyped(draw):
    """A real data file with one value anywhere in it replaced by a random value of any type."""
    name = draw(file_names)
    data = yaml.safe_load(FILES[name])
    node, parent, key = data, None, None
    for _ in range(draw(st.integers(1, 4))):
        if isinstance(node, dict) and node:
            parent, key = node, draw(st.sampled_from(sorted(node, key=str)))
        elif isinstance(node, list) and node:
            parent, key = node, draw(st.integers(0, len(node) - 1))
        else:
            break
        node = parent[key]
    if parent is not None:
        parent[key] = draw(values)
    return name, yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


@FUZZ
@given(file_names, st.binary(max_size=400))
@example("baselines.yaml", b"#")  # only a comment: crashed (no document)
@example("departments.yaml", b"&_")  # a bare anchor: "0 problems" and no site
@example("tasks.yaml", b"~")
def test_random_bytes_in_any_data_file_give_only_data_errors(scratch, name, content):
    load_with(scratch, name, content)


@FUZZ
@given(damaged())
@example(("tasks.yaml", b"a: &a [*a]\ntasks: *a\n"))
@example(("tasks.yaml", b"tasks:\n  - id: !!int abc\n"))
@example(("tasks.yaml", b"? [a]\n: b\n"))
@example(("departments.yaml", b"departments:\n  - {id: a, name: [x], kind: college}\n"))
@example(("departments.yaml", b"departments:\n  - {id: a, name: false, kind: college}\n"))  # crashed difflib
@example(("progress/2020-Q1.yaml", b"period: 2020-Q1\ncompiled: 2020-04-10\nsample: true\ntasks:\n  - task: [1]\n"))
@example(("tasks.yaml", "tasks:\n  - id: 1\x01\n".encode()))
def test_damaged_data_files_give_only_data_errors(scratch, case):
    load_with(scratch, *case)


@FUZZ
@given(retyped())
def test_values_of_the_wrong_type_give_only_data_errors(scratch, case):
    load_with(scratch, *case)


# ---- hypothesis: the assessment ---------------------------------------------------------------

numbers = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True))
dates = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))


@st.composite
def assessments(draw):
    """Any indicator, value, baseline and thresholds the schema accepts."""
    kind = draw(st.sampled_from(["numeric", "relative"]))
    value = draw(st.none() | numbers)
    judged = draw(st.none() | st.sampled_from([a.value for a in Assessment]))
    limited = draw(st.floats(-10, 10))
    acceleration = limited + draw(st.floats(0.01, 10))
    try:
        indicator = Indicator(
            id="x", task=1, name="指标", kind=kind, measure=draw(st.sampled_from(["level", "cumulative", "annual"])),
            comparator=draw(st.sampled_from([">=", ">", "<=", "<", "="])) if kind == "numeric" else None,
            target=draw(numbers) if kind == "numeric" else None, unit=draw(st.sampled_from(["%", "个"])),
            target_text="目标", judged_by="判定" if kind == "relative" else None, deadline=draw(dates), source_text="目标")
        entry = draw(st.none() | st.just(IndicatorValue(
            indicator="x", value=value, as_of=draw(dates) if value is not None else draw(st.none() | dates),
            assessment=judged, justification="理由" if judged else None)))
        thresholds = Thresholds(limited=limited, acceleration=acceleration, on_track=acceleration + draw(st.floats(0.01, 10)))
    except ValidationError:
        assume(False)
    baseline = draw(st.none() | st.tuples(numbers, dates))
    judged_on, end = draw(st.none() | dates), draw(st.none() | dates)  # the period's and the plan's last days
    return indicator, entry, baseline, thresholds, judged_on, end


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 400)), deadline=None, derandomize=True, database=None)
@given(assessments())
def test_assess_always_returns_one_of_the_seven_codes(case):
    indicator, entry, baseline, thresholds, judged_on, end = case
    try:
        result = assess(indicator, entry, baseline, thresholds, judged_on, end)
    except PlanSiteError:
        return
    assert result.code in ASSESSMENT_DISPLAY
    assert set(ASSESSMENT_DISPLAY) == {"achieved", "missed", "on_track", "acceleration", "limited", "deterioration", "no_data"}
    assert isinstance(result.reason, str)
