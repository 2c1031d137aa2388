"""A per-step time bound. SymPy is pure Python, so an alarm signal interrupts it between bytecodes."""

from __future__ import annotations

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
        raise TimeBoundError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
