"""The data dictionary: one typed definition per data file, used for validation and documentation.

Every field carries a Chinese title (shown in error messages and on the 数据说明 page) and a
description; nothing about the data's shape is written anywhere else. Rules shared by a value type
(text without control characters, dates and numbers within range) are written once, on the type,
and added to the description of every field of that type.
"""
from __future__ import annotations

from enum import Enum
from typing import Literal, get_args, get_origin

from pydantic import BaseModel, Field, field_validator, model_validator

from .types import (COUNTABLE_UNITS, Comparator, DataPath, Date, HttpUrl, Id, IssuedDate, Name, Number, OptText, PeriodId,
                    PositiveId, RANGE_RULE, Record, ReportedDate, Rule, Slug, Text, Year)

# ---- plan.yaml -------------------------------------------------------------------------------


class PlanPeriod(Record):
    start: Year = Field(title="起始年份", description="计划期第一年，如2014")
    end: Year = Field(title="结束年份", description="计划期最后一年，如2015")

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
    id: PositiveId = Field(title="章节编号", description="章节序号（数字），用于网址，如`chapters/01/`")
    number: Text = Field(title="章节序号", description="原文中的汉字序号，如 一")
    title: Text = Field(title="章节标题", description="原文中的章节标题，不含序号")


class SearchAlias(Record):
    word: Name = Field(title="原文用词", description="原文中逐字出现的词，如 知名品牌")
    aliases: list[Name] = Field(title="同义写法",
                                description="读者搜索这个词时常写的同义说法，如 名牌；只填意思确实相同的")


class PlanFile(Record):
    title: Text = Field(title="计划名称", description="文件标题，照原文")
    issuer: Text = Field(title="印发机关", description="印发计划的机关")
    issued: IssuedDate = Field(title="印发日期", description="印发日期，按年-月-日写，如`2014-09-25`")
    period: PlanPeriod = Field(title="计划期", description="计划覆盖的年份")
    source: Source = Field(title="原文", description="原文文本及其发布渠道")
    basis: list[Basis] = Field(default_factory=list, title="依据文件", description="序言列出的依据文件")
    notice: Notice | None = Field(None, title="印发通知", description="随计划印发的通知")
    preamble: OptText | None = Field(None, title="序言", description="计划正文前的序言，照原文")
    chapters: list[Chapter] = Field(min_length=1, title="章节", description="计划的章节，按原文顺序")
    search_terms: list[Name] = Field(default_factory=list, title="搜索词",
                                     description="原文中的专有名词（如 首席质量官），站内搜索把它们当作一个词；每个都必须逐字出现在原文中")
    search_aliases: list[SearchAlias] = Field(
        default_factory=list, title="搜索同义词",
        description="原文用词的同义写法：搜索这些写法，也能找到用这个词的页面（搜“名牌”找到“知名品牌”）")


# ---- tasks.yaml ------------------------------------------------------------------------------


class Task(Record):
    id: PositiveId = Field(title="任务编号", description="任务序号（数字），用于网址，如`tasks/05/`")
    number: Text = Field(title="原文序号", description="原文中的序号，照原文书写，如“(五)”")
    chapter: PositiveId = Field(title="所属章节", description="所属章节的编号（plan.yaml 中`chapters`的`id`）")
    title: Text = Field(title="任务标题", description="原文第一个句号前的文字；原文无简短标题时由编者拟定")
    title_editorial: bool = Field(False, title="编者拟定标题", description="标题由编者拟定、非原文时为`true`")
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
    kind: DepartmentKind = Field(title="单位类别", description="、".join(f"`{k.value}` {v}" for k, v in KIND_LABELS.items()))


class DepartmentsFile(Record):
    departments: list[Department] = Field(min_length=1, title="责任单位", description="计划中出现的全部单位")


# ---- indicators.yaml -------------------------------------------------------------------------


class Indicator(Record):
    id: Id = Field(title="指标标识", description="网址中的英文标识，发布后不得更改")
    task: PositiveId = Field(title="所属任务", description="目标所在任务的编号")
    name: Name = Field(title="指标名称", description="指标的简短名称")
    kind: Literal["numeric", "relative"] = Field(
        title="目标类型", description="`numeric` 数值目标；`relative` 相对目标，如“翻一番”“达到全省平均水平”，由报送单位判定"
    )
    measure: Literal["level", "cumulative", "annual"] = Field(
        title="统计口径", description="`level` 期末水平值；`cumulative` 计划期内累计数；`annual` 每年分别考核"
    )
    comparator: Comparator | None = Field(None, title="比较方式", description="达标条件：`>=` 不低于，`>` 高于，`<=` 不高于，`<` 低于，`=` 等于")
    target: Number | None = Field(None, title="目标值", description="数值目标的数值" + RANGE_RULE)
    unit: Text = Field(title="计量单位", description="如%、项、家；按个数计的单位（" + "、".join(sorted(COUNTABLE_UNITS)) + "）的期望值取整数，"
                      "其余按目标值、基线和报送数值中最多的小数位数显示")
    target_text: Text = Field(title="目标表述", description="原文对目标的表述，如“80%以上”")
    judged_by: OptText | None = Field(None, title="判定方式", description="相对目标如何判定")
    deadline: Date = Field(title="期限", description="目标应达成的日期，按年-月-日写，如`2015-12-31`")
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



class Evidence(Record):
    title: Text = Field(title="证明材料标题", description="通知、报告或新闻的标题")
    url: HttpUrl = Field(title="证明材料网址", description="以 http:// 或 https:// 开头的网址")


class TaskReport(Record):
    task: PositiveId = Field(title="任务编号", description="tasks.yaml 中任务的`id`")
    status: Status = Field(title="进展状态", description="、".join(s.value for s in Status))
    summary: Text = Field(title="进展摘要", description="本期做了什么，几句话的纯文字")
    evidence: list[Evidence] = Field(default_factory=list, title="证明材料", description="可选：公开的通知、报告或新闻")
    reporter: Name = Field(title="报送单位", description="报送本条进展的单位名称（departments.yaml 中的 name）")


class IndicatorValue(Record):
    indicator: Slug = Field(title="指标标识", description="indicators.yaml 中指标的`id`")
    value: Number | None = Field(None, title="数值", description="本期数值；尚未取得时留空" + RANGE_RULE)
    # validate_default: a missing as_of / justification is reported at that field, with its line.
    as_of: ReportedDate | None = Field(None, validate_default=True, title="数值日期", description="数值所指的日期，按年-月-日写，如`2015-12-31`")
    source: OptText | None = Field(None, title="数据来源", description="数值的出处")
    note: OptText | None = Field(None, title="备注", description="可选说明")
    assessment: Assessment | None = Field(None, title="报送单位判定", description="仅相对目标填写：" + "、".join(a.value for a in Assessment))
    justification: OptText | None = Field(None, validate_default=True, title="判定理由", description="相对目标的判定理由，填写`assessment`时必填")

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
    period: PeriodId = Field(title="报告期", description="写作如`2015-Q1`（2015年第一季度），须与文件名一致")
    compiled: ReportedDate = Field(title="汇总日期", description="本期进展汇总完成的日期")
    sample: bool = Field(title="示例数据", description="`true` 表示演示用的示例数据，网站会在每个相关页面注明")
    tasks: list[TaskReport] = Field(default_factory=list, title="任务进展", description="每项任务一条；没有条目的任务显示为“未报告”")
    indicators: list[IndicatorValue] = Field(default_factory=list, title="指标数值", description="本期取得的指标数值")


class Baseline(Record):
    indicator: Slug = Field(title="指标标识", description="indicators.yaml 中指标的`id`")
    value: Number = Field(title="基线值", description="计划开始时的数值" + RANGE_RULE)
    as_of: Date = Field(title="基线日期", description="基线值所指的日期")
    source: OptText | None = Field(None, title="基线来源", description="基线值的出处")


class BaselinesFile(Record):
    sample: bool = Field(title="示例数据", description="`true` 表示基线值为演示用的示例数据")
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
