"""Charts: derived figures → plain chart specs → SVG files, drawn only when their data changed.

The flow is one-way: `derive_chart_specs` turns the plan and its derived progress into specs —
plain, JSON-serialisable dicts holding everything a chart shows (the numbers to plot, a caption,
a text alternative and the table printed beside the image). `draw_charts` turns specs into SVG
bytes with matplotlib, in parallel across cores, through a cache keyed by the spec's plot data
and this file's source, so an unchanged chart is never drawn again and a build that draws
nothing never imports matplotlib.

Text in the SVG stays text (svg.fonttype "none") rather than glyph outlines: files stay at
10–30 KB instead of growing with every distinct character drawn as a path, the words are
selectable, searchable and sharp at any zoom, and the reader's own Chinese font renders them. Layout is measured with Noto Sans CJK SC (an OFL font, Debian's fonts-noto-cjk); readers
get the first font of FONT_FAMILIES they have — these fonts all set Han characters on the same
1 em grid, so the layout holds. The 方法说明 page says the same to readers.
"""
from __future__ import annotations

import concurrent.futures
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
import threading
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .derive import PeriodState, baseline_for, count_statuses
from .display import assessment_label, period_label, status_label
from .plan import Plan
from .render import chapter_heading, cn_date, number, target_phrase
from .schema import ROLE_LABELS, ROLES, Chapter, Department, Indicator, IndicatorValue

# Statuses in the order a bar reads from left to right: done first, not reported last.
CHART_STATUSES = ["completed", "ongoing", "in_progress", "behind", "not_started", "not_reported"]
# Fill and hatch per status. Fills are the Okabe–Ito-derived colours of docs/stylesheets/extra.css
# (dark enough for white labels at 4.5:1); the hatch tells statuses apart without colour. (Dots
# would be clearer still, but each dot is a path: one dotted pattern costs 150 KB of SVG.)
STATUS_STYLE = {
    "completed": ("#00705a", ""),
    "ongoing": ("#6b4a8c", "||"),
    "in_progress": ("#005a8c", "//"),
    "behind": ("#a33a00", "xx"),
    "not_started": ("#555555", "--"),
    "not_reported": ("#d9d9d9", ""),
}
LIGHT_FILLS = {"not_reported"}  # dark labels on these
INK, INK_LIGHT = "#222222", "#555555"
HATCH = (1, 1, 1, 0.5)  # hatch lines: white at half strength over the fill
ACTUAL, EXPECTED, TARGET, DEADLINE = "#005a8c", "#a33a00", "#00705a", "#555555"
# What the SVG asks the reader's browser for: Windows, macOS/iOS, Android and Linux in China.
FONT_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
                 "Microsoft YaHei", "sans-serif"]
MEASURE_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC")  # one must be installed to draw
# Drawn for a phone: 3.6 in is 346 CSS px, about the column of a 360 px screen, so 10 pt text stays
# near 12 px there; larger screens show it up to 1.5 times that (docs/stylesheets/extra.css).
WIDTH_IN = 3.6
PX_PER_IN = 96
PT_PER_IN = 72
CACHE_ENV = "PLANSITE_CHART_CACHE"
DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "charts"


# ---- specs: plain data ------------------------------------------------------------------------


def _mix(counts: dict[str, int]) -> str:
    """已完成13项、推进中5项 — the non-zero statuses in chart order."""
    return "、".join(f"{status_label(c)}{counts[c]}项" for c in CHART_STATUSES if counts.get(c))


def _status_plot(rows: list[tuple[str, dict[str, int]]], totals: bool = True) -> dict:
    """Bars of task counts; `totals` adds （n项） to each row's label when rows differ in size."""
    shown = [c for c in CHART_STATUSES if any(counts.get(c) for _, counts in rows)]
    plot_rows = [
        {"label": f"{label}（{sum(counts.values())}项）" if totals else label,
         "counts": [[c, counts.get(c, 0)] for c in shown]}
        for label, counts in rows
    ]
    statuses = [[c, status_label(c)] for c in shown]
    return {"rows": plot_rows, "statuses": statuses, "size": [WIDTH_IN, _status_height(plot_rows, statuses)]}


def _status_table(first: str, rows: list[tuple[str, dict[str, int]]]) -> dict:
    shown = [c for c in CHART_STATUSES if any(counts.get(c) for _, counts in rows)]
    return {
        "head": [first, *(status_label(c) for c in shown), "合计"],
        "rows": [[label, *(str(counts.get(c, 0)) for c in shown), str(sum(counts.values()))] for label, counts in rows],
    }


def _spec(chart_id: str, kind: str, caption: str, alt: str, table: dict, plot: dict | None) -> dict:
    spec = {"id": chart_id, "kind": kind, "caption": caption, "alt": alt, "table": table, "plot": plot,
            "key": None, "file": None, "width": None, "height": None}
    if plot is not None:
        spec["key"] = chart_key(kind, plot)
        spec["file"] = f"charts/{chart_id}.svg"  # stable, like every other URL of the site
        spec["width"], spec["height"] = (round(v * PX_PER_IN) for v in plot["size"])
    return spec


def spec_plan_status(plan: Plan, progress: list[PeriodState]) -> dict:
    """Home: every task's status in the latest period, for the whole plan and each chapter."""
    latest = progress[-1] if progress else None
    everything = count_statuses(latest, [t.id for t in plan.tasks])
    rows = [("全部任务", everything)] + [
        (chapter_heading(c), count_statuses(latest, [t.id for t in plan.tasks_in(c)])) for c in plan.chapters
    ]
    if latest:
        caption = f"{period_label(latest.period)}各项任务的状态：全部任务和各章节"
        alt = f"横向堆积条形图。截至{period_label(latest.period)}，{len(plan.tasks)}项任务中{_mix(everything)}。各章节的数字见图下的表格。"
    else:
        caption = "各项任务的状态（尚未发布季度进展）"
        alt = f"横向条形图。尚未发布任何季度进展，{len(plan.tasks)}项任务均为未报告。"
    return _spec("home-status", "status_bars", caption, alt, _status_table("范围", rows), _status_plot(rows))


def spec_status_history(plan: Plan, progress: list[PeriodState]) -> dict | None:
    """Home: how the mix of statuses moved from period to period (None before the first report)."""
    if not progress:
        return None
    ids = [t.id for t in plan.tasks]
    rows = [(period_label(s.period), count_statuses(s, ids)) for s in progress]
    first, last = rows[0], rows[-1]
    if len(rows) == 1:
        alt = f"横向堆积条形图。只有{first[0]}一期报告：{len(ids)}项任务中{_mix(first[1])}。"
    else:
        moves = "，".join(
            f"{status_label(c)}由{first[1][c]}项变为{last[1][c]}项"
            for c in CHART_STATUSES if first[1][c] or last[1][c]
        )
        alt = f"横向堆积条形图，每个季度一条。从{first[0]}到{last[0]}，{len(ids)}项任务中{moves}。各季度的数字见图下的表格。"
    return _spec("home-history", "status_bars", "各季度任务状态的变化", alt,
                 _status_table("报告期", rows), _status_plot(rows, totals=False))


def spec_chapter(plan: Plan, progress: list[PeriodState], chapter: Chapter) -> dict:
    """A chapter: the status of its tasks in every period."""
    ids = [t.id for t in plan.tasks_in(chapter)]
    heading = chapter_heading(chapter)
    if progress:
        rows = [(period_label(s.period), count_statuses(s, ids)) for s in progress]
        alt = f"横向堆积条形图，每个季度一条。“{heading}”共{len(ids)}项任务，截至{rows[-1][0]}{_mix(rows[-1][1])}"
        alt += f"；{rows[0][0]}时{_mix(rows[0][1])}。" if len(rows) > 1 else "。"
        caption = f"本章{len(ids)}项任务在各季度的状态"
    else:
        rows = [("尚无季度进展", count_statuses(None, ids))]
        alt = f"横向条形图。“{heading}”共{len(ids)}项任务，尚未发布任何季度进展，均为未报告。"
        caption = f"本章{len(ids)}项任务的状态（尚未发布季度进展）"
    return _spec(f"chapter-{chapter.id:02d}", "status_bars", caption, alt, _status_table("报告期", rows),
                 _status_plot(rows, totals=False))


def spec_department(plan: Plan, progress: list[PeriodState], department: Department) -> dict:
    """A unit: the latest status of the tasks it leads, co-operates on and shares."""
    latest = progress[-1] if progress else None
    roles = plan.roles_of(department)
    rows = [(f"{ROLE_LABELS[r]}的任务", count_statuses(latest, [t.id for t in roles[r]])) for r in ROLES if roles[r]]
    parts = "；".join(f"{label}{sum(c.values())}项中{_mix(c)}" for label, c in rows)
    if latest:
        caption = f"{period_label(latest.period)}本单位各类任务的状态"
        alt = f"横向堆积条形图。截至{period_label(latest.period)}，{department.name}{parts}。"
    else:
        caption = "本单位各类任务的状态（尚未发布季度进展）"
        alt = f"横向条形图。尚未发布任何季度进展，{department.name}{parts}。"
    return _spec(f"department-{department.id}", "status_bars", caption, alt, _status_table("职责", rows),
                 _status_plot(rows))


def _value(indicator: Indicator, value: float | None) -> str:
    return "—" if value is None else f"{number(value)}{indicator.unit}"


def _round(value: float) -> float:
    return round(float(value), 2)


def indicator_history(progress: list[PeriodState], indicator: Indicator) -> list[tuple[PeriodState, object]]:
    """(period state, indicator state) for every period in which the indicator was reported."""
    return [(s, s.indicators[indicator.id]) for s in progress if indicator.id in s.new_values]


def _path_start_source(plan: Plan, indicator: Indicator) -> str:
    """Where the 序时进度 line starts, in words (the rules of derive.baseline_for)."""
    for b in plan.baselines:
        if b.indicator == indicator.id:
            return b.source or "基线数据"
    if indicator.measure == "cumulative":
        return "计划期开始，从零起算"
    return "最早报送的数值"


def indicator_table(plan: Plan, progress: list[PeriodState], indicator: Indicator,
                    paths: list[list[list]] | None = None) -> dict:
    """Every number the chart shows: where the 序时进度 line starts, every reported value with
    its date, source and the assessment it had when reported, and the target."""
    rows = []
    if paths and indicator.measure == "annual":
        rows.append(["序时进度起点", "每年1月1日", _value(indicator, 0), "—", "—", "每年从零起算"])
    elif paths:
        start, value = paths[0][0]
        rows.append(["序时进度起点", cn_date(dt.date.fromisoformat(start)), _value(indicator, value), "—", "—",
                     _path_start_source(plan, indicator)])
    for state, ind_state in indicator_history(progress, indicator):
        entry, assessed = ind_state.entry, ind_state.assessed
        expected = _value(indicator, _round(assessed.expected)) if assessed.expected is not None else "—"
        rows.append([
            period_label(state.period), cn_date(entry.as_of) if entry.as_of else "—", _value(indicator, entry.value),
            expected, assessment_label(assessed.code), entry.source or "",
        ])
    if indicator.kind == "numeric":
        rows.append(["目标", cn_date(indicator.deadline), target_phrase(indicator), "—", "—", "计划原文"])
    return {"head": ["报告期", "数值日期", "数值", "序时进度期望值", "评估", "来源"], "rows": rows}


def expected_paths(plan: Plan, indicator: Indicator, progress: list[PeriodState]) -> list[list[list]]:
    """The 序时进度 lines, baseline → target, that the assessment measures against.

    The starting points come from `derive.baseline_for`, so the chart draws exactly the line the
    assessment used: for an annual target one line per year of the plan, from 0 on 1 January.
    """
    if indicator.kind != "numeric":
        return []
    entries = [s.entry for _, s in indicator_history(progress, indicator) if s.entry and s.entry.value is not None]
    if indicator.measure == "annual":
        years = range(plan.meta.period.start, indicator.deadline.year + 1)
        probes = [(IndicatorValue(indicator=indicator.id, as_of=dt.date(y, 12, 31)), dt.date(y, 12, 31)) for y in years]
    else:
        latest = entries[-1] if entries else IndicatorValue(indicator=indicator.id, as_of=indicator.deadline)
        probes = [(latest, indicator.deadline)]
    paths = []
    for probe, end in probes:
        base = baseline_for(plan, indicator, probe, [e for e in entries if e is not probe])
        if base is not None:
            paths.append([[base[1].isoformat(), _round(base[0])], [end.isoformat(), _round(indicator.target)]])
    return paths


def spec_indicator(plan: Plan, progress: list[PeriodState], indicator: Indicator) -> dict:
    """An indicator: its values against the target line, the deadline and the expected path.

    A relative target with no numbers has nothing to plot: its spec carries no plot (no image),
    only the caption, text and table.
    """
    latest = progress[-1].indicators[indicator.id] if progress else None
    points: dict[str, float] = {}
    for _, s in indicator_history(progress, indicator):
        if s.entry.value is not None:
            points[s.entry.as_of.isoformat()] = _round(s.entry.value)  # a later report of a date wins
    points_list = [[d, points[d]] for d in sorted(points)]
    paths = expected_paths(plan, indicator, progress)
    lower = indicator.comparator in ("<", "<=")
    phrase = target_phrase(indicator) + ("（每年）" if indicator.measure == "annual" else "")
    code = latest.assessed.code if latest else "no_data"
    when = period_label(progress[-1].period) if progress else None
    verdict = f"{when}评估：{assessment_label(code)}" if when else "尚未发布季度进展"

    alt = [f"{indicator.name}，目标{phrase}，期限{cn_date(indicator.deadline)}"]
    if lower:
        alt.append("，数值越低越好")
    alt.append("。")
    if points_list:
        last_date, last_value = points_list[-1]
        alt.append(f"共有{len(points_list)}个数值，最新为{cn_date(dt.date.fromisoformat(last_date))}的"
                   f"{_value(indicator, last_value)}")
        if latest and latest.assessed.expected is not None:
            alt.append(f"，按序时进度此时应为{_value(indicator, _round(latest.assessed.expected))}")
        alt.append("。")
    else:
        alt.append("尚无数值。")
    if latest:
        reason = latest.assessed.reason.rstrip("。")
        alt.append(f"{verdict}（{reason}）。" if reason else f"{verdict}。")

    if indicator.kind == "relative":
        subtitle = f"相对目标：{indicator.target_text}，由报送单位判定"
    else:
        direction = {">": "越高越好", ">=": "越高越好", "<": "越低越好", "<=": "越低越好"}.get(indicator.comparator)
        subtitle = f"目标：{phrase}" + (f"，{direction}" if direction else "")
    if len(indicator.unit) > 2:  # short units go on the tick labels
        subtitle += f"（单位：{indicator.unit}）"
    plot = None
    if indicator.kind == "numeric" or points_list:
        plot = {
            "unit": indicator.unit,
            "points": points_list,
            "paths": paths,
            "target": _round(indicator.target) if indicator.kind == "numeric" else None,
            "subtitle": wrap(subtitle, AXES_WIDTH, SMALL_PT),
            "lower_is_better": lower,
            "annual": indicator.measure == "annual",
            "deadline": indicator.deadline.isoformat(),
            "start": dt.date(plan.meta.period.start, 1, 1).isoformat(),
            "verdict": verdict,
            "size": [WIDTH_IN, 3.0],
        }
    caption = f"{indicator.name}：历次数值与目标（{phrase}）"
    table = indicator_table(plan, progress, indicator, paths)
    return _spec(f"indicator-{indicator.id}", "indicator", caption, "".join(alt), table, plot)


def derive_chart_specs(plan: Plan, progress: list[PeriodState]) -> dict[str, dict]:
    """Every chart of the site, by id, in a fixed order."""
    specs = [spec_plan_status(plan, progress), spec_status_history(plan, progress)]
    specs += [spec_chapter(plan, progress, c) for c in plan.chapters]
    specs += [spec_department(plan, progress, d) for d in plan.departments]
    specs += [spec_indicator(plan, progress, i) for i in plan.indicators]
    return {s["id"]: s for s in specs if s is not None}


# ---- the cache key: the plot data and the code that draws it ----------------------------------


def code_fingerprint() -> str:
    source = Path(__file__).read_bytes()
    try:
        version = metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        version = "none"
    return hashlib.sha256(source + version.encode()).hexdigest()


_FINGERPRINT = code_fingerprint()


def chart_key(kind: str, plot: dict) -> str:
    data = json.dumps({"kind": kind, "plot": plot}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((_FINGERPRINT + data).encode("utf-8")).hexdigest()


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


# ---- layout shared by spec (image size) and drawing -------------------------------------------

FONT_PT = 10
SMALL_PT = 9
PAD = 4.0
ROW_LABEL_H, BAR_H, ROW_GAP = 15.0, 18.0, 11.0
SWATCH_W, SWATCH_H, LEGEND_LINE = 16.0, 11.0, 16.0
AXES_WIDTH = WIDTH_IN * PT_PER_IN - 60  # room for text inside an indicator chart's axes


def text_width(text: str, size: float) -> float:
    """Width in points, near enough for layout: Han characters are 1 em, Latin about 0.6 em."""
    return sum(size if ord(ch) > 0x2E7F else 0.6 * size for ch in text)


def wrap(text: str, width: float, size: float) -> str:
    """Break text into lines no wider than `width` points (Chinese breaks between any characters)."""
    lines, line = [], ""
    for ch in text:
        if line and text_width(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return "\n".join(lines + [line])


def _legend_lines(statuses: list, width: float) -> list[list[tuple[float, str, str]]]:
    lines, x = [[]], PAD
    for code, label in statuses:
        need = SWATCH_W + 4 + text_width(label, SMALL_PT) + 12
        if lines[-1] and x + need > width - PAD:
            lines.append([])
            x = PAD
        lines[-1].append((x, code, label))
        x += need
    return lines


def _status_height(rows: list, statuses: list) -> float:
    width = WIDTH_IN * PT_PER_IN
    legend = len(_legend_lines(statuses, width)) * LEGEND_LINE + 6
    height = PAD + legend + len(rows) * (ROW_LABEL_H + BAR_H + ROW_GAP) + PAD
    return round(height / PT_PER_IN, 3)


# ---- drawing: spec → SVG bytes (matplotlib is imported only here) ----------------------------


_configured = False


def _matplotlib():
    """Import and configure matplotlib once per process; fail in Chinese if no CJK font is found."""
    global _configured
    import matplotlib
    from matplotlib import font_manager

    if _configured:
        return matplotlib

    matplotlib.rcParams.update({
        "svg.fonttype": "none",  # text stays text; see the module docstring
        "svg.hashsalt": "plansite-charts",  # fixed ids for clip paths and hatches
        "text.parse_math": False,  # data is text: a $ in a title is a dollar sign, not TeX
        "font.family": "sans-serif",
        "font.sans-serif": FONT_FAMILIES,
        "font.size": FONT_PT,
        "text.color": INK,
        "axes.edgecolor": INK_LIGHT,
        "axes.labelcolor": INK,
        "xtick.color": INK_LIGHT,
        "ytick.color": INK_LIGHT,
        "xtick.labelcolor": INK,
        "ytick.labelcolor": INK,
        "hatch.linewidth": 0.7,
        "savefig.transparent": True,  # the page shows through, light or dark
        "axes.unicode_minus": False,
    })
    if _has_cjk_font(font_manager):
        _configured = True
        return matplotlib
    # matplotlib keeps a list of the fonts it saw the first time; a font installed since then
    # (by scripts/ensure_fonts.sh) is found only after rescanning, which also refreshes that list.
    fresh = font_manager.FontManager()
    font_manager.fontManager.__dict__.update(fresh.__dict__)
    font_manager.json_dump(fresh, Path(matplotlib.get_cachedir(), f"fontlist-v{fresh.__version__}.json"))
    if _has_cjk_font(font_manager):
        _configured = True
        return matplotlib
    from .errors import PlanSiteError

    raise PlanSiteError(
        "绘制图表需要开源中文字体 Noto Sans CJK SC（Debian 软件包 fonts-noto-cjk），本机没有找到。"
        "请以 root 运行 make site（会自动安装），或运行：apt-get install -y fonts-noto-cjk"
    )


def _has_cjk_font(font_manager) -> bool:
    for family in MEASURE_FONTS:
        try:
            font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
            return True
        except ValueError:
            continue
    return False


def _svg(fig) -> bytes:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(fig)
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def draw_status_bars(plot: dict) -> bytes:
    """Horizontal stacked bars, one per row, each labelled above and with counts on its segments."""
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    width, height = (v * PT_PER_IN for v in plot["size"])
    fig = Figure(figsize=plot["size"])
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)  # y grows downwards, in points
    ax.axis("off")
    y = PAD
    for line in _legend_lines(plot["statuses"], width):
        for x, code, label in line:
            fill, hatch = STATUS_STYLE[code]
            ax.add_patch(Rectangle((x, y + 2), SWATCH_W, SWATCH_H, facecolor=fill, hatch=hatch,
                                   edgecolor=INK_LIGHT, hatchcolor=HATCH, linewidth=0.6))
            ax.text(x + SWATCH_W + 4, y + 2 + SWATCH_H / 2, label, fontsize=SMALL_PT, va="center_baseline")
        y += LEGEND_LINE
    y += 6
    bar_width = width - 2 * PAD
    for row in plot["rows"]:
        ax.text(PAD, y + ROW_LABEL_H - 3, row["label"], fontsize=FONT_PT, va="baseline")
        y += ROW_LABEL_H
        total = sum(n for _, n in row["counts"]) or 1
        x = PAD
        for code, n in row["counts"]:
            if not n:
                continue
            w = bar_width * n / total
            fill, hatch = STATUS_STYLE[code]
            ax.add_patch(Rectangle((x, y), w, BAR_H, facecolor=fill, hatch=hatch, hatchcolor=HATCH,
                                   edgecolor="white", linewidth=0.8))
            label = str(n)
            if w >= text_width(label, FONT_PT):
                ink = INK if code in LIGHT_FILLS else "white"
                ax.text(x + w / 2, y + BAR_H / 2, label, ha="center", va="center_baseline", fontsize=FONT_PT,
                        color=ink, fontweight="bold",
                        bbox=dict(boxstyle="square,pad=0.1", facecolor=fill, edgecolor="none"))
            x += w
        y += BAR_H + ROW_GAP
    return _svg(fig)


def draw_indicator(plot: dict) -> bytes:
    """Values over time (solid line, dots) against the target (a line, the side that meets it
    shaded, so lower-is-better reads downwards), the 序时进度 path (dashed) and the deadline
    (dotted). Line styles and the legend tell them apart without colour."""
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    def day(iso: str) -> dt.date:
        return dt.date.fromisoformat(iso)

    # A fixed layout in points (constrained layout would cost two thirds of the drawing time).
    width, height = (v * PT_PER_IN for v in plot["size"])
    lines = plot["subtitle"].count("\n") + 1
    top = PAD + FONT_PT + 5 + lines * (SMALL_PT + 3) + SMALL_PT + 6  # title, subtitle, 期限
    left, right, bottom = 44.0, 10.0, 42.0  # tick labels; tick labels and legend
    fig = Figure(figsize=plot["size"])
    ax = fig.add_axes((left / width, bottom / height, 1 - (left + right) / width, 1 - (top + bottom) / height))
    fig.text(PAD / width, 1 - PAD / height, plot["verdict"], ha="left", va="top", fontsize=FONT_PT, fontweight="bold")
    fig.text(PAD / width, 1 - (PAD + FONT_PT + 5) / height, plot["subtitle"], ha="left", va="top",
             fontsize=SMALL_PT, linespacing=1.3)
    unit, target = plot["unit"], plot["target"]
    deadline = day(plot["deadline"])
    points = [(day(d), v) for d, v in plot["points"]]
    paths = [[(day(d), v) for d, v in path] for path in plot["paths"]]
    dates = [d for d, _ in points] + [d for p in paths for d, _ in p] + [deadline, day(plot["start"])]
    values = [v for _, v in points] + [v for p in paths for _, v in p] + ([target] if target is not None else [])
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    if not points and not paths:  # only a target to show: from zero up to it
        lo, hi = min(0.0, lo), max(hi, 1.0)
    if hi == lo:
        hi = lo + 1
    pad = (hi - lo) * 0.18
    y_min = lo - pad if (lo - pad >= 0 or lo <= 0) else 0.0
    y_max = hi + pad
    ax.set_ylim(y_min, y_max)
    x_min, x_max = min(dates) - dt.timedelta(days=45), max(dates) + dt.timedelta(days=60)
    ax.set_xlim(x_min, x_max)
    # Fixed ticks (cheaper than date locators): 1 January labelled with its year, at most five
    # labels; quarters as small ticks while the span is short enough to show them.
    years = list(range(x_min.year + 1, x_max.year + 1))
    step = -(-len(years) // 5) or 1
    ax.set_xticks([dt.date(y, 1, 1) for y in years[::step]], [f"{y}年" for y in years[::step]])
    if len(years) <= 4:
        quarters = [dt.date(y, m, 1) for y in range(x_min.year, x_max.year + 1) for m in (1, 4, 7, 10)]
        ax.set_xticks([q for q in quarters if x_min <= q <= x_max], minor=True)

    percent = unit == "%"
    suffix = unit if len(unit) <= 2 else ""
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=not percent or hi - lo > 5))
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _: "" if v < 0 or (percent and v > 100) else f"{number(round(v, 2))}{suffix}"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=SMALL_PT)

    handles = []
    if target is not None:
        lower = plot["lower_is_better"]
        ax.axhspan(y_min if lower else target, target if lower else y_max, color=TARGET, alpha=0.10, linewidth=0)
        ax.axhline(target, color=TARGET, linewidth=1.3)
        handles.append(Line2D([], [], color=TARGET, linewidth=1.3, label="目标"))
    ax.axvline(deadline, color=DEADLINE, linestyle=":", linewidth=1.2)
    ax.annotate("期限", xy=(deadline, 1), xycoords=("data", "axes fraction"), xytext=(0, 2),
                textcoords="offset points", ha="center", va="bottom", fontsize=SMALL_PT, color=INK_LIGHT)
    for i, path in enumerate(paths):
        (x0, y0), (x1, y1) = path
        ax.plot([x0, x1], [y0, y1], color=EXPECTED, linestyle=(0, (5, 3)), linewidth=1.4)
    if paths:
        handles.insert(0, Line2D([], [], color=EXPECTED, linestyle=(0, (5, 3)), linewidth=1.4, label="序时进度"))
    if points:
        # An annual target counts afresh each year: the line breaks at each new year.
        runs: dict[int, list] = {}
        for d, v in points:
            runs.setdefault(d.year if plot["annual"] else 0, []).append((d, v))
        for run in runs.values():
            xs, ys = zip(*run)
            ax.plot(xs, ys, color=ACTUAL, linewidth=1.8, marker="o", markersize=4.5)
        handles.insert(0, Line2D([], [], color=ACTUAL, linewidth=1.8, marker="o", markersize=4.5, label="实际值"))
        ax.annotate(f"{number(ys[-1])}{unit}", xy=(xs[-1], ys[-1]), xytext=(-4, 6), textcoords="offset points",
                    ha="right", fontsize=SMALL_PT, color=ACTUAL, fontweight="bold")
    else:
        ax.text(0.5, 0.5, "暂无数值", transform=ax.transAxes, ha="center", va="center", fontsize=FONT_PT + 1,
                color=INK_LIGHT)
    if handles:
        fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0), ncol=len(handles), frameon=False,
                   fontsize=SMALL_PT, borderaxespad=0.2)
    return _svg(fig)


DRAW = {"status_bars": draw_status_bars, "indicator": draw_indicator}


def draw_chart(kind: str, plot: dict) -> bytes:
    return DRAW[kind](plot)


def _draw_job(job: tuple[str, dict]) -> bytes:
    return draw_chart(*job)


# ---- drawing many, through the cache, in parallel ---------------------------------------------


@dataclass
class DrawnCharts:
    files: dict[str, bytes] = field(default_factory=dict)  # site path → SVG
    drawn: list[str] = field(default_factory=list)  # chart ids drawn this time (cache misses)
    cached: list[str] = field(default_factory=list)


def _pool_context():
    # fork shares the already-imported matplotlib with the workers; with other threads running
    # (mkdocs serve) fork is unsafe, so fall back to spawn.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def draw_charts(specs: dict[str, dict], cache: Path | None = None, workers: int | None = None) -> DrawnCharts:
    """SVG bytes for every spec that has a plot, drawing only those not in the cache."""
    cache = Path(cache) if cache else cache_dir()
    result = DrawnCharts()
    todo = []
    for chart_id in sorted(specs):
        spec = specs[chart_id]
        if spec["plot"] is None:
            continue
        cached = cache / f"{spec['key']}.svg"
        if cached.is_file():
            result.files[spec["file"]] = cached.read_bytes()
            result.cached.append(chart_id)
        else:
            todo.append(spec)
    if not todo:
        return result
    _matplotlib()  # once here: a missing font stops the build with one clear message
    jobs = [(s["kind"], s["plot"]) for s in todo]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = min(len(jobs), workers or cores)
    context = _pool_context()
    if workers > 1 and context.get_start_method() == "fork":
        # Draw one chart of each kind here first: the fonts and caches this loads are then
        # shared by every forked worker instead of being loaded again in each (about 1 s).
        firsts = {kind: i for i, (kind, _) in reversed(list(enumerate(jobs)))}
        done = {i: _draw_job(jobs[i]) for i in sorted(firsts.values())}
    else:
        done = {}
    rest = [i for i in range(len(jobs)) if i not in done]
    if workers > 1 and len(rest) > 1:
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            chunk = max(1, len(rest) // (workers * 4))
            done.update(zip(rest, pool.map(_draw_job, [jobs[i] for i in rest], chunksize=chunk)))
    else:
        done.update((i, _draw_job(jobs[i])) for i in rest)
    drawn = [done[i] for i in range(len(jobs))]
    cache.mkdir(parents=True, exist_ok=True)
    for spec, svg in zip(todo, drawn):
        tmp = cache / f".{spec['key']}.{os.getpid()}.tmp"
        tmp.write_bytes(svg)
        os.replace(tmp, cache / f"{spec['key']}.svg")  # atomic: parallel builds never see half a file
        result.files[spec["file"]] = svg
        result.drawn.append(spec["id"])
    return result
