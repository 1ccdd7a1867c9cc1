"""The project's own errors: every message is in Chinese and names file, line and field."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located precisely enough for staff to fix it."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f" 第 {self.line} 行" if self.line else "")
        if self.field:
            where += f"，字段 {self.field}"
        return f"{where}：{self.message}"


class PlanSiteError(Exception):
    """Base class: anything the build reports to staff rather than crashing on."""


class DataError(PlanSiteError):
    """The data folder has one or more problems; all of them are listed at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field or "", p.message))
        super().__init__(self.report())

    def report(self, outcome: str = "网站未生成（原有网站保持不变）") -> str:
        head = f"数据有 {len(self.problems)} 处问题，{outcome}："
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class TargetError(PlanSiteError):
    """The site folder given is one the build must not replace (or cannot write); nothing was touched."""


class PublishError(PlanSiteError):
    """A release failed its checks or could not be switched; the live site is left as it was."""
