"""Helpers for the report-form tests: write the forms, fill them in as a unit would, import them."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl

from plansite.forms import layout as L
from plansite.model.load import load_plan
from plansite.forms.write import write_forms

ROOT = Path(__file__).resolve().parent.parent
SOFFICE = "/usr/bin/soffice"
SSCONVERT = "/usr/bin/ssconvert"
# The formats Gnumeric's 另存为 offers a unit for a workbook (its exporters), and their suffixes.
GNUMERIC_FORMATS = {"xlsx": ("Gnumeric_Excel:xlsx", "xlsx"),  # Excel 2007, Gnumeric's default for .xlsx
                    "xlsx2010": ("Gnumeric_Excel:xlsx2", "xlsx"), "ods": ("Gnumeric_OpenCalc:odf", "ods"),
                    "xls": ("Gnumeric_Excel:excel_biff8", "xls")}


def data_copy(tmp_path: Path, source: Path = ROOT / "data", name: str = "data") -> Path:
    data = tmp_path / name
    shutil.copytree(source, data)
    return data


def make_forms(data: Path, period: str, out: Path) -> Path:
    write_forms(load_plan(data), period, out)
    return out


def expected_values(plan, period: str, unit: str, task_ids: list[int]) -> tuple[list[dict], list[dict]]:
    """Known values for one unit's form: every task and indicator filled, all the statuses used."""
    tasks, values = [], []
    for n, task_id in enumerate(task_ids):
        status = L.STATUSES[(task_id + n) % len(L.STATUSES)]
        evidence = [{"title": f"关于任务{task_id}的通知", "url": f"https://example.org/{period}/task-{task_id}"}] if task_id % 2 else []
        tasks.append({"task": task_id, "status": status, "summary": f"{unit}报送：任务{task_id}本季度完成了第{n + 1}批工作，“引号”和 <尖括号> 照录。",
                      "evidence": evidence, "reporter": unit})
        for k, ind in enumerate(plan.indicators_of(plan.task(task_id))):
            value = {"indicator": ind.id, "value": round(12.5 + task_id + k, 1) if ind.unit == "%" else task_id * 10 + k,
                     "as_of": dt.date(int(period[:4]), 3 * int(period[-1]), 28), "source": f"{unit}统计", "note": None,
                     "assessment": None, "justification": None}
            if ind.kind == "relative":
                value["assessment"], value["justification"] = "需加快", "与基期相比增长不到一倍"
            values.append(value)
    return tasks, values


def fill_form(path: Path, out: Path, tasks: list[dict], values: list[dict], edit=None) -> Path:
    """Type the values into the form's open cells with openpyxl, as a unit would in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb[L.TASK_SHEET]
    col = {c.key: i + 1 for i, c in enumerate(L.TASK_COLUMNS)}
    rows = {ws.cell(r, 1).value: r for r in range(L.FIRST_ROW, ws.max_row + 1)}
    for entry in tasks:
        r = rows[entry["task"]]
        ws.cell(r, col["status"], entry["status"])
        ws.cell(r, col["summary"], entry["summary"])
        if entry["evidence"]:
            ws.cell(r, col["evidence_title"], "\n".join(e["title"] for e in entry["evidence"]))
            ws.cell(r, col["evidence_url"], "\n".join(e["url"] for e in entry["evidence"]))
    ws = wb[L.INDICATOR_SHEET]
    col = {c.key: i + 1 for i, c in enumerate(L.INDICATOR_COLUMNS)}
    rows = {ws.cell(r, 1).value: r for r in range(L.FIRST_ROW, ws.max_row + 1)}
    for entry in values:
        r = rows[entry["indicator"]]
        for key in ("value", "as_of", "source", "note", "assessment", "justification"):
            if entry[key] is not None:
                ws.cell(r, col[key], entry[key])
    if edit:
        edit(wb)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def fill_all(data: Path, period: str, forms: Path, out: Path) -> dict[str, tuple[list, list]]:
    """Fill every unit's form in `forms` into `out`; returns unit → (tasks, indicator values)."""
    plan = load_plan(data)
    filled = {}
    for unit, task_ids in L.forms_by_unit(plan, period).items():
        tasks, values = expected_values(plan, period, unit, task_ids)
        fill_form(forms / L.file_name(unit), out / L.file_name(unit), tasks, values)
        filled[unit] = (tasks, values)
    return filled


def as_yaml_entries(filled: dict) -> tuple[list[dict], list[dict]]:
    """What the period file must then hold, in the form yaml.safe_load gives it."""
    tasks = sorted((t for ts, _ in filled.values() for t in ts), key=lambda t: t["task"])
    values = [{k: v for k, v in e.items() if v is not None} for _, vs in filled.values() for e in vs]
    return tasks, values


def resave(files: list[Path], fmt: str, out: Path, profile: Path) -> list[Path]:
    """Open each file in LibreOffice and save it as `fmt`, all in one soffice process."""
    assert Path(SOFFICE).exists(), "需要 LibreOffice：运行 make test 会自动安装（scripts/ensure_libreoffice.sh）"
    out.mkdir(parents=True)
    result = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                             "--convert-to", fmt, "--outdir", str(out), *map(str, files)],
                            capture_output=True, text=True, timeout=600)
    converted = sorted(out.glob(f"*.{fmt}"))
    assert len(converted) == len(files), result.stdout + result.stderr
    return converted


def resave_gnumeric(files: list[Path], fmt: str, out: Path, home: Path) -> list[Path]:
    """Open each file in Gnumeric (its ssconvert, headless) and save it as `fmt`: another office
    program than LibreOffice, writing its own kind of .xlsx, .ods and .xls. `home`: its settings."""
    assert Path(SSCONVERT).exists(), "需要 Gnumeric：运行 make test 会自动安装（scripts/ensure_gnumeric.sh）"
    out.mkdir(parents=True)
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    exporter, suffix = GNUMERIC_FORMATS[fmt]
    for path in files:
        target = out / f"{path.stem}.{suffix}"
        result = subprocess.run([SSCONVERT, "-T", exporter, str(path), str(target)],
                                capture_output=True, text=True, timeout=120, env=env)
        assert result.returncode == 0 and target.exists(), result.stdout + result.stderr
    return sorted(out.glob(f"*.{suffix}"))
