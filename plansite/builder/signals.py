"""SIGTERM handled like Ctrl-C: CI stops a build that runs too long with SIGTERM, and the build
must then clean up (staging folder, worker processes) exactly as it does on Ctrl-C."""
from __future__ import annotations

import contextlib
import os
import signal
import threading


class Interrupted(KeyboardInterrupt):
    """A signal asked the build to stop; raised where the main thread is, like Ctrl-C."""

    def __init__(self, signum: int):
        self.signal_name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        self.exit_status = 128 + signum  # as a shell reports a process ended by the signal
        super().__init__(self.signal_name)


_held = 0
_pending: list[int] = []
_owner: int | None = None  # the process that installed the handler (the build's main process)


def _on_signal(signum, frame) -> None:
    if os.getpid() != _owner:
        # A worker just forked from the build, stopped before it set its own handlers
        # (plansite/builder/workers.py init_worker): it has nothing to clean up and simply ends.
        os._exit(128 + signum)
    if _held:
        _pending.append(signum)  # delivered when the held block ends
        return
    raise Interrupted(signum)


@contextlib.contextmanager
def interruptible():
    """Within the block, SIGTERM and SIGINT raise Interrupted (a KeyboardInterrupt)."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may
        yield
        return
    global _owner
    _owner = os.getpid()
    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _pending.clear()


@contextlib.contextmanager
def held():
    """Finish the block (a swap of folders, a clean-up) before a signal interrupts it.

    A flag rather than a blocked signal mask: Python runs handlers in the main thread whichever
    thread the kernel delivered the signal to, so masking only this thread would not hold them."""
    global _held
    _held += 1
    try:
        yield
    finally:
        _held -= 1
    if not _held and _pending:
        raise Interrupted(_pending.pop(0))
