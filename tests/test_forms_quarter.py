"""A real quarter, run as README's 每季度更新 says, on the clock of the day it is run: forms out, forms
back in batches (one unit twice, corrected), the 催报名单 after each batch, --require-all, check, build.

The clock is set by time-machine (the commands run in this process, as `make` runs them with the same
arguments); one test runs the `make` targets themselves on the machine's real date.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
import time_machine
import yaml

from forms_support import ROOT, data_copy, expected_values, fill_form
from plansite.__main__ import main
from plansite.forms import layout as L
from plansite.model.load import load_plan

PERIOD = "2016-Q1"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def fill_units(data: Path, forms: Path, out: Path, units: list[str], summary_note: str = "") -> None:
    """Fill in the forms of `units` as each unit would, into the folder `out` (one batch)."""
    plan = load_plan(data)
    who = L.forms_by_unit(plan, PERIOD)
    for unit in units:
        tasks, values = expected_values(plan, PERIOD, unit, who[unit])
        for entry in tasks:
            entry["summary"] += summary_note
        fill_form(forms / L.file_name(unit), out / L.file_name(unit), tasks, values)


def chase_list(out: str) -> list[str]:
    """The units the printed 催报名单 names."""
    return re.findall(r"^  - (\S+?)(?:（[^）]*）)?：任务", out, flags=re.M)


@pytest.fixture
def quarter(tmp_path, monkeypatch):
    """A data folder and the quarter's blank forms, in a working folder named as a user would name it."""
    monkeypatch.chdir(tmp_path)
    data_copy(tmp_path, name="data")
    assert main(["forms", "--data", "data", "--period", PERIOD, "--out", "forms"]) == 0
    return Path("data"), Path("forms"), list(L.forms_by_unit(load_plan("data"), PERIOD))


# Today, the day after the plan's last quarter was due, and a day long after the plan's end.
CLOCKS = {"today": None, "2016-04-20": dt.datetime(2016, 4, 20, 9, 30), "2041-06-30": dt.datetime(2041, 6, 30, 16, 0)}


@pytest.mark.parametrize("clock", sorted(CLOCKS))
def test_the_quarterly_steps_import_and_build_on_any_date(quarter, clock, capsys, monkeypatch, tmp_path):
    """README's steps without IMPORT_ARGS: the import dates the file by the clock, and check and build accept it."""
    data, forms, units = quarter
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the in-process build sets it from the data
    monkeypatch.delenv("PLAN_DATA", raising=False)
    if CLOCKS[clock]:
        # A cache of its own: the build prunes drawings unused for 90 days by its clock, and in
        # 2041 that is every drawing of the session's cache, which the other xdist worker's
        # builds are reading at the same time (they failed with FileNotFoundError).
        monkeypatch.setenv("PLANSITE_CHART_CACHE", str(tmp_path / "chart-cache"))
    with time_machine.travel(CLOCKS[clock], tick=True) if CLOCKS[clock] else _real_clock():
        before = dt.date.today()
        fill_units(data, forms, Path("back"), units)
        code, out, err = run(capsys, "import", "--data", "data", "--period", PERIOD, "--forms", "back")
        assert code == 0, err
        assert "催报名单：无" in out
        written = yaml.safe_load((data / "progress" / f"{PERIOD}.yaml").read_text(encoding="utf-8"))
        # The day the import ran (on the real clock, midnight may pass while it runs).
        assert before <= written["compiled"] <= dt.date.today() and written["sample"] is False
        day = written["compiled"]
        code, out, err = run(capsys, "check", "--data", "data")
        assert code == 0, err
        code, out, err = run(capsys, "build", "--data", "data", "--site", "site")
        assert code == 0, err
    report = Path("site", "reports", PERIOD, "index.html").read_text(encoding="utf-8")
    assert f"{day.year}年{day.month}月{day.day}日" in report


class _real_clock:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def test_make_import_as_readme_writes_it_on_the_machines_date(tmp_path):
    """`make forms`, `make import`, `make check` exactly as README gives them (DATA= for a copy), no IMPORT_ARGS."""
    data = data_copy(tmp_path)
    env = {**os.environ, "MAKEFLAGS": ""}

    def make(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["make", "--no-print-directory", *args, f"DATA={data}"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)

    result = make("forms", f"Q={PERIOD}", f"FORMS_DIR={tmp_path / 'forms'}")
    assert result.returncode == 0, result.stderr
    units = list(L.forms_by_unit(load_plan(data), PERIOD))
    fill_units(data, tmp_path / "forms" / PERIOD, tmp_path / "back", units)
    before = dt.date.today()
    result = make("import", f"Q={PERIOD}", f"FORMS={tmp_path / 'back'}")
    assert result.returncode == 0, result.stderr
    assert "催报名单：无" in result.stdout
    text = (data / "progress" / f"{PERIOD}.yaml").read_text(encoding="utf-8")
    written = yaml.safe_load(text)
    assert before <= written["compiled"] <= dt.date.today()  # the machine's date as make import ran
    # The file's heading, read by staff, gives that day as the house style writes dates.
    day = written["compiled"]
    assert f"最近一次导入：{day.year}年{day.month}月{day.day}日。" in text.splitlines()[0]
    result = make("check")
    assert result.returncode == 0, result.stderr


@time_machine.travel(dt.datetime(2031, 3, 1, 10, 0), tick=False)
def test_forms_returned_in_batches_give_the_right_chase_list_each_time(quarter, capsys):
    data, forms, units = quarter
    assert len(units) >= 8
    first, late, rest = units[:3], units[3], units[4:]
    args = ["import", "--data", "data", "--period", PERIOD, "--forms"]

    fill_units(data, forms, Path("b1"), first)
    code, out, err = run(capsys, *args, "b1")
    assert code == 0, err
    assert chase_list(out) == [u for u in units if u not in first]

    fill_units(data, forms, Path("b2"), [late])  # one late unit alone
    code, out, err = run(capsys, *args, "b2")
    assert code == 0, err
    assert chase_list(out) == rest
    assert f"{len(rest)} 个单位还没有交回" in out

    fill_units(data, forms, Path("b3"), [first[0]], summary_note="（更正）")  # one unit again, corrected
    code, out, err = run(capsys, *args, "b3")
    assert code == 0, err
    assert chase_list(out) == rest
    written = yaml.safe_load((data / "progress" / f"{PERIOD}.yaml").read_text(encoding="utf-8"))
    mine = L.forms_by_unit(load_plan(data), PERIOD)[first[0]]
    assert all(t["summary"].endswith("（更正）") for t in written["tasks"] if t["task"] in mine)
    assert not any(t["summary"].endswith("（更正）") for t in written["tasks"] if t["task"] not in mine)

    fill_units(data, forms, Path("b4"), rest[:-1])  # all but one, with --require-all: refused, naming the one
    code, out, err = run(capsys, *args, "b4", "--require-all")
    assert code == 1 and "还有 1 个单位没有交回报表" in err and rest[-1] in err
    assert chase_list(err) == [rest[-1]]

    fill_units(data, forms, Path("b4"), rest[-1:])
    code, out, err = run(capsys, *args, "b4", "--require-all")
    assert code == 0, err
    assert "催报名单：无，所有单位都已交回" in out
    written = yaml.safe_load((data / "progress" / f"{PERIOD}.yaml").read_text(encoding="utf-8"))
    assert {t["reporter"] for t in written["tasks"]} == set(units)
    assert written["compiled"] == dt.date(2031, 3, 1)


@time_machine.travel(dt.datetime(2031, 3, 1, 10, 0), tick=False)
def test_a_batch_with_problems_lists_who_is_still_missing_counting_earlier_batches(quarter, capsys):
    data, forms, units = quarter
    fill_units(data, forms, Path("b1"), units[:2])
    assert run(capsys, "import", "--data", "data", "--period", PERIOD, "--forms", "b1")[0] == 0
    fill_units(data, forms, Path("b2"), units[2:4])
    wb = openpyxl.load_workbook(Path("b2") / L.file_name(units[3]))
    wb[L.TASK_SHEET]["E3"] = "进行中"
    wb.save(Path("b2") / L.file_name(units[3]))
    code, out, err = run(capsys, "import", "--data", "data", "--period", PERIOD, "--forms", "b2")
    assert code == 1 and "E3（状态）" in err
    # the first batch is in the file, the clean form of this batch would be: neither is chased
    assert chase_list(err) == [units[3], *units[4:]]


def test_a_compiled_date_the_import_cannot_use_is_named_with_every_form_problem(quarter, capsys):
    data, forms, units = quarter
    fill_units(data, forms, Path("back"), units[:1])
    wb = openpyxl.load_workbook(Path("back") / L.file_name(units[0]))
    wb[L.TASK_SHEET]["E3"] = "进行中"
    wb.save(Path("back") / L.file_name(units[0]))
    code, out, err = run(capsys, "import", "--data", "data", "--period", PERIOD, "--forms", "back", "--compiled", "2015-12-20")
    assert code == 1
    assert "汇总日期 2015-12-20 早于2016年第一季度的开始" in err and "E3（状态）" in err
    with time_machine.travel(dt.datetime(2031, 3, 1, 23, 59, 59), tick=False):  # tomorrow stays tomorrow
        future = dt.date.today() + dt.timedelta(days=1)
        code, out, err = run(capsys, "import", "--data", "data", "--period", PERIOD, "--forms", "back", "--compiled", future.isoformat())
    assert code == 1 and f"汇总日期 {future} 是将来的日期" in err
    assert err.startswith("本次导入有 2 处问题")  # the import's own date and E3: not both the forms' problems
    assert not (data / "progress" / f"{PERIOD}.yaml").exists()


def test_a_compiled_date_is_accepted_as_staff_type_it(quarter, capsys):
    data, forms, units = quarter
    fill_units(data, forms, Path("back"), units[:1])
    code, out, err = run(capsys, "import", "--data", "data", "--period", PERIOD, "--forms", "back", "--compiled", "2016-4-15")
    assert code == 0, err
    assert "compiled: 2016-04-15" in (data / "progress" / f"{PERIOD}.yaml").read_text(encoding="utf-8")


def test_problems_in_the_data_name_the_folder_the_user_typed(quarter, capsys):
    """Not the temporary copy the import checks, and not 网站未生成: no site was being built."""
    data, forms, units = quarter
    fill_units(data, forms, Path("back"), units[:1])
    tasks = data / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("      - 市质监局\n", "      - 市质检局\n", 1), encoding="utf-8")
    code, out, err = run(capsys, "import", "--data", "data", "--period", PERIOD, "--forms", "back")
    assert code == 1
    assert "data/tasks.yaml 第" in err and "市质检局" in err
    assert "plansite-import" not in err and "/tmp" not in err and "网站未生成" not in err
    assert "导入已停止，进展文件未写入" in err


def test_a_future_date_in_the_data_is_refused_and_passes_once_it_has_come(tmp_path, capsys):
    """The only clock rule: not in the future. Data valid today stays valid on every later day."""
    data = data_copy(tmp_path)
    path = data / "progress" / "2015-Q4.yaml"
    path.write_text(re.sub(r"^compiled: .*$", "compiled: 2031-01-10", path.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    with time_machine.travel(dt.datetime(2031, 1, 9, 12, 0), tick=False):
        code, out, err = run(capsys, "check", "--data", str(data))
        assert code == 1 and "日期 2031-01-10 是将来的日期" in err
    for later in (dt.datetime(2031, 1, 10, 0, 1), dt.datetime(2090, 12, 31, 23, 0)):
        with time_machine.travel(later, tick=False):
            code, out, err = run(capsys, "check", "--data", str(data))
            assert code == 0, err


def test_running_make_forms_again_keeps_the_offices_ticks(quarter, capsys):
    data, forms, units = quarter
    overview = forms / L.OVERVIEW_FILE
    wb = openpyxl.load_workbook(overview)
    wb.active.cell(L.FIRST_ROW, 6, "2016-04-08")  # 交回日期, ticked by the office
    wb.save(overview)
    code, out, err = run(capsys, "forms", "--data", "data", "--period", PERIOD, "--out", "forms")
    assert code == 0, err
    assert openpyxl.load_workbook(overview).active.cell(L.FIRST_ROW, 6).value == "2016-04-08"
    assert "保留原文件，没有覆盖" in out and L.OVERVIEW_FILE in out
    (forms / L.file_name(units[0])).unlink()  # a form removed on purpose is written anew
    code, out, err = run(capsys, "forms", "--data", "data", "--period", PERIOD, "--out", "forms")
    assert (forms / L.file_name(units[0])).is_file()
    assert L.file_name(units[0]) not in out.split("保留原文件")[1]


def test_make_forms_says_when_it_copies_sample_values(quarter, capsys, tmp_path):
    code, out, err = run(capsys, "forms", "--data", "data", "--period", PERIOD, "--out", "forms2")
    assert "示例数据" in out and "不是各单位报送的数据" in out
    real = data_copy(tmp_path, name="real")
    for path in (real / "progress").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("sample: true", "sample: false"), encoding="utf-8")
    code, out, err = run(capsys, "forms", "--data", str(real), "--period", PERIOD, "--out", "forms3")
    assert code == 0 and "示例数据" not in out


ENGLISH = re.compile(r"usage|error|argument|required|invalid|options|show this|Warning|Traceback", re.I)


@pytest.mark.parametrize("argv", [
    ["import", "--data", "data", "--period", PERIOD, "--forms", "back", "--compiled", "4/15/2016"],
    ["import", "--data", "data", "--period", PERIOD],
    ["import", "--help"],
    ["forms", "--period"],
    ["bogus"],
    ["check", "--nope"],
])
def test_the_commands_speak_chinese(argv, quarter, capsys):
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr()
    text = out.out + out.err
    assert text and not ENGLISH.search(text), text
    assert re.search(r"用法：|缺少参数|无法识别|不是可用的命令|日期", text), text


def test_the_publish_commands_speak_chinese(capsys):
    from plansite.publish.__main__ import main as publish_main

    for argv in (["publish"], ["rollback", "--dest"], ["--help"]):
        with pytest.raises(SystemExit):
            publish_main(argv)
        out = capsys.readouterr()
        assert not ENGLISH.search(out.out + out.err), out


def test_the_forms_say_nothing_in_code_words(quarter):
    data, forms, units = quarter
    for path in forms.glob("*.xlsx"):
        wb = openpyxl.load_workbook(path)
        texts = [c.value for name in (L.GUIDE_SHEET,) if name in wb.sheetnames for row in wb[name].iter_rows() for c in row]
        texts += [v.error for ws in wb.worksheets for v in ws.data_validations.dataValidation]
        words = {w for t in texts if isinstance(t, str) for w in re.findall(r"[A-Za-z_]{3,}", t)}
        assert words <= {"http", "https", "xlsx", "xls", "ods", "Excel", "WPS", "LibreOffice"}, (path.name, words)
