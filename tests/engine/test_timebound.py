"""The per-step time bound: an alarm interrupts pure-Python work, and leaves no alarm behind."""

from __future__ import annotations

import gc
import signal
import threading
import time

import pytest

from derive.engine.timebound import TimeBoundError, time_bound

#: the loops give up after this long, so that a broken bound fails the test instead of hanging it
GIVE_UP = 3.0


def spin(seconds: float) -> int:
    """Pure-Python work for ``seconds``: no sleeping, no C calls that could swallow the signal."""
    end = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < end:
        count += 1
    return count


def test_the_bound_interrupts_a_long_loop() -> None:
    started = time.perf_counter()
    with pytest.raises(TimeBoundError), time_bound(0.05):
        spin(GIVE_UP)
    assert time.perf_counter() - started < GIVE_UP / 2


def test_work_within_the_bound_is_not_interrupted() -> None:
    with time_bound(1.0):
        assert spin(0.01) > 0


def test_the_bound_leaves_no_alarm_and_restores_the_handler() -> None:
    previous = signal.getsignal(signal.SIGALRM)
    with time_bound(0.5):
        spin(0.01)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is previous


def test_the_alarm_is_cleared_after_an_interruption() -> None:
    previous = signal.getsignal(signal.SIGALRM)
    with pytest.raises(TimeBoundError), time_bound(0.02):
        spin(GIVE_UP)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is previous
    # a later loop runs to its end
    spin(0.05)


def test_a_zero_bound_means_no_bound() -> None:
    with time_bound(0):
        spin(0.05)
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_outside_the_main_thread_the_bound_is_not_enforced() -> None:
    # signals reach only the main thread: a worker thread runs to completion, and must not fail
    outcome: list[object] = []

    def work() -> None:
        try:
            with time_bound(0.01):
                outcome.append(spin(0.1))
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(GIVE_UP)
    assert len(outcome) == 1
    assert isinstance(outcome[0], int)


def test_an_expiry_inside_a_gc_callback_is_deferred_not_lost() -> None:
    # raising inside a gc callback would be reported as an unraisable exception and swallowed
    seen: list[str] = []

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append("in callback")
            spin(0.2)  # the alarm fires here

    def collect_then_spin() -> None:
        with time_bound(0.05):
            gc.collect()
            spin(GIVE_UP)

    gc.callbacks.append(callback)
    try:
        with pytest.raises(TimeBoundError):
            collect_then_spin()
    finally:
        gc.callbacks.remove(callback)
    assert seen
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
