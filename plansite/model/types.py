"""The value types of the data dictionary: text, names, ids, paths, numbers and dates, each with its
rules written once, on the type, and shown beside every field of that type (plansite/model/schema.py)."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo

from .dates import cn_date
from .periods import PERIOD_PATTERN


class Rule(str):
    """A rule of a value type, shown on the 数据说明 page beside every field of that type."""


# ---- text ---------------------------------------------------------------------------------------

# Control characters make feed.xml ill-formed and terminals misbehave; tab and line breaks (LF, CR) are text.
_CONTROL_NAMES = dict(enumerate(
    "NUL 空字符,SOH,STX,ETX,EOT,ENQ,ACK,BEL 响铃符,BS 退格符,HT 制表符,LF 换行符,VT 垂直制表符,FF 换页符,CR 回车符,SO,SI,"
    "DLE,DC1,DC2,DC3,DC4,NAK,SYN,ETB,CAN,EM,SUB,ESC 转义符,FS,GS,RS,US".split(",")))
_CONTROL_NAMES.update({0x7F: "DEL 删除符", 0x85: "NEL 下一行", 0xA0: "NBSP"})
# Bidirectional controls reorder what is shown: "001%" can be displayed as "100%", a URL disguised.
_BIDI = {"\u202a": "LRE 从左到右嵌入符", "\u202b": "RLE 从右到左嵌入符", "\u202c": "PDF 嵌入结束符",
         "\u202d": "LRO 从左到右强制符", "\u202e": "RLO 从右到左强制符", "\u2066": "LRI 从左到右隔离符",
         "\u2067": "RLI 从右到左隔离符", "\u2068": "FSI 首强字符隔离符", "\u2069": "PDI 隔离结束符",
         "\u200e": "LRM 从左到右标记", "\u200f": "RLM 从右到左标记", "\u061c": "ALM 阿拉伯字母标记"}


def _safe_text(value: str) -> str:
    """Every text field: no control characters (but tab and line break) and no bidirectional controls."""
    for i, ch in enumerate(value):
        code = ord(ch)
        if ch in _BIDI:
            raise ValueError(f"文字中有双向文字控制符 U+{code:04X}（{_BIDI[ch]}），在第 {i + 1} 个字处："
                             "它会让文字显示的顺序与实际不同，请删除")
        if (code < 0x20 and ch not in "\t\n\r") or 0x7F <= code <= 0x9F:
            name = _CONTROL_NAMES.get(code, "C1 控制字符" if code >= 0x80 else "控制字符")
            raise ValueError(f"文字中有控制字符 U+{code:04X}（{name}），在第 {i + 1} 个字处，请删除")
    return value


_TEXT_RULE = Rule("不得含控制字符（制表符、换行符、回车符除外）和双向文字控制符")
OptText = Annotated[str, AfterValidator(_safe_text), _TEXT_RULE]  # optional text: `OptText | None`
Text = Annotated[str, StringConstraints(min_length=1), AfterValidator(_safe_text), _TEXT_RULE]

_INVISIBLE = {"\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符", "\u2060": "零宽不换行符",
              "\ufeff": "零宽不换行空格（BOM）", "\u3000": "全角空格", "\u00a0": "不换行空格 NBSP", "\t": "制表符"}


def _visible(value: str) -> str:
    """Names are matched character for character: 市质监局 with a zero-width space is another unit."""
    for i, ch in enumerate(value):
        if ch in _INVISIBLE or (ch.isspace() and ch != " ") or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            what = _INVISIBLE.get(ch) or unicodedata.name(ch, "控制字符")
            raise ValueError(f"名称中有看不见或特殊的空白字符 U+{ord(ch):04X}（{what}），在第 {i + 1} 个字处，请删除")
    if value != value.strip():
        raise ValueError("名称前后不能有空格")
    return value


Name = Annotated[Text, AfterValidator(_visible)]  # unit and indicator names: text without invisible characters
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]

# Ids become folder and file names (departments/<id>/); Windows cannot create these, in any case or with any suffix.
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"{p}{d}" for p in ("com", "lpt") for d in "0123456789¹²³")}


def _not_windows_name(value: str) -> str:
    if value.split(".", 1)[0].strip().lower() in _WINDOWS_RESERVED:
        raise ValueError(f"标识“{value}”是 Windows 保留的文件名（CON、PRN、AUX、NUL、COM0–COM9、LPT0–LPT9），"
                         "网站将无法复制到 Windows 服务器，请换一个")
    return value


Id = Annotated[Slug, AfterValidator(_not_windows_name), Rule("不能是 Windows 保留的文件名（`con`、`prn`、`aux`、`nul`，以及 `com` 或 `lpt` 后接一位数字，如 `com1`）")]


def _relative_path(value: str) -> str:
    """source.file: a relative path that stays inside the data folder (symlinks are checked on reading)."""
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute() or PureWindowsPath(value).drive:
        raise ValueError(f"原文文件“{value}”是绝对路径：请把原文放进数据目录（如 source/），并填写相对于数据目录的路径")
    if ".." in PureWindowsPath(value).parts:
        raise ValueError(f"原文文件“{value}”不在数据目录之内：请把原文放进数据目录（如 source/），并填写相对于数据目录的路径")
    return value


DataPath = Annotated[Text, AfterValidator(_relative_path), Rule("数据目录中的相对路径，不能是绝对路径或含“..”")]

# ---- numbers and dates --------------------------------------------------------------------------

# Beyond 10^15 a float no longer holds every integer, and no count or percentage in a plan gets near it.
NUMBER_LIMIT = 10**15


def _shown(value) -> str:
    """A number as typed, shortened when it runs to hundreds of digits."""
    if isinstance(value, int) and abs(value) >= 10**15:
        digits = str(abs(value))
        return f"{'-' if value < 0 else ''}{digits[:12]}…（共 {len(digits)} 位）"
    return str(value)


def _bounded(value: int | float) -> int | float:
    if abs(value) > NUMBER_LIMIT:
        raise ValueError(f"数值 {_shown(value)} 太大：绝对值不能超过 10 的 15 次方（1000 万亿）")
    return value


Number = Annotated[int | float, AfterValidator(_bounded), Rule("绝对值不超过10的15次方")]


def value_range_problem(value: int | float, unit: str) -> str | None:
    """Targets, values and baselines: a percentage lies in 0–100; counts are never negative."""
    if unit == "%" and not 0 <= value <= 100:
        return f"百分比 {_shown(value)} 超出 0–100 的范围"
    if value < 0:
        return f"数值 {_shown(value)} 不能为负"
    return None


RANGE_RULE = "；计量单位为%时在0至100之间，其余不得为负"

# Years a plan may cover. Dates in the other files must lie within DATE_YEARS_BEFORE years before the
# plan was issued (or began) and DATE_YEARS_AFTER years after it ends: taken from plan.yaml, never from the
# clock, so a build is reproducible; a date outside is almost certainly a typo, and this keeps every date
# far from what the build cannot represent (year 1, or gzip's 2106 limit).
YEAR_MIN, YEAR_MAX = 1950, 2090
DATE_YEARS_BEFORE, DATE_YEARS_AFTER = 10, 10
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX), Rule(f"{YEAR_MIN}年至{YEAR_MAX}年之间")]


def date_window(issued: dt.date | None = None, start: int | None = None, end: int | None = None) -> tuple[dt.date, dt.date]:
    """The dates a data folder may use: from the plan, or the widest a valid plan.yaml allows."""
    first = min(issued.year, start) if issued and start else YEAR_MIN
    return dt.date(first - DATE_YEARS_BEFORE, 1, 1), dt.date((end or YEAR_MAX) + DATE_YEARS_AFTER, 12, 31)


def _window(info: ValidationInfo) -> tuple[dt.date, dt.date, str]:
    """(first, last, why): from the plan when plan.yaml has been read (validation context), else the widest."""
    if window := (info.context or {}).get("dates"):
        return *window, f"计划印发前 {DATE_YEARS_BEFORE} 年至计划期结束后 {DATE_YEARS_AFTER} 年"
    return *date_window(), f"计划期须在 {YEAR_MIN}—{YEAR_MAX} 年之内"


def _in_window(value: dt.date, info: ValidationInfo) -> dt.date:
    low, high, why = _window(info)
    if not low <= value <= high:
        raise ValueError(f"日期 {value} 超出允许范围：应在 {low} 至 {high} 之间（{why}），请检查年份")
    return value


Date = Annotated[dt.date, AfterValidator(_in_window),
                 Rule(f"须在计划印发（或开始）那年之前{DATE_YEARS_BEFORE}年的1月1日至计划期最后一年之后"
                      f"{DATE_YEARS_AFTER}年的12月31日之间")]


def _reported(value: dt.date, info: ValidationInfo) -> dt.date:
    """A date something was compiled or measured on: never before the plan's window, never in the future.
    The clock only ever makes this looser (data valid today stays valid), so builds stay reproducible;
    an upper bound from the plan's years would refuse a true date: the day a late quarter is imported."""
    low, _, _ = _window(info)
    if value < low:
        raise ValueError(f"日期 {value} 过早：应不早于 {low}（计划印发前 {DATE_YEARS_BEFORE} 年），请检查年份")
    if value > dt.date.today():
        raise ValueError(f"日期 {value} 是将来的日期：汇总日期和数值日期不能晚于今天，请检查")
    return value


ReportedDate = Annotated[dt.date, AfterValidator(_reported),
                         Rule(f"不早于计划印发（或开始）那年之前{DATE_YEARS_BEFORE}年的1月1日，不晚于今天（不能是将来的日期）")]


# plan.yaml's own date is read before the window exists: the widest window any valid plan could have.
IssuedDate = Annotated[dt.date, AfterValidator(_in_window),
                       Rule("须在{}至{}之间".format(*map(cn_date, date_window())))]


def _period_in_window(value: str, info: ValidationInfo) -> str:
    low, high, _ = _window(info)
    if not low.year <= int(value[:4]) <= high.year:
        raise ValueError(f"报告期 {value} 超出允许范围：年份应在 {low.year} 至 {high.year} 之间，请检查年份")
    return value


PeriodId = Annotated[str, StringConstraints(pattern=f"^{PERIOD_PATTERN}$"), AfterValidator(_period_in_window)]
PositiveId = Annotated[int, Field(ge=1, le=9999)]
Comparator = Literal[">=", ">", "<=", "<", "="]

# Units in which things are counted one by one: figures in them are whole numbers.
COUNTABLE_UNITS = frozenset({"个", "项", "家", "件", "人", "名", "起", "所", "座", "次", "户", "条", "台", "批", "期", "场"})


class Record(BaseModel):
    # Unknown keys are almost always typos (partner: instead of partners:), so they are errors.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# An address a reader can follow: http(s), and nothing that would end it in a page or a form.
HTTP_URL = re.compile(r"https?://[^\s<>\"]+")


def _http_url(value: str) -> str:
    _safe_text(value)  # first, so that a hidden character is named rather than the address called invalid
    if not HTTP_URL.fullmatch(value):
        raise ValueError(f"“{value}”不是有效网址：必须以 http:// 或 https:// 开头，且不含空格")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url), _TEXT_RULE]

