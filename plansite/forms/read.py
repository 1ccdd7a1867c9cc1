"""Read a returned workbook (.xlsx, .xls or .ods) into plain rows with python-calamine."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import python_calamine

from ..errors import PlanSiteError

SUFFIXES = (".xlsx", ".xls", ".ods")


class UnreadableForm(PlanSiteError):
    """The file is not a workbook any reader here can open."""


@dataclass
class Workbook:
    label: str  # the file name, as messages show it
    sheets: dict[str, list[list]]  # sheet name → rows of values from A1; '' for an empty cell
    percent: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # (row, col) from 1 formatted as %


def returned_files(folder: Path) -> list[Path]:
    """Workbooks in `folder`; office suites' lock files (~$…, .~lock…#) are left out."""
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not p.name.startswith(("~$", ".~lock")))


def read_workbook(path: Path) -> Workbook:
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}
    except Exception as err:  # calamine's own errors carry no stable type across formats
        raise UnreadableForm(f"无法打开这个文件（{type(err).__name__}）。请用 Excel、WPS 或 LibreOffice 打开后另存为 .xlsx 再交回") from None
    return Workbook(path.name, sheets, _percent_cells(path))


def _percent_cells(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Cells shown as a percentage: there a typed 45% is stored as 0.45. (.xls: not detected.)"""
    try:
        if path.suffix.lower() == ".xlsx":
            return _xlsx_percent(path)
        if path.suffix.lower() == ".ods":
            return _ods_percent(path)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        pass  # calamine read it; the format hint is only a hint
    return {}


def _xlsx_percent(path: Path) -> dict[str, set[tuple[int, int]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return {ws.title: {(c.row, c.column) for row in ws.iter_rows() for c in row
                           if getattr(c, "number_format", None) and "%" in c.number_format and isinstance(c.value, (int, float))}
                for ws in book.worksheets}
    finally:
        book.close()


_NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}


def _ods_percent(path: Path) -> dict[str, set[tuple[int, int]]]:
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("content.xml"))
    t, o = "{%s}" % _NS["table"], "{%s}" % _NS["office"]
    out: dict[str, set[tuple[int, int]]] = {}
    for table in root.iter(t + "table"):
        found, r = set(), 0
        for row in table.iter(t + "table-row"):
            rows = int(row.get(t + "number-rows-repeated", "1"))
            c = 0
            for cell in row:
                span = int(cell.get(t + "number-columns-repeated", "1"))
                if cell.get(o + "value-type") == "percentage":
                    found |= {(r + i + 1, c + j + 1) for i in range(min(rows, 1000)) for j in range(min(span, 100))}
                c += span
            r += rows
        out[table.get(t + "name")] = found
    return out


def cell_ref(row: int, col: int) -> str:
    """(7, 5) → E7; rows and columns count from 1."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not re.sub(r"\s", "", value))
