#!/usr/bin/env python3
"""Draw every chart of a data folder into a folder of SVG and PNG files, as the site build does.

    .venv/bin/python scripts/build_charts.py --data data --out /tmp/charts

Uses the same code as the site (plansite/charts, plansite/builder/drawing.py) and the same cache (.cache/charts, or the folder
in PLANSITE_CHART_CACHE), so a chart whose data did not change is copied, not drawn. Next to each
chart it writes its spec (caption, text alternative, table and plotted numbers) as JSON.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plansite.builder.drawing import draw_charts  # noqa: E402
from plansite.charts.specs import derive_chart_specs  # noqa: E402
from plansite.figures.progress import derive_progress  # noqa: E402
from plansite.errors import PlanSiteError  # noqa: E402
from plansite.model.load import load_plan  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把数据目录中的全部图表绘制为 SVG 文件")
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="数据目录（默认 data/）")
    parser.add_argument("--out", type=Path, required=True, help="输出目录")
    parser.add_argument("--cache", type=Path, default=None, help="图表缓存目录（默认 .cache/charts 或 PLANSITE_CHART_CACHE）")
    args = parser.parse_args(argv)
    try:
        plan = load_plan(args.data)
        specs = derive_chart_specs(plan, derive_progress(plan))
        result = draw_charts(specs, cache=args.cache)
    except PlanSiteError as err:  # DataError included: its message is the full report
        print(str(err), file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for spec in specs.values():
        if spec["file"]:
            name = Path(spec["file"]).name
            (args.out / name).write_bytes(result.files[spec["file"]])
            (args.out / name).with_suffix(".png").write_bytes(result.files[spec["png"]])
            (args.out / name).with_suffix(".json").write_text(
                json.dumps(spec, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"图表已生成：{args.out}（共 {len(result.drawn) + len(result.cached)} 张，新绘制 {len(result.drawn)} 张，"
          f"取自缓存 {len(result.cached)} 张）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
