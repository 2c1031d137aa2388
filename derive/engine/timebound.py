"""A per-step time bound. SymPy is pure Python, so an alarm signal interrupts it between bytecodes."""

from __future__ import annotations

import gc
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class TimeBoundError(Exception):
    """Raised inside a check when its time bound expires; the step becomes undecided."""


@contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    # Signals reach only the main thread; elsewhere (a caller's worker thread) the bound is not enforced.
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        # raised inside a __del__ or a gc callback, the error is swallowed: fire again until it lands
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        if _in_gc_callback(frame):
            return  # raising there is reported as an unraisable exception; the re-armed alarm lands later
        raise TimeBoundError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _in_gc_callback(frame: FrameType | None) -> bool:
    callbacks = {getattr(callback, "__code__", None) for callback in gc.callbacks}
    while frame is not None:
        if frame.f_code in callbacks:
            return True
        frame = frame.f_back
    return False
