"""Forms for the real plan, filled in, saved again by real LibreOffice as .xlsx, .ods and .xls,
imported: the period file holds exactly what was typed, and the site shows it.

LibreOffice (Debian's libreoffice-calc-nogui, installed by scripts/ensure_libreoffice.sh) runs
headless with a private profile; every file of a format is converted in one soffice call.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
import yaml

from conftest import build_site, without_nw
from forms_support import as_yaml_entries, data_copy, fill_all, make_forms, resave
from plansite.__main__ import main
from plansite.forms import layout as L
from plansite.model.load import load_plan

PERIOD = "2016-Q1"


@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("forms-roundtrip")
    profile = tmp / "lo-profile"
    data = data_copy(tmp)
    forms = make_forms(data, PERIOD, tmp / "forms")
    filled = fill_all(data, PERIOD, forms, tmp / "filled")
    files = sorted((tmp / "filled").glob("*.xlsx"))
    saved = {fmt: resave(files, fmt, tmp / fmt, profile) for fmt in ("xlsx", "ods")}
    saved["xls"] = resave(files[:2], "xls", tmp / "xls", profile)  # the old binary format: two forms
    return tmp, data, forms, filled, saved


def run_import(data: Path, folder: Path, capsys) -> str:
    code = main(["import", "--data", str(data), "--period", PERIOD, "--forms", str(folder), "--compiled", "2016-04-15"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


@pytest.mark.parametrize("fmt", ["filled", "xlsx", "ods"])
def test_the_period_file_holds_exactly_what_was_filled_in(roundtrip, fmt, tmp_path, capsys):
    tmp, source, forms, filled, saved = roundtrip
    data = data_copy(tmp_path, source)
    folder = tmp / fmt
    run_import(data, folder, capsys)
    period = yaml.safe_load((data / "progress" / f"{PERIOD}.yaml").read_text(encoding="utf-8"))
    tasks, values = as_yaml_entries(filled)
    assert period["period"] == PERIOD and period["sample"] is False
    assert period["tasks"] == tasks
    assert sorted(period["indicators"], key=lambda v: v["indicator"]) == sorted(values, key=lambda v: v["indicator"])
    assert {t["status"] for t in tasks} == set(L.STATUSES)  # every status went through


def test_forms_saved_as_xls_import_too(roundtrip, tmp_path, capsys):
    tmp, source, forms, filled, saved = roundtrip
    data = data_copy(tmp_path, source)
    out = run_import(data, tmp / "xls", capsys)
    period = yaml.safe_load((data / "progress" / f"{PERIOD}.yaml").read_text(encoding="utf-8"))
    units = {t["reporter"] for t in period["tasks"]}
    assert len(units) == 2 and "催报名单" in out
    for unit in units:
        assert [t for t in period["tasks"] if t["reporter"] == unit] == filled[unit][0]


def test_dropdowns_protection_and_identity_survive_libreoffice_xlsx(roundtrip):
    tmp, *_ = roundtrip
    for path in (tmp / "xlsx").glob("*.xlsx"):
        wb = openpyxl.load_workbook(path)
        tasks = wb[L.TASK_SHEET]
        lists = [d for d in tasks.data_validations.dataValidation if d.type == "list"]
        assert lists and all(s in lists[0].formula1 for s in L.STATUSES), path.name
        assert str(lists[0].sqref).startswith(f"E{L.FIRST_ROW}")
        kinds = {d.type for d in wb[L.INDICATOR_SHEET].data_validations.dataValidation}
        if wb[L.INDICATOR_SHEET].max_row >= L.FIRST_ROW:
            assert {"decimal", "date"} <= kinds, path.name
        for name in (L.TASK_SHEET, L.INDICATOR_SHEET, L.GUIDE_SHEET):
            assert wb[name].protection.sheet, (path.name, name)
        assert tasks["A3"].protection.locked and not tasks["E3"].protection.locked
        assert tasks.print_title_rows == "$2:$2" and tasks.page_setup.orientation == "landscape"
        ident = wb[L.IDENTITY_SHEET]
        assert ident.sheet_state == "hidden" and ident.protection.sheet
        assert ident["B3"].value == PERIOD and ident["B4"].value == path.stem


def test_dropdowns_protection_and_identity_survive_libreoffice_ods(roundtrip):
    tmp, source, *_ = roundtrip
    plan = load_plan(source)
    units = L.forms_by_unit(plan, PERIOD)
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
    t = "{%s}" % ns["table"]
    for path in (tmp / "ods").glob("*.ods"):
        with zipfile.ZipFile(path) as z:
            root = ElementTree.fromstring(z.read("content.xml"))
        conditions = [v.get(t + "condition") for v in root.iter(t + "content-validation")]
        assert any("cell-content-is-in-list" in c and "推进中" in c for c in conditions), path.name
        if any(plan.indicators_of(plan.task(t)) for t in units[path.stem]):
            assert any("cell-content-is-date()" in c for c in conditions), path.name
            assert any("cell-content-is-decimal-number()" in c for c in conditions), path.name
        tables = {tb.get(t + "name"): tb for tb in root.iter(t + "table")}
        for name in (L.TASK_SHEET, L.INDICATOR_SHEET, L.IDENTITY_SHEET):
            assert tables[name].get(t + "protected") == "true", (path.name, name)


def test_the_site_shows_the_imported_status_and_text(roundtrip, tmp_path, capsys):
    tmp, source, forms, filled, saved = roundtrip
    data = data_copy(tmp_path, source)
    run_import(data, tmp / "ods", capsys)
    site = tmp_path / "site"
    result = build_site(data, site)
    assert result.returncode == 0, result.stderr
    entry = next(t for ts, _ in filled.values() for t in ts if t["task"] == 5)
    page = without_nw((site / "tasks" / "05" / "index.html").read_text(encoding="utf-8"))
    assert entry["status"] in page
    assert entry["summary"].replace("<", "&lt;").replace(">", "&gt;") in page
    assert "2016年第一季度" in page
    method = without_nw((site / "method" / "index.html").read_text(encoding="utf-8"))
    assert "谁来报送" in method and "列在第一位的牵头单位" in method and "15天内交回" in method


def _set_indicator(unit_filled: Path, out: Path, indicator: str, key: str, value, number_format: str | None = None) -> Path:
    wb = openpyxl.load_workbook(unit_filled)
    ws = wb[L.INDICATOR_SHEET]
    row = next(r for r in range(L.FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == indicator)
    cell = ws.cell(row, [c.key for c in L.INDICATOR_COLUMNS].index(key) + 1, value)
    if number_format:
        cell.number_format = number_format
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def test_in_ods_a_percentage_cell_is_caught_and_a_text_date_is_read(roundtrip, tmp_path, capsys):
    """45% typed into a %-unit value (stored 0.45, formatted as a percentage) and a date typed as
    text, both through LibreOffice's .ods: the first refused at its cell, the second accepted."""
    tmp, source, forms, filled, saved = roundtrip
    plan = load_plan(source)
    units = L.forms_by_unit(plan, PERIOD)
    percent_ind = next(i for t in units["市质监局"] for i in plan.indicators_of(plan.task(t)) if i.unit == "%")
    dated_unit = next(u for u in units if u != "市质监局" and any(plan.indicators_of(plan.task(t)) for t in units[u]))
    dated_ind = next(i for t in units[dated_unit] for i in plan.indicators_of(plan.task(t)))
    files = [_set_indicator(tmp / "filled" / "市质监局.xlsx", tmp_path / "in" / "市质监局.xlsx", percent_ind.id, "value", 0.795, "0.0%"),
             _set_indicator(tmp / "filled" / L.file_name(dated_unit), tmp_path / "in" / L.file_name(dated_unit), dated_ind.id, "as_of", "2016年3月30日")]
    resave(files, "ods", tmp_path / "ods", tmp / "lo-profile")
    data = data_copy(tmp_path, source)
    code = main(["import", "--data", str(data), "--period", PERIOD, "--forms", str(tmp_path / "ods"), "--compiled", "2016-04-15"])
    err = capsys.readouterr().err
    assert code == 1
    assert "市质监局.ods 工作表“量化目标”" in err and "百分比格式，读到的是 79.5%（即 0.795）" in err
    assert "1 处问题" in err  # the text date of the other form was accepted
