"""Forms filled in and saved again by two office programs, LibreOffice and Gnumeric, as .xlsx, .ods
and .xls, imported as the office imports them (`python -m plansite import`, its own process): the
period file holds exactly what was typed, and nothing but the import's own Chinese reaches the user:
no library's English warning, no traceback.

Gnumeric (Debian's gnumeric, installed by scripts/ensure_gnumeric.sh) saves with ssconvert, headless;
its .xlsx has no default cell style (openpyxl warns about that) and its .ods is indented XML.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from forms_support import (ROOT, as_yaml_entries, data_copy, expected_values, fill_form, make_forms, resave,
                           resave_gnumeric)
from plansite.forms import layout as L
from plansite.model.load import load_plan

PERIOD = "2016-Q1"
# A relative target (市科技局, 市商务局), %-unit values and counts, one unit with tasks only.
UNITS = ["市科技局", "市商务局", "市住房规划建设局", "市公安局"]
SAVED = [("libreoffice", "xlsx"), ("libreoffice", "ods"), ("libreoffice", "xls"),
         ("gnumeric", "xlsx"), ("gnumeric", "xlsx2010"), ("gnumeric", "ods"), ("gnumeric", "xls")]


def typed(plan, unit: str, task_ids: list[int]) -> tuple[list[dict], list[dict]]:
    """What a clerk types: text, numbers, dates, and more than the shared helper covers."""
    tasks, values = expected_values(plan, PERIOD, unit, task_ids)
    if unit == "市科技局":  # two pieces of evidence: a title and a URL a line each, in one cell each
        tasks[-1]["evidence"] = [{"title": "市科技局关于专利工作的通知", "url": "https://example.org/kj/1.html"},
                                 {"title": "专利工作简报（第2期）", "url": "https://example.org/kj/2.html?id=2&p=1"}]
    for value in values:
        value["note"] = "含 & 符号、“引号”，季度数"
        if value["indicator"] == "invention-patent-applications-per-million":
            value["value"] = 3.25  # a fraction in a count-per-million
    relative = [v for v in values if v["assessment"]]
    if unit == "市商务局":
        relative[0]["assessment"], relative[0]["justification"] = "符合序时进度", "满意度调查 92 分，高于全省平均水平"
    return tasks, values


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("forms-programs")
    data = data_copy(tmp)
    plan = load_plan(data)
    forms = make_forms(data, PERIOD, tmp / "forms")
    units = L.forms_by_unit(plan, PERIOD)
    filled, files = {}, []
    for unit in UNITS:
        filled[unit] = typed(plan, unit, units[unit])
        files.append(fill_form(forms / L.file_name(unit), tmp / "filled" / L.file_name(unit), *filled[unit]))
    folders = {}
    for program, fmt in SAVED:
        out = tmp / program / fmt
        if program == "libreoffice":
            resave(files, fmt, out, tmp / "lo-profile")
        else:
            resave_gnumeric(files, fmt, out, tmp / "gnumeric-home")
        folders[program, fmt] = out
    return data, filled, folders


def import_as_the_office_does(data: Path, folder: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}  # Python's default warning filters
    return subprocess.run([sys.executable, "-m", "plansite", "import", "--data", str(data), "--period", PERIOD,
                           "--forms", str(folder), "--compiled", "2016-04-15"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def foreign_text(output: str, data: Path) -> list[str]:
    """Latin words in what the import printed, once the file it wrote, the make commands and the
    workbooks' suffixes are taken out."""
    written = str(data / "progress" / f"{PERIOD}.yaml")
    output = output.replace(written, "").replace("make check", "").replace("make site", "")
    output = re.sub(r"\.(xlsx|xls|ods)\b", "", output)
    return re.findall(r"[A-Za-z_]{2,}", output)


@pytest.mark.parametrize("program,fmt", SAVED)
def test_a_form_saved_by_either_program_imports_exactly_what_was_typed(saved, program, fmt, tmp_path):
    source, filled, folders = saved
    data = data_copy(tmp_path, source)
    result = import_as_the_office_does(data, folders[program, fmt])
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and not foreign_text(result.stdout, data), result.stdout + result.stderr
    assert f"已导入 {len(UNITS)} 份报表" in result.stdout
    period = yaml.safe_load((data / "progress" / f"{PERIOD}.yaml").read_text(encoding="utf-8"))
    tasks, values = as_yaml_entries(filled)
    assert period["tasks"] == tasks
    assert sorted(period["indicators"], key=lambda v: v["indicator"]) == sorted(values, key=lambda v: v["indicator"])
    assert any(len(t["evidence"]) == 2 for t in period["tasks"])  # the two-line cells stayed two pieces
    assert {v["assessment"] for v in period["indicators"] if "assessment" in v} == {"需加快", "符合序时进度"}


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_percentage_typed_in_gnumeric_is_caught_at_its_cell(saved, fmt, tmp_path):
    """79.5% typed into a %-unit value (stored 0.795, shown as a percentage), saved by Gnumeric: the
    percentage format is still seen (in its .xlsx without a default style too) and the cell named."""
    source, filled, folders = saved
    plan = load_plan(source)
    indicator = next(v["indicator"] for v in filled["市科技局"][1] if plan.indicator(v["indicator"]).unit == "%")

    def percent(wb):
        ws = wb[L.INDICATOR_SHEET]
        row = next(r for r in range(L.FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == indicator)
        cell = ws.cell(row, [c.key for c in L.INDICATOR_COLUMNS].index("value") + 1, 0.795)
        cell.number_format = "0.0%"

    forms = make_forms(source, PERIOD, tmp_path / "forms")
    form = fill_form(forms / "市科技局.xlsx", tmp_path / "filled" / "市科技局.xlsx", *filled["市科技局"], edit=percent)
    resave_gnumeric([form], fmt, tmp_path / fmt, tmp_path / "gnumeric-home")
    data = data_copy(tmp_path, source)
    result = import_as_the_office_does(data, tmp_path / fmt)
    assert result.returncode == 1 and result.stdout == ""
    assert f"市科技局.{fmt} 工作表“量化目标”" in result.stderr
    assert "百分比格式，读到的是 79.5%（即 0.795）" in result.stderr and "1 处问题" in result.stderr
    assert not foreign_text(result.stderr, data), result.stderr
