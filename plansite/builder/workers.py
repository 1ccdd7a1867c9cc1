"""Worker processes for the work a build needs only later (charts, QR codes, the search index).

MkDocs renders pages one after another on one core; on a machine with more, jobs submitted here
run meanwhile on the others. Jobs start in the order they were submitted. When the build asks for
a result whose job no worker has started yet, it can run the job itself rather than wait
(Job.result). A worker is handed the job after the one it is running at once (concurrent.futures
then counts it as started), so the build helps from the back of its queue (build/drawing.py, search/material.py):
once MkDocs is done with the pages every core works through what is left.
"""
from __future__ import annotations

import collections
import concurrent.futures
import multiprocessing
import os
import signal
import threading
import weakref
from typing import Any, Callable


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def pool_context():
    # fork shares the already-imported modules with the workers; with other threads running
    # (mkdocs serve) fork is unsafe, so fall back to spawn.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def init_worker() -> None:
    """A forked worker inherits the build's SIGTERM handler (plansite/builder/signals.py); a worker is
    stopped by its parent (stop_workers) and must simply end."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


_live: "weakref.WeakSet[Workers]" = weakref.WeakSet()  # every pool of this process, to drop on a stop


def stop_workers() -> None:
    """End every worker process of this process now (the build was interrupted or failed): a
    worker left waiting for jobs would wait forever, and one mid-job need not finish."""
    take_early()  # one started early and not yet taken is among them
    for workers in list(_live):
        workers.abandon()
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(10)
        if child.is_alive():
            child.kill()
            child.join()


_early: "Workers | None" = None  # started by start_early, taken over by the build's hooks


def start_early(prepare: Callable) -> None:
    """Start the build's worker now and have it run `prepare` (its imports) while this process is
    still starting up (importing MkDocs, reading the configuration), instead of after: its first
    jobs come a second later and find it ready. Only where the worker runs on a core of its own
    and is forked (it then has this process's imports up to now)."""
    global _early
    if _early is None and cores() > 1 and pool_context().get_start_method() == "fork":
        _early = Workers(beside_main=True)
        _early.submit(prepare)


def take_early() -> "Workers | None":
    """The worker start_early started, once (None if it did not)."""
    global _early
    workers, _early = _early, None
    return workers


class Job:
    """A submitted call, run by a worker or, if none has started it, by this process."""

    def __init__(self, future: concurrent.futures.Future, fn: Callable, args: tuple):
        self._future, self._fn, self._args = future, fn, args
        self._ran_here, self._value = False, None

    def pending(self) -> bool:
        """Not started by a worker, nor run here."""
        return not (self._ran_here or self._future.running() or self._future.done())

    def run_here(self) -> bool:
        """Run the job in this process unless a worker has started it (then False)."""
        if not self._ran_here and self._future.cancel():
            self._value, self._ran_here = self._fn(*self._args), True
        return self._ran_here

    def result(self) -> Any:
        """The result; run here rather than wait if no worker has started the job."""
        return self._value if self.run_here() else self._future.result()

    def wait(self) -> Any:
        """The result, waiting for a worker to start the job rather than running it here."""
        if self._ran_here or self._future.cancelled():  # cancelled: the workers were stopped
            return self.result()
        return self._future.result()


class Workers:
    """One build's pool; the processes start with the first job (none for a build with nothing
    to do in the background)."""

    def __init__(self, count: int | None = None, beside_main: bool = False):
        # Beside a busy main process (MkDocs rendering pages), one core fewer: a third process on
        # two cores slowed the pages more than it sped up the rest.
        self.count = count or max(1, cores() - (1 if beside_main else 0))
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._open: collections.deque[concurrent.futures.Future] = collections.deque()
        _live.add(self)

    def submit(self, fn: Callable, *args) -> Job:
        if self._pool is None:
            self._pool = concurrent.futures.ProcessPoolExecutor(self.count, mp_context=pool_context(),
                                                                initializer=init_worker)
        future = self._pool.submit(fn, *args)
        self._open.append(future)
        return Job(future, fn, args)

    def backlog(self) -> int:
        """About how many jobs are not done yet (they finish roughly in the order submitted)."""
        while self._open and self._open[0].done():
            self._open.popleft()
        return len(self._open)

    def abandon(self) -> None:
        """Drop the pool without waiting (its processes are being ended): collected now, not at
        interpreter exit, when concurrent.futures' clean-up fails with a traceback."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        """Stop the workers once their current jobs are done; jobs not started are dropped."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
