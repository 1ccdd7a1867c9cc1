"""The real plan data in data/ is faithful, word for word, to the published source text."""
import datetime as dt
import re
from pathlib import Path

import pytest

from plansite.model.load import load_plan

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SOURCE = DATA / "source" / "yangjiang-quality-plan-2014-2015.txt"
FOOTER_START = "关于我们"


@pytest.fixture(scope="module")
def plan():
    return load_plan(DATA)


@pytest.fixture(scope="module")
def source_lines():
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    assert FOOTER_START in lines, "the portal footer marks where the plan ends"
    return lines[: lines.index(FOOTER_START)]


def cn_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


# ---- the whole document ----------------------------------------------------------------------


def reconstruct(plan) -> list[str]:
    notice = plan.meta.notice
    lines = [notice.addressees, notice.body, notice.signature, notice.date_text, plan.meta.title, plan.meta.preamble]
    for chapter in plan.chapters:
        lines.append(f"{chapter.number}、{chapter.title}")
        lines += [f"{task.number}{task.text}" for task in plan.tasks_in(chapter)]
    return lines


def test_reconstructed_document_equals_source_up_to_the_portal_footer(plan, source_lines):
    assert reconstruct(plan) == source_lines


def test_source_footer_is_the_portal_footer_only():
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    footer = lines[lines.index(FOOTER_START):]
    assert footer[-1].startswith("粤公网安备")
    assert not any(re.match(r"^\(|^〔|^[一二三四五六七八九十]+、", line) for line in footer)


# ---- numbering and titles --------------------------------------------------------------------


def test_31_tasks_numbered_in_order(plan):
    assert [t.id for t in plan.tasks] == list(range(1, 32))
    assert [t.number for t in plan.tasks] == [f"({cn_numeral(n)})" for n in range(1, 32)]
    assert plan.tasks[4].number == "(五)" and plan.tasks[19].number == "(二十)" and plan.tasks[30].number == "(三十一)"


def test_11_chapters_numbered_in_order(plan):
    assert [c.id for c in plan.chapters] == list(range(1, 12))
    assert [c.number for c in plan.chapters] == [cn_numeral(n) for n in range(1, 12)]


def test_tasks_are_in_chapter_order(plan):
    chapter_ids = [t.chapter for t in plan.tasks]
    assert chapter_ids == sorted(chapter_ids)
    assert all(plan.tasks_in(c) for c in plan.chapters)


def test_titles_are_the_first_sentence_unless_editorial(plan):
    for task in plan.tasks:
        if not task.title_editorial:
            assert task.title == task.text.split("。", 1)[0], task.number
        else:
            assert task.title and task.title not in ("", task.text), task.number
    assert [t.id for t in plan.tasks if t.title_editorial] == [27, 28]


# ---- metadata --------------------------------------------------------------------------------


def test_plan_metadata(plan):
    meta = plan.meta
    assert meta.issuer == "阳江市人民政府办公室"
    assert meta.issued == dt.date(2014, 9, 25)
    assert (meta.period.start, meta.period.end) == (2014, 2015)
    assert [b.doc_number for b in meta.basis] == ["国发〔2012〕9号", "粤府〔2013〕96号", "粤办函〔2014〕191号", "阳府〔2010〕100号"]


def test_each_basis_is_cited_in_the_preamble(plan):
    preamble = plan.meta.preamble
    for basis in plan.meta.basis:
        assert f"《{basis.title}》({basis.doc_number})" in preamble, basis.doc_number
    cited = re.findall(r"《(.+?)》\((.+?)\)", preamble)
    assert cited == [(b.title, b.doc_number) for b in plan.meta.basis]


# ---- responsibility: an independent reading of each task's trailing parenthesis -----------------


def trailing_parenthesis(text: str) -> str:
    """The contents of the final (...) or 〔...〕, matching nested brackets."""
    if text.endswith("〕"):
        return text[text.rindex("〔") + 1 : -1]
    assert text.endswith(")"), text[-20:]
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return text[i + 1 : -1]
    raise AssertionError("unbalanced parenthesis")


def split_names(part: str) -> list[str]:
    """Split on 、 and , that are not inside parentheses."""
    names, current, depth = [], "", 0
    for ch in part:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch in "、," and depth == 0:
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    assert all(names), f"empty name in {part!r}"
    return names


STANDALONE = ("市", "阳江", "人行", "各")


def parse_responsibility(text: str) -> dict[str, list[str]]:
    inner = trailing_parenthesis(text)
    for suffix in ("等单位负责", "负责"):
        if inner.endswith(suffix):
            inner = inner[: -len(suffix)]
            break
    else:
        raise AssertionError(f"no 负责 in {inner!r}")
    if "牵头" in inner:
        lead_part, rest = inner.split("牵头", 1)
        assert rest == "" or rest.startswith("会"), rest
        groups = {"lead": lead_part, "partners": rest[1:], "joint": ""}
    else:
        groups = {"lead": "", "partners": "", "joint": inner}
    seen_city = False
    out: dict[str, list[str]] = {}
    for role in ("lead", "partners", "joint"):
        out[role] = []
        for name in split_names(groups[role]) if groups[role] else []:
            if not name.startswith(STANDALONE):
                assert seen_city, f"bare name {name!r} with no 市… name before it"
                name = "市" + name
            seen_city = seen_city or name.startswith("市")
            out[role].append(name)
    return out


def test_parser_reads_the_readme_examples():
    assert parse_responsibility("…。(市质监局牵头会市财政局、农业局、海洋渔业局等单位负责)") == {
        "lead": ["市质监局"], "partners": ["市财政局", "市农业局", "市海洋渔业局"], "joint": []}
    assert parse_responsibility("…。(市工商局、质监局、编办等单位负责)") == {
        "lead": [], "partners": [], "joint": ["市工商局", "市质监局", "市编办"]}
    assert parse_responsibility("…。〔各县(市、区)人民政府、市直有关部门负责〕")["joint"] == ["各县(市、区)人民政府", "市直有关部门"]


def test_each_tasks_units_equal_its_parenthesis(plan):
    for task in plan.tasks:
        parsed = parse_responsibility(task.text)
        assert (task.lead, task.partners, task.joint) == (parsed["lead"], parsed["partners"], parsed["joint"]), task.number


def test_34_distinct_units_and_each_is_in_departments(plan):
    named = {n for task in plan.tasks for role in parse_responsibility(task.text).values() for n in role}
    assert len(named) == 34
    names = [d.name for d in plan.departments]
    assert len(names) == len(set(names)) == 34
    assert set(names) == named
    for dept in plan.departments:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", dept.id), dept.id
    assert len({d.id for d in plan.departments}) == 34


def test_spot_checks_from_the_issue(plan):
    assert plan.task(5).lead == ["市科技局"]
    assert plan.task(20).lead == [] and plan.task(20).joint == ["市工商局", "市质监局", "市编办"]
    assert plan.task(8).lead == ["市质监局", "市人力资源社会保障局"]
    assert plan.task(31).joint == ["各县(市、区)人民政府", "市直有关部门"]


# ---- indicators ------------------------------------------------------------------------------


def test_indicator_source_text_is_in_its_task(plan):
    assert plan.indicators
    for ind in plan.indicators:
        assert ind.source_text in plan.task(ind.task).text, ind.id


EXPECTED_TARGETS = {
    (2, ">=", 8), (2, ">=", 80), (3, ">=", 4), (4, ">=", 2), (5, ">=", 30), (5, ">=", 70),
    (7, ">=", 5), (7, ">=", 8), (7, ">=", 70), (10, ">=", 60), (10, ">=", 90), (11, ">=", 50),
    (13, ">=", 99), (13, "<", 5), (13, ">=", 90), (14, ">=", 100), (14, "<=", 0), (16, ">=", 50),
    (29, ">=", 300),
}


def test_numeric_targets_include_the_plans_targets(plan):
    targets = {(i.task, i.comparator, i.target) for i in plan.indicators if i.kind == "numeric"}
    assert EXPECTED_TARGETS <= targets, EXPECTED_TARGETS - targets


def test_relative_indicators_are_exactly_the_relative_phrases(plan):
    relative = [i.id for i in plan.indicators if i.kind == "relative"]
    phrased = [i.id for i in plan.indicators if "翻一番" in i.source_text or "全省平均水平" in i.source_text]
    assert relative == phrased and len(relative) == 2
    for ind in plan.indicators:
        if ind.kind == "relative":
            assert ind.comparator is None and ind.target is None and ind.judged_by


def test_the_annual_target_is_measured_annually(plan):
    annual = [i for i in plan.indicators if i.measure == "annual"]
    assert [(i.task, i.target) for i in annual] == [(29, 300)]
    assert "每年为300家以上" in annual[0].source_text
    assert all("每年" not in i.source_text for i in plan.indicators if i.measure != "annual")
