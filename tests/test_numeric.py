"""Numeric coefficients from the proved steps: the schedules, and the values at hand-checkable points."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from derive.derivations.numeric import (
    COEFFICIENTS,
    Coefficient,
    Schedule,
    by_name,
    cosine_schedule,
    evaluate,
    expression,
    linear_schedule,
)
from derive.exceptions import DeriveError
from derive.notation import DDPM as N

TWO_STEPS = Schedule("two steps", np.array([0.1, 0.3]))


LINEAR = [
    pytest.param(linear_schedule(), 1000, 1e-4, 0.02, id="default"),
    pytest.param(linear_schedule(T=10, beta_start=0.1, beta_end=0.2), 10, 0.1, 0.2, id="short"),
]


@pytest.mark.parametrize(("schedule", "steps", "start", "end"), LINEAR)
def test_the_linear_schedule(schedule: Schedule, steps: int, start: float, end: float) -> None:
    assert schedule.betas.shape == (steps,)
    assert (schedule.betas[0], schedule.betas[-1]) == (start, end)
    assert np.allclose(np.diff(schedule.betas), (end - start) / (steps - 1))


@pytest.mark.parametrize("steps", [1000, 50])
def test_the_cosine_schedule_follows_its_alpha_bar(steps: int) -> None:
    schedule = cosine_schedule(T=steps)
    f = [math.cos((s / steps + 0.008) / 1.008 * math.pi / 2) ** 2 for s in range(steps + 1)]
    expected = np.minimum(1 - np.array(f[1:]) / np.array(f[:-1]), 0.999)
    assert np.allclose(schedule.betas, expected, rtol=1e-12)
    # ᾱ(1) = cos²(π/2) = 0: the last step would be β = 1 without the cap
    assert schedule.betas[-1] == 0.999


def test_the_previous_cumulative_product_starts_at_one() -> None:
    assert TWO_STEPS.alphas_cumprod_previous.tolist() == pytest.approx([1.0, 0.9])
    assert TWO_STEPS.alphas_cumprod.tolist() == pytest.approx([0.9, 0.63])


# by hand at t = 2 of TWO_STEPS: α = 0.7, β = 0.3, ᾱ_t = 0.63, ᾱ_{t-1} = 0.9
AT_T2 = [
    ("posterior mean: coefficient of x_0", math.sqrt(0.9) * 0.3 / 0.37),
    ("posterior mean: coefficient of x_t", math.sqrt(0.7) * 0.1 / 0.37),
    ("posterior variance", 0.3 * 0.1 / 0.37),
    ("ε-form mean: coefficient of x_t", 1 / math.sqrt(0.7)),
    ("ε-form mean: coefficient of ε", -0.3 / (math.sqrt(0.37) * math.sqrt(0.7))),
    ("x_0 from ε: coefficient of x_t", 1 / math.sqrt(0.63)),
    ("x_0 from ε: coefficient of ε", -math.sqrt(0.37) / math.sqrt(0.63)),
]


@pytest.mark.parametrize(("name", "value"), AT_T2, ids=[n for n, _ in AT_T2])
def test_each_coefficient_at_a_hand_checked_point(name: str, value: float) -> None:
    assert evaluate(by_name(name), TWO_STEPS)[1] == pytest.approx(value, rel=1e-12)


def test_at_t_equal_1_the_posterior_is_x0_with_no_variance() -> None:
    schedule = linear_schedule()
    assert evaluate(by_name("posterior mean: coefficient of x_0"), schedule)[0] == pytest.approx(1.0)
    assert evaluate(by_name("posterior mean: coefficient of x_t"), schedule)[0] == 0.0
    assert evaluate(by_name("posterior variance"), schedule)[0] == 0.0


@pytest.mark.parametrize("coefficient", COEFFICIENTS, ids=[c.name for c in COEFFICIENTS])
def test_every_coefficient_depends_on_the_schedule_only(coefficient: Coefficient) -> None:
    assert expression(coefficient).free_symbols <= {N["alpha_t"], N["beta_t"], N["abar_t"], N["abar_tm1"]}


@pytest.mark.parametrize(
    ("coefficient", "message"),
    [
        pytest.param(Coefficient("a square", "posterior", "bracket-expanded", "x_tm1"), "not linear", id="not-linear"),
        pytest.param(
            Coefficient("the mean", "posterior", "posterior-mean-closed", None), "depends on", id="not-numbers"
        ),
    ],
)
def test_a_coefficient_that_is_not_a_number_per_t_is_refused(coefficient: Coefficient, message: str) -> None:
    with pytest.raises(DeriveError, match=message):
        expression(coefficient)


def test_coefficients_are_read_from_the_steps_not_retyped() -> None:
    # the x_t coefficient of the proved closed form, differentiated, is what evaluate computes
    alpha_t, abar_tm1, abar_t = N["alpha_t"], N["abar_tm1"], N["abar_t"]
    expected = sp.sqrt(alpha_t) * (1 - abar_tm1) / (1 - abar_t)
    assert sp.simplify(expression(by_name("posterior mean: coefficient of x_t")) - expected) == 0
