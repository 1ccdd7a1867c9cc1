"""make forms / make import on the mini plan (forms filled with openpyxl, no office suite): who reports
what, a corpus of broken returned forms each with the message it must produce, the 催报名单 and
--require-all, re-import replacing one unit's entries only, and hand edits never overwritten silently.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
import yaml

from forms_support import ROOT, data_copy, expected_values, fill_form, make_forms
from plansite.__main__ import main
from plansite.forms import layout as L
from plansite.model.load import load_plan

MINI = ROOT / "tests" / "fixtures" / "mini"
PERIOD = "2020-Q2"
UNIT = "市测试局"  # reports tasks 1 and 2 (first-named lead; first-named unit of a joint task)
FILE = f"{UNIT}.xlsx"


@pytest.fixture
def mini(tmp_path):
    data = data_copy(tmp_path, MINI)
    forms = make_forms(data, PERIOD, tmp_path / "forms")
    return data, forms, tmp_path


def importing(data: Path, folder: Path, capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["import", "--data", str(data), "--period", PERIOD, "--forms", str(folder), "--compiled", "2020-07-10", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def fill(data: Path, forms: Path, out: Path, unit: str = UNIT, edit=None, name: str | None = None) -> tuple[list, list]:
    plan = load_plan(data)
    tasks, values = expected_values(plan, PERIOD, unit, L.forms_by_unit(plan, PERIOD)[unit])
    fill_form(forms / L.file_name(unit), out / (name or L.file_name(unit)), tasks, values, edit)
    return tasks, values


def period_file(data: Path) -> Path:
    return data / "progress" / f"{PERIOD}.yaml"


def test_who_reports_a_task(tmp_path):
    data = data_copy(tmp_path, MINI)
    assert L.forms_by_unit(load_plan(data), "2020-Q1") == {"市测试局": [1, 2], "各区人民政府": [3]}
    (data / "progress").mkdir()
    (data / "progress" / "2020-Q1.yaml").write_text(
        "period: 2020-Q1\ncompiled: 2020-04-10\nsample: true\ntasks:\n"
        "  - {task: 2, status: 推进中, summary: 已启动。, reporter: 示例大学}\n", encoding="utf-8")
    # Last period's reporter wins; the others fall back to the first lead / first joint unit.
    assert L.forms_by_unit(load_plan(data), PERIOD) == {"市测试局": [1], "示例大学": [2], "各区人民政府": [3]}
    # 市测试局 is joint on task 2, now reported by 示例大学: it sees it on the read-only 会同任务 sheet.
    forms = make_forms(data, PERIOD, tmp_path / "forms")
    partner = openpyxl.load_workbook(forms / FILE)[L.PARTNER_SHEET]
    assert [c.value for c in partner[L.FIRST_ROW]] == [2, "完善测试标准", "共同负责", "示例大学"]
    assert partner.protection.sheet
    last = openpyxl.load_workbook(forms / "示例大学.xlsx")[L.TASK_SHEET]
    assert [c.value for c in last[L.FIRST_ROW]][:4] == [2, "完善测试标准", "推进中", "已启动。"]


def test_forms_out_one_per_unit_with_partner_sheet_and_overview(mini):
    data, forms, _ = mini
    assert sorted(p.name for p in forms.iterdir()) == sorted(["市测试局.xlsx", "各区人民政府.xlsx", L.OVERVIEW_FILE])
    wb = openpyxl.load_workbook(forms / FILE)
    assert wb.sheetnames == [L.GUIDE_SHEET, L.TASK_SHEET, L.INDICATOR_SHEET, L.IDENTITY_SHEET]  # no partner tasks here
    assert [c.value for c in wb[L.TASK_SHEET][L.HEADER_ROW]] == ["任务编号", "任务", "上期状态", "上期进展", "状态", "本季度进展", "证明材料标题", "证明材料网址"]
    assert [c.value for c in wb[L.INDICATOR_SHEET][L.HEADER_ROW]] == ["指标编号", "指标", "目标", "计量单位", "上期数值", "本期数值", "数值日期", "数据来源", "备注", "评估", "评估理由"]
    guide = "\n".join(str(c.value) for row in wb[L.GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "2020年7月15日前" in guide or "按办公室通知的时间" in guide
    assert "第一个牵头单位" in guide and "未报告" in guide
    overview = openpyxl.load_workbook(forms / L.OVERVIEW_FILE).active
    names = [overview.cell(r, 1).value for r in range(L.FIRST_ROW, overview.max_row + 1)]
    assert names[:2] == ["市测试局", "各区人民政府"] and {"市财政局", "市数据局", "示例大学"} <= set(names)


def test_a_clean_import_writes_the_commented_period_file_and_the_chase_list(mini, capsys):
    data, forms, tmp = mini
    tasks, values = fill(data, forms, tmp / "back")
    code, out, err = importing(data, tmp / "back", capsys)
    assert code == 0, err
    text = period_file(data).read_text(encoding="utf-8")
    period = yaml.safe_load(text)
    assert period["tasks"] == tasks and [v["indicator"] for v in period["indicators"]] == [v["indicator"] for v in values]
    assert "# 状态：" in text and "由 make import" in text.splitlines()[0]
    assert "催报名单" in out and "各区人民政府：任务 3" in out
    assert main(["check", "--data", str(data)]) == 0


def test_require_all_refuses_while_a_unit_is_missing(mini, capsys):
    data, forms, tmp = mini
    fill(data, forms, tmp / "back")
    code, out, err = importing(data, tmp / "back", capsys, "--require-all")
    assert code == 1 and "各区人民政府：任务 3" in err and "--require-all" in err
    assert not period_file(data).exists()


def _cell(sheet: str, ref: str, value):
    def edit(wb):
        wb[sheet][ref] = value
    return edit


def _percent(wb):
    ws = wb[L.INDICATOR_SHEET]
    ws["F4"], ws["F4"].number_format = 0.45, "0%"


def _delete_row(wb):
    wb[L.TASK_SHEET].delete_rows(4)


def _add_row(wb):
    ws = wb[L.TASK_SHEET]
    ws["A5"], ws["B5"], ws["E5"], ws["F5"] = 3, "加强组织领导", "推进中", "多报了一项"


def _identity(row: int, value):
    def edit(wb):
        wb[L.IDENTITY_SHEET].cell(row, 2, value)
    return edit


# Each case: how the returned form is broken, and the message (substrings) the import must print.
# Task rows are 3 (task 1) and 4 (task 2); indicator rows 3 (public-testing-platforms, 个) and 4 (testing-coverage, %, relative).
BAD = {
    "text-in-number": (_cell(L.INDICATOR_SHEET, "F3", "约45%"), ["市测试局.xlsx 工作表“量化目标” F3（本期数值）：", "填的是文字“约45%”", "如 45"]),
    "fullwidth-percent": (_cell(L.INDICATOR_SHEET, "F3", "45％"), ["F3（本期数值）", "“45％”"]),
    "chinese-numeral": (_cell(L.INDICATOR_SHEET, "F3", "四十五"), ["F3（本期数值）", "“四十五”", "阿拉伯数字"]),
    "percent-as-fraction": (_percent, ["F4（本期数值）", "百分比格式", "45%（即 0.45）", "填数字 45"]),
    "negative-value": (_cell(L.INDICATOR_SHEET, "F3", -2), ["F3（本期数值）", "数值 -2 不能为负"]),
    "assessment-on-a-numeric-target": (_cell(L.INDICATOR_SHEET, "J3", "已达标"), ["J3（评估）", "数值目标的评估由网站按序时进度计算"]),
    "percent-over-100": (_cell(L.INDICATOR_SHEET, "F4", 450), ["F4（本期数值）", "百分比 450 超出 0–100 的范围"]),
    "ambiguous-date": (_cell(L.INDICATOR_SHEET, "G3", "3/31/2016"), ["G3（数值日期）", "“3/31/2016”无法识别"]),
    "impossible-date": (_cell(L.INDICATOR_SHEET, "G3", "2020年2月30日"), ["G3（数值日期）", "不存在"]),
    "date-after-compiled": (_cell(L.INDICATOR_SHEET, "G3", dt.date(2020, 8, 1)), ["G3（数值日期）", "晚于本期汇总日期 2020-07-10"]),
    "empty-status": (_cell(L.TASK_SHEET, "E3", None), ["工作表“任务进展” E3（状态）：状态是空的"]),
    "unknown-status": (_cell(L.TASK_SHEET, "E3", "进行中"), ["E3（状态）：状态“进行中”无效"]),
    "status-without-summary": (_cell(L.TASK_SHEET, "F3", None), ["F3（本季度进展）", "必须写本季度进展"]),
    "url-not-http": (_cell(L.TASK_SHEET, "H3", "www.example.org/x"), ["H3（证明材料网址）", "不是 http(s) 网址"]),
    "assessment-without-reason": (_cell(L.INDICATOR_SHEET, "K4", None), ["量化目标” K4（评估理由）", "填写了评估就必须写明评估理由"]),
    "relative-value-without-assessment": (lambda wb: (_cell(L.INDICATOR_SHEET, "J4", None)(wb), _cell(L.INDICATOR_SHEET, "K4", None)(wb)),
                                          ["量化目标” J4（评估）", "这是相对目标", "必须从下拉列表中选择评估"]),
    "value-without-date": (_cell(L.INDICATOR_SHEET, "G3", None), ["G3（数值日期）", "必须填写数值日期"]),
    "row-deleted": (_delete_row, ["工作表“任务进展”：任务 2（完善测试标准）的行被删除了"]),
    "row-added": (_add_row, ["A5（任务编号）", "“3”不是发给本单位的报表中的任务"]),
    "row-renumbered": (_cell(L.TASK_SHEET, "A3", 3), ["A3（任务编号）", "“3”不是发给本单位"]),
    "title-changed": (_cell(L.TASK_SHEET, "B4", "另一个任务"), ["B4（任务）", "名称应为“完善测试标准”"]),
    "other-period": (_identity(3, "2020-Q1"), ["市测试局.xlsx：这是 2020-Q1 的报表，本次导入的是 2020-Q2"]),
    "other-plan": (_identity(2, "另一份计划"), ["这是另一份计划的报表（《另一份计划》）"]),
    "other-unit": (_identity(4, "市财政局"), ["“市财政局”本期没有需要报送的任务"]),
    "another-units-form": (_identity(4, "各区人民政府"), ["市测试局.xlsx：文件名是市测试局的报表，表格里却是“各区人民政府”的报表"]),
    "header-changed": (_cell(L.TASK_SHEET, "E2", "进展状态"), ["工作表“任务进展” 第 2 行", "表头应为"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_broken_form_is_refused_with_its_cell(mini, capsys, case):
    data, forms, tmp = mini
    edit, messages = BAD[case]
    fill(data, forms, tmp / "back", edit=edit)
    code, out, err = importing(data, tmp / "back", capsys)
    assert code == 1, out
    assert "Traceback" not in err and "进展文件未写入" in err
    for message in messages:
        assert message in err, (case, err)
    assert not period_file(data).exists()


def test_every_problem_of_every_form_is_listed_at_once(mini, capsys):
    data, forms, tmp = mini
    fill(data, forms, tmp / "back", edit=lambda wb: (_cell(L.TASK_SHEET, "E3", None)(wb), _cell(L.INDICATOR_SHEET, "F3", "约45%")(wb)))
    fill(data, forms, tmp / "back", unit="各区人民政府", edit=_cell(L.TASK_SHEET, "H3", "ftp://x"))
    code, out, err = importing(data, tmp / "back", capsys)
    assert code == 1 and "3 处问题" in err
    assert "E3（状态）" in err and "F3（本期数值）" in err and "各区人民政府.xlsx 工作表“任务进展” H3（证明材料网址）" in err


def test_the_same_units_form_twice_is_a_task_reported_twice(mini, capsys):
    data, forms, tmp = mini
    fill(data, forms, tmp / "back")
    fill(data, forms, tmp / "back", name="市测试局（修改后）.xlsx")
    code, out, err = importing(data, tmp / "back", capsys)
    assert code == 1 and "市测试局的任务（1、2）在 2 份报表中都有填报" in err


def test_dates_typed_as_text_are_normalised_when_unambiguous(mini, capsys):
    data, forms, tmp = mini
    for text in ("2020年6月28日", "2020.6.28", "2020/6/28"):
        fill(data, forms, tmp / "back", edit=_cell(L.INDICATOR_SHEET, "G3", text))
        code, out, err = importing(data, tmp / "back", capsys)
        assert code == 0, (text, err)
        period = yaml.safe_load(period_file(data).read_text(encoding="utf-8"))
        assert period["indicators"][0]["as_of"] == dt.date(2020, 6, 28), text


def test_a_number_typed_in_a_text_cell_is_that_text(mini, capsys):
    data, forms, tmp = mini
    fill(data, forms, tmp / "back", edit=_cell(L.INDICATOR_SHEET, "H3", 2020))
    code, out, err = importing(data, tmp / "back", capsys)
    assert code == 0, err
    assert yaml.safe_load(period_file(data).read_text(encoding="utf-8"))["indicators"][0]["source"] == "2020"


def test_a_blank_row_is_not_reported(mini, capsys):
    data, forms, tmp = mini
    def blank(wb):
        for c in (5, 6, 7, 8):
            wb[L.TASK_SHEET].cell(4, c).value = None
    fill(data, forms, tmp / "back", edit=blank)
    code, out, err = importing(data, tmp / "back", capsys)
    assert code == 0, err
    assert [t["task"] for t in yaml.safe_load(period_file(data).read_text(encoding="utf-8"))["tasks"]] == [1]


def test_reimport_replaces_one_units_entries_only(mini, capsys):
    data, forms, tmp = mini
    fill(data, forms, tmp / "first")
    fill(data, forms, tmp / "first", unit="各区人民政府")
    assert importing(data, tmp / "first", capsys)[0] == 0
    before = period_file(data).read_text(encoding="utf-8")
    fill(data, forms, tmp / "again", edit=_cell(L.TASK_SHEET, "F3", "更正后的进展。"))
    code, out, err = importing(data, tmp / "again", capsys)
    assert code == 0, err
    after = yaml.safe_load(period_file(data).read_text(encoding="utf-8"))
    assert after["tasks"][0]["summary"] == "更正后的进展。"
    old = yaml.safe_load(before)
    assert after["tasks"][2] == old["tasks"][2]  # 各区人民政府's entry untouched
    block = lambda text: text[text.index("加强组织领导"):text.index("indicators:")]
    assert block(period_file(data).read_text(encoding="utf-8")) == block(before)


def test_hand_edits_are_never_overwritten_silently(mini, capsys):
    data, forms, tmp = mini
    fill(data, forms, tmp / "first")
    fill(data, forms, tmp / "first", unit="各区人民政府")
    assert importing(data, tmp / "first", capsys)[0] == 0
    path = period_file(data)
    edited = path.read_text(encoding="utf-8").replace("任务1本季度", "任务1（办公室核实后改写）本季度").replace("任务3本季度", "任务3（手改）本季度")
    path.write_text(edited, encoding="utf-8")
    # Re-importing 市测试局 would replace its hand-edited entry: refused, named, file unchanged.
    fill(data, forms, tmp / "again")
    code, out, err = importing(data, tmp / "again", capsys)
    assert code == 1 and "手工修改" in err and "（任务 1）" in err and "市测试局.xlsx" in err
    assert "任务 3" not in err  # another unit's entry is not in the way
    assert path.read_text(encoding="utf-8") == edited
    # Once the edited entry is deleted (the edit now in the form), the import goes ahead and keeps
    # the other unit's hand edit as written.
    lines = edited.splitlines()
    start = next(i for i, l in enumerate(lines) if "- task: 1" in l) - 1
    end = next(i for i, l in enumerate(lines) if "- task: 2" in l) - 1
    path.write_text("\n".join(lines[:start] + lines[end:]) + "\n", encoding="utf-8")
    code, out, err = importing(data, tmp / "again", capsys)
    assert code == 0, err
    assert "任务3（手改）本季度" in path.read_text(encoding="utf-8")


def test_a_period_file_not_written_by_the_import_is_left_alone(mini, capsys):
    data, forms, tmp = mini
    fill(data, forms, tmp / "back")
    assert main(["new-quarter", "--data", str(data), "--period", PERIOD]) == 0
    before = period_file(data).read_text(encoding="utf-8")
    code, out, err = importing(data, tmp / "back", capsys)
    assert code == 1 and "不是 make import 生成的" in err
    assert period_file(data).read_text(encoding="utf-8") == before


def test_a_file_that_is_not_a_form(mini, capsys):
    data, forms, tmp = mini
    (tmp / "back").mkdir()
    openpyxl.Workbook().save(tmp / "back" / "随便一个表.xlsx")
    (tmp / "back" / "坏文件.xlsx").write_bytes(b"not a workbook")
    (tmp / "back" / "坏文件二.ods").write_bytes(b"PK\x03\x04 not a workbook either")
    code, out, err = importing(data, tmp / "back", capsys)
    assert code == 1
    assert "随便一个表.xlsx：这不是 make forms 生成的报表" in err
    assert "坏文件.xlsx：无法打开这个文件。请用" in err and "坏文件二.ods：无法打开这个文件。请用" in err
    assert "Error" not in err  # no library's error type either
