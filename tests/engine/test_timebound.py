"""Time bounds: a timer interrupts pure-Python work, leaves no timer behind, and nests."""

from __future__ import annotations

import gc
import signal
import threading
import time

import pytest

from derive.engine.timebound import Clock, TimeBoundError, time_bound

#: the loops give up after this long, so that a broken bound fails the test instead of hanging it
GIVE_UP = 60.0

CLOCKS = [pytest.param(Clock.CPU, id="cpu"), pytest.param(Clock.WALL, id="wall")]


def spin(seconds: float) -> int:
    """Pure-Python work for ``seconds`` of wall time: no sleeping, no C calls that could swallow the signal."""
    end = time.monotonic() + seconds
    count = 0
    while time.monotonic() < end:
        count += 1
    return count


def spin_until_interrupted() -> None:
    spin(GIVE_UP)
    raise AssertionError(f"no bound interrupted {GIVE_UP:g} s of work")


@pytest.mark.parametrize("clock", CLOCKS)
def test_the_bound_interrupts_a_loop_that_would_not_end(clock: Clock) -> None:
    with pytest.raises(TimeBoundError) as raised, time_bound(0.05, clock):
        spin_until_interrupted()
    assert raised.value.clock is clock


@pytest.mark.parametrize("clock", CLOCKS)
def test_work_within_the_bound_is_not_interrupted(clock: Clock) -> None:
    with time_bound(GIVE_UP, clock):
        assert spin(0.01) > 0


@pytest.mark.parametrize("clock", CLOCKS)
def test_the_bound_leaves_no_timer_and_restores_the_handler(clock: Clock) -> None:
    previous = signal.getsignal(clock.signal)
    with time_bound(GIVE_UP, clock):
        spin(0.01)
    assert signal.getitimer(clock.timer) == (0.0, 0.0)
    assert signal.getsignal(clock.signal) is previous


@pytest.mark.parametrize("clock", CLOCKS)
def test_the_timer_is_cleared_after_an_interruption(clock: Clock) -> None:
    previous = signal.getsignal(clock.signal)
    with pytest.raises(TimeBoundError), time_bound(0.02, clock):
        spin_until_interrupted()
    assert signal.getitimer(clock.timer) == (0.0, 0.0)
    assert signal.getsignal(clock.signal) is previous
    # a later loop runs to its end
    spin(0.05)


@pytest.mark.parametrize("seconds", [pytest.param(0, id="zero"), pytest.param(None, id="none")])
def test_no_bound_sets_no_timer(seconds: float | None) -> None:
    with time_bound(seconds):
        spin(0.05)
        assert signal.getitimer(Clock.CPU.timer) == (0.0, 0.0)


def test_the_two_clocks_are_independent() -> None:
    # the CPU bound of a step inside the wall deadline of a file: the tighter one fires, as itself
    with pytest.raises(TimeBoundError) as raised, time_bound(GIVE_UP, Clock.WALL), time_bound(0.05, Clock.CPU):
        spin_until_interrupted()
    assert raised.value.clock is Clock.CPU
    with pytest.raises(TimeBoundError) as raised, time_bound(0.05, Clock.WALL), time_bound(GIVE_UP, Clock.CPU):
        spin_until_interrupted()
    assert raised.value.clock is Clock.WALL


def test_an_inner_bound_of_the_same_clock_cannot_outlast_the_outer_one() -> None:
    with pytest.raises(TimeBoundError), time_bound(0.05), time_bound(GIVE_UP):
        spin_until_interrupted()


def test_the_outer_bound_resumes_after_an_inner_one() -> None:
    left: list[float] = []

    def inner_then_spin() -> None:
        with time_bound(GIVE_UP):
            spin(0.01)
        # the inner bound is gone; what is left of the outer one still holds
        left.append(signal.getitimer(Clock.CPU.timer)[0])
        spin_until_interrupted()

    with pytest.raises(TimeBoundError), time_bound(0.2):
        inner_then_spin()
    assert 0 < left[0] < 1
    assert signal.getitimer(Clock.CPU.timer) == (0.0, 0.0)


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
            spin(0.2)  # the timer fires here

    def collect_then_spin() -> None:
        with time_bound(0.05):
            gc.collect()
            spin_until_interrupted()

    gc.callbacks.append(callback)
    try:
        with pytest.raises(TimeBoundError):
            collect_then_spin()
    finally:
        gc.callbacks.remove(callback)
    assert seen
    assert signal.getitimer(Clock.CPU.timer) == (0.0, 0.0)
