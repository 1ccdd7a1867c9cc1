"""plansite/builder/workers.py and the drawing queue: both processes draw on a cold build, documents' charts
come first, and the worker started early is the one the build uses.

The drawing job is replaced by one that takes a fixed time and says which process ran it (the
worker is forked, so it runs the replacement too); the queue, the pool and the processes are real.
"""
from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys

import pytest

from conftest import ROOT
from plansite.builder.cache import CACHE_ENV
from plansite.builder import drawing
from plansite.builder import workers
from plansite.charts.specs import derive_chart_specs
from plansite.figures.progress import derive_progress
from plansite.model.load import load_plan

MINI = ROOT / "tests" / "fixtures" / "mini"
pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods() or workers.cores() < 2,
                                reason="needs fork and two cores, as the build's own worker does")


# Each check runs in a fresh interpreter: this process may have threads of earlier tests running
# (a test server), and then workers are not forked (plansite/builder/workers.py pool_context), as the build's
# own single-threaded process always forks them.
DRAW = """
import json, os, sys, time
from pathlib import Path
from plansite.builder import drawing
from plansite.builder.workers import pool_context, Workers

def slow_job(job):  # stands in for drawing: 0.15 s of work, then which process did it, and when
    time.sleep(0.15)
    mark = f"{os.getpid()} {time.monotonic()}".encode()
    return mark if job[0] == "docx" else (mark, b"png")

drawing._draw_job = slow_job  # the forked worker has it too
if len(sys.argv) > 4:  # the least number of charts waiting for which this process helps; matplotlib imported?
    drawing.HELP_WITH_CHARTS = int(sys.argv[4])
    if sys.argv[5] == "matplotlib":
        import matplotlib
specs = {f"chart-{i:02d}": {"plot": {"n": i}, "kind": "status_bars", "key": f"key-{i:02d}",
                            "file": f"charts/chart-{i:02d}.svg", "png": f"charts/chart-{i:02d}.png"}
         for i in range(int(sys.argv[2]))}
documents = json.loads(sys.argv[3])
pool = Workers(1)
assert pool_context().get_start_method() == "fork"
files = drawing.Drawing(Path(sys.argv[1]), pool).start(specs, documents=documents).charts().files
pool.close()
print(json.dumps({"main": os.getpid(), "files": {path: data.decode() for path, data in files.items()}}))
"""


def run_fresh(code: str, *args: str) -> dict:
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _who(files: dict[str, str], path: str) -> tuple[int, float]:
    pid, when = files[path].split()
    return int(pid), float(when)


def test_the_build_process_draws_from_the_back_while_the_worker_draws_from_the_front(tmp_path):
    out = run_fresh(DRAW, str(tmp_path / "cache"), "12", "{}", "4", "")
    here = out["main"]
    by = [_who(out["files"], f"charts/chart-{i:02d}.svg")[0] for i in range(12)]
    assert here in by and set(by) - {here}, f"one process drew everything: {by}"
    # The worker takes a run from the front, this process the rest from the back: they meet once.
    first_here = by.index(here)
    assert all(pid == here for pid in by[first_here:]) and all(pid != here for pid in by[:first_here]), by


@pytest.mark.parametrize("matplotlib", ["", "matplotlib"])
def test_a_few_charts_left_are_drawn_by_the_worker_unless_matplotlib_is_here_already(tmp_path, matplotlib):
    """Fewer charts waiting than HELP_WITH_CHARTS: drawing one here would first import matplotlib
    (as long as fifteen charts take), so this process waits for the worker, unless it has matplotlib."""
    out = run_fresh(DRAW, str(tmp_path / "cache"), "12", "{}", "16", matplotlib)
    by = [_who(out["files"], f"charts/chart-{i:02d}.svg")[0] for i in range(12)]
    if matplotlib:
        assert out["main"] in by, by
    else:
        assert out["main"] not in by, by


def test_a_documents_chart_is_drawn_first_and_the_document_follows_it(tmp_path):
    documents = {"reports/x/x.docx": {"chart": "chart-05", "model": {}, "key": "doc-key"}}
    files = run_fresh(DRAW, str(tmp_path / "cache"), "6", json.dumps(documents))["files"]
    drawn_at = {f"chart-{i:02d}": _who(files, f"charts/chart-{i:02d}.svg")[1] for i in range(6)}
    assert min(drawn_at, key=drawn_at.get) == "chart-05"  # the last by name, drawn first
    assert _who(files, "reports/x/x.docx")[1] > drawn_at["chart-05"]


EARLY = """
import json, os, sys
from plansite.builder import workers

def prepare():  # leaves a mark: which process prepared
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write(str(os.getpid()))

assert workers.take_early() is None
workers.start_early(prepare)
pool = workers.take_early()
taken_twice = workers.take_early() is not None
worker = pool.submit(os.getpid).wait()  # wait: a worker runs it, not this process
pool.close()
print(json.dumps({"main": os.getpid(), "worker": worker, "taken_twice": taken_twice}))
"""


def test_the_worker_started_early_is_taken_once_and_has_run_its_preparation(tmp_path):
    marker = tmp_path / "prepared"
    out = run_fresh(EARLY, str(marker))
    assert not out["taken_twice"] and out["worker"] != out["main"]
    assert marker.read_text(encoding="utf-8") == str(out["worker"])  # prepared in that same worker, first


def test_a_command_ending_with_a_worker_still_waiting_ends_at_once():
    """end_process stops a worker nobody closed (a build refused after it started): without that,
    multiprocessing's exit handler would wait for it for ever."""
    code = ("from plansite.builder import workers; from plansite.__main__ import end_process; "
            "workers.start_early(int); end_process(3)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stderr


def test_the_worker_is_started_early_only_for_a_build_with_charts_to_draw(tmp_path, monkeypatch):
    plan = load_plan(MINI)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    assert drawing.has_charts_to_draw(plan)  # an empty cache
    drawing.draw_charts(derive_chart_specs(plan, derive_progress(plan)), cache=tmp_path / "cache")
    assert not drawing.has_charts_to_draw(plan)  # every chart drawn: a rebuild needs no matplotlib
    next(iter((tmp_path / "cache").glob("*.png"))).unlink()
    assert drawing.has_charts_to_draw(plan)  # one image missing is a chart to draw
