"""Read a returned workbook (.xlsx, .xls or .ods) into plain rows with python-calamine.

The office sees nothing of the libraries reading a form: their warnings (openpyxl's English
"Workbook contains no default style" about an .xlsx that Gnumeric, WPS or another program saved)
concern only how a file is laid out, never what it holds, and are dropped; a file they cannot read
is named, in Chinese, without the library's error type.
"""
from __future__ import annotations

import io
import re
import warnings
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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # see the module's docstring: nothing in them is the office's concern
        sheets = _sheets(path)
        percent = _percent_cells(path)
    return Workbook(path.name, sheets, percent)


def _sheets(path: Path) -> dict[str, list[list]]:
    if path.suffix.lower() == ".ods":
        try:
            return _calamine_sheets(_ods_for_calamine(path))
        except Exception:
            pass  # then as it is
    try:
        return _calamine_sheets(str(path))
    except Exception:  # calamine's own errors carry no stable type across formats
        raise UnreadableForm("无法打开这个文件。请用 Excel、WPS 或 LibreOffice 打开后另存为 .xlsx 再交回") from None


def _calamine_sheets(source) -> dict[str, list[list]]:
    book = python_calamine.load_workbook(source)
    try:
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}
    finally:
        book.close()


# Whitespace that only indents the XML: between two table or office elements, or a paragraph and one.
# Whitespace inside a paragraph (<text:p>…</text:p>) is text and is kept.
_INDENT = re.compile(rb"(<(?:/?(?:table|office):[\w.-]+|/text:p)(?:\s[^<>]*)?>)\s+(?=</?(?:table|office):|<text:p[\s>/])")
_LINE_BREAK, _TAB = re.compile(rb"<text:line-break\s*/>"), re.compile(rb"<text:tab\s*/>")


def _ods_for_calamine(path: Path) -> io.BytesIO:
    """The .ods again, in memory, as calamine reads it: Gnumeric indents content.xml (calamine then
    reads nothing) and writes a cell's second line after <text:line-break/>, which calamine drops
    (两行的证明材料 would become one): the indentation goes, a line break or tab becomes the character."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "content.xml":
                data = _TAB.sub(rb"&#9;", _LINE_BREAK.sub(rb"&#10;", _INDENT.sub(rb"\1", data)))
            copy.writestr(info, data)
    out.seek(0)
    return out


def _percent_cells(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Cells shown as a percentage: there a typed 45% is stored as 0.45. (.xls: not detected.)"""
    try:
        if path.suffix.lower() == ".xlsx":
            return _xlsx_percent(path)
        if path.suffix.lower() == ".ods":
            return _ods_percent(path)
    except Exception:  # calamine read it; the format hint is only a hint (openpyxl fails on odd files)
        pass
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
       "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
       "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
       "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"}


def _ods_percent(path: Path) -> dict[str, set[tuple[int, int]]]:
    """LibreOffice marks such a cell's value as a percentage; Gnumeric writes a number whose cell
    style shows it as one (a number:percentage-style)."""
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("content.xml"))
        styles = [root] + ([ElementTree.fromstring(z.read("styles.xml"))] if "styles.xml" in z.namelist() else [])
    t, o = "{%s}" % _NS["table"], "{%s}" % _NS["office"]
    s, n = "{%s}" % _NS["style"], "{%s}" % _NS["number"]
    shown_as_percent = {e.get(s + "name") for tree in styles for e in tree.iter(n + "percentage-style")}
    percent_styles = {e.get(s + "name") for tree in styles for e in tree.iter(s + "style")
                      if e.get(s + "data-style-name") in shown_as_percent}
    out: dict[str, set[tuple[int, int]]] = {}
    for table in root.iter(t + "table"):
        found, r = set(), 0
        for row in table.iter(t + "table-row"):
            rows = int(row.get(t + "number-rows-repeated", "1"))
            c = 0
            for cell in row:
                span = int(cell.get(t + "number-columns-repeated", "1"))
                kind = cell.get(o + "value-type")
                if kind == "percentage" or (kind == "float" and cell.get(t + "style-name") in percent_styles):
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
