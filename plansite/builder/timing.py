"""Stage timings for the benchmark: `with stage("pages"): ...`; written out when PLANSITE_TIMINGS
names a file. Costs nothing measurable when unused."""
from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager

TIMINGS: dict[str, float] = {}


@contextmanager
def stage(name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        TIMINGS[name] = TIMINGS.get(name, 0.0) + time.perf_counter() - start


def write_timings() -> None:
    path = os.environ.get("PLANSITE_TIMINGS")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(TIMINGS, f)
