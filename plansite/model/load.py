"""load_plan: read every data file, check it and its references to the others, and return the Plan.

All problems from all files are collected before anything is raised, so staff fix them in one pass.
"""
from __future__ import annotations

import difflib
import hashlib
import os
import stat
from dataclasses import dataclass, field as dataclass_field
from pathlib import Path

from ..errors import DataError, Problem
from .load_progress import load_baselines, load_periods
from .plan import Plan
from .read import Lines, line_of, path_text, read_yaml, validate_records
from .schema import DATA_FILES, PROGRESS_DIR, field_label
from .types import date_window, value_range_problem


class _Checker:
    """Collects problems for one file, locating each by the item's position and field."""

    def __init__(self, model, label: str, lines: Lines, problems: list[Problem]):
        self.model, self.label, self.lines, self.problems = model, label, lines, problems

    def add(self, path: tuple, message: str) -> None:
        title = field_label(self.model, path)
        field = path_text(path) + (f"（{title}）" if title else "")
        self.problems.append(Problem(self.label, line_of(self.lines, path), field, message))

    def unique(self, list_name: str, items: list, attr: str, what: str) -> None:
        seen: dict = {}
        for pos, item in items:
            value = getattr(item, attr)
            if value in seen:
                self.add((list_name, pos, attr), f"{what}“{value}”重复（第 {line_of(self.lines, (list_name, seen[value], attr))} 行已用过）")
            else:
                seen[value] = pos


@dataclass
class _Context:
    """What progress checks need to know about the plan: ids, names and how to show paths."""

    tasks: dict
    indicators: dict
    unit_names: list[str]
    raw_task_ids: set = frozenset()  # ids written in tasks.yaml, valid or not
    years: tuple[int, int] | None = None  # the plan period's first and last year (reports: periods.report_years)
    validation: dict = dataclass_field(default_factory=dict)  # pydantic validation context: the window of valid dates

    @staticmethod
    def display(path: Path) -> str:
        return _display_path(path)

    def unknown_unit(self, name: str) -> str:
        return _unknown_unit(name, self.unit_names)


# The build reads the data once for its date (SOURCE_DATE_EPOCH) and MkDocs' hook reads it again:
# the second read is served from here while no file in the folder has changed.
_loaded: dict[Path, tuple[tuple, Plan]] = {}


_DIGEST_MAX = 1 << 20  # the data's YAML files are a few KB to a few hundred


def _stamp(data_dir: Path) -> tuple:
    return tuple(sorted((str(p), *_file_stamp(p)) for p in data_dir.rglob("*") if p.is_file()))


def _file_stamp(path: Path) -> tuple:
    """A file's size and a digest of its bytes. Not its modification time: where the file system's
    clock ticks coarsely (a few ms), a file saved again within the same tick at the same size (one
    digit changed) keeps its time and size, and the earlier plan would be served. Links (they may
    point anywhere), large files (a source document) and unreadable ones keep the time instead."""
    info = path.stat()
    if not path.is_symlink() and info.st_size <= _DIGEST_MAX:
        try:
            return info.st_size, hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
        except OSError:
            pass
    return info.st_size, info.st_mtime_ns


def load_plan(data_dir: Path | str) -> Plan:
    """Read and validate `data_dir`; raise DataError listing every problem found."""
    key = Path(data_dir).resolve()
    stamp = _stamp(key) if key.is_dir() else ()
    if key in _loaded and _loaded[key][0] == stamp:
        return _loaded[key][1]
    plan = _read_plan(Path(data_dir))
    _loaded[key] = (stamp, plan)
    return plan


def _read_plan(data_dir: Path) -> Plan:
    problems: list[Problem] = []
    parsed: dict[str, tuple] = {}
    raw: dict[str, dict] = {}
    validation: dict = {}
    for name, model in DATA_FILES.items():  # plan.yaml first: its dates bound every other file's
        label = _display_path(data_dir / name)
        data, lines, found = read_yaml(data_dir / name, label)
        problems += found
        value, items = None, {}
        if data is not None:
            value, items, found = validate_records(model, data, lines, label, validation)
            problems += found
        parsed[name] = (value, items, _Checker(model, label, lines, problems))
        raw[name] = data if isinstance(data, dict) else {}
        if name == "plan.yaml" and value is not None:
            validation = {"dates": date_window(value.issued, value.period.start, value.period.end)}

    plan_file, plan_items, plan_check = parsed["plan.yaml"]
    depts, dept_check = parsed["departments.yaml"][1].get("departments", []), parsed["departments.yaml"][2]
    tasks, task_check = parsed["tasks.yaml"][1].get("tasks", []), parsed["tasks.yaml"][2]
    indicators, ind_check = parsed["indicators.yaml"][1].get("indicators", []), parsed["indicators.yaml"][2]
    chapters = plan_items.get("chapters", [])

    plan_check.unique("chapters", chapters, "id", "章节编号")
    plan_check.unique("chapters", chapters, "number", "章节序号")
    dept_check.unique("departments", depts, "id", "单位标识")
    dept_check.unique("departments", depts, "name", "单位名称")
    task_check.unique("tasks", tasks, "id", "任务编号")
    task_check.unique("tasks", tasks, "number", "任务序号")
    ind_check.unique("indicators", indicators, "id", "指标标识")

    source_text = _read_source(data_dir, plan_file, plan_check)
    if source_text is not None:
        _check_plan_text(plan_file, source_text.splitlines(), plan_check)
    # Names and ids are taken from the raw files too, so a record that failed its own checks is
    # not reported a second time as "unknown" wherever it is referred to.
    unit_names = _raw_values(raw["departments.yaml"], "departments", "name", str)
    raw_task_ids = set(_raw_values(raw["tasks.yaml"], "tasks", "id", int))
    _check_tasks(tasks, {c.id for _, c in chapters}, unit_names, source_text, task_check)
    years = (plan_file.period.start, plan_file.period.end) if plan_file else None
    context = _Context(_first_by(tasks, "id"), _first_by(indicators, "id"), unit_names, raw_task_ids, years, validation)
    _check_indicators(indicators, context, ind_check)

    def checker(model, label, lines):
        return _Checker(model, label, lines, problems)

    periods = load_periods(data_dir / PROGRESS_DIR, checker, context)
    baselines = load_baselines(data_dir / "baselines.yaml", checker, context)

    if problems or plan_file is None or any(v is None for v, _, _ in parsed.values()):
        raise DataError(problems)
    return Plan(
        meta=plan_file,
        departments=[d for _, d in depts],
        tasks=[t for _, t in tasks],
        indicators=[i for _, i in indicators],
        data_dir=data_dir,
        source_text=source_text or "",
        method=parsed["method.yaml"][0],
        periods=periods,
        baselines=list(baselines.baselines) if baselines else [],
        baselines_sample=bool(baselines and baselines.sample),
    )


def _raw_values(data: dict, list_name: str, key: str, kind: type) -> list:
    records = data.get(list_name)
    if not isinstance(records, list):
        return []
    # Only values of the right type (a list, a date or false written as a name is the schema's to report).
    return [r[key] for r in records if isinstance(r, dict) and type(r.get(key)) is kind]


def _first_by(items: list, attr: str) -> dict:
    """id → the first item with it (a duplicate is reported separately, not allowed to shadow)."""
    out: dict = {}
    for _, item in items:
        out.setdefault(getattr(item, attr), item)
    return out


def _display_path(path: Path) -> str:
    """Paths in messages are relative to where staff ran the command, when that is shorter."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# A plan's text runs to tens of kilobytes; a cap keeps a wrong path (a disk image, /dev/zero) from filling memory.
SOURCE_MAX_BYTES = 5 * 1024 * 1024


def _read_source(data_dir: Path, plan_file, check: _Checker) -> str | None:
    if plan_file is None:
        return None
    name = plan_file.source.file  # the schema has refused absolute paths and ".."
    path = data_dir / name
    problem = _source_problem(data_dir, path, name)
    if problem is None:
        # O_NONBLOCK: a FIFO swapped in after the check must not hang the build; the read is capped too.
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as file:
                if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                    raise OSError("not a regular file")
                raw = file.read(SOURCE_MAX_BYTES + 1)
            if len(raw) > SOURCE_MAX_BYTES:
                problem = f"原文文件“{name}”超过 {SOURCE_MAX_BYTES // 1024 // 1024} MB，不像是计划原文，请检查路径"
            else:
                return raw.decode("utf-8")
        except OSError:
            problem = f"找不到原文文件 {path}（或无法读取）"
        except UnicodeDecodeError:
            problem = f"原文文件 {path} 不是 UTF-8 编码，请另存为 UTF-8（无 BOM）"
    check.add(("source", "file"), problem)
    return None


def _source_problem(data_dir: Path, path: Path, name: str) -> str | None:
    """Only a regular file inside the data folder, of a sane size (symlinks are followed, then checked)."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return f"找不到原文文件 {path}（或不是 UTF-8 编码）"
    if not real.is_relative_to(data_dir.resolve()):
        return f"原文文件“{name}”指向数据目录之外（{real}）：请把原文放进数据目录（如 source/），并填写相对于数据目录的路径"
    info = real.stat()
    if not stat.S_ISREG(info.st_mode):
        return f"原文文件“{name}”不是普通文件（是目录、设备或管道），请填写原文文本文件的路径"
    if info.st_size > SOURCE_MAX_BYTES:
        return f"原文文件“{name}”超过 {SOURCE_MAX_BYTES // 1024 // 1024} MB，不像是计划原文，请检查路径"
    return None


def _check_plan_text(plan_file, source_lines: list[str], check: _Checker) -> None:
    """Title, notice, preamble and chapter headings must each be a whole line of the source."""
    lines = set(source_lines)
    expected = [(("title",), plan_file.title), (("preamble",), plan_file.preamble)]
    if plan_file.notice:
        expected += [(("notice", f), getattr(plan_file.notice, f)) for f in ("addressees", "body", "signature", "date_text")]
    expected += [(("chapters", i, "title"), f"{c.number}、{c.title}") for i, c in enumerate(plan_file.chapters)]
    for path, text in expected:
        if text is not None and text not in lines:
            check.add(path, "与原文文件不一致：必须逐字照录原文中完整的一行（含标点）")
    whole = "\n".join(source_lines)
    for i, term in enumerate(plan_file.search_terms):
        if term not in whole:
            check.add(("search_terms", i), f"搜索词“{term}”没有出现在原文中：只能列原文里逐字出现的词")
    for i, alias in enumerate(plan_file.search_aliases):
        if alias.word not in whole:
            check.add(("search_aliases", i, "word"), f"搜索同义词的原文用词“{alias.word}”没有出现在原文中：只能列原文里逐字出现的词")


def _check_tasks(tasks: list, chapter_ids: set, unit_names: list[str], source: str | None, check: _Checker) -> None:
    known = set(unit_names)
    source_lines = set(source.splitlines()) if source is not None else set()
    for pos, task in tasks:
        if chapter_ids and task.chapter not in chapter_ids:
            check.add(("tasks", pos, "chapter"), f"章节 {task.chapter} 不存在（plan.yaml 的 chapters 中没有这个 id）")
        seen: set[str] = set()
        for role in ("lead", "partners", "joint"):
            for i, name in enumerate(getattr(task, role)):
                path = ("tasks", pos, role, i)
                if name in seen:
                    check.add(path, f"单位“{name}”在同一任务中重复出现")
                seen.add(name)
                if known and name not in known:
                    check.add(path, _unknown_unit(name, unit_names))
                elif name not in task.text and name.removeprefix("市") not in task.text:
                    check.add(path, f"单位“{name}”没有出现在本任务原文中，请核对责任单位")
        if source is not None and f"{task.number}{task.text}" not in source_lines:
            check.add(("tasks", pos, "text"), "任务原文与原文文件不一致：number 加 text 必须是原文中完整的一段，逐字照录（含标点）")


def _unknown_unit(name: str, unit_names: list[str]) -> str:
    message = f"未知单位“{name}”：departments.yaml 中没有这个名称"
    guess = difflib.get_close_matches(name, unit_names, n=1, cutoff=0.6)
    return message + (f"。是不是“{guess[0]}”？" if guess else "，请先在 departments.yaml 中登记")


def _check_indicators(indicators: list, context: _Context, check: _Checker) -> None:
    for pos, ind in indicators:
        if ind.target is not None and (problem := value_range_problem(ind.target, ind.unit)):
            check.add(("indicators", pos, "target"), problem)
        task = context.tasks.get(ind.task)
        if task is None:
            if context.raw_task_ids and ind.task not in context.raw_task_ids:
                check.add(("indicators", pos, "task"), f"任务 {ind.task} 不存在（tasks.yaml 中没有这个 id）")
        elif ind.source_text not in task.text:
            check.add(("indicators", pos, "source_text"), f"原文出处不在任务 {task.number} 的原文中，必须逐字摘录")
