"""The data dictionary: one typed definition per data file, used for validation and documentation.

Every field carries a Chinese title (shown in error messages and on the 数据说明 page) and a
description; nothing about the data's shape is written anywhere else. Rules shared by a value type
(text without control characters, dates and numbers within range) are written once, on the type,
and added to the description of every field of that type.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import Enum
from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, Literal, get_args, get_origin

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator,
                      model_validator)


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


Id = Annotated[Slug, AfterValidator(_not_windows_name), Rule("不能是 Windows 保留的文件名（con、prn、aux、nul、com0–com9、lpt0–lpt9）")]


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


Number = Annotated[int | float, AfterValidator(_bounded), Rule("绝对值不超过 10 的 15 次方")]


def value_range_problem(value: int | float, unit: str) -> str | None:
    """Targets, values and baselines: a percentage lies in 0–100; counts are never negative."""
    if unit == "%" and not 0 <= value <= 100:
        return f"百分比 {_shown(value)} 超出 0–100 的范围"
    if value < 0:
        return f"数值 {_shown(value)} 不能为负"
    return None


_RANGE_RULE = "；计量单位为 % 时在 0–100 之间，其余不得为负"

# Years a plan may cover. Dates in the other files must lie within DATE_YEARS_BEFORE years before the
# plan was issued (or began) and DATE_YEARS_AFTER years after it ends: taken from plan.yaml, never from the
# clock, so a build is reproducible; a date outside is almost certainly a typo, and this keeps every date
# far from what the build cannot represent (year 1, or gzip's 2106 limit).
YEAR_MIN, YEAR_MAX = 1950, 2090
DATE_YEARS_BEFORE, DATE_YEARS_AFTER = 10, 10
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX), Rule(f"{YEAR_MIN}—{YEAR_MAX} 年之间")]


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
                 Rule(f"须在计划印发（或开始）那年之前 {DATE_YEARS_BEFORE} 年的 1 月 1 日至计划期最后一年之后 "
                      f"{DATE_YEARS_AFTER} 年的 12 月 31 日之间")]


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
                         Rule(f"不早于计划印发（或开始）那年之前 {DATE_YEARS_BEFORE} 年的 1 月 1 日，不晚于今天（不能是将来的日期）")]


# plan.yaml's own date is read before the window exists: the widest window any valid plan could have.
IssuedDate = Annotated[dt.date, AfterValidator(_in_window),
                       Rule("须在 {} 至 {} 之间".format(*date_window()))]


def _period_in_window(value: str, info: ValidationInfo) -> str:
    low, high, _ = _window(info)
    if not low.year <= int(value[:4]) <= high.year:
        raise ValueError(f"报告期 {value} 超出允许范围：年份应在 {low.year} 至 {high.year} 之间，请检查年份")
    return value


PeriodId = Annotated[str, StringConstraints(pattern=r"^\d{4}-Q[1-4]$"), AfterValidator(_period_in_window)]
PositiveId = Annotated[int, Field(ge=1, le=9999)]
Comparator = Literal[">=", ">", "<=", "<", "="]

# Units in which things are counted one by one: figures in them are whole numbers.
COUNTABLE_UNITS = frozenset({"个", "项", "家", "件", "人", "名", "起", "所", "座", "次", "户", "条", "台", "批", "期", "场"})

COMPARATOR_LABELS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "=": "等于"}


class Record(BaseModel):
    # Unknown keys are almost always typos (partner: instead of partners:), so they are errors.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# ---- plan.yaml -------------------------------------------------------------------------------


class PlanPeriod(Record):
    start: Year = Field(title="起始年份", description="计划期第一年，如 2014")
    end: Year = Field(title="结束年份", description="计划期最后一年，如 2015")

    @model_validator(mode="after")
    def _ordered(self) -> "PlanPeriod":
        if self.end < self.start:
            raise ValueError(f"结束年份 {self.end} 早于起始年份 {self.start}")
        return self


class Source(Record):
    file: DataPath = Field(title="原文文件", description="原文文本文件，相对于数据目录的路径")
    publisher: OptText | None = Field(None, title="发布渠道", description="原文的公开发布渠道")


class Basis(Record):
    title: Text = Field(title="依据文件标题", description="计划序言所依据文件的标题，照原文")
    doc_number: Text = Field(title="文号", description="依据文件的文号，照原文，如 国发〔2012〕9号")


class Notice(Record):
    addressees: Text = Field(title="主送", description="印发通知的主送单位，照原文")
    body: Text = Field(title="通知正文", description="印发通知正文，照原文")
    signature: Text = Field(title="落款", description="印发机关，照原文")
    date_text: Text = Field(title="落款日期", description="落款日期，照原文书写")


class Chapter(Record):
    id: PositiveId = Field(title="章节编号", description="章节序号（数字），用于网址 chapters/01/")
    number: Text = Field(title="章节序号", description="原文中的汉字序号，如 一")
    title: Text = Field(title="章节标题", description="原文中的章节标题，不含序号")


class PlanFile(Record):
    title: Text = Field(title="计划名称", description="文件标题，照原文")
    issuer: Text = Field(title="印发机关", description="印发计划的机关")
    issued: IssuedDate = Field(title="印发日期", description="印发日期，格式 YYYY-MM-DD")
    period: PlanPeriod = Field(title="计划期", description="计划覆盖的年份")
    source: Source = Field(title="原文", description="原文文本及其发布渠道")
    basis: list[Basis] = Field(default_factory=list, title="依据文件", description="序言列出的依据文件")
    notice: Notice | None = Field(None, title="印发通知", description="随计划印发的通知")
    preamble: OptText | None = Field(None, title="序言", description="计划正文前的序言，照原文")
    chapters: list[Chapter] = Field(min_length=1, title="章节", description="计划的章节，按原文顺序")
    search_terms: list[Name] = Field(default_factory=list, title="搜索词",
                                     description="原文中的专有名词（如 首席质量官），站内搜索把它们当作一个词；每个都必须逐字出现在原文中")


# ---- tasks.yaml ------------------------------------------------------------------------------


class Task(Record):
    id: PositiveId = Field(title="任务编号", description="任务序号（数字），用于网址 tasks/05/")
    number: Text = Field(title="原文序号", description="原文中的序号，如 (五)")
    chapter: PositiveId = Field(title="所属章节", description="所属章节的编号（plan.yaml 中 chapters 的 id）")
    title: Text = Field(title="任务标题", description="原文第一个句号前的文字；原文无简短标题时由编者拟定")
    title_editorial: bool = Field(False, title="编者拟定标题", description="标题由编者拟定、非原文时为 true")
    text: Text = Field(title="任务原文", description="任务段落全文（不含序号），逐字照录原文")
    lead: list[Name] = Field(default_factory=list, title="牵头单位", description="原文写明“牵头”的单位")
    partners: list[Name] = Field(default_factory=list, title="会同单位", description="原文“会”字之后的配合单位")
    joint: list[Name] = Field(default_factory=list, title="共同负责单位", description="原文只写“负责”、未分牵头的单位")

    @model_validator(mode="after")
    def _has_responsible_unit(self) -> "Task":
        if not (self.lead or self.partners or self.joint):
            raise ValueError("任务没有任何责任单位：请至少填写 lead（牵头）、partners（会同）或 joint（共同负责）之一")
        if not self.title_editorial:
            first_sentence = self.text.split("。", 1)[0]
            if self.title != first_sentence:
                raise ValueError(
                    f"标题应为原文第一个句号前的文字“{first_sentence}”；若为编者拟定，请加 title_editorial: true"
                )
        return self

    @property
    def units(self) -> list[tuple[str, str]]:
        """(role, unit name) in the order the plan names them."""
        return [(r, n) for r in ROLES for n in getattr(self, r)]


ROLES = ("lead", "partners", "joint")
ROLE_LABELS = {"lead": "牵头", "partners": "会同", "joint": "共同负责"}


class TasksFile(Record):
    tasks: list[Task] = Field(min_length=1, title="任务", description="计划的全部任务，按原文顺序")


# ---- departments.yaml ------------------------------------------------------------------------


class DepartmentKind(str, Enum):
    municipal_department = "municipal_department"
    party_department = "party_department"
    vertical_agency = "vertical_agency"
    college = "college"
    county_governments = "county_governments"
    unit_group = "unit_group"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    DepartmentKind.municipal_department: "市直部门",
    DepartmentKind.party_department: "党委部门",
    DepartmentKind.vertical_agency: "垂直管理单位",
    DepartmentKind.college: "高等院校",
    DepartmentKind.county_governments: "县级政府",
    DepartmentKind.unit_group: "单位集合",
}


class Department(Record):
    id: Id = Field(title="单位标识", description="网址中的英文标识（小写字母、数字和连字符），发布后不得更改")
    name: Name = Field(title="单位名称", description="与计划原文写法完全一致的名称（含继承的“市”字）")
    full_name: OptText | None = Field(None, title="单位全称", description="确知的正式全称；不确定则留空，不得猜测")
    aliases: list[Name] = Field(default_factory=list, title="常用别称",
                                description="人们书写本单位的其他名称（如简称的展开写法），显示在单位页上，供站内搜索；只填确知的")
    kind: DepartmentKind = Field(title="单位类别", description="、".join(f"{k.value} {v}" for k, v in KIND_LABELS.items()))


class DepartmentsFile(Record):
    departments: list[Department] = Field(min_length=1, title="责任单位", description="计划中出现的全部单位")


# ---- indicators.yaml -------------------------------------------------------------------------


class Indicator(Record):
    id: Id = Field(title="指标标识", description="网址中的英文标识，发布后不得更改")
    task: PositiveId = Field(title="所属任务", description="目标所在任务的编号")
    name: Name = Field(title="指标名称", description="指标的简短名称")
    kind: Literal["numeric", "relative"] = Field(
        title="目标类型", description="numeric 数值目标；relative 相对目标（如“翻一番”“达到全省平均水平”），由报送单位判定"
    )
    measure: Literal["level", "cumulative", "annual"] = Field(
        title="统计口径", description="level 期末水平值；cumulative 计划期内累计数；annual 每年分别考核"
    )
    comparator: Comparator | None = Field(None, title="比较方式", description="达标条件：>= 不低于，> 高于，<= 不高于，< 低于，= 等于")
    target: Number | None = Field(None, title="目标值", description="数值目标的数值" + _RANGE_RULE)
    unit: Text = Field(title="计量单位", description="如 %、项、家；按个数计的单位（" + "、".join(sorted(COUNTABLE_UNITS)) + "）的期望值取整数")
    target_text: Text = Field(title="目标表述", description="原文对目标的表述，如 80%以上")
    judged_by: OptText | None = Field(None, title="判定方式", description="相对目标如何判定")
    deadline: Date = Field(title="期限", description="目标应达成的日期，格式 YYYY-MM-DD")
    source_text: Text = Field(title="原文出处", description="目标所在的原文短语，必须逐字出现在任务原文中")

    @model_validator(mode="after")
    def _judgeable(self) -> "Indicator":
        if self.kind == "numeric" and (self.comparator is None or self.target is None):
            raise ValueError("数值目标（kind: numeric）必须填写 comparator 和 target")
        if self.kind == "relative" and not self.judged_by:
            raise ValueError("相对目标（kind: relative）必须用 judged_by 说明如何判定")
        return self

    @property
    def countable(self) -> bool:
        """Counted in whole units (家, 个, 项 …): an expected 73.35家 is shown as 73家."""
        return self.unit in COUNTABLE_UNITS


class IndicatorsFile(Record):
    indicators: list[Indicator] = Field(default_factory=list, title="量化目标", description="计划中可衡量的目标")


# ---- progress/*.yaml, baselines.yaml, method.yaml -------------------------------------------


class Status(str, Enum):
    """What a reporting unit says about a task in a period. 未报告 is derived, never typed.

    The order here is the one order the site lists statuses in everywhere (tables, counts, charts,
    legends): done first, then ongoing work, then what needs attention (derive.STATUS_ORDER)."""

    completed = "已完成"
    ongoing = "常态推进"
    in_progress = "推进中"
    behind = "滞后"
    not_started = "未启动"

    @property
    def code(self) -> str:
        return self.name


NOT_REPORTED = "not_reported"  # the derived status of a task with no entry in a period


class Assessment(str, Enum):
    """How far an indicator has got, computed from values (typed only for relative targets)."""

    achieved = "已达标"
    missed = "未达标"  # derived once the deadline (or the plan period) is reached without the target
    on_track = "符合序时进度"
    acceleration = "需加快"
    limited = "进展缓慢"
    deterioration = "倒退"
    no_data = "暂无数据"

    @property
    def code(self) -> str:
        return self.name


def _http_url(value: str) -> str:
    _safe_text(value)  # first, so that a hidden character is named rather than the address called invalid
    if not re.fullmatch(r"https?://[^\s<>\"]+", value):
        raise ValueError(f"“{value}”不是有效网址：必须以 http:// 或 https:// 开头，且不含空格")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url), _TEXT_RULE]


class Evidence(Record):
    title: Text = Field(title="证明材料标题", description="通知、报告或新闻的标题")
    url: HttpUrl = Field(title="证明材料网址", description="以 http:// 或 https:// 开头的网址")


class TaskReport(Record):
    task: PositiveId = Field(title="任务编号", description="tasks.yaml 中任务的 id")
    status: Status = Field(title="进展状态", description="、".join(s.value for s in Status))
    summary: Text = Field(title="进展摘要", description="本期做了什么，几句话的纯文字")
    evidence: list[Evidence] = Field(default_factory=list, title="证明材料", description="可选：公开的通知、报告或新闻")
    reporter: Name = Field(title="报送单位", description="报送本条进展的单位名称（departments.yaml 中的 name）")


class IndicatorValue(Record):
    indicator: Slug = Field(title="指标标识", description="indicators.yaml 中指标的 id")
    value: Number | None = Field(None, title="数值", description="本期数值；尚未取得时留空" + _RANGE_RULE)
    # validate_default: a missing as_of / justification is reported at that field, with its line.
    as_of: ReportedDate | None = Field(None, validate_default=True, title="数值日期", description="数值所指的日期，格式 YYYY-MM-DD")
    source: OptText | None = Field(None, title="数据来源", description="数值的出处")
    note: OptText | None = Field(None, title="备注", description="可选说明")
    assessment: Assessment | None = Field(None, title="报送单位判定", description="仅相对目标填写：" + "、".join(a.value for a in Assessment))
    justification: OptText | None = Field(None, validate_default=True, title="判定理由", description="相对目标的判定理由，填写 assessment 时必填")

    @field_validator("as_of")
    @classmethod
    def _dated(cls, value, info):
        if value is None and info.data.get("value") is not None:
            raise ValueError("填写了数值（value）就必须填写数值日期（as_of）")
        return value

    @field_validator("justification")
    @classmethod
    def _justified(cls, value, info):
        if info.data.get("assessment") is not None and not (value or "").strip():
            raise ValueError("相对目标的判定（assessment）必须写明理由（justification）")
        return value


class PeriodFile(Record):
    period: PeriodId = Field(title="报告期", description="如 2015-Q1，须与文件名一致")
    compiled: ReportedDate = Field(title="汇总日期", description="本期进展汇总完成的日期")
    sample: bool = Field(title="示例数据", description="true 表示演示用的示例数据，网站会在每个相关页面注明")
    tasks: list[TaskReport] = Field(default_factory=list, title="任务进展", description="每项任务一条；没有条目的任务显示为“未报告”")
    indicators: list[IndicatorValue] = Field(default_factory=list, title="指标数值", description="本期取得的指标数值")


class Baseline(Record):
    indicator: Slug = Field(title="指标标识", description="indicators.yaml 中指标的 id")
    value: Number = Field(title="基线值", description="计划开始时的数值" + _RANGE_RULE)
    as_of: Date = Field(title="基线日期", description="基线值所指的日期")
    source: OptText | None = Field(None, title="基线来源", description="基线值的出处")


class BaselinesFile(Record):
    sample: bool = Field(title="示例数据", description="true 表示基线值为演示用的示例数据")
    baselines: list[Baseline] = Field(default_factory=list, title="基线", description="序时进度计算的起点")


class Thresholds(Record):
    on_track: float = Field(ge=-100, le=100, title="符合序时进度阈值", description="完成比 R 不低于此值为“符合序时进度”")
    acceleration: float = Field(ge=-100, le=100, title="需加快阈值", description="R 不低于此值为“需加快”")
    limited: float = Field(ge=-100, le=100, title="进展缓慢阈值", description="R 不低于此值为“进展缓慢”，低于则为“倒退”")

    @model_validator(mode="after")
    def _ordered(self) -> "Thresholds":
        if not self.on_track > self.acceleration > self.limited:
            raise ValueError("阈值必须满足 on_track > acceleration > limited")
        return self


class MethodFile(Record):
    thresholds: Thresholds = Field(title="评估阈值", description="序时进度评估的分档阈值")
    timetable: Text = Field(title="报送时间表", description="进展数据的更新时间安排，显示在方法说明页")
    report_due_days: int | None = Field(None, ge=1, le=90, title="报送期限（天）",
                                        description="各单位在每个季度结束后多少天内交回季度报表；写在报表的填报说明上")


# Each data file and the model that describes it, in the order they are loaded.
DATA_FILES: dict[str, type[Record]] = {
    "plan.yaml": PlanFile,
    "departments.yaml": DepartmentsFile,
    "tasks.yaml": TasksFile,
    "indicators.yaml": IndicatorsFile,
    "method.yaml": MethodFile,
}
# Optional files: the site builds without them (no progress yet is a valid state).
OPTIONAL_FILES: dict[str, type[Record]] = {"baselines.yaml": BaselinesFile}
PROGRESS_DIR = "progress"  # one PeriodFile per period, named 2015-Q1.yaml


def field_label(model: type[BaseModel], loc: tuple) -> str | None:
    """The Chinese title of the field at `loc` (a pydantic error location) inside `model`."""
    label, current = None, model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        if info is None:
            return None  # a misspelt key: the parent's title would mislead
        label, current = info.title, _inner_model(info.annotation)
    return label


def _inner_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        if found := _inner_model(arg):
            return found
    return None


def describe_schema() -> list[dict]:
    """The data dictionary as plain rows: each file, then each record type inside it."""
    files = []
    documented = {**DATA_FILES, **OPTIONAL_FILES, f"{PROGRESS_DIR}/2015-Q1.yaml": PeriodFile}
    for file_name, model in documented.items():
        sections, queue, seen = [], [(model, "", None)], set()
        while queue:
            current, key, title = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            fields = []
            for name, info in current.model_fields.items():
                rules = "；".join(dict.fromkeys([m for m in info.metadata if isinstance(m, Rule)] + _rules(info.annotation)))
                description = "；".join(filter(None, [info.description, rules]))
                fields.append(dict(name=name, title=info.title or name, required=info.is_required(), description=description))
                if inner := _inner_model(info.annotation):
                    queue.append((inner, name, f"{info.title}（{name}）的每一项" if _is_list(info.annotation) else f"{info.title}（{name}）"))
            sections.append(dict(key=key or "top", title=title, fields=fields))
        files.append(dict(name=file_name, sections=sections))
    return files


def _is_list(annotation) -> bool:
    return get_origin(annotation) is list


def _rules(annotation) -> list[str]:
    """The Rule notes attached to a field's type, however deeply it is wrapped (list, | None, Annotated)."""
    found = [m for m in getattr(annotation, "__metadata__", ()) if isinstance(m, Rule)]
    for arg in get_args(annotation):
        if not isinstance(arg, Rule):
            found += _rules(arg)
    return found
