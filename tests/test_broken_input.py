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
import typing
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from plansite.wording import ASSESSMENT_DISPLAY
from plansite.figures.assess import assess
from plansite.errors import DataError, PlanSiteError
from plansite.model.schema import Assessment, Indicator, IndicatorValue, Thresholds
from plansite.model.load import load_plan

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


def test_a_5_mb_tasks_file_is_reported_problem_by_problem(tmp_path):
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
    # How fast is for the benchmark, not here (a loaded machine would fail a time limit).
    result, _ = check(data)
    problems = assert_reported(result)
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
    # How fast is for the benchmark, not here (a loaded machine would fail a time limit).
    result, _ = check(data)
    problems = assert_reported(result)
    # Tasks 1-3 exist; 4 … 9999 do not; 10000 is not even a valid task number.
    assert len(problems) == 9997
    assert ("progress/2020-Q1.yaml 第 17 行，字段 tasks[4].task（任务编号）：任务 4 不存在（tasks.yaml 中没有这个 id）"
            in result.stderr)
    assert "字段 tasks[10000].task（任务编号）：数值“10000”超出允许范围" in result.stderr


# ---- whatever check accepts, build builds ----------------------------------------------------

BIG = "1" + "0" * 300
# (what replaces what in which file, the message check must give instead of letting build crash)
EXTREMES = {
    "a value with hundreds of digits": ("progress/2020-Q1.yaml", "value: 1\n", f"value: {BIG}\n",
                                        "字段 indicators[1].value（数值）：数值 100000000000…（共 301 位） 太大"),
    "a target with hundreds of digits": ("indicators.yaml", "target: 3\n", f"target: {BIG}\n",
                                         "字段 indicators[1].target（目标值）：数值 100000000000…（共 301 位） 太大"),
    "a baseline with hundreds of digits": ("baselines.yaml", "value: 0\n", f"value: {BIG}\n",
                                           "字段 baselines[1].value（基线值）：数值 100000000000…（共 301 位） 太大"),
    "an as_of in year 1": ("progress/2020-Q1.yaml", "as_of: 2020-03-31\n", "as_of: 0001-01-01\n",
                           "字段 indicators[1].as_of（数值日期）：日期 0001-01-01 过早：应不早于 2010-01-01（计划印发前 10 年）"),
    "a baseline in year 1": ("baselines.yaml", "as_of: 2020-01-01\n", "as_of: 0001-01-01\n",
                             "字段 baselines[1].as_of（基线日期）：日期 0001-01-01 超出允许范围"),
    "a deadline of 9999-12-31": ("indicators.yaml", "deadline: 2021-12-31\n", "deadline: 9999-12-31\n",
                                 "字段 indicators[1].deadline（期限）：日期 9999-12-31 超出允许范围"),
    "a compiled date after 2106": ("progress/2020-Q1.yaml", "compiled: 2020-04-10\n", "compiled: 2107-01-01\n",
                                   "字段 compiled（汇总日期）：日期 2107-01-01 是将来的日期：汇总日期和数值日期不能晚于今天"),
    "a plan issued in year 1": ("plan.yaml", "issued: 2020-03-01\n", "issued: 0001-01-01\n",
                                "字段 issued（印发日期）：日期 0001-01-01 超出允许范围：应在 1940-01-01 至 2100-12-31 之间"),
    "a plan ending in 9999": ("plan.yaml", "end: 2021\n", "end: 9999\n",
                              "字段 period.end（结束年份）：数值“9999”超出允许范围（不能大于 2090）"),
    "a period in year 0": ("progress/2020-Q1.yaml", "period: 2020-Q1\n", "period: 0000-Q1\n",
                           "字段 period（报告期）：报告期 0000-Q1 超出允许范围"),
    "a threshold with hundreds of digits": ("method.yaml", "on_track: 0.9\n", f"on_track: {BIG}\n",
                                            "字段 thresholds.on_track（符合序时进度阈值）：数值“100000000000…（共 301 位）”超出允许范围"),
}


def build(data: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "plansite", "build", "--data", str(data), "--site", str(site)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("case", sorted(EXTREMES))
def test_what_check_accepts_builds_and_what_it_refuses_is_named(case, tmp_path):
    """Each of these passed check and then crashed the build with a traceback (or crashed check)."""
    name, old, new, message = EXTREMES[case]
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "progress").mkdir()
    for other, text in FILES.items():
        (data / other).write_text(text, encoding="utf-8")
    text = FILES[name]
    assert old in text, case
    (data / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    result, _ = check(data)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    if result.returncode == 0:  # accepted: then it must build
        built = build(data, tmp_path / "site")
        assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr[-3000:]
        pytest.fail(f"{case}: built, but check should name it: {message}")
    assert_reported(result)
    assert message in result.stderr, result.stderr


def test_the_largest_accepted_values_and_the_widest_dates_build(tmp_path):
    """The limits themselves are fine: numbers up to 10^15 and dates at both ends of the window (for a
    date something was compiled on, the window ends today)."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "progress").mkdir()
    for other, text in FILES.items():
        (data / other).write_text(text, encoding="utf-8")
    period = (FILES["progress/2020-Q1.yaml"].replace("value: 1\n", f"value: {10**15}\n", 1)
              .replace("compiled: 2020-04-10", f"compiled: {dt.date.today()}").replace("as_of: 2020-03-31", "as_of: 2010-01-01", 1))
    (data / "progress" / "2020-Q1.yaml").write_text(period, encoding="utf-8")
    (data / "indicators.yaml").write_text(FILES["indicators.yaml"].replace("target: 3\n", f"target: {10**15}\n")
                                          .replace("deadline: 2021-12-31", "deadline: 2031-12-31", 1), encoding="utf-8")
    (data / "baselines.yaml").write_text(FILES["baselines.yaml"].replace("as_of: 2020-01-01", "as_of: 2010-01-01"),
                                         encoding="utf-8")
    result, _ = check(data)
    assert result.returncode == 0, result.stderr
    built = build(data, tmp_path / "site")
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr[-3000:]
    assert (tmp_path / "site" / "reports" / "2020-Q1" / "index.html").is_file()


# ---- source.file: only a regular file inside the data folder, of a sane size ---------------------


def _source_case(tmp_path: Path, make) -> str:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    make(data / "source" / "mini-plan.txt")
    # A blocking read (a FIFO, /dev/zero) would never return: the timeout ends it as a failure.
    result, _ = check(data, timeout=120)
    problems = assert_reported(result)
    return "\n".join(problems)


def test_a_source_symlink_out_of_the_data_folder_is_refused(tmp_path):
    def make(path):
        path.unlink()
        path.symlink_to("/etc/passwd")
    assert "字段 source.file（原文文件）：原文文件“source/mini-plan.txt”指向数据目录之外（/etc/passwd）" in _source_case(tmp_path, make)


def test_a_source_symlink_to_dev_zero_is_refused_without_reading_it(tmp_path):
    def make(path):
        path.unlink()
        path.symlink_to("/dev/zero")
    assert "指向数据目录之外（/dev/zero）" in _source_case(tmp_path, make)


def test_a_source_that_is_a_pipe_does_not_hang(tmp_path):
    def make(path):
        path.unlink()
        os.mkfifo(path)
    assert "原文文件“source/mini-plan.txt”不是普通文件（是目录、设备或管道）" in _source_case(tmp_path, make)


def test_a_huge_source_file_is_refused_unread(tmp_path):
    def make(path):
        with open(path, "wb") as f:
            f.truncate(6 * 1024 * 1024 * 1024)  # sparse: 6 GB on paper, nothing on disk
    assert "原文文件“source/mini-plan.txt”超过 5 MB，不像是计划原文" in _source_case(tmp_path, make)


# ---- every text field refuses control and bidirectional characters --------------------------------


def _text_fields():
    from plansite.model.schema import _inner_model, DATA_FILES, OPTIONAL_FILES, PeriodFile

    models, queue = [], [*DATA_FILES.values(), *OPTIONAL_FILES.values(), PeriodFile]
    while queue:
        model = queue.pop()
        if model in models:
            continue
        models.append(model)
        for name, info in model.model_fields.items():
            if inner := _inner_model(info.annotation):
                queue.append(inner)
            elif "str" in repr(info.annotation) and "Literal" not in repr(info.annotation):
                yield model, name, info


TEXT_FIELDS = {f"{m.__name__}.{n}": (m, n) for m, n, _ in _text_fields()}


@pytest.mark.parametrize("field", sorted(TEXT_FIELDS))
@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\u200f"])
def test_every_text_field_refuses_control_and_bidi_characters(field, char):
    from pydantic import TypeAdapter

    model, name = TEXT_FIELDS[field]
    info = model.model_fields[name]
    annotation = info.rebuild_annotation() if hasattr(info, "rebuild_annotation") else info.annotation
    adapter = TypeAdapter(annotation)
    text = "https://example.org/a" + char + "b" if name == "url" else "ab" + char + "c"
    with pytest.raises(ValidationError) as err:
        adapter.validate_python([text] if typing.get_origin(annotation) is list else text)
    # Ids and periods allow only [a-z0-9-] or 2015-Q1 anyway; every other text names the character.
    refused_by_pattern = "should match pattern" in str(err.value) and name != "url"
    assert f"U+{ord(char):04X}（" in str(err.value) or refused_by_pattern, str(err.value)


def test_all_text_fields_are_covered():
    # Fields holding text in each file; a new one is covered by the test above without listing it here.
    assert {"PlanFile.title", "PlanFile.preamble", "Source.publisher", "Task.text", "Department.full_name",
            "Indicator.judged_by", "Indicator.target_text", "MethodFile.timetable", "TaskReport.summary",
            "Evidence.url", "IndicatorValue.note", "IndicatorValue.justification", "Baseline.source"} <= set(TEXT_FIELDS)


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
yaml_chars = st.sampled_from(list(":-[]{}#&*!|>'\"%@`,?\\\t\n ") + ["\u200b", "\u3000", "\x00", "\x85", "\ufeff", "é", "市",
                                                                   "\u202e", "\u2066"])


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


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(), st.just(10**300),
                    st.text(max_size=20), st.dates().map(str),
                    st.sampled_from(["推进中", "已达标", ">=", "%", "1", "市测试局", "con", "0000-Q1", "a\u202eb", "a\x1bb"]))
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
def test_assess_always_returns_one_of_the_nine_codes(case):
    indicator, entry, baseline, thresholds, judged_on, end = case
    try:
        result = assess(indicator, entry, baseline, thresholds, judged_on, end)
    except PlanSiteError:
        return
    assert result.code in ASSESSMENT_DISPLAY
    assert set(ASSESSMENT_DISPLAY) == {"achieved", "missed", "overdue_no_value", "overdue_unjudged", "on_track",
                                       "acceleration", "limited", "deterioration", "no_data"}
    assert isinstance(result.reason, str)
    # Once the period judged reaches the deadline, a target has a verdict: never a pace, never 暂无数据
    # (an annual target with a value is judged by its own year, so it is left out here).
    if judged_on is not None and judged_on >= indicator.deadline and (
            indicator.measure != "annual" or indicator.kind == "relative" or entry is None or entry.value is None):
        assert result.code in {"achieved", "missed", "overdue_no_value", "overdue_unjudged"}, result


# ---- hypothesis: what the loader accepts, the build's own stages accept --------------------------

# Where numbers and dates sit in each file (a path of keys and list positions).
NUMERIC_PLACES = [("indicators.yaml", ("indicators", 0, "target")), ("baselines.yaml", ("baselines", 0, "value")),
                  ("progress/2020-Q1.yaml", ("indicators", 0, "value")), ("method.yaml", ("thresholds", "limited")),
                  ("plan.yaml", ("period", "end"))]
DATE_PLACES = [("indicators.yaml", ("indicators", 0, "deadline")), ("baselines.yaml", ("baselines", 0, "as_of")),
               ("progress/2020-Q1.yaml", ("indicators", 0, "as_of")), ("progress/2020-Q1.yaml", ("compiled",)),
               ("plan.yaml", ("issued",))]

TEXT_PLACES = [("plan.yaml", ("issuer",)), ("progress/2020-Q1.yaml", ("tasks", 0, "summary")),
               ("departments.yaml", ("departments", 0, "full_name"))]


@st.composite
def extreme_values(draw):
    """One number, date or text of a valid plan replaced by anything from tiny to absurd."""
    kind = draw(st.sampled_from(["number", "date", "text"]))
    if kind == "text":  # the issuer goes into feed.xml
        name, path = draw(st.sampled_from(TEXT_PLACES))
        value = draw(st.text(min_size=1, max_size=12))
    elif kind == "number":
        name, path = draw(st.sampled_from(NUMERIC_PLACES))
        value = draw(st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
                               st.sampled_from([0, -1, 100, 100.5, 10**15, 10**15 + 1, 2106, 9999]), st.just(10**300)))
    else:
        name, path = draw(st.sampled_from(DATE_PLACES))
        value = draw(st.dates()).isoformat()
    data = yaml.safe_load(FILES[name])
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return name, yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


@settings(FUZZ, max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 50)))  # each accepted example renders the site
@given(extreme_values())
@example(("plan.yaml", FILES["plan.yaml"].replace("issuer: 示例市人民政府办公室", 'issuer: "示例市\\x01"').encode()))
def test_accepted_extremes_render_every_page_and_a_well_formed_feed(scratch, case):
    import xml.etree.ElementTree as ET

    from plansite.charts.specs import derive_chart_specs
    from plansite.figures.progress import derive_progress
    from plansite.pages.meta import derive_page_meta
    from plansite.builder.assemble import render_site, site_info

    for other, text in FILES.items():
        (scratch / other).write_text(text, encoding="utf-8")
    name, content = case
    (scratch / name).write_bytes(content)
    try:
        plan = load_plan(scratch)
    except DataError:
        return
    progress = derive_progress(plan)
    derive_page_meta(plan, progress)
    specs = derive_chart_specs(plan, progress)
    pages, _ = render_site(plan, site_info(None), specs)
    ET.fromstring(pages["feed.xml"] if isinstance(pages["feed.xml"], bytes) else pages["feed.xml"].encode("utf-8"))
