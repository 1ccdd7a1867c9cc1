"""Read the YAML data files into plain Python, remembering the line of every key and item.

PyYAML alone would accept duplicate keys (keeping the last one silently) and forget where a
value came from; staff need both caught and located, so the node tree is walked here.
"""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import Problem
from .schema import _inner_model, field_label
from .types import _shown

Lines = dict[tuple, int]


# libyaml's parser is ~20× faster than PyYAML's own; the result and the marks are the same.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLoader(_BaseLoader):
    """SafeLoader without implicit timestamps: 2020-02-30 reaches the schema as text and gets a
    located Chinese error there, instead of PyYAML raising ValueError with no line."""


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_TAB = "YAML 不允许用制表符（Tab）缩进，请改用空格"
_COLON = "此处不能出现“键: 值”，常见原因是缩进不对或文字中含有半角冒号（请给整段文字加引号）"
# Keyed by both PyYAML's and libyaml's wording of the same problem.
_YAML_HINTS = {
    "found character '\\t' that cannot start any token": _TAB,
    "found a tab character that violates indentation": _TAB,
    "found a tab character where an indentation space is expected": _TAB,
    "found character that cannot start any token": "出现了不能作为开头的字符（常见原因是制表符 Tab 或 @、` 等符号开头，请给文字加引号）",
    "mapping values are not allowed here": _COLON,
    "mapping values are not allowed in this context": _COLON,
    "could not find expected ':'": "缺少半角冒号“:”，或缩进不对",
    "did not find expected key": "缩进不一致，或列表项“- ”位置不对",
    "did not find expected '-' indicator": "列表项缩进不一致",
    "found undefined alias": "引用了未定义的锚点（*）",
}


def read_yaml(path: Path, label: str) -> tuple[object, Lines, list[Problem]]:
    """Parse one YAML file. Returns (data, line of each path, problems); data is None on failure."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, {}, [Problem(label, None, None, "文件不存在")]
    text, problem = _decode(raw, label)
    if problem:
        return None, {}, [problem]
    if not text.strip():
        return None, {}, [Problem(label, None, None, "文件是空的")]
    loader = YamlLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        detail = _YAML_HINTS.get(err.problem or "", err.problem or str(err))
        return None, {}, [Problem(label, mark.line + 1 if mark else None, None, f"YAML 语法错误：{detail}")]
    except yaml.YAMLError as err:  # the reader's: a control character, which has no mark
        return None, {}, [_reader_problem(err, text, label)]
    finally:
        loader.dispose()
    if node is None:
        return None, {}, [Problem(label, None, None, "文件是空的（只有注释）")]
    lines: Lines = {}
    problems: list[Problem] = []
    try:
        data = _to_python(loader, node, (), lines, problems, label, set())
    except _Unreadable as err:
        line = line_of(lines, err.path) if err.alias else err.node.start_mark.line + 1
        return None, {}, [Problem(label, line, path_text(err.path) or None, err.message)]
    if data is None:  # "~", "null" or a bare anchor: nothing to check, and nothing else would say so
        return None, {}, [Problem(label, node.start_mark.line + 1, None, "文件是空的（没有任何字段）")]
    return data, lines, problems


def _reader_problem(err: yaml.YAMLError, text: str, label: str) -> Problem:
    character = getattr(err, "character", None)
    if not isinstance(character, int):
        return Problem(label, None, None, f"文件含有不允许出现的控制字符，请删除（{err}）")
    # libyaml counts the position in bytes, PyYAML in characters: find the character instead.
    line = text.count("\n", 0, max(text.find(chr(character)), 0)) + 1
    return Problem(label, line, None, f"文件含有不允许出现的控制字符（U+{character:04X}），请删除")


def _decode(raw: bytes, label: str) -> tuple[str, Problem | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", Problem(label, None, None, "文件是 UTF-16 编码，请另存为 UTF-8（无 BOM）")
    if raw.startswith(b"\xef\xbb\xbf"):
        return "", Problem(label, None, None, "文件开头有 BOM 标记，请另存为 UTF-8（无 BOM）")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return "", Problem(label, None, None, "文件不是 UTF-8 编码（可能是 GBK/GB2312），请另存为 UTF-8（无 BOM）")


# The data files nest a few levels deep; anything deeper is a mistake (or an attack on the recursion).
MAX_DEPTH = 20


class _Unreadable(Exception):
    """A node that cannot become data; reported as one problem for the whole file."""

    def __init__(self, node, path: tuple, message: str, alias: bool = False):
        super().__init__(message)
        self.node, self.path, self.message, self.alias = node, path, message, alias


def _to_python(loader, node, path: tuple, lines: Lines, problems: list[Problem], label: str, seen: set):
    # An alias (*name) is the node its anchor (&name) made: walking it again could repeat
    # exponentially (nested aliases, a few hundred bytes) or forever (an alias inside its anchor).
    if id(node) in seen:
        raise _Unreadable(node, path, "不支持 YAML 锚点和别名（& 和 *）：请把内容直接写出来", alias=True)
    seen.add(id(node))
    if len(path) > MAX_DEPTH:
        raise _Unreadable(node, path, f"嵌套层数超过 {MAX_DEPTH} 层，请检查缩进和括号")
    lines.setdefault(path, node.start_mark.line + 1)
    if not isinstance(node, yaml.ScalarNode) and node.tag not in (_MAP, _SEQ):
        raise _Unreadable(node, path, _tag_message(node))
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Unreadable(key_node, path, "键必须是简单的文字（如 title:），不能是列表或一组字段")
            key = _scalar(loader, key_node, path)
            line = key_node.start_mark.line + 1
            if key in out:
                problems.append(Problem(label, line, path_text(path + (key,)),
                                        f"重复的键“{key}”（第 {lines[path + (key,)]} 行已有），请删除或合并其中一个"))
                continue
            lines[path + (key,)] = line
            out[key] = _to_python(loader, value_node, path + (key,), lines, problems, label, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(loader, item, path + (i,), lines, problems, label, seen) for i, item in enumerate(node.value)]
    return _scalar(loader, node, path)


def _scalar(loader, node, path: tuple):
    """A value; an explicit tag (!!binary, !!int abc, !custom) that cannot be read is a problem."""
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        raise _Unreadable(node, path, _tag_message(node)) from None


_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def _tag_message(node) -> str:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    return f"无法读取的值（类型标记 {tag}）：请去掉以 ! 开头的标记，或给文字加引号"


def path_text(path: tuple) -> str:
    """tasks[5].lead[1]: list positions are counted from 1, as staff count them."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(lines: Lines, path: tuple) -> int | None:
    """The line of the deepest part of `path` that exists in the file."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def validate_records(model: type[BaseModel], data: object, lines: Lines, label: str, context: dict | None = None):
    """Validate a whole file against `model`, reporting every error with its line. `context` carries
    what the checks learn from plan.yaml (the window of valid dates, see schema.date_window).

    Returns (the model or None, {list field: [(position, valid item)]}, problems). The valid items let
    cross-file checks run even when some records are broken, so all problems show at once.
    """
    try:
        value = model.model_validate(data, context=context)
    except ValidationError as err:
        problems = [_problem(model, e, lines, label) for e in err.errors()]
    else:
        return value, _list_fields(model, value), []
    items: dict[str, list] = {}
    if isinstance(data, dict):
        for name, info in model.model_fields.items():
            item_type = _list_item_type(info.annotation)
            if item_type and isinstance(data.get(name), list):
                adapter = TypeAdapter(item_type)
                checked = ((i, _try(adapter, x, context)) for i, x in enumerate(data[name]))
                items[name] = [(i, v) for i, v in checked if v is not None]
    return None, items, problems


def _try(adapter: TypeAdapter, value, context: dict | None = None):
    try:
        return adapter.validate_python(value, context=context)
    except ValidationError:
        return None


def _list_item_type(annotation):
    from typing import get_args, get_origin

    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        return item if isinstance(item, type) and issubclass(item, BaseModel) else None
    return None


def _list_fields(model: type[BaseModel], value: BaseModel) -> dict[str, list]:
    return {n: list(enumerate(getattr(value, n))) for n, i in model.model_fields.items() if _list_item_type(i.annotation)}


def _clean_loc(model: type[BaseModel], loc: tuple) -> tuple:
    """Drop the union-member tags pydantic adds (value.int, value.float) so paths name real fields."""
    out, current = [], model
    for part in loc:
        if isinstance(part, int):
            out.append(part)
            continue
        info = current.model_fields.get(part) if current is not None else None
        if info is None and out and current is None:
            continue  # inside a plain (non-model) field: a union tag such as 'int'
        out.append(part)
        current = _inner_model(info.annotation) if info is not None else None
    return tuple(out)


def _problem(model: type[BaseModel], error: dict, lines: Lines, label: str) -> Problem:
    loc = _clean_loc(model, tuple(error["loc"]))
    name = path_text(loc) or None
    title = field_label(model, loc)
    field = f"{name}（{title}）" if name and title else name
    return Problem(label, line_of(lines, loc), field, _message(error))


def _message(error: dict) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        value = _shown(value)  # hundreds of digits would drown the message
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "missing":
        return "缺少必填字段"
    if value is None and kind != "value_error":
        return "未填写（必填）"
    if kind == "extra_forbidden":
        return "不认识的字段（是否拼写错误？）"
    if kind in ("literal_error", "enum"):
        choices = str(ctx.get("expected", "")).replace("' or '", "'、'").replace("', '", "'、'").replace("'", "")
        return f"取值“{value}”无效，只能是以下之一：{choices}"
    if kind == "finite_number":
        return f"数值“{value}”无效：不能是无穷大（.inf）或非数（.nan）"
    if kind.startswith("int") or kind.startswith("float"):
        return f"应为数字，现为“{value}”"
    if kind.startswith("date"):
        return f"应为日期，格式 YYYY-MM-DD，现为“{value}”"
    if kind.startswith("bool"):
        return f"应为 true 或 false，现为“{value}”"
    if kind in ("string_type", "string_too_short"):
        return "应为非空文字" if value in (None, "") else f"应为文字，现为“{value}”"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith("^https?"):
            return f"“{value}”不是有效网址：必须以 http:// 或 https:// 开头，且不含空格"
        if "Q[1-4]" in pattern:
            return f"“{value}”格式不对：应为 年份-Q季度，如 2015-Q1"
        return f"“{value}”格式不对：只能用小写英文字母、数字和连字符（如 quality-supervision）"
    if kind in ("list_type", "too_short"):
        return "应为列表（每项以“- ”开头），且不能为空"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "应为“键: 值”形式的一组字段"
    if kind == "greater_than_equal":
        return f"数值“{value}”超出允许范围（不能小于 {ctx.get('ge')}）"
    if kind == "less_than_equal":
        return f"数值“{value}”超出允许范围（不能大于 {ctx.get('le')}）"
    return f"取值无效（{error['msg']}）"
