"""Time bounds. SymPy is pure Python, so a timer signal interrupts it between bytecodes.

A step's own bound is measured in CPU time (``Clock.CPU``): the same work gets the same allowance
whether or not other processes share the machine, so a verdict does not depend on the load. A
file's deadline is wall time (``Clock.WALL``): what a user waits for.
"""

from __future__ import annotations

import enum
import gc
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType


class Clock(enum.Enum):
    """Which time a bound counts, with the interval timer and signal that measure it."""

    CPU = "cpu"
    WALL = "wall"

    @property
    def timer(self) -> int:
        return signal.ITIMER_PROF if self is Clock.CPU else signal.ITIMER_REAL

    @property
    def signal(self) -> signal.Signals:
        return signal.SIGPROF if self is Clock.CPU else signal.SIGALRM

    @property
    def now(self) -> Callable[[], float]:
        return time.process_time if self is Clock.CPU else time.monotonic


class TimeBoundError(Exception):
    """Raised inside a check when a time bound expires; the step becomes undecided."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(f"the {clock.value} time bound expired")
        self.clock = clock


#: After an expiry that could not be raised (inside a gc callback), the timer fires again this soon.
RETRY = 0.05


@contextmanager
def time_bound(seconds: float | None, clock: Clock = Clock.CPU) -> Iterator[None]:
    """Raise ``TimeBoundError`` in the block once ``seconds`` of ``clock`` have passed.

    ``None`` or a bound ≤ 0 means no bound. Bounds of one clock nest: the tighter one applies,
    and the outer one resumes with what is left of it afterwards.
    """
    # Signals reach only the main thread; elsewhere (a caller's worker thread) the bound is not enforced.
    if seconds is None or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        # raised inside a __del__ or a gc callback, the error is swallowed: fire again until it lands
        signal.setitimer(clock.timer, RETRY)
        if _in_gc_callback(frame):
            return  # raising there is reported as an unraisable exception; the re-armed alarm lands later
        raise TimeBoundError(clock)

    outer = signal.getitimer(clock.timer)[0]
    started = clock.now()
    previous = signal.signal(clock.signal, expire)
    signal.setitimer(clock.timer, min(seconds, outer) if outer > 0 else seconds)
    try:
        yield
    finally:
        signal.setitimer(clock.timer, 0)
        signal.signal(clock.signal, previous)
        if outer > 0:
            # the enclosing bound goes on; if it is used up, it fires at once
            signal.setitimer(clock.timer, max(outer - (clock.now() - started), 1e-6))


def _in_gc_callback(frame: FrameType | None) -> bool:
    callbacks = {getattr(callback, "__code__", None) for callback in gc.callbacks}
    while frame is not None:
        if frame.f_code in callbacks:
            return True
        frame = frame.f_back
    return False
