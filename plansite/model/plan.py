"""The validated plan as one object, with the look-ups every page needs."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .schema import ROLES, Baseline, Chapter, Department, Indicator, MethodFile, PeriodFile, PlanFile, Task


# eq=False: a plan is itself, compared and hashed by identity, so figures derived from it can be
# remembered beside it (plansite/figures) without writing into it.
@dataclass(frozen=True, eq=False)
class Plan:
    meta: PlanFile
    departments: list[Department]
    tasks: list[Task]
    indicators: list[Indicator]
    data_dir: Path
    source_text: str
    method: MethodFile
    periods: list[PeriodFile] = field(default_factory=list)  # in period order
    baselines: list[Baseline] = field(default_factory=list)
    baselines_sample: bool = False
    _by: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by["chapter"] = {c.id: c for c in self.meta.chapters}
        self._by["task"] = {t.id: t for t in self.tasks}
        self._by["indicator"] = {i.id: i for i in self.indicators}
        self._by["dept_name"] = {d.name: d for d in self.departments}
        roles: dict[str, dict[str, list[Task]]] = {d.id: {r: [] for r in ROLES} for d in self.departments}
        for task in self.tasks:
            for role, name in task.units:
                roles[self._by["dept_name"][name].id][role].append(task)
        self._by["roles"] = roles
        # Look-ups every page makes, indexed once: scanning all tasks per page grows with the square.
        in_chapter: dict[int, list[Task]] = {c.id: [] for c in self.meta.chapters}
        for task in self.tasks:
            in_chapter[task.chapter].append(task)
        self._by["tasks_in"] = in_chapter
        of_task: dict[int, list[Indicator]] = {t.id: [] for t in self.tasks}
        for indicator in self.indicators:
            of_task[indicator.task].append(indicator)
        self._by["indicators_of"] = of_task
        in_chapter_ind: dict[int, list[Indicator]] = {c.id: [] for c in self.meta.chapters}
        for indicator in self.indicators:  # in the indicators' own order
            in_chapter_ind[self._by["task"][indicator.task].chapter].append(indicator)
        self._by["indicators_in"] = in_chapter_ind
        self._by["position"] = {("task", t.id): i for i, t in enumerate(self.tasks)} | {
            ("chapter", c.id): i for i, c in enumerate(self.meta.chapters)}

    @property
    def data_date(self):
        """The date the data is as of: the latest report's compilation, else the plan's issue date.
        Builds use it instead of the clock (SOURCE_DATE_EPOCH, 数据生成日期)."""
        return self.periods[-1].compiled if self.periods else self.meta.issued

    @property
    def last_day(self) -> dt.date:
        """The last day of the plan period (2015-12-31 for a plan of 2014–2015)."""
        return dt.date(self.meta.period.end, 12, 31)

    @property
    def chapters(self) -> list[Chapter]:
        return list(self.meta.chapters)

    def chapter(self, chapter_id: int) -> Chapter:
        return self._by["chapter"][chapter_id]

    def task(self, task_id: int) -> Task:
        return self._by["task"][task_id]

    def department_named(self, name: str) -> Department:
        return self._by["dept_name"][name]

    def tasks_in(self, chapter: Chapter) -> list[Task]:
        return self._by["tasks_in"][chapter.id]

    def roles_of(self, department: Department) -> dict[str, list[Task]]:
        """The tasks a unit leads, co-operates on and shares, by role."""
        return self._by["roles"][department.id]

    def indicator(self, indicator_id: str) -> Indicator:
        return self._by["indicator"][indicator_id]

    def indicators_in(self, chapter: Chapter) -> list[Indicator]:
        return self._by["indicators_in"][chapter.id]

    def indicators_of(self, task: Task) -> list[Indicator]:
        return self._by["indicators_of"][task.id]

    def neighbours(self, item: Task | Chapter) -> tuple:
        """The task (or chapter) before and after `item` in the plan's order; None at either end."""
        kind, items = ("task", self.tasks) if isinstance(item, Task) else ("chapter", self.meta.chapters)
        i = self._by["position"][(kind, item.id)]
        return (items[i - 1] if i > 0 else None), (items[i + 1] if i + 1 < len(items) else None)
